"""The terminal's link to its post, for the client: a background sync thread, the state the header shows,
and the post's view of its lanes for the supervisor's screen.

Sync runs in its own thread (:meth:`checkpoint.store.sync.SyncClient.watch`); the store's lock is held
only for the short local reads and writes of each batch, so the booth stays responsive while a week of
crossings goes up. The app is told of each round through ``on_change`` (called from the sync thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from checkpoint.store import SQLiteStore, StoreError
from checkpoint.store.post_lanes import LaneState, Refusal
from checkpoint.store.sync import SyncClient, SyncRefused, SyncReport, SyncState, sync_state

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PostView:
    """The post's lanes and its refused pushes, as the supervisor sees them."""

    lanes: tuple[LaneState, ...]
    refusals: tuple[Refusal, ...]


def headline(state: SyncState) -> tuple[str, str]:
    """Return the header's short sync text and its style: ``synced``, ``N waiting``, ``offline since
    HH:MM``, ``REFUSED: why``."""
    if state.refused:
        return f"REFUSED: {state.refused_why}" if state.refused_why else "REFUSED", "bold red"
    if state.offline_since is not None:
        return f"offline since {state.offline_since.astimezone():%H:%M}", "bold yellow"
    if state.crossings_waiting or state.events_waiting:
        return f"{state.crossings_waiting} waiting", "yellow"
    if state.last_ok_at is None:
        return "not synced yet", "yellow"
    return "synced", "green"


class PostLink:
    """Syncs ``store`` with the post at ``server`` every ``interval_s`` seconds in a daemon thread."""

    def __init__(
        self, store: SQLiteStore, server: str, *, interval_s: float = 30.0, deadline_s: float = 30.0
    ) -> None:
        self.client = SyncClient(store, server, deadline_s=deadline_s)
        self.interval_s = interval_s
        self.state: SyncState = sync_state(store)
        self.last_error: StoreError | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def where(self) -> str:
        """The post's address without its password."""
        return self.client.where

    def start(self, on_change: Callable[[SyncState, StoreError | None], object]) -> None:
        """Start the sync thread; ``on_change(state, error)`` follows each round (from that thread)."""

        def report(outcome: SyncReport | StoreError) -> None:
            self.last_error = outcome if isinstance(outcome, StoreError) else None
            if isinstance(outcome, SyncRefused):
                log.error("the post refused this terminal's push: %s", outcome)
            try:
                self.state = sync_state(self.client.store)
            except StoreError:
                log.warning("sync state unreadable", exc_info=True)
            on_change(self.state, self.last_error)

        self._thread = threading.Thread(
            target=self.client.watch,
            args=(self._stop,),
            kwargs={"interval_s": self.interval_s, "report": report},
            name="checkpoint-sync",
            daemon=True,
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the sync thread (a round in progress ends at its deadline at the latest)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def post_view(self) -> PostView:
        """Return the post's lanes and refused pushes (blocking: it asks the post). Raises StoreError."""
        from checkpoint.store import post_lanes

        with self.client.session() as connection:
            lanes = self.client.exchange(connection, partial(post_lanes.lanes, connection))
            refused = self.client.exchange(connection, partial(post_lanes.refusals, connection))
        return PostView(tuple(lanes), tuple(refused))
