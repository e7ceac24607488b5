"""``sim://``: a driver like the others, presenting sample documents on a timer and on demand."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import date

import pytest
from checkpoint.drivers import DocumentRead, ReaderConfigError, ReaderStatus, make_reader, open_reader
from checkpoint.mocks.documents import sample_documents
from checkpoint.mocks.sim_reader import SimReader


def test_sim_goes_through_the_registry_and_presents_on_a_timer() -> None:
    with open_reader("sim://td3?interval=0.05&seed=4&count=3&today=2026-11-27") as reader:
        assert isinstance(reader, SimReader)
        events = list(reader.events(timeout=0.5))
    assert isinstance(events[0], ReaderStatus) and events[0].state == "connected"
    reads = [event for event in events if isinstance(event, DocumentRead)]
    expected = list(itertools.islice(sample_documents("td3", seed=4, today=date(2026, 11, 27)), 3))
    assert [read.lines for read in reads] == [document.lines for document in expected]
    assert [document.label for document in reader.history] == [document.label for document in expected]
    assert reads[0].raw == "\r".join(expected[0].lines).encode() and reads[0].source == reader.source


def test_present_from_another_thread_wakes_the_reader_at_once() -> None:
    reader = open_reader("sim://td1?interval=0")
    assert isinstance(reader, SimReader)
    given = (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    timer = threading.Timer(0.1, reader.present, args=(given,))
    timer.start()
    start = time.monotonic()
    read = next(event for event in reader.events(timeout=10) if isinstance(event, DocumentRead))
    assert read.lines == given
    assert time.monotonic() - start < 5
    sample = reader.present()
    assert sample.format == "TD1"
    read = next(event for event in reader.events(timeout=10) if isinstance(event, DocumentRead))
    assert read.lines == sample.lines
    timer.join()
    reader.close()


def test_interval_zero_presents_nothing_by_itself() -> None:
    with open_reader("sim://mixed?interval=0") as reader:
        events = list(reader.events(timeout=0.2))
    assert not [event for event in events if isinstance(event, DocumentRead)]


@pytest.mark.parametrize(
    "url,message",
    [
        ("sim://td4", r"unknown document kind 'td4'; expected sim://td1\|td2\|td3\|mrv\|mixed"),
        ("sim://td3?interval=-1", "interval='-1' is not valid"),
        ("sim://td3?speed=2", "unknown option 'speed'"),
        ("sim://td3?today=tomorrow", "today='tomorrow' is not valid"),
    ],
)
def test_bad_sim_addresses(url: str, message: str) -> None:
    with pytest.raises(ReaderConfigError, match=message):
        make_reader(url)


def test_an_unreadable_document_arrives_as_a_malformed_frame_in_order() -> None:
    from checkpoint.drivers import MalformedFrame

    with open_reader("sim://td3?interval=0") as reader:
        assert isinstance(reader, SimReader)
        reader.present_unreadable()
        reader.present(
            ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
        )
        events = [e for e in reader.events(timeout=0.3) if not isinstance(e, ReaderStatus)]
    assert isinstance(events[0], MalformedFrame) and events[0].raw == b""
    assert "not readable" in events[0].detail and events[0].source == reader.source
    assert isinstance(events[1], DocumentRead)
