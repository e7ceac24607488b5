"""The read queue: first in, first out, and the same document within the window is one read."""

from __future__ import annotations

from datetime import UTC, datetime

from tui_fakes import Ticker

from checkpoint.tui.intake import Arrival, Intake

WHEN = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def arrival(*lines: str, source: str = "sim://x") -> Arrival:
    return Arrival(lines, source, WHEN)


def test_reads_come_out_in_arrival_order() -> None:
    intake = Intake(5.0, Ticker())
    assert intake.offer(arrival("A", "1"))
    assert intake.offer(arrival("B", "2"))
    assert len(intake) == 2
    taken = [intake.take(), intake.take(), intake.take()]
    assert [t.lines if t else None for t in taken] == [("A", "1"), ("B", "2"), None]


def test_same_document_within_the_window_is_one_read_even_from_another_reader() -> None:
    ticker = Ticker()
    intake = Intake(5.0, ticker)
    assert intake.offer(arrival("P<UTO", "L898"))
    ticker.now += 2
    assert not intake.offer(arrival("p<uto ", "L898", source="sim://other"))
    assert len(intake) == 1
    assert intake.repeats == 1


def test_window_slides_while_the_document_keeps_being_seen_and_then_expires() -> None:
    ticker = Ticker()
    intake = Intake(5.0, ticker)
    intake.offer(arrival("A", "1"))
    for _ in range(3):
        ticker.now += 4
        assert not intake.offer(arrival("A", "1"))
    ticker.now += 5.5
    assert intake.offer(arrival("A", "1"))
    assert len(intake) == 2


def test_manual_entry_is_never_folded() -> None:
    intake = Intake(5.0, Ticker())
    intake.offer(arrival("A", "1"))
    assert intake.offer(arrival("A", "1", source="manual"), fold_repeats=False)
    assert len(intake) == 2
