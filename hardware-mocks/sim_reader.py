"""``sim://td3|td1|td2|mrv|mixed?interval=S&seed=N&count=N``: an in-process simulated passport reader.

It goes through the same factory and the same :meth:`Reader.events` template as hardware, and presents
:mod:`checkpoint.mocks.documents` samples: one every ``interval`` seconds (0: only on demand), at most
``count`` of them (0: no limit), and one more whenever :meth:`SimReader.present` is called, from any
thread (the client binds it to a key); :meth:`SimReader.present_unreadable` presents one whose MRZ
cannot be read. ``today`` fixes the day the samples are made for.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, ClassVar, Final

from checkpoint.drivers.address import Option, ReaderAddress, flag
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderConfigError
from checkpoint.drivers.events import DocumentRead, MalformedFrame, ReaderEvent
from checkpoint.mocks.documents import KINDS, SampleDocument, sample_documents

DEFAULT_INTERVAL: Final = 2.0
UNREADABLE: Final = "unreadable"  # the label of a document presented with present_unreadable()


def _non_negative_float(value: str) -> float:
    number = float(value)
    if not number >= 0:
        raise ValueError("expected a number of seconds, 0 or more")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("expected a whole number, 0 or more")
    return number


def _day(value: str) -> date | str:
    return date.fromisoformat(value) if value else ""


class SimReader(Reader):
    """A simulated reader presenting sample documents. See :mod:`checkpoint.mocks.sim_reader`."""

    SCHEME: ClassVar[str] = "sim"
    TARGET_FORM: ClassVar[str] = "|".join(KINDS)
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option(
            "interval",
            default=DEFAULT_INTERVAL,
            convert=_non_negative_float,
            metavar="SECONDS",
            help="time between documents; 0 presents only on demand",
        ),
        Option("seed", default=0, convert=int, metavar="N", help="makes the stream of documents repeatable"),
        Option(
            "count",
            default=0,
            convert=_non_negative_int,
            metavar="N",
            help="stop after N documents (0: never)",
        ),
        Option(
            "today", default="", convert=_day, metavar="YYYY-MM-DD", help="the day documents are made for"
        ),
        Option(
            "chips",
            default=False,
            convert=flag,
            metavar="1|0",
            help="passports and ID cards carry a chip, read in-process (some forged, some without)",
        ),
    )

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        kind = address.target.lower().strip("/")
        if kind not in KINDS:
            raise ReaderConfigError(
                f"reader address {address.url!r}: unknown document kind {kind!r}; expected {self.expected_form()}"
            )
        today = self.options["today"]
        self.kind = kind
        self._today: date | None = today if isinstance(today, date) else None
        self._condition = threading.Condition()
        self._queue: collections.deque[SampleDocument] = collections.deque()
        self._documents: Iterator[SampleDocument] = sample_documents(
            kind, seed=int(self.options["seed"]), today=self._today
        )
        self._generated = 0
        self._next_due = 0.0
        self.history: collections.deque[SampleDocument] = collections.deque(maxlen=100)
        self._chips: Any = None
        self._chip_variants: dict[int, str] = {}
        if self.options["chips"]:
            # Imported only when asked for: the chips need the chip library's crypto.
            from checkpoint.mocks.sim_chips import SimChips

            self._chips = SimChips(seed=int(self.options["seed"]))

    def describe(self) -> str:
        """Return e.g. ``simulated td3 reader``."""
        return f"simulated {self.kind} reader"

    def present(self, lines: Sequence[str] | None = None, *, chip: str | None = None) -> SampleDocument:
        """Present a document now: ``lines`` as given, or the next sample. Safe from any thread.

        With ``chips=1``, ``chip`` chooses what its chip is ("chip", "pre-chip" or "forged page"; the
        stream's own mix when None). Returns the document, with its ground truth when it is a sample.
        """
        with self._condition:
            if lines is None:
                document = self._next_sample()
            else:
                document = SampleDocument(label="given", lines=tuple(lines), fields={})
            if chip is not None:
                self._chip_variants[id(document)] = chip
            self._queue.append(document)
            self._condition.notify_all()
        return document

    def present_unreadable(self, detail: str = "MRZ not readable (simulated damage)") -> None:
        """Put a document on the reader whose MRZ cannot be read: it arrives as a
        :class:`~checkpoint.drivers.events.MalformedFrame` (no lines), as a worn or dirty page does on a
        real reader, so the officer types it in. Safe from any thread."""
        with self._condition:
            self._queue.append(SampleDocument(label=UNREADABLE, lines=(), fields={"detail": detail}))
            self._condition.notify_all()

    def _next_sample(self) -> SampleDocument:
        return next(self._documents)  # the stream is endless

    def _open(self) -> None:
        with self._condition:
            self._next_due = time.monotonic() + float(self.options["interval"])

    def _close(self) -> None:
        with self._condition:
            self._condition.notify_all()

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        interval = float(self.options["interval"])
        count = int(self.options["count"])
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                now = time.monotonic()
                timed = interval > 0 and (count == 0 or self._generated < count)
                if timed and now >= self._next_due:
                    self._queue.append(self._next_sample())
                    self._generated += 1
                    self._next_due = now + interval
                if self._queue or now >= deadline:
                    break
                wake = min(deadline, self._next_due) if timed else deadline
                self._condition.wait(max(wake - now, 0.0))
            documents = list(self._queue)
            self._queue.clear()
        self.history.extend(documents)
        return [self._event(document) for document in documents]

    def _event(self, document: SampleDocument) -> ReaderEvent:
        if document.label == UNREADABLE:
            return MalformedFrame(source=self.source, raw=b"", detail=str(document.fields["detail"]))
        return self._document_read(document)

    def _document_read(self, document: SampleDocument) -> DocumentRead:
        lines, chip = document.lines, None
        if self._chips is not None:
            with self._condition:
                variant = self._chip_variants.pop(id(document), None)
            presented = self._chips.read(document, variant=variant)
            lines, chip = presented.lines, presented.outcome
        return DocumentRead(source=self.source, lines=lines, raw="\r".join(lines).encode(), chip=chip)
