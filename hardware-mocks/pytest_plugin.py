"""pytest fixtures that put simulated readers in the hands of anyone who installs checkpoint.

Registered through the ``pytest11`` entry point, so a project that depends on checkpoint gets these
fixtures without importing anything. Keep this module light: pytest imports it in every run, so the
simulators are imported only when a fixture is used.

``serial_reader_sim`` is a factory::

    def test_my_kiosk(serial_reader_sim):
        device = serial_reader_sim("access-is")            # a started simulator on a real pty
        with open_reader(f"serial://{device.path}?protocol=access-is") as reader:
            device.present(lines)
            ...

Every simulator it made is stopped, and its pty removed, when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from checkpoint.mocks.postgres import PostgresCluster
    from checkpoint.mocks.pty_device import PtyDevice
    from checkpoint.mocks.usb_backend import MockUsbBackend

SerialReaderSimFactory = Callable[..., "PtyDevice"]


@pytest.fixture
def serial_reader_sim(tmp_path: Path) -> Iterator[SerialReaderSimFactory]:
    """Return a factory ``(protocol, *, faults=(), link=True, seed=0) -> PtyDevice`` of started simulators.

    ``protocol`` is ``access-is``, ``honeywell``, ``est100`` or ``lines``. With ``link`` true the device
    is reached through a symlink in the test's temporary folder, which survives unplug/replug.
    """
    from checkpoint.mocks.serial_sims import make_simulator

    started: list[PtyDevice] = []

    def make(protocol: str, *, faults: Iterable[str] = (), link: bool = True, seed: int = 0) -> PtyDevice:
        path = tmp_path / f"{protocol}-{len(started)}" if link else None
        device = make_simulator(protocol, link=path, faults=faults, seed=seed)
        device.start()
        started.append(device)
        return device

    yield make
    for device in started:
        device.stop()


@pytest.fixture
def usb_reader_sim() -> Iterator[MockUsbBackend]:
    """Return a mock pyusb backend to plug simulated USB readers into (``checkpoint.mocks.usb_backend``)::

        def test_my_kiosk(usb_reader_sim):
            device = usb_reader_sim.plug("access-is-wedge")      # or "access-is-hid", "arh-wedge" ...
            device.type_document(lines, layout_name="de")
            with open_reader("usb://0db5:013a?protocol=hid-wedge&layout=de", backend=usb_reader_sim) as reader:
                ...
            assert device.history[-2:] == ["attach 0", "close"]  # the interface went back to the kernel

    Every device is unplugged when the test ends, so no read is left waiting.
    """
    from checkpoint.mocks.usb_backend import MockUsbBackend

    backend = MockUsbBackend()
    yield backend
    for device in backend.devices:
        device.unplug()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Return a throwaway PostgreSQL cluster for the whole session (Unix socket and loopback TCP).

    Started from the machine's PostgreSQL server binaries (see :mod:`checkpoint.mocks.postgres`), stopped
    and removed when the session ends. Make a database per test with ``create_database(name)``.
    """
    from checkpoint.mocks.postgres import PostgresCluster

    with PostgresCluster.start(tcp=True) as cluster:
        yield cluster
