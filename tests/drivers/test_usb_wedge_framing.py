"""Assembling typed MRZ documents from keyboard reports: line ends, line counts, silence, faults."""

from __future__ import annotations

import pytest
from checkpoint.drivers.frames import Frame, MrzFrame, PartialFrame
from checkpoint.drivers.usb_wedge_framing import WedgeFramer, expected_line_count
from checkpoint.mocks.usb_reports import LINE_ENDS, LineEnd, wedge_reports

# ICAO 9303 specimens (Part 4 TD3, Part 5 TD1, Part 6 TD2).
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def feed_all(framer: WedgeFramer, stream: list[bytes], now: float = 0.0) -> list[Frame]:
    frames: list[Frame] = []
    for one in stream:
        frames.extend(framer.feed(one, now))
    return frames


@pytest.mark.parametrize("lines", [TD1, TD2, TD3], ids=["TD1", "TD2", "TD3"])
@pytest.mark.parametrize("line_end", [end for end in LINE_ENDS if end != "none"])
def test_a_document_ends_by_its_line_count_whatever_the_line_end(
    lines: tuple[str, ...], line_end: LineEnd
) -> None:
    stream = wedge_reports(lines, line_end=line_end)
    framer = WedgeFramer("us")
    frames = feed_all(framer, stream)
    assert frames == [MrzFrame(lines=lines, raw=frames[0].raw)]
    # The frame's bytes are the reports from the first key press to the last line end.
    assert stream[0] == frames[0].raw[:8]
    assert b"".join(stream).startswith(frames[0].raw)
    assert framer.deadline() is None
    assert framer.flush(100.0) == []


@pytest.mark.parametrize("lines", [TD1, TD2, TD3], ids=["TD1", "TD2", "TD3"])
def test_a_document_without_line_ends_ends_after_silence_and_is_split_into_lines(
    lines: tuple[str, ...],
) -> None:
    framer = WedgeFramer("us", silence=0.3)
    assert feed_all(framer, wedge_reports(lines, line_end="none"), now=10.0) == []
    assert framer.deadline() == pytest.approx(10.3)
    assert framer.flush(10.29) == []
    (frame,) = framer.flush(10.3)
    assert isinstance(frame, MrzFrame)
    assert frame.lines == lines


def test_several_reports_fed_at_once_are_split_into_reports() -> None:
    framer = WedgeFramer("de")
    (frame,) = framer.feed(b"".join(wedge_reports(TD3, layout_name="de")), 0.0)
    assert isinstance(frame, MrzFrame)
    assert frame.lines == TD3


def test_documents_one_after_the_other_each_end_by_count() -> None:
    framer = WedgeFramer("uk")
    frames = feed_all(framer, wedge_reports(TD1, layout_name="uk") + wedge_reports(TD3, layout_name="uk"))
    assert [frame.lines for frame in frames if isinstance(frame, MrzFrame)] == [TD1, TD3]


def test_one_line_then_silence_is_reported_as_it_was_typed() -> None:
    """A reader that dropped a badly read row: the parser, not the framer, judges the document."""
    framer = WedgeFramer("us", silence=0.3)
    assert feed_all(framer, wedge_reports(TD3[:1]), now=1.0) == []
    (frame,) = framer.flush(2.0)
    assert isinstance(frame, MrzFrame)
    assert frame.lines == TD3[:1]


def test_a_repeated_key_without_a_release_is_one_press_so_the_line_comes_out_short() -> None:
    """The faulty device's stream decodes as an operating system would: held, not typed twice."""
    framer = WedgeFramer("us", silence=0.3)
    # The short first line no longer says TD3, so the silence ends the document.
    assert feed_all(framer, wedge_reports(TD3, release="never"), now=5.0) == []
    (frame,) = framer.flush(5.3)
    assert isinstance(frame, MrzFrame)
    assert frame.lines == ("P<UTOERIKSON<ANA<MARIA<", "L898902C36UTO740812F1204159ZE18426B<10")


def test_a_document_cut_off_is_returned_as_partial_by_reset() -> None:
    framer = WedgeFramer("us")
    stream = wedge_reports(TD3)
    assert feed_all(framer, stream[:120]) == []
    (frame,) = framer.reset()
    assert isinstance(frame, PartialFrame)
    assert frame.raw == b"".join(stream[:120])
    assert "1 whole lines and 15 characters" in frame.detail
    assert framer.reset() == []
    # The next document starts clean.
    (after,) = feed_all(framer, stream)
    assert isinstance(after, MrzFrame)
    assert after.lines == TD3


def test_key_releases_between_documents_are_not_part_of_any_document() -> None:
    framer = WedgeFramer("us")
    assert feed_all(framer, [bytes(8)] * 5) == []
    assert framer.deadline() is None
    assert framer.reset() == []


@pytest.mark.parametrize(
    ("first", "count"), [("X" * 30, 3), ("X" * 36, 2), ("X" * 44, 2), ("X" * 29, 3), ("X" * 43, 2)]
)
def test_the_line_count_follows_from_the_first_line(first: str, count: int) -> None:
    assert expected_line_count(first) == count
