"""Documents presented together: a passport and its visa, a minor and the adult they travel with (or a
consent letter's reference), checked and recorded as one crossing (see
:class:`checkpoint.store.Companion`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from checkpoint.mrz import MRZResult, parse
from checkpoint.store import Companion
from checkpoint.tui.backend import ClientError
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import Review, ShiftInfo

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True, slots=True)
class Companions:
    """What was presented with the main document: a visa, an accompanying adult's document (each with
    its source), a consent letter's reference."""

    visa: MRZResult | None = None
    visa_source: str = ""
    adult: MRZResult | None = None
    adult_source: str = ""
    consent_reference: str = ""

    def context(self) -> dict[str, Any]:
        """Return the inspection context's fields for these companions."""
        return {
            "visa": self.visa,
            "accompanying_adult": self.adult,
            "consent_reference": self.consent_reference,
        }

    def describe(self) -> tuple[str, ...]:
        """Return one short phrase per companion, for the review's banner."""
        phrases = []
        if self.visa is not None:
            phrases.append(f"with visa {self.visa.document_number or '?'}")
        if self.adult is not None:
            phrases.append(f"with adult {self.adult.surname or '?'}")
        if self.consent_reference:
            phrases.append(f"consent {self.consent_reference}")
        return tuple(phrases)

    def records(self) -> tuple[Companion, ...]:
        """Return the companions as the store records them."""
        found = []
        for role, document, source in (
            ("visa", self.visa, self.visa_source),
            ("adult", self.adult, self.adult_source),
        ):
            if document is not None:
                found.append(
                    Companion(
                        role,
                        document.document_code,
                        document.issuing_state,
                        document.document_number,
                        document.surname,
                        document.given_names,
                        document.birth_date,
                        document.expiry_date,
                        source=source,
                    )
                )
        if self.consent_reference:
            found.append(Companion("consent", reference=self.consent_reference, source="manual"))
        return tuple(found)


class StoreCompanions:
    """Adds a companion document or a consent letter to a review; mixed into the store backend."""

    clock: Callable[[], datetime]

    def _review(self, arrival: Arrival, shift: ShiftInfo, companions: Companions) -> Review:
        raise NotImplementedError  # the store backend's

    def add_companion(self, review: Review, arrival: Arrival, shift: ShiftInfo) -> Review:
        """Return the review of ``review``'s traveller with ``arrival`` presented alongside: a visa
        (document code V) is checked against the passport, any other document is the accompanying
        adult's. A passport presented after its visa becomes the main document. Raises ClientError."""
        companions = _companions_of(review)
        main = review.arrival
        document = parse(arrival.lines, today=self.clock().date())
        if not document.format:
            raise ClientError("No MRZ found in the document added: present it again.", "Not added")
        main_is_visa = review.document_kind == "Visa"
        if document.document_code.startswith("V"):
            if main_is_visa:
                raise ClientError("Two visas: present the passport the visa is in.", "Not added")
            companions = replace(companions, visa=document, visa_source=arrival.source)
        elif main_is_visa:
            visa = parse(main.lines, today=self.clock().date())
            companions = replace(companions, visa=visa, visa_source=main.source)
            main = arrival
        else:
            companions = replace(companions, adult=document, adult_source=arrival.source)
        return self._review(main, shift, companions)

    def add_consent(self, review: Review, reference: str, shift: ShiftInfo) -> Review:
        """Return the review with a consent letter's reference for a minor. Raises ClientError."""
        reference = " ".join(reference.split())
        if len(reference) < 3:
            raise ClientError("Type the consent letter's reference as printed on it.", "Reference needed")
        companions = replace(_companions_of(review), consent_reference=reference)
        return self._review(review.arrival, shift, companions)


def _companions_of(review: Review) -> Companions:
    companions = getattr(review.payload, "companions", None)
    if not isinstance(companions, Companions):
        raise ClientError("This review was not made by the store backend.")
    return companions
