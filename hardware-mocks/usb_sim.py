"""Simulated USB readers that present made-up documents through the mock pyusb backend.

- ``sim://td1|td2|td3|mrv|mixed?protocol=hid-wedge&layout=de&line_end=crlf&interval=2&seed=1``:
  a keyboard-wedge reader (an Access-IS 0db5:013a) typing the sample documents ``sim://td3`` presents,
  one every ``interval`` seconds. It is the real :class:`~checkpoint.drivers.usb_wedge.UsbWedgeReader` reading real reports through pyusb;
  only the device is simulated.
- :func:`mock_usb_backend` gives ``checkpoint read usb://... --mock`` a backend with a device that
  answers that address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from checkpoint.drivers.address import Option, ReaderAddress, parse_address, positive_float
from checkpoint.drivers.errors import ReaderConfigError
from checkpoint.drivers.registry import DetectedReader
from checkpoint.drivers.usb_devices import KNOWN_READERS
from checkpoint.drivers.usb_reader import protocol_option
from checkpoint.drivers.usb_transport import parse_vid_pid
from checkpoint.drivers.usb_wedge import UsbWedgeReader
from checkpoint.mocks.documents import KINDS, sample_documents
from checkpoint.mocks.usb_backend import MockUsbBackend, MockUsbDevice, Pause, Step
from checkpoint.mocks.usb_descriptors import IDENTITIES, UsbIdentity, access_is_hid, boot_keyboard
from checkpoint.mocks.usb_reports import LINE_ENDS, access_is_mrz_reports, wedge_reports

DEFAULT_INTERVAL: Final = 2.0
FIRST_DOCUMENT_AFTER: Final = 0.2


def document_lines(kind: str = "mixed", seed: int = 0) -> Iterator[tuple[str, ...]]:
    """Yield the MRZ lines of the sample documents of ``kind`` (see :mod:`checkpoint.mocks.documents`).

    Raises ``ValueError`` for an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}: expected {'|'.join(KINDS)}")
    return (document.lines for document in sample_documents(kind, seed=seed))


def _presenter(
    documents: Iterator[tuple[str, ...]], interval: float, reports: Callable[[tuple[str, ...]], list[bytes]]
) -> Callable[[], list[Step]]:
    pauses = iter([min(interval, FIRST_DOCUMENT_AFTER)])

    def next_steps() -> list[Step]:
        # The first document comes soon after opening, so a person trying the simulator sees one at once.
        return [Pause(next(pauses, interval)), *reports(next(documents))]

    return next_steps


class SimWedgeReader(UsbWedgeReader):
    """A simulated keyboard-wedge reader. See :mod:`checkpoint.mocks.usb_sim`."""

    SCHEME = "sim"
    TARGET_FORM = "|".join(KINDS)
    OPTIONS = (
        protocol_option("hid-wedge"),
        *(option for option in UsbWedgeReader.OPTIONS if option.name in ("layout", "silence")),
        Option(
            "line_end",
            default="enter",
            choices=LINE_ENDS,
            help="what the simulated reader types after a line",
        ),
        Option("interval", default=DEFAULT_INTERVAL, convert=positive_float, metavar="SECONDS"),
        Option("seed", default=0, convert=int, metavar="N"),
    )

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        self.backend = MockUsbBackend()
        self.device: MockUsbDevice = self.backend.plug("access-is-wedge")
        documents = document_lines(address.target.lower(), int(self.options["seed"]))
        layout_name, line_end = self.options["layout"], self.options["line_end"]
        self.device.refill = _presenter(
            documents,
            float(self.options["interval"]),
            lambda lines: wedge_reports(lines, layout_name=layout_name, line_end=line_end),
        )

    def _parse_target(self, address: ReaderAddress) -> tuple[int, int] | None:
        if address.target.lower() not in KINDS:
            raise ReaderConfigError(
                f"reader address {address.url!r}: unknown document kind {address.target!r}; expected {self.expected_form()}"
            )
        device = IDENTITIES["access-is-wedge"].device
        return device.idVendor, device.idProduct

    def _backend(self) -> Any:
        return self.backend

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        """Return nothing: a simulator is not a device on this machine."""
        return []


def _identity_for(protocol: str, vid: int, pid: int) -> UsbIdentity:
    for known in IDENTITIES.values():
        if (known.device.idVendor, known.device.idProduct) == (vid, pid):
            return known
    name = next(
        (row.name for row in KNOWN_READERS if row.vid == vid and row.pid in (pid, None)), "USB reader"
    )
    if protocol == "access-is-hid":
        return access_is_hid(name, pid)
    return boot_keyboard(name, vid, pid, name.split()[0], name)


def mock_usb_backend(url: str, *, interval: float = DEFAULT_INTERVAL, seed: int = 0) -> MockUsbBackend:
    """Return a mock backend holding a simulated reader that answers the ``usb://`` address ``url``.

    The reader presents a made-up document every ``interval`` seconds, typed in the address's layout
    (keyboard wedge) or framed as Access-IS HID reports. Raises :class:`ReaderConfigError` when ``url``
    is not a ``usb://VID:PID|auto`` address.
    """
    address = parse_address(url)
    protocol = address.options.get("protocol", "hid-wedge")
    if address.scheme != "usb":
        raise ReaderConfigError(f"{url!r} is not a usb:// address; --mock simulates USB readers only")
    if address.target.lower() == "auto":
        chosen = IDENTITIES["access-is-hid" if protocol == "access-is-hid" else "access-is-wedge"]
    else:
        try:
            vid, pid = parse_vid_pid(address.target)
        except ValueError as exc:
            raise ReaderConfigError(f"reader address {url!r}: {exc}") from exc
        chosen = _identity_for(protocol, vid, pid)
    backend = MockUsbBackend()
    device = backend.plug(chosen)
    documents = document_lines("mixed", seed)
    if chosen.speaks == "access-is-hid":
        device.refill = _presenter(documents, interval, lambda lines: access_is_mrz_reports(lines))
    else:
        layout_name = address.options.get("layout", "us")
        device.refill = _presenter(
            documents, interval, lambda lines: wedge_reports(lines, layout_name=layout_name)
        )
    return backend
