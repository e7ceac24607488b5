"""Messages that cross widgets and threads. Reader workers post these to the app from their threads."""

from __future__ import annotations

from textual.message import Message

from checkpoint.drivers import ReaderEvent


class ReaderEventArrived(Message):
    """A reader worker received ``event`` from the reader at ``source``."""

    def __init__(self, source: str, event: ReaderEvent) -> None:
        super().__init__()
        self.source = source
        self.event = event


class ReaderWorkerEnded(Message):
    """The worker for the reader at ``source`` ended; ``error`` says why when it failed."""

    def __init__(self, source: str, error: str | None) -> None:
        super().__init__()
        self.source = source
        self.error = error


class ReadQueued(Message):
    """A new document read was queued for review (the inspection screen takes it when it is free)."""


class ReaderStatesChanged(Message):
    """A reader's connection state changed; screens showing reader health refresh."""


class SyncStateChanged(Message):
    """A sync round with the post ended (posted from the sync thread); ``error`` when it failed."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error


class MalformedFramesPending(Message):
    """A reader thread counted a malformed frame after a quiet spell: the app drains the tally."""
