"""A simulated serial device on a real pseudo-terminal: the base of every serial reader simulator.

The host opens the pty's slave side (``device.path``) exactly as it would open ``/dev/ttyACM0``. The
simulator owns the master side. Optional ``link`` is a symlink to the slave, kept pointing at the live
pty across :meth:`PtyDevice.unplug` (the master is closed: the host's reads fail with EIO, as on a real
unplug) and :meth:`PtyDevice.replug` (a new pty behind the same link). Documents presented while no
host has the port open wait until one opens it (the master shows POLLHUP until then), so a test or a
person never loses a document to a reader that was still starting.

Faults, applied to each document presented (or chosen per call):

- ``split``     the frame goes out in several writes with short pauses
- ``noise``     random bytes that are not part of any frame come first
- ``truncate``  the frame is cut off before its end
- ``bad-check`` a check digit of the MRZ is wrong
- ``one-line``  only the first line is sent (a dropped row)
- ``unplug``    the device is unplugged after the document and plugged back in a moment later
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import logging
import os
import random
import select
import struct
import termios
import threading
import time
import tty
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Final, Self

from checkpoint.mocks.documents import spoil_check_digit

log = logging.getLogger(__name__)

# How long the host has had the port open before documents go out (see PtyDevice._run).
# Generous, because a loaded machine may pause the host between its open and its flush.
HOST_SETTLE: Final = 0.1

FAULTS: Final = ("split", "noise", "truncate", "bad-check", "one-line", "unplug")


@dataclass
class Presentation:
    """One document handed to the simulator: ``sent`` is set when its last byte has been written, and
    ``sent_at`` is the ``time.perf_counter`` moment just before the write of the last chunk (so a time
    measured from it to the host's read is never too short)."""

    lines: tuple[str, ...]
    faults: frozenset[str]
    sent: threading.Event = field(default_factory=threading.Event)
    sent_at: float = 0.0
    data: bytes = b""


class PtyDevice:
    """A device on a pty. Subclasses say how a document is framed and may answer host commands."""

    NAME: ClassVar[str] = ""
    BAUDRATE: ClassVar[int] = 9600
    # Bytes for the noise fault: ones the protocol's framer treats as noise, never the start of a frame.
    NOISE: ClassVar[bytes] = bytes(range(0x20, 0x7F))
    # A truncated read is followed by this much quiet, as an interrupted swipe is, so a reader whose
    # protocol has no end marker can tell it from the next document.
    pause_after_truncate = 0.4

    def __init__(
        self,
        *,
        link: str | Path | None = None,
        faults: Iterable[str] = (),
        seed: int = 0,
        unplug_time: float = 0.5,
    ) -> None:
        faults = frozenset(faults)
        unknown = faults - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown fault {', '.join(sorted(unknown))}: expected {'|'.join(FAULTS)}")
        self.faults = faults
        self.link = Path(link) if link is not None else None
        self.unplug_time = unplug_time
        self.received = bytearray()  # everything the host wrote, for tests
        self._random = random.Random(seed)
        self._lock = threading.RLock()
        self._queue: list[Presentation] = []
        self._wake_r, self._wake_w = os.pipe()  # present() and replug() wake the device's thread
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._stop = threading.Event()
        self._master = -1
        self._slave_name = ""
        self._host_since: float | None = None  # when the host opened the port, None while it has not
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The path the host opens: the link when there is one, else the pty's slave device."""
        return str(self.link) if self.link is not None else self._slave_name

    @property
    def plugged(self) -> bool:
        """True while the pty exists."""
        return self._master >= 0

    def start(self) -> Self:
        """Create the pty and start answering. Returns the device itself."""
        self._plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.NAME}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the simulator and remove the pty and its link."""
        self._stop.set()
        self._nudge()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._unplug()
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def unplug(self) -> None:
        """Close the master side: the host sees the device go away."""
        with self._lock:
            self._unplug()

    def replug(self) -> None:
        """Create a new pty (behind the same link) as if the device were plugged back in."""
        with self._lock:
            if not self.plugged:
                self._plug()
        self._nudge()

    # -- documents --------------------------------------------------------------------------------

    def present(self, lines: Sequence[str], faults: Iterable[str] | None = None) -> Presentation:
        """Queue a document to send; ``faults`` replaces the device's own faults for this one.

        Returns the :class:`Presentation`, whose ``sent`` event is set once the bytes are out.
        """
        chosen = self.faults if faults is None else frozenset(faults)
        presentation = Presentation(lines=tuple(lines), faults=chosen)
        with self._lock:
            self._queue.append(presentation)
        self._nudge()
        return presentation

    def send_raw(self, data: bytes) -> None:
        """Write ``data`` to the host as it is (for tests of odd traffic)."""
        with self._lock:
            self._write(data)

    def encode(self, lines: Sequence[str]) -> bytes:
        """Return the bytes of one document read, as this device frames it."""
        raise NotImplementedError

    def ready(self) -> bool:
        """Return True when the device may send a document now (a Honeywell imager must be triggered)."""
        return True

    def on_receive(self, data: bytes) -> None:
        """Handle bytes the host wrote (a listening device ignores them)."""

    def on_sent(self) -> None:
        """Called after each document is sent (a triggered imager stops reading)."""

    def on_plug(self) -> None:
        """Called when the device is plugged in (powered up): a device resets its volatile state here."""

    def tick(self, now: float) -> None:
        """Called regularly by the device's thread (for timeouts)."""

    # -- the device's thread -------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            master = self._master
            poller = select.poll()
            poller.register(self._wake_r, select.POLLIN)
            if master >= 0:
                poller.register(master, select.POLLIN)
            try:
                ready = dict(poller.poll(50))
            except OSError:
                continue  # unplugged while waiting
            if self._wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._wake_r, 4096)
            now = time.monotonic()
            flags = ready.get(master, 0) if master >= 0 else 0
            if flags & select.POLLHUP:
                # Nobody has the port open: hold documents until the host opens it, as a device
                # behind a closed port would only lose them.
                self._host_since = None
                self._stop.wait(0.01)
            elif master >= 0 and self._host_since is None:
                self._host_since = now
            if flags & select.POLLIN and not flags & select.POLLHUP:
                with self._lock:
                    data = self._read()
                if data:
                    self.received += data
                    self.on_receive(data)
            self.tick(now)
            # pyserial empties the input buffer just after it opens the port: give it that moment.
            if self._host_since is not None and now - self._host_since >= HOST_SETTLE:
                self._send_queued()

    def _nudge(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _send_queued(self) -> None:
        while True:
            with self._lock:
                if not self._queue or self._host_since is None or not self.ready():
                    return
                presentation = self._queue.pop(0)
            self._send(presentation)

    def _send(self, presentation: Presentation) -> None:
        faults = presentation.faults
        lines = presentation.lines
        if "bad-check" in faults:
            try:
                lines = spoil_check_digit(lines)
            except ValueError as exc:
                log.warning("%s: bad-check fault not applied: %s", self.NAME, exc)
        if "one-line" in faults:
            lines = lines[:1]
        data = self.encode(lines)
        if "truncate" in faults:
            data = data[: self._random.randint(2, max(2, len(data) - 3))]
        if "noise" in faults:
            data = bytes(self._random.choice(self.NOISE) for _ in range(self._random.randint(1, 8))) + data
        presentation.data = data
        with self._lock:
            chunks = [data]
            if "split" in faults and len(data) > 2:
                cuts = sorted(self._random.sample(range(1, len(data)), min(3, len(data) - 1)))
                chunks = [data[start:end] for start, end in itertools.pairwise([0, *cuts, len(data)])]
            for index, chunk in enumerate(chunks):
                if index:
                    time.sleep(0.002)
                presentation.sent_at = time.perf_counter()
                self._write(chunk)
            self.on_sent()
        presentation.sent.set()
        log.debug("%s: sent %d bytes", self.NAME, len(data))
        if "truncate" in faults:
            self._stop.wait(self.pause_after_truncate)
        if "unplug" in faults:
            # A real device delivers its last frame before it goes; closing the master would flush it.
            self._drain(timeout=2.0)
            self.unplug()
            self._stop.wait(self.unplug_time)
            self.replug()

    # -- the pty -----------------------------------------------------------------------------------

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line discipline: bytes pass as they are
        self._slave_name = os.ttyname(slave)
        # The slave is not kept open: the master then shows POLLHUP until the host opens the port.
        os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        self._host_since = None
        if self.link is not None:
            # Replace the link atomically, so the host never sees it missing or half made.
            temporary = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(self._slave_name)
            os.replace(temporary, self.link)
        self.on_plug()
        log.debug("%s: plugged in at %s", self.NAME, self.path)

    def _unplug(self) -> None:
        if self._master >= 0:
            with contextlib.suppress(OSError):
                os.close(self._master)
            log.debug("%s: unplugged", self.NAME)
        self._master = -1
        self._host_since = None

    def _drain(self, timeout: float) -> None:
        """Wait until the host has read everything sent (or ``timeout`` passes)."""
        deadline = time.monotonic() + timeout
        try:
            slave = os.open(self._slave_name, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            return
        try:
            # The kernel moves written bytes to the slave's queue a moment later: look after it has.
            time.sleep(0.02)
            while time.monotonic() < deadline and not self._stop.is_set():
                waiting = struct.unpack("i", fcntl.ioctl(slave, termios.FIONREAD, b"\0\0\0\0"))[0]
                if not waiting:
                    return
                time.sleep(0.005)
        except OSError:
            return
        finally:
            os.close(slave)

    def _read(self) -> bytes:
        if self._master < 0:
            return b""
        try:
            return os.read(self._master, 4096)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:  # the host has the port closed: nothing to read
                return b""
            raise

    def _write(self, data: bytes) -> None:
        """Write all of ``data`` to the master, waiting while the pty buffer is full."""
        view = memoryview(data)
        while view and self._master >= 0 and not self._stop.is_set():
            try:
                written = os.write(self._master, view)
            except BlockingIOError:
                select.select([], [self._master], [], 0.05)
                continue
            except OSError as exc:
                log.debug("%s: write failed: %s", self.NAME, exc)
                return
            view = view[written:]
