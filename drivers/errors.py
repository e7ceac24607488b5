"""The reader error tree.

Every error carries a short ``title`` a screen can show and a message a person can act on. Errors from
the libraries underneath (pyserial, pyusb, SANE, the operating system) are converted at the driver
boundary with ``raise ... from`` so the cause stays attached.
"""

from __future__ import annotations

from typing import ClassVar


class ReaderError(Exception):
    """Base of every error a reader or the reader registry raises."""

    title: ClassVar[str] = "Reader error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ReaderConfigError(ReaderError, ValueError):
    """A reader address or option is malformed, unknown or out of range; the message shows the expected form."""

    title = "Reader address not understood"


class ReaderNotFound(ReaderError, FileNotFoundError):
    """The device named by the address is not there (unplugged, wrong path, no matching VID:PID)."""

    title = "Reader not found"


class ReaderPermissionDenied(ReaderError, PermissionError):
    """The device exists but this user may not open it; the message says how to grant access."""

    title = "No permission to use the reader"


class ReaderUnavailable(ReaderError):
    """A driver needs a library or system component that is not installed; the message names it."""

    title = "Reader driver unavailable"


class ReaderIOError(ReaderError, OSError):
    """Reading from or writing to an open device failed."""

    title = "Reader input/output error"


class ReaderDisconnected(ReaderIOError):
    """The device went away while open (unplugged, port closed). Readers reconnect after this."""

    title = "Reader disconnected"


class ReaderTimeout(ReaderError, TimeoutError):
    """The device did not answer within the time allowed."""

    title = "Reader timed out"
