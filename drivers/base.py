"""The reader contract: an abstract :class:`Reader` whose :meth:`Reader.events` handles timeouts,
reconnection and stopping, while each driver fills three small hooks (``_open``, ``_close``,
``_read_events``). Modelled on python-can's ``BusABC.recv`` / ``_recv_internal``.

Three ways to take the events, all over the same template: iterate the reader (or :meth:`Reader.events`
with an idle timeout), ask for one at a time with :meth:`Reader.recv`, or, in an asyncio application,
``async for event in reader.aevents()``, which waits in a worker thread and never blocks the loop.
"""

from __future__ import annotations

import abc
import asyncio
import collections
import concurrent.futures
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from types import TracebackType
from typing import Any, ClassVar, Self

from checkpoint.drivers.address import Option, ReaderAddress, expected_form, positive_float, resolve_options
from checkpoint.drivers.errors import ReaderDisconnected, ReaderError, ReaderIOError, ReaderNotFound
from checkpoint.drivers.events import ReaderEvent, ReaderState, ReaderStatus

log = logging.getLogger(__name__)

# How long one call of a driver's _read_events may block, so that stop() and an overall timeout are
# honoured promptly. Drivers return as soon as they have an event, so this costs no latency.
POLL_SLICE: float = 0.05

# Options every driver accepts.
COMMON_OPTIONS: tuple[Option, ...] = (
    Option(
        "reconnect_max",
        default=2.0,
        convert=positive_float,
        metavar="SECONDS",
        help="longest wait between two attempts to reopen a disconnected device",
    ),
)


class Reader(abc.ABC):
    """A document reader. Use as a context manager; iterate :meth:`events`.

    Subclasses set ``SCHEME``, ``TARGET_FORM`` and ``OPTIONS`` and implement the hooks:

    - ``_open()``: acquire the device; raise :class:`ReaderNotFound`, :class:`ReaderPermissionDenied`,
      :class:`ReaderIOError` or :class:`ReaderUnavailable` with a message a person can act on.
    - ``_close()``: release it; must not raise, and must work after a failed or partial ``_open``.
    - ``_read_events(timeout)``: return the events that arrive within ``timeout`` seconds (an empty
      iterable when none do); raise :class:`ReaderDisconnected` when the device goes away.
    """

    SCHEME: ClassVar[str] = ""
    TARGET_FORM: ClassVar[str] = "TARGET"
    OPTIONS: ClassVar[tuple[Option, ...]] = ()
    # Whether the reader reopens the device after a disconnection (a simulator or a file may not).
    RECONNECTS: ClassVar[bool] = True

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        self.address = address
        self.options: dict[str, Any] = resolve_options(
            address, COMMON_OPTIONS + self.OPTIONS, overrides, self.expected_form()
        )
        self._pending: collections.deque[ReaderEvent] = collections.deque()
        self._stop = threading.Event()
        self._is_open = False
        self._last_status: tuple[str, str] | None = None
        self._gave_up = False  # a reader that does not reconnect lost its device

    @classmethod
    def expected_form(cls) -> str:
        """Return the address form this driver accepts, for error messages and help."""
        return expected_form(cls.SCHEME, cls.TARGET_FORM, cls.OPTIONS)

    @property
    def source(self) -> str:
        """The reader's address, as every event it yields names it."""
        return self.address.url

    @property
    def is_open(self) -> bool:
        """True while the device is open."""
        return self._is_open

    # -- life cycle ------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the device. Raises a :class:`ReaderError` subclass when it cannot."""
        if self._is_open:
            return
        self._gave_up = False
        try:
            self._open()
        except BaseException:
            self._close()
            raise
        self._is_open = True
        self._report("connected", self.describe())
        log.debug("%s: opened", self.source)

    def close(self) -> None:
        """Release the device. Safe to call more than once."""
        self._stop.set()
        if self._is_open:
            self._is_open = False
            self._close()
            log.debug("%s: closed", self.source)

    def stop(self) -> None:
        """Make a running :meth:`events` iteration end soon. Safe to call from another thread."""
        self._stop.set()

    def describe(self) -> str:
        """Return a one-line description of the open device for status displays."""
        return self.source

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- events ----------------------------------------------------------------------------------

    def events(self, timeout: float | None = None) -> Iterator[ReaderEvent]:
        """Yield events as they arrive.

        The iteration ends when no event arrives for ``timeout`` seconds (never, when ``None``), or when
        :meth:`stop` or :meth:`close` is called. A disconnection yields ``ReaderStatus(disconnected)``,
        then the reader reopens the device with back-off and yields ``ReaderStatus(connected)`` when it
        is back. If the reader was never opened, it is opened first; when that fails because the device
        is absent, the reader reports it as disconnected and keeps trying.
        """
        return self._iteration(timeout, None)

    def _iteration(self, timeout: float | None, halt: threading.Event | None) -> Iterator[ReaderEvent]:
        """:meth:`events`, which ``halt`` (when given) also ends: one iteration's own stop."""
        self._stop.clear()
        deadline = None if timeout is None else time.monotonic() + timeout
        backoff = 0.0
        retry_at = 0.0
        while not self._stop.is_set() and not (halt is not None and halt.is_set()):
            if self._pending:
                yield self._pending.popleft()
                deadline = None if timeout is None else time.monotonic() + timeout
                continue
            if self._gave_up:
                return
            remaining = POLL_SLICE if deadline is None else min(POLL_SLICE, deadline - time.monotonic())
            if remaining <= 0:
                return
            if not self._is_open:
                # Wait out the back-off a slice at a time, so stop() and the timeout stay prompt.
                wait = retry_at - time.monotonic()
                if wait > 0:
                    self._stop.wait(min(wait, remaining))
                    continue
                backoff = self._try_reopen(backoff)
                retry_at = time.monotonic() + backoff
                continue
            try:
                self._pending.extend(self._read_events(remaining))
            except ReaderDisconnected as exc:
                self._lost(exc)
                backoff = 0.0
            except ReaderIOError as exc:
                self._lost(exc)
                backoff = 0.0

    def __iter__(self) -> Iterator[ReaderEvent]:
        """Iterate :meth:`events` with no idle timeout: ``for event in reader`` runs until
        :meth:`stop` or :meth:`close`."""
        return self.events()

    def recv(self, timeout: float | None = None) -> ReaderEvent | None:
        """Return the next event, or ``None`` when none arrives within ``timeout`` seconds (wait for
        ever when ``None``; ``0`` returns only an event already waiting), as python-can's
        ``Bus.recv`` does.

        Opens the reader first if needed and reconnects as :meth:`events` does; a status change is an
        event like any other. Returns ``None`` at once after :meth:`stop` or :meth:`close`.
        """
        return next(self.events(timeout), None)

    # -- asyncio -----------------------------------------------------------------------------------

    async def arecv(self, timeout: float | None = None) -> ReaderEvent | None:
        """:meth:`recv` for asyncio: waits in a worker thread, so the event loop keeps running."""
        return await asyncio.to_thread(self.recv, timeout)

    async def aevents(self, timeout: float | None = None) -> AsyncIterator[ReaderEvent]:
        """Yield events as :meth:`events` does, for ``async for``, waiting in a worker thread so the
        event loop keeps running.

        Leaving the ``async for`` early (an exception, a cancelled task, or ``break``: wrap the call in
        ``contextlib.aclosing`` to end it at once) ends the reading thread within a poll slice; an event
        it was reading then is kept for the next iteration, and the reader stays open.
        """
        halt = threading.Event()  # this iteration's own stop: a later one is not ended by it
        iterator = self._iteration(timeout, halt)
        worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoint-reader")
        step: concurrent.futures.Future[ReaderEvent | None] | None = None
        try:
            while True:
                step = worker.submit(next, iterator, None)
                event = await asyncio.wrap_future(step)
                step = None
                if event is None:
                    return
                yield event
        finally:
            halt.set()  # the worker returns within a poll slice
            if step is not None:
                leftover = await asyncio.wrap_future(step)
                if leftover is not None:
                    self._pending.appendleft(leftover)
            worker.shutdown(wait=False)

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.open)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.close)

    def _report(self, state: ReaderState, detail: str) -> None:
        """Queue a status event, unless it repeats the last one reported."""
        last = self._last_status
        if last is None or last[0] != state or (state == "error" and last[1] != detail):
            self._pending.append(ReaderStatus(source=self.source, state=state, detail=detail))
        self._last_status = (state, detail)

    def _lost(self, exc: ReaderError) -> None:
        log.debug("%s: lost: %s", self.source, exc)
        self._is_open = False
        self._close()
        self._report("disconnected", str(exc))
        if not self.RECONNECTS:
            # End the iteration once the disconnection has been reported.
            self._gave_up = True

    def _try_reopen(self, backoff: float) -> float:
        """Try to open, and return how long to wait before the next attempt (0 when it opened)."""
        try:
            self.open()
        except (ReaderNotFound, ReaderIOError) as exc:
            self._report("disconnected", str(exc))
            log.debug("%s: reopen failed: %s", self.source, exc)
            return min(max(backoff * 2, 0.05), float(self.options["reconnect_max"]))
        except ReaderError as exc:
            self._report("error", str(exc))
            return float(self.options["reconnect_max"])
        return 0.0

    # -- hooks -----------------------------------------------------------------------------------

    @abc.abstractmethod
    def _open(self) -> None:
        """Acquire the device."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Release the device; never raises."""

    @abc.abstractmethod
    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        """Return the events that arrive within ``timeout`` seconds."""
