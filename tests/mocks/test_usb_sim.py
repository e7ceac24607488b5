"""Simulated USB readers: ``sim://...?protocol=hid-wedge``, the ``--mock`` backend, the pytest fixture."""

from __future__ import annotations

import itertools
import json

import pytest
from checkpoint.drivers import DocumentRead, Reader, ReaderConfigError, make_reader, open_reader
from checkpoint.drivers.usb_wedge import UsbWedgeReader
from checkpoint.mocks.usb_backend import MockUsbBackend
from checkpoint.mocks.usb_sim import SimWedgeReader, document_lines, mock_usb_backend

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def read(reader: Reader, count: int) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for event in reader.events(timeout=5.0):
        if isinstance(event, DocumentRead):
            found.append(event.lines)
            if len(found) == count:
                break
    return found


@pytest.mark.parametrize("layout_name", ["us", "de", "fr", "uk"])
@pytest.mark.parametrize("line_end", ["crlf", "enter-last", "none"])
def test_sim_wedge_types_the_document_lines_through_the_real_usb_driver(
    layout_name: str, line_end: str
) -> None:
    url = f"sim://mixed?protocol=hid-wedge&layout={layout_name}&line_end={line_end}&interval=0.1&seed=7&silence=0.05"
    with open_reader(url) as reader:
        assert isinstance(reader, SimWedgeReader) and isinstance(reader, UsbWedgeReader)
        documents = read(reader, 3)
        history = reader.device.history
    expected = document_lines("mixed", seed=7)
    assert documents == [next(expected) for _ in range(3)]
    assert {len(lines[0]) for lines in documents} <= {30, 36, 44}
    assert history[:3] == ["open", "detach 0", "claim 0"] and history[-3:] == [
        "release 0",
        "attach 0",
        "close",
    ]


@pytest.mark.parametrize(("kind", "widths"), [("td1", {30}), ("td2", {36}), ("td3", {44}), ("mrv", {36, 44})])
def test_sim_wedge_presents_the_asked_format(kind: str, widths: set[int]) -> None:
    with open_reader(f"sim://{kind}?protocol=hid-wedge&interval=0.01") as reader:
        documents = read(reader, 4)
    assert {len(line) for lines in documents for line in lines} <= widths
    assert documents == list(itertools.islice(document_lines(kind), 4))


def test_sim_wedge_refuses_unknown_kinds_and_options() -> None:
    with pytest.raises(ReaderConfigError, match=r"td1\|td2\|td3\|mrv\|mixed"):
        make_reader("sim://td9?protocol=hid-wedge")
    with pytest.raises(ReaderConfigError, match="unknown option 'backend'"):
        make_reader("sim://td3?protocol=hid-wedge&backend=libusb1")
    with pytest.raises(ValueError, match="mixed"):
        document_lines("td9")


@pytest.mark.parametrize(
    "url",
    [
        "usb://0db5:013a?protocol=hid-wedge&layout=de",
        "usb://1b52:4301?protocol=hid-wedge",
        "usb://1eab:0001?protocol=hid-wedge&layout=fr",  # a vendor-wide row: a made-up product ID
        "usb://auto?protocol=hid-wedge",
        "usb://0db5:013b?protocol=access-is-hid",
        "usb://0db5:0120?protocol=access-is-hid",
        "usb://auto?protocol=access-is-hid",
    ],
)
def test_the_mock_backend_answers_any_usb_address(url: str) -> None:
    backend = mock_usb_backend(url, interval=0.01, seed=2)
    with open_reader(url, backend=backend) as reader:
        documents = read(reader, 2)
    expected = document_lines("mixed", seed=2)
    assert documents == [next(expected) for _ in range(2)]


def test_the_mock_backend_is_only_for_usb_addresses() -> None:
    with pytest.raises(ReaderConfigError, match="usb://"):
        mock_usb_backend("serial:///dev/ttyACM0")
    with pytest.raises(ReaderConfigError, match="VID:PID"):
        mock_usb_backend("usb://reader")


def test_the_pytest_fixture_gives_a_backend_and_unplugs_at_the_end(usb_reader_sim: MockUsbBackend) -> None:
    device = usb_reader_sim.plug("access-is-wedge")
    device.type_document(TD3, layout_name="de")
    with open_reader("usb://0db5:013a?protocol=hid-wedge&layout=de", backend=usb_reader_sim) as reader:
        assert read(reader, 1) == [TD3]
    assert device.history[-2:] == ["attach 0", "close"]


def test_checkpoint_read_mock_reads_a_simulated_usb_reader(capsys: pytest.CaptureFixture[str]) -> None:
    from checkpoint.cli import main

    status = main(
        ["read", "usb://0db5:013a?protocol=hid-wedge&layout=fr", "--mock", "--count", "2", "--json"]
    )
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert [record["event"] for record in records] == ["status", "document", "document"]
    assert [tuple(record["lines"]) for record in records[1:]] == list(itertools.islice(document_lines(), 2))


def test_checkpoint_read_mock_refuses_other_addresses(capsys: pytest.CaptureFixture[str]) -> None:
    from checkpoint.cli import main

    assert main(["read", "serial:///dev/ttyACM0?protocol=access-is", "--mock"]) == 2
    assert "--mock simulates USB readers only" in capsys.readouterr().err
