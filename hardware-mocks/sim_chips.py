"""Chips for the simulated reader's documents (``sim://KIND?chips=1``): each passport or ID card is
personalised into an in-process chip emulator (:mod:`checkpoint.mocks.chip_build`), signed by a test PKI
of its issuing state, and read with :func:`checkpoint.emrtd.read_chip` the way the ``pcsc://`` reader
reads a real one, so the client shows a genuine chip read, not a canned answer.

The stream mixes in what a post meets: a document issued before chips (no chip answers), and a forged
data page, whose holder's name and nationality were changed and the check digits recomputed, so that the
page is valid arithmetic, while the chip still holds the real holder. Visas carry no chip.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, cast

import pycountry
from checkpoint.drivers.events import ChipOutcome
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_emulator import ChipFaults
from checkpoint.mocks.chip_lds import ChipDocument, face_jpeg
from checkpoint.mocks.chip_pki import ChipPKI
from checkpoint.mocks.documents import SampleDocument

from checkpoint.emrtd import AccessKey, ChipError, TrustStore, read_chip
from checkpoint.emrtd.passive import ICAO_ALPHA3
from checkpoint.mrz import Sex, TravelFormat, compose, parse

READER_NAME: Final = "simulated chip antenna"
# How often a document is issued before chips, or comes with a forged data page.
PRE_CHIP_RATE: Final = 0.1
FORGED_RATE: Final = 0.1
# Chips that betray a fraud of their own, each this often in the mix: a copy without the private keys,
# a data group altered after signing, a signer the post does not trust, a chip from another document.
FAULTY_CHIPS: Final[dict[str, ChipFaults]] = {
    "cloned chip": ChipFaults(clone=True),
    "tampered chip": ChipFaults(tampered_dg=1),
    "foreign signer": ChipFaults(wrong_signer=True),
    "other document's chip": ChipFaults(wrong_mrz=True),
}
FAULTY_RATE: Final = 0.02
VARIANTS: Final = ("chip", "pre-chip", "forged page", *FAULTY_CHIPS)
_FORGED_NAMES: Final = (("LINDQVIST", "SWE"), ("JANSEN", "NLD"), ("NOWAK", "POL"), ("SILVA", "PRT"))
_ALPHA2: Final = {alpha3: alpha2 for alpha2, alpha3 in ICAO_ALPHA3.items()}


def alpha2(state: str) -> str:
    """Return the ISO 3166 alpha-2 code of an MRZ issuing state (``D`` -> ``DE``, ``UTO`` -> ``UT``)."""
    state = state.replace("<", "")
    if state in _ALPHA2:
        return _ALPHA2[state]
    country = pycountry.countries.get(alpha_3=state)
    return str(country.alpha_2) if country is not None else state[:2]


@dataclass(frozen=True)
class ChipDocumentRead:
    """What the simulated reader presents: the printed ``lines``, the chip's ``outcome``, and a ``label``
    saying what the document is (one of :data:`VARIANTS`, or "no chip")."""

    lines: tuple[str, ...]
    outcome: ChipOutcome
    label: str


class SimChips:
    """Issues and reads a chip for each simulated document. ``seed`` makes the mix repeatable."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._pkis: dict[str, ChipPKI] = {}
        self._faces = [face_jpeg(seed=n) for n in range(3)]

    def trust(self) -> TrustStore:
        """The post's trust anchors: the CSCA of every state a document has come from."""
        return TrustStore.from_certificates(pki.csca.certificate for pki in self._pkis.values())

    def _pki(self, state: str) -> ChipPKI:
        country = alpha2(state)
        if country not in self._pkis:
            self._pkis[country] = ChipPKI.create(country)
        return self._pkis[country]

    def read(self, document: SampleDocument, *, variant: str | None = None) -> ChipDocumentRead:
        """Return the document as the reader presents it (its page may be forged) with its chip's outcome.

        ``variant`` forces what the document is: one of :data:`VARIANTS` (None: the mix).
        Raises ValueError for another variant.
        """
        if variant is not None and variant not in VARIANTS:
            raise ValueError(f"unknown chip variant {variant!r}: expected one of {', '.join(VARIANTS)}")
        lines = document.lines
        result = parse(lines)
        if result.format not in ("TD1", "TD2", "TD3"):
            return ChipDocumentRead(lines, _absent("a visa carries no chip"), "no chip")
        if not result.valid:
            return ChipDocumentRead(lines, _absent("the MRZ as read gives no chip key"), "no chip")
        if variant is None:
            variant = _draw_variant(self._rng.random())
        if variant == "pre-chip":
            return ChipDocumentRead(
                lines, _absent("no chip answered: a document issued before chips"), "pre-chip"
            )
        chip = build_chip(
            ChipDocument(lines, self._rng.choice(self._faces), dg12=_dg12(document)),
            self._pki(result.issuing_state),
            faults=FAULTY_CHIPS.get(variant, ChipFaults()),
        )
        printed, label = lines, variant
        if variant == "forged page":
            printed = forge_page(lines, self._rng)
        try:
            report = read_chip(chip, AccessKey.from_mrz(printed), trust=self.trust(), printed_mrz=printed)
        except ChipError as exc:
            outcome = ChipOutcome(
                state="failed", title=exc.title, detail=str(exc), error=type(exc).__name__, reader=READER_NAME
            )
        else:
            outcome = ChipOutcome(state="read", report=report, reader=READER_NAME)
        return ChipDocumentRead(printed, outcome, label)


def _dg12(document: SampleDocument) -> dict[str, str]:
    """Return the DG12 fields of a sample's chip: its date of issue, where the sample has one."""
    issued = document.fields.get("issue_date")
    return {"date_of_issue": issued.strftime("%Y%m%d")} if isinstance(issued, date) else {}


def _draw_variant(draw: float) -> str:
    """Return the variant a draw in [0, 1) picks in the stream's mix."""
    edge = PRE_CHIP_RATE
    if draw < edge:
        return "pre-chip"
    edge += FORGED_RATE
    if draw < edge:
        return "forged page"
    for name in FAULTY_CHIPS:
        edge += FAULTY_RATE
        if draw < edge:
            return name
    return "chip"


def forge_page(lines: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """Return ``lines`` with another holder's surname and nationality and every check digit recomputed:
    what a skilled forger prints. The chip's key fields (number, birth, expiry) are kept, so the chip opens.
    """
    result = parse(lines)
    surname, nationality = rng.choice([n for n in _FORGED_NAMES if n[0] != result.surname])
    # Only a TD1, TD2 or TD3 with a valid MRZ is given a chip (see SimChips.read).
    fmt = cast(TravelFormat, result.format or "TD3")
    row = lines[1]
    birth, expiry = (row[13:19], row[21:27]) if fmt in ("TD2", "TD3") else (row[0:6], row[8:14])
    return tuple(
        compose(
            fmt,
            document_code=result.document_code.replace("<", "") or None,
            issuing_state=result.issuing_state,
            surname=surname,
            given_names=result.given_names,
            document_number=result.document_number,
            nationality=nationality,
            birth_date=birth,
            sex=cast(Sex, result.sex or "<"),
            expiry_date=expiry,
            optional_data=result.optional_data,
            optional_data_2=result.optional_data_2,
        )
    )


def _absent(detail: str) -> ChipOutcome:
    return ChipOutcome(state="absent", title="No chip", detail=detail, reader=READER_NAME)
