"""Test doubles for the client: a reader driven by the test, and an in-memory backend.

The reader is a real :class:`checkpoint.drivers.Reader` (the contract's ``events()`` runs unchanged);
only its device is a queue the test fills, and a flag the test flips to unplug it.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, ParamSpec

from checkpoint.drivers import DocumentRead, ReaderDisconnected, ReaderEvent, ReaderNotFound
from checkpoint.drivers.address import parse_address
from checkpoint.drivers.base import Reader
from textual import events
from textual.app import App
from textual.pilot import Pilot

from checkpoint.mrz import compose
from checkpoint.tui import make_app
from checkpoint.tui.app import CheckpointApp
from checkpoint.tui.backend import SignInRefused
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import (
    AuditReport,
    CheckLine,
    Decision,
    Direction,
    HistoryLine,
    ImportResult,
    ListState,
    OfficerSession,
    ReasonCode,
    Review,
    SearchHit,
    ShiftInfo,
    ShiftSummary,
    StoreHealth,
)

P = ParamSpec("P")

FROZEN = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def frozen_clock() -> datetime:
    """The tests' clock: always 2026-11-27 09:30 UTC."""
    return FROZEN


OFFICER = OfficerSession("MNE-0412")

# A valid Dutch passport with no alert: the traveller of the store-backed flows.
JANSEN = compose(
    "TD3",
    issuing_state="NLD",
    surname="JANSEN",
    given_names="EMMA",
    document_number="NX4R81T02",
    nationality="NLD",
    birth_date=date(1990, 3, 1),
    sex="F",
    expiry_date=date(2031, 6, 30),
)


def shift_app(
    readers: Sequence[Reader], backend: FakeBackend, *, post: str = "Bozaj", shift: bool = True
) -> CheckpointApp:
    """Return the app for ``readers`` with officer MNE-0412 signed in and (unless ``shift`` is false)
    a shift open at ``post``, lane 2, entry: the inspection screen comes up first."""
    opened = ShiftInfo("s1", OFFICER, post, "2", "entry") if shift else None
    return make_app(readers, backend, frozen_clock, officer=OFFICER, shift=opened)


def screen_text(app: App[None]) -> str:
    """Return what the terminal shows now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


class Ticker:
    """A monotonic clock the test moves by hand (``ticker.now += 60``)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ScriptedReader(Reader):
    """A reader whose documents come from :meth:`feed` and which :meth:`unplug` disconnects."""

    SCHEME: ClassVar[str] = "scripted"

    def __init__(self, url: str = "scripted://lane") -> None:
        super().__init__(parse_address(url), reconnect_max=0.05)
        self._device: queue.Queue[ReaderEvent] = queue.Queue()
        self._plugged = threading.Event()
        self._plugged.set()

    def feed(self, *lines: str) -> None:
        """Make the device read a document with these MRZ lines."""
        self._device.put(DocumentRead(source=self.source, lines=lines, raw="\r".join(lines).encode()))

    def send(self, event: ReaderEvent) -> None:
        """Make the device produce ``event``."""
        self._device.put(event)

    def unplug(self) -> None:
        """Disconnect the device; it stays away until :meth:`plug`."""
        self._plugged.clear()

    def plug(self) -> None:
        """Connect the device again."""
        self._plugged.set()

    def _open(self) -> None:
        if not self._plugged.is_set():
            raise ReaderNotFound(f"{self.source}: no device")

    def _close(self) -> None:
        pass

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        if not self._plugged.is_set():
            raise ReaderDisconnected(f"{self.source}: device unplugged")
        try:
            return [self._device.get(timeout=timeout)]
        except queue.Empty:
            return []


SAMPLE_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


class FakeBackend:
    """An in-memory backend: one officer (``MNE-0412`` / ``2468``), canned checks keyed on the surname."""

    def __init__(self) -> None:
        self.recorded: list[tuple[Review, Decision]] = []
        self.searches: list[tuple[str, str]] = []
        self.reviews: list[Arrival] = []
        self.closed: list[str] = []
        self.fail_next: Exception | None = None
        self.suggested: tuple[str, ...] = ("A",)

    def sign_in(self, officer_id: str, pin: str) -> OfficerSession:
        if (officer_id, pin) != ("MNE-0412", "2468"):
            raise SignInRefused("Wrong officer ID or PIN.")
        return OfficerSession(officer_id, "Demo Officer")

    def open_shift(self, officer: OfficerSession, post: str, lane: str, direction: Direction) -> ShiftInfo:
        return ShiftInfo("shift-1", officer, post, lane, direction)

    def health(self) -> StoreHealth:
        return StoreHealth(
            True, "test store", (ListState("documents", "2026-11-25", 2), ListState("persons"))
        )

    def reason_codes(self) -> tuple[ReasonCode, ...]:
        return (ReasonCode("A", "has no valid travel document(s)"), ReasonCode("B", "has a false document"))

    def review(self, arrival: Arrival, shift: ShiftInfo) -> Review:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.reviews.append(arrival)
        surname = arrival.lines[0][5:].split("<<")[0].replace("<", " ")
        expired = arrival.lines[1][21:27] < "261127"
        checks = (
            CheckLine("mrz.validity", "PASS", "MRZ check digits (5/5)"),
            CheckLine(
                "document.dates", "FAIL" if expired else "PASS", "Document expired" if expired else "Valid"
            ),
            CheckLine("stay", "NOT RUN", "Stay rule (not configured)"),
        )
        return Review(
            arrival=arrival,
            verdict="refer" if expired else "clear",
            suggested_reason_codes=self.suggested if expired else (),
            surname=surname,
            given_names="ANNA MARIA",
            sex="F",
            birth_date=date(1974, 8, 12),
            age=52,
            nationality="UTO Utopia",
            document_kind="Passport",
            document_number=arrival.lines[1][:9].rstrip("<"),
            issuing_state="UTO",
            expiry_date=date(2012, 4, 15),
            checks=checks,
            history=(HistoryLine(datetime(2026, 10, 2), "exit", "1", "admitted"),),
        )

    def record(self, review: Review, decision: Decision, shift: ShiftInfo) -> str:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.recorded.append((review, decision))
        return f"crossing-{len(self.recorded)}"

    def search(self, text: str, purpose: str, shift: ShiftInfo) -> tuple[SearchHit, ...]:
        self.searches.append((text, purpose))
        return tuple(
            SearchHit(
                f"c{i}",
                datetime(2026, 11, 27, 8, 0),
                "entry",
                shift.lane,
                r.surname,
                r.document_number,
                d.outcome,
            )
            for i, (r, d) in enumerate(self.recorded)
            if text.upper() in (r.surname, r.document_number)
        )

    def close_shift(self, shift: ShiftInfo, note: str) -> ShiftSummary:
        self.closed.append(note)
        counts: dict[tuple[str, str], int] = {}
        for _, decision in self.recorded:
            key = (shift.direction, decision.outcome)
            counts[key] = counts.get(key, 0) + 1
        return ShiftSummary(counts, sum(1 for _, d in self.recorded if d.outcome == "refer"), note)

    def import_watchlist(self, path: Path, kind: str, shift: ShiftInfo) -> ImportResult:
        return ImportResult(kind, len(path.read_text().splitlines()) - 1, "test")

    def verify_audit(self, shift: ShiftInfo) -> AuditReport:
        return AuditReport(True, 3, "")


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Let the app run until ``condition()`` is true; fail after ``timeout`` seconds (generous: CI is slow)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s:\n{screen_text(pilot.app)}")
        await pilot.pause(0.02)


async def paste(pilot: Pilot[None], text: str) -> None:
    """Paste ``text`` into the focused widget, as a terminal's bracketed paste delivers it."""
    focused = pilot.app.focused
    assert focused is not None, "nothing has the focus to paste into"
    focused.post_message(events.Paste(text))
    await pilot.pause()


def sync(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async test on a fresh event loop (the project has no async pytest plugin)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
