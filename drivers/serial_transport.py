"""The serial transport: opens a port with pyserial, moves bytes, and turns OS errors into reader errors.

Knows nothing of MRZs. It never depends on modem lines (a virtual COM port or a pty has none), opens the
port exclusively, and reads with ``select`` so a read returns as soon as the first bytes arrive.
"""

from __future__ import annotations

import errno
import logging
import select
from dataclasses import dataclass

from checkpoint.drivers.errors import (
    ReaderDisconnected,
    ReaderIOError,
    ReaderNotFound,
    ReaderPermissionDenied,
    ReaderUnavailable,
)
from checkpoint.drivers.trace import WireTrace

log = logging.getLogger(__name__)

_NOT_THERE = {errno.ENOENT, errno.ENODEV, errno.ENXIO}
_NOT_ALLOWED = {errno.EACCES, errno.EPERM}
_BUSY = {errno.EAGAIN, errno.EBUSY, errno.EWOULDBLOCK}

PERMISSION_FIX = (
    "add the account to the group that owns the port (usually dialout: sudo usermod -aG dialout $USER, "
    "then log in again), or install the checkpoint udev rule for the reader"
)


@dataclass(frozen=True, slots=True)
class LineSettings:
    """Serial line settings: baud rate, data bits, parity (``N``, ``E``, ``O``) and stop bits."""

    baudrate: int
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1

    def __str__(self) -> str:
        return f"{self.baudrate} {self.bytesize}{self.parity}{self.stopbits}"


class SerialTransport:
    """An open serial port. Raises :class:`ReaderDisconnected` once the device is gone."""

    def __init__(self, path: str, settings: LineSettings, trace: WireTrace | None = None) -> None:
        try:
            import serial
        except ImportError as exc:  # pragma: no cover - pyserial is a dependency of the package
            raise ReaderUnavailable(
                "serial readers need pyserial, which is not installed: pip install pyserial"
            ) from exc
        self.path = path
        self.settings = settings
        self._trace = trace
        self._serial_exception = serial.SerialException
        try:
            self._port = serial.Serial(
                port=path,
                baudrate=settings.baudrate,
                bytesize=settings.bytesize,
                parity=settings.parity,
                stopbits=settings.stopbits,
                timeout=0,
                write_timeout=2.0,
                exclusive=True,
            )
        except serial.SerialException as exc:
            raise _open_error(path, exc) from exc
        except ValueError as exc:
            raise ReaderIOError(f"the serial port {path} does not accept {settings}: {exc}") from exc
        if trace is not None:
            trace.mark(f"opened {path} at {settings}")

    def fileno(self) -> int:
        """Return the port's file descriptor (for ``select``)."""
        return int(self._port.fileno())

    def read(self, timeout: float) -> bytes:
        """Return the bytes that arrive within ``timeout`` seconds: as soon as any do, or ``b""``."""
        try:
            ready, _, _ = select.select([self._port.fileno()], [], [], max(timeout, 0.0))
            if not ready:
                return b""
            data = bytes(self._port.read(max(1, self._port.in_waiting)))
        except (self._serial_exception, OSError, TypeError) as exc:
            # TypeError: pyserial's read on a port closed underneath it.
            raise self._gone(exc) from exc
        if self._trace is not None:
            self._trace.record("RX", data)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s RX %s", self.path, data.hex(" "))
        return data

    def write(self, data: bytes) -> None:
        """Send ``data`` to the device. Raises :class:`ReaderDisconnected` when it is gone."""
        if self._trace is not None:
            self._trace.record("TX", data)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s TX %s", self.path, data.hex(" "))
        try:
            self._port.write(data)
            self._port.flush()
        except (self._serial_exception, OSError) as exc:
            raise self._gone(exc) from exc

    def close(self) -> None:
        """Close the port; never raises."""
        try:
            self._port.close()
        except (self._serial_exception, OSError) as exc:
            log.debug("%s: close failed: %s", self.path, exc)
        if self._trace is not None:
            self._trace.mark(f"closed {self.path}")

    def _gone(self, exc: BaseException) -> ReaderDisconnected:
        if self._trace is not None:
            self._trace.mark(f"{self.path} went away: {exc}")
        return ReaderDisconnected(f"the reader on {self.path} went away (unplugged or switched off): {exc}")


def _open_error(path: str, exc: Exception) -> Exception:
    code = getattr(exc, "errno", None)
    if code in _NOT_THERE:
        return ReaderNotFound(
            f"there is no serial port {path}: check the reader is plugged in and the path is right "
            "(checkpoint devices lists the readers it can see)"
        )
    if code in _NOT_ALLOWED:
        return ReaderPermissionDenied(f"this account may not open the serial port {path}: {PERMISSION_FIX}")
    if code in _BUSY or "exclusively lock" in str(exc):
        return ReaderIOError(f"the serial port {path} is in use by another program: close it and try again")
    return ReaderIOError(f"cannot open the serial port {path}: {exc}")
