"""The client application: reader workers, the read queue, and the flow between screens.

One long-lived thread worker per reader iterates its blocking ``events()`` and posts each event to the
app; the app folds repeats, queues reads and tells the inspection screen. Nothing blocking ever runs on
the event loop: the store and the checks run in thread workers started by the screens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState, get_current_worker

from checkpoint.drivers import DocumentRead, MalformedFrame, Reader, ReaderStatus
from checkpoint.tui.backend import ClientBackend, ClientError
from checkpoint.tui.intake import DEFAULT_REPEAT_WINDOW, Arrival, Intake
from checkpoint.tui.malformed import MalformedTally
from checkpoint.tui.messages import (
    MalformedFramesPending,
    ReaderEventArrived,
    ReaderStatesChanged,
    ReaderWorkerEnded,
    ReadQueued,
    SyncStateChanged,
)
from checkpoint.tui.models import OfficerSession, ReasonCode, ShiftInfo
from checkpoint.tui.text import visible

# The chip photo's widget, imported here, before any app starts: textual-image asks the terminal what it
# can draw when it is first imported, and waits for the answer; imported once the app runs (with the
# inspection screen, on mount), the app's own input thread could take the answer first and the client
# hung on a blank screen.
from checkpoint.tui.widgets import face as _face  # noqa: F401
from checkpoint.tui.widgets.notice import NoticeRouting
from checkpoint.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from checkpoint.store import Store
    from checkpoint.tui.post_link import PostLink

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time in UTC (the default clock)."""
    return datetime.now(UTC)


class CheckpointApp(NoticeRouting):
    """The officer's client. Build it with :func:`make_app`."""

    CSS_PATH = "checkpoint.tcss"
    TITLE = "Checkpoint"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
        Binding("ctrl+l", "post_lanes", "Post lanes", key_display="^l", show=False),
    ]

    def __init__(
        self,
        backend: ClientBackend,
        readers: Sequence[Reader],
        clock: Clock,
        *,
        officer: OfficerSession | None = None,
        shift: ShiftInfo | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        repeat_window: float = DEFAULT_REPEAT_WINDOW,
        post_link: PostLink | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.readers = tuple(readers)
        self.clock = clock
        self.officer = officer
        self.shift = shift
        self.intake = Intake(repeat_window, monotonic)
        self._reader_states: dict[str, tuple[str, str]] = {r.source: ("starting", "") for r in self.readers}
        self.malformed_frames = 0
        self.malformed = MalformedTally(monotonic)
        self._malformed_timer = False
        self.reason_codes: tuple[ReasonCode, ...] = ()
        self.post_link: PostLink | None = post_link
        self._told_refusal = ""

    # -- start-up and shut-down ------------------------------------------------------------------

    def on_mount(self) -> None:
        from checkpoint.tui.screens.inspection import InspectionScreen
        from checkpoint.tui.screens.shift_open import ShiftOpenScreen
        from checkpoint.tui.screens.sign_in import SignInScreen

        for reader in self.readers:
            self._pump(reader)
        self._load_reason_codes()
        self._start_sync()
        if self.officer is None:
            self.push_screen(SignInScreen())
        elif self.shift is None:
            self.push_screen(ShiftOpenScreen())
        else:
            self.push_screen(InspectionScreen())

    def on_unmount(self) -> None:
        self.stop_readers()
        if self.post_link is not None:
            self.post_link.stop()

    # -- sync with the post (checkpoint run --server) --------------------------------------------

    def _start_sync(self) -> None:
        if self.post_link is not None:
            self.post_link.start(lambda state, error: self.post_message(SyncStateChanged(error)))

    def on_sync_state_changed(self, message: SyncStateChanged) -> None:
        """Redraw the header; tell the officer once when the post refuses this terminal's push."""
        self.refresh_status()
        refused = self.post_link.state.refused if self.post_link is not None else None
        if refused and refused != self._told_refusal:
            self.tell(
                f"{refused}\nCall the supervisor: records stay on this terminal until this is resolved.",
                title="Post refused this terminal",
                severity="error",
                timeout=30,
            )
        self._told_refusal = refused or ""

    def action_post_lanes(self) -> None:
        """Show the supervisor's view of the post's lanes (when this terminal syncs with a post)."""
        from checkpoint.tui.screens.supervisor import SupervisorScreen

        if self.post_link is None:
            self.tell("This terminal does not sync with a post.", title="No post")
        elif not isinstance(self.screen, SupervisorScreen):
            self.push_screen(SupervisorScreen())

    def stop_readers(self) -> None:
        """Ask every reader to stop; their workers end within a poll slice."""
        for reader in self.readers:
            reader.stop()

    async def action_quit(self) -> None:
        self.stop_readers()
        self.exit()

    # -- reader workers --------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="readers")
    def _pump(self, reader: Reader) -> None:
        """Iterate ``reader``'s events in this thread and post each to the app."""
        worker = get_current_worker()
        error: str | None = None
        try:
            for event in reader.events():
                if worker.is_cancelled:
                    break
                if isinstance(event, MalformedFrame):
                    # Counted here, not posted one by one: a burst of garbage must not flood the app.
                    if self.malformed.add(event):
                        self.post_message(MalformedFramesPending())
                    continue
                self.post_message(ReaderEventArrived(reader.source, event))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            reader.close()
            self.post_message(ReaderWorkerEnded(reader.source, error))

    @work(thread=True, exit_on_error=False, group="setup")
    def _load_reason_codes(self) -> None:
        codes = self.backend.reason_codes()
        self.call_from_thread(setattr, self, "reason_codes", codes)

    def on_reader_event_arrived(self, message: ReaderEventArrived) -> None:
        event = message.event
        if isinstance(event, DocumentRead):
            arrival = Arrival(
                lines=tuple(event.lines), source=message.source, received_at=self.clock(), chip=event.chip
            )
            self.queue_arrival(arrival, fold_repeats=True)
        elif isinstance(event, ReaderStatus):
            self._set_reader_state(message.source, event.state, event.detail)
        elif isinstance(event, MalformedFrame) and self.malformed.add(event):
            self.drain_malformed()

    def on_malformed_frames_pending(self, _message: MalformedFramesPending) -> None:
        self.drain_malformed()

    def drain_malformed(self) -> None:
        """Count the malformed frames the readers reported, at most once per drain interval, and tell
        the officer (at most once per notice interval)."""
        wait = self.malformed.wait()
        if wait > 0:
            if not self._malformed_timer:
                self._malformed_timer = True
                self.set_timer(wait, self._drain_malformed_later)
            return
        drained = self.malformed.drain()
        if not drained.count:
            return
        self.malformed_frames += drained.count
        if drained.latest is not None:
            # The bytes may hold personal data: count and say it, never log them above DEBUG.
            latest = drained.latest
            log.debug("%s: malformed frame %r: %s", latest.source, latest.raw, latest.detail)
        self.refresh_status()
        if drained.notify:
            what = "an incomplete or damaged read" if drained.count == 1 else f"{drained.count} damaged reads"
            self.tell(
                f"The reader sent {what}. Present the document again, or use manual entry.",
                title="Unreadable document",
                severity="warning",
            )

    def _drain_malformed_later(self) -> None:
        self._malformed_timer = False
        self.drain_malformed()

    def on_reader_worker_ended(self, message: ReaderWorkerEnded) -> None:
        if message.error is not None:
            self._set_reader_state(message.source, "error", message.error)

    def _set_reader_state(self, source: str, state: str, detail: str) -> None:
        previous = self._reader_states.get(source, ("starting", ""))[0]
        self._reader_states[source] = (state, detail)
        if previous != state:
            log.info("reader %s: %s", source, state)
        if state in ("disconnected", "error") and previous != state:
            self.tell(f"{source}: {detail or state}", title=f"Reader {state}", severity="error")
        elif state == "connected" and previous in ("disconnected", "error"):
            self.tell(f"{source} is back.", title="Reader connected")
        self.refresh_status()

    def reader_states(self) -> dict[str, str]:
        """Return each reader's address and its state: starting, connected, disconnected or error."""
        return {source: state for source, (state, _) in self._reader_states.items()}

    def reader_details(self) -> dict[str, tuple[str, str]]:
        """Return each reader's address with its state and the reader's last detail text."""
        return dict(self._reader_states)

    def refresh_status(self) -> None:
        """Redraw the status line and reader panels on every screen of the stack."""
        for screen in self.screen_stack:
            for status in screen.query(StatusLine):
                status.refresh()
            screen.post_message(ReaderStatesChanged())

    # -- the read queue --------------------------------------------------------------------------

    def queue_arrival(self, arrival: Arrival, *, fold_repeats: bool) -> bool:
        """Queue a read for review and tell the screens; return False when it repeated a recent read."""
        if not self.intake.offer(arrival, fold_repeats=fold_repeats):
            log.debug("repeat read from %s folded", arrival.source)
            return False
        for screen in self.screen_stack:
            screen.post_message(ReadQueued())
        return True

    # -- worker failures -------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker_failure(event)

    def tell(
        self,
        message: str,
        *,
        title: str,
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None:
        """Notify the officer. The message may quote a device, a file or a person, so it is shown
        literally: never parsed as markup, control characters made visible."""
        self.notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False)

    def report_worker_failure(self, event: Worker.StateChanged) -> None:
        """Turn a failed worker into a titled notification, never a traceback on the officer's screen."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        title = getattr(error, "title", "Something went wrong")
        if isinstance(error, ClientError):
            self.tell(str(error), title=title, severity="error")
        else:
            log.error("worker %s failed", event.worker.name, exc_info=error)
            self.tell(f"{type(error).__name__}: {error}", title=title, severity="error")


def make_app(
    readers: Sequence[Reader],
    store: Store | ClientBackend,
    clock: Clock = utc_now,
    *,
    officer: OfficerSession | None = None,
    shift: ShiftInfo | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    repeat_window: float = DEFAULT_REPEAT_WINDOW,
    post_link: PostLink | None = None,
) -> CheckpointApp:
    """Return the client app for ``readers`` (unopened; their workers open them) over ``store``.

    ``store`` is a :class:`checkpoint.store.Store`, checked with the default checks configuration and the
    Schengen reason codes, or any :class:`~checkpoint.tui.backend.ClientBackend` (a
    :class:`~checkpoint.tui.store_backend.StoreBackend` configured otherwise, a test double).
    ``clock`` gives the current UTC time for records and ages; ``officer`` and ``shift`` skip sign-in
    and shift opening (the demo). ``monotonic`` and ``repeat_window`` govern folding repeated reads.
    ``post_link`` syncs the terminal with its post in the background (``checkpoint run --server``).
    """
    if isinstance(store, ClientBackend):
        backend: ClientBackend = store
    else:
        from checkpoint.tui.store_backend import StoreBackend

        backend = StoreBackend(store, clock)
    return CheckpointApp(
        backend,
        readers,
        clock,
        officer=officer,
        shift=shift,
        monotonic=monotonic,
        repeat_window=repeat_window,
        post_link=post_link,
    )
