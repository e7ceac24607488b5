"""Standardized domain parameters (ICAO 9303-11 section 9.5.1) and the elliptic-curve point arithmetic
PACE's generic mapping needs (a generator other than the curve's own, which `cryptography` cannot use).

Point arithmetic is python-ecdsa's; this module only names curves and encodes points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from ecdsa import curves
from ecdsa.ellipticcurve import INFINITY, PointJacobi

from checkpoint.emrtd.errors import ChipDataError


@dataclass(frozen=True)
class ECDomain:
    """A named curve: ICAO ``parameter_id``, ``name`` as 9303 writes it, python-ecdsa's curve."""

    parameter_id: int
    name: str
    curve: curves.Curve

    key_tag: ClassVar[int] = 0x86  # the public point's tag in the authentication token's data object

    @property
    def generator(self) -> PointJacobi:
        return self.curve.generator

    @property
    def order(self) -> int:
        return int(self.curve.order)

    @property
    def field_size(self) -> int:
        """Bytes of one coordinate."""
        return (int(self.curve.curve.p()).bit_length() + 7) // 8

    def encode(self, point: PointJacobi) -> bytes:
        """Uncompressed encoding 04 || x || y."""
        size = self.field_size
        return b"\x04" + int(point.x()).to_bytes(size, "big") + int(point.y()).to_bytes(size, "big")

    def decode(self, data: bytes, what: str) -> PointJacobi:
        """Decode an uncompressed point and check it lies on the curve; raises ChipDataError otherwise."""
        size = self.field_size
        if len(data) != 1 + 2 * size or data[0] != 0x04:
            raise ChipDataError(f"{what} is not an uncompressed point on {self.name}")
        x, y = int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big")
        if not self.curve.curve.contains_point(x, y):
            raise ChipDataError(f"{what} is not on {self.name}")
        return PointJacobi(self.curve.curve, x, y, 1, self.order)

    def power(self, element: PointJacobi, exponent: int) -> PointJacobi:
        """``exponent`` times ``element`` (the group is written additively)."""
        return element * exponent

    def combine(self, a: PointJacobi, b: PointJacobi) -> PointJacobi:
        return a + b

    def secret(self, element: PointJacobi) -> bytes:
        return self.x_bytes(element)

    def x_bytes(self, point: PointJacobi) -> bytes:
        """The x coordinate, as the shared secret of ECDH: field-size big-endian bytes."""
        if point == INFINITY:
            raise ChipDataError("the key agreement gave the point at infinity")
        return int(point.x()).to_bytes(self.field_size, "big")


EC_DOMAINS: Final = {
    d.parameter_id: d
    for d in (
        ECDomain(8, "secp192r1", curves.NIST192p),
        ECDomain(9, "brainpoolP192r1", curves.BRAINPOOLP192r1),
        ECDomain(10, "secp224r1", curves.NIST224p),
        ECDomain(11, "brainpoolP224r1", curves.BRAINPOOLP224r1),
        ECDomain(12, "secp256r1", curves.NIST256p),
        ECDomain(13, "brainpoolP256r1", curves.BRAINPOOLP256r1),
        ECDomain(14, "brainpoolP320r1", curves.BRAINPOOLP320r1),
        ECDomain(15, "secp384r1", curves.NIST384p),
        ECDomain(16, "brainpoolP384r1", curves.BRAINPOOLP384r1),
        ECDomain(17, "brainpoolP512r1", curves.BRAINPOOLP512r1),
        ECDomain(18, "secp521r1", curves.NIST521p),
    )
}


def ec_domain(parameter_id: int | None) -> ECDomain:
    """The curve of a standardized parameter id; raises ChipDataError for DH groups or unknown ids."""
    if parameter_id not in EC_DOMAINS:
        raise ChipDataError(f"PACE parameter id {parameter_id} is not a standardized elliptic curve")
    return EC_DOMAINS[parameter_id]


def ec_domain_by_name(name: str) -> ECDomain:
    """The curve called ``name`` (e.g. "brainpoolP256r1"); raises KeyError."""
    for domain in EC_DOMAINS.values():
        if domain.name == name:
            return domain
    raise KeyError(name)
