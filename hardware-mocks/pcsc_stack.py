"""The real PC/SC stack for tests and demonstrations: ``pcscd`` with vsmartcard's ``vpcd`` reader driver.

:class:`PcscStack` makes sure a pcscd is serving, with the "Virtual PCD 00 00" reader listed, so that a
:class:`checkpoint.mocks.vpcd.VirtualCard` can be put into it and read through libpcsclite and pyscard
like a real card. When a pcscd already answers on its socket it is used as it is (and left running);
otherwise one is started in the foreground with only vpcd's reader configuration (the file Debian's
``vsmartcard-vpcd`` package installs), and stopped again by :meth:`PcscStack.stop`. Stale files of a
pcscd that died without cleaning up are removed first, so a run after a crash starts cleanly.

pcscd and vpcd are one per machine (one socket, one TCP port), so two test runs on the same machine take
turns: the stack holds an exclusive lock file while it is up.

vpcd listens on all interfaces: never install it on a production terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Final, Self

log = logging.getLogger(__name__)

PCSCD_SOCKET: Final = Path("/run/pcscd/pcscd.comm")
PCSCD_PID_FILE: Final = Path("/run/pcscd/pcscd.pid")
VPCD_READER_CONF: Final = Path("/etc/reader.conf.d/vpcd")
VIRTUAL_READER: Final = "Virtual PCD 00 00"
LOCK_FILE: Final = Path(tempfile.gettempdir()) / "checkpoint-pcsc-stack.lock"


_process_lock = threading.Lock()
_lock_file: IO[str] | None = None
_lock_count = 0


def _release_lock() -> None:
    global _lock_file, _lock_count
    with _process_lock:
        _lock_count -= 1
        if _lock_count == 0 and _lock_file is not None:
            fcntl.flock(_lock_file, fcntl.LOCK_UN)
            _lock_file.close()
            _lock_file = None


class PcscStackError(RuntimeError):
    """The PC/SC stack cannot be brought up; the message says what is missing."""


def pcscd_answers(path: Path = PCSCD_SOCKET) -> bool:
    """Return True when a pcscd (or a socket-activating init system) accepts connections on ``path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def list_pcsc_readers() -> list[str]:
    """Return the names of the readers pcscd lists (empty when pcscd does not answer)."""
    from checkpoint.drivers.errors import ReaderError
    from checkpoint.drivers.pcsc_transport import PcscContext

    try:
        context = PcscContext()
    except ReaderError:
        return []
    try:
        return context.readers()
    except ReaderError:
        return []
    finally:
        context.release()


def wait_for_card(reader: str, *, present: bool, timeout: float = 10.0) -> None:
    """Return once pcscd sees a card in ``reader`` (``present``) or sees it empty; vpcd is polled for
    presence, so a card put in or pulled out shows after a moment. Raises TimeoutError.
    """
    from checkpoint.drivers.pcsc_transport import PcscContext
    from smartcard import scard

    context = PcscContext()
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while time.monotonic() < deadline:
            hresult, changed = scard.SCardGetStatusChange(context.handle, 100, [(reader, state)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = changed[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
        raise TimeoutError(f"pcscd did not see the card {'arrive in' if present else 'leave'} {reader!r}")
    finally:
        context.release()


def _pid_is_pcscd(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "pcscd"
    except OSError:
        return False


def _remove_stale_files() -> None:
    """Remove a socket and pid file left by a pcscd that is gone (killed, crashed)."""
    try:
        pid = int(PCSCD_PID_FILE.read_text().strip())
    except (OSError, ValueError):
        pid = 0
    if pid and _pid_is_pcscd(pid):
        raise PcscStackError(
            f"pcscd (pid {pid}) is running but does not answer on {PCSCD_SOCKET}; stop it and try again"
        )
    for path in (PCSCD_SOCKET, PCSCD_PID_FILE):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            log.debug("removed the stale %s", path)


class PcscStack:
    """pcscd with vpcd, started when not already running. Use as a context manager, or call
    :meth:`start` and :meth:`stop`. ``started`` says whether this object started pcscd.
    """

    def __init__(self, *, reader: str = VIRTUAL_READER, timeout: float = 15.0) -> None:
        self.reader = reader
        self.timeout = timeout
        self.started = False
        self._process: subprocess.Popen[bytes] | None = None
        self._config_dir: Path | None = None
        self._lock: IO[str] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        """Bring the stack up and wait until pyscard lists the virtual reader.

        Raises :class:`PcscStackError` naming what is missing (pcscd, the vpcd driver, pyscard).
        """
        self._take_lock()
        try:
            if not pcscd_answers():
                self._start_pcscd()
            self._wait_for_reader()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the pcscd this object started (none other) and release the lock. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            # pcscd cleans its files on SIGTERM; after a kill, or a crash, we do.
            if not pcscd_answers():
                with contextlib.suppress(PcscStackError):
                    _remove_stale_files()
            log.debug("pcscd (pid %d) stopped", process.pid)
        if self._log is not None:
            self._log.close()
        if self._config_dir is not None:
            shutil.rmtree(self._config_dir, ignore_errors=True)
            self._config_dir = None
        self._log = None
        self.started = False
        if self._lock is not None:
            self._lock = None
            _release_lock()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def log_text(self) -> str:
        """Return what the pcscd this object started has logged so far (empty when it started none)."""
        if self._log is None:
            return ""
        return Path(self._log.name).read_text(errors="replace")

    # -- inside ------------------------------------------------------------------------------------

    def _take_lock(self) -> None:
        # One lock per process, counted: a stack inside another of the same process (a benchmark run by a
        # test) must not wait for itself.
        global _lock_file, _lock_count
        with _process_lock:
            if _lock_count == 0:
                lock = LOCK_FILE.open("a")
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                except BaseException:
                    lock.close()
                    raise
                _lock_file = lock
            _lock_count += 1
        self._lock = _lock_file

    def _start_pcscd(self) -> None:
        pcscd = shutil.which("pcscd") or next(
            (path for path in ("/usr/sbin/pcscd", "/sbin/pcscd") if os.access(path, os.X_OK)), None
        )
        if pcscd is None:
            raise PcscStackError(
                "pcscd is not installed: install the Debian package pcscd (tools/setup.sh does)"
            )
        if not VPCD_READER_CONF.is_file():
            raise PcscStackError(
                f"vpcd's reader configuration {VPCD_READER_CONF} is missing: install the Debian package "
                "vsmartcard-vpcd (tools/setup.sh does)"
            )
        _remove_stale_files()
        # Only vpcd's reader: pcscd would otherwise also load every serial reader configured here.
        self._config_dir = Path(tempfile.mkdtemp(prefix="checkpoint-pcscd-"))
        shutil.copy(VPCD_READER_CONF, self._config_dir / "vpcd")
        self._log = (self._config_dir / "pcscd.log").open("wb")
        self._process = subprocess.Popen(
            [pcscd, "--foreground", "--config", str(self._config_dir)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop it cleanly
        )
        self.started = True
        log.debug("started pcscd (pid %d)", self._process.pid)

    def _wait_for_reader(self) -> None:
        deadline = time.monotonic() + self.timeout
        names: list[str] = []
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise PcscStackError(
                    f"pcscd exited with status {self._process.returncode}: {self.log_text()}"
                )
            names = list_pcsc_readers()
            if self.reader in names:
                return
            time.sleep(0.05)
        raise PcscStackError(
            f"pcscd does not list the reader {self.reader!r} after {self.timeout:.0f} s (it lists: "
            f"{', '.join(names) or 'no reader'}); is the vsmartcard-vpcd driver configured?"
        )
