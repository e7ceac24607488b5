"""The CSCA certificates (and CRLs) a post trusts: from a folder of certificates or an ICAO master list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509


@dataclass(frozen=True)
class TrustStore:
    """Trusted Country Signing CA certificates and the certificate revocation lists to honour."""

    csca_certificates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = field(default=())

    @classmethod
    def from_certificates(
        cls,
        certificates: Iterable[x509.Certificate],
        crls: Iterable[x509.CertificateRevocationList] = (),
    ) -> TrustStore:
        """A store of the given CSCA certificates and CRLs."""
        return cls(tuple(certificates), tuple(crls))
