"""Personalising an emulated chip: the LDS files from a :class:`ChipDocument`, signed by a
:class:`ChipPKI`'s Document Signer, with the data faults a test asks for (a tampered data group, an
injected one, a wrong signer, an expired signer)."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from checkpoint.mocks import chip_lds
from checkpoint.mocks.chip_emulator import ChipEmulator, ChipFaults, ChipKeys
from checkpoint.mocks.chip_lds import ChipDocument, card_access, mrz_information, pace_protocol
from checkpoint.mocks.chip_pki import ChipPKI, PrivateKey, cached_key, make_sod
from cryptography.hazmat.primitives import serialization


def _spki(key: PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def build_chip(
    document: ChipDocument,
    pki: ChipPKI,
    *,
    pace: tuple[tuple[str, int], ...] = (("AES-128", 13),),
    active_authentication: Literal["rsa", "rsa2048", "ec"] | None = "ec",
    chip_authentication: str | None = "AES-128",
    faults: ChipFaults | None = None,
    extended_length: bool = True,
) -> ChipEmulator:
    """An emulated chip personalised with ``document``.

    ``pace``: the (cipher, standardized parameter id) pairs EF.CardAccess offers; empty for a BAC-only chip.
    ``active_authentication``: DG15's key kind ("rsa" 1024 bits, "rsa2048", "ec" P-256), or None for no
    DG15. ``chip_authentication``: the cipher of
    DG14's chip authentication (P-256 key), or None for no DG14 (unless ECDSA AA needs DG14's AA info).
    """
    faults = faults or ChipFaults()
    width, height = document.face_size
    files: dict[int, bytes] = {
        1: chip_lds.dg1(document.mrz_lines),
        2: chip_lds.dg2(document.face, width, height),
    }
    if document.signature is not None:
        files[7] = chip_lds.dg7([document.signature])
    if document.dg11:
        files[11] = chip_lds.dg11(document.dg11)
    if document.dg12:
        files[12] = chip_lds.dg12(document.dg12)
    aa_key = None
    if active_authentication == "rsa":
        aa_key = cached_key("rsa1024", 0)
    elif active_authentication == "rsa2048":
        aa_key = cached_key("rsa", 0)
    elif active_authentication == "ec":
        aa_key = cached_key("ec", 5)
    ca_key = cached_key("ec", 6) if chip_authentication else None
    if ca_key is not None or active_authentication == "ec":
        files[14] = chip_lds.dg14(
            _spki(ca_key) if ca_key is not None else None,
            chip_authentication,
            active_authentication=active_authentication == "ec",
        )
    if aa_key is not None:
        files[15] = chip_lds.dg15(_spki(aa_key))

    signer = pki.document_signer
    if faults.wrong_signer:
        signer = pki.rogue_signer
    elif faults.expired_signer:
        signer = pki.expired_signer
    sod = make_sod(files, signer)
    if faults.tampered_dg is not None:
        data = bytearray(files[faults.tampered_dg])
        data[-1] ^= 0x01  # one bit of the last byte, after signing
        files[faults.tampered_dg] = bytes(data)
    if faults.injected_dg is not None:
        files[faults.injected_dg] = chip_lds.do(
            chip_lds.ALL_DG_TAGS[faults.injected_dg], chip_lds.do(0x5F0E, b"INJECTED")
        )
    by_fid = {0x0100 + n: data for n, data in files.items()}
    by_fid[0x011E] = chip_lds.ef_com(sorted(files))
    by_fid[0x011D] = sod
    information = mrz_information(document.mrz_lines)
    if faults.wrong_mrz:  # personalised with another document number than the page prints
        information = "X" + information[1:]
    keys = ChipKeys(
        information,
        document.can,
        active_authentication=aa_key,
        chip_authentication=ca_key,  # type: ignore[arg-type]
    )
    return ChipEmulator(
        document=document,
        card_access=card_access(pace) if pace else None,
        files=by_fid,
        keys=keys,
        pace={pace_protocol(cipher, parameter): parameter for cipher, parameter in pace},
        faults=faults,
        extended_length=extended_length,
    )


def with_faults(faults: ChipFaults, **changes: object) -> ChipFaults:
    """A copy of ``faults`` with ``changes``."""
    return replace(faults, **changes)  # type: ignore[arg-type]
