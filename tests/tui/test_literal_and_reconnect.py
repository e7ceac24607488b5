"""Text from a device or a keyboard is shown as written (never as markup, never as terminal escapes);
a reader unplugged mid-shift shows as disconnected and comes back without disturbing the screen."""

from __future__ import annotations

from collections.abc import Callable

from checkpoint.drivers import MalformedFrame, make_reader
from checkpoint.mocks.pty_device import PtyDevice
from textual.widgets import Input
from tui_fakes import (
    SAMPLE_TD3,
    FakeBackend,
    ScriptedReader,
    screen_text,
    shift_app,
    sync,
    until,
)

from checkpoint.tui.screens.search import SearchScreen
from checkpoint.tui.text import literal, visible


def test_visible_replaces_every_control_character_and_keeps_the_rest() -> None:
    assert visible("\x1b[31mRED\x07\x9b2J") == "␛[31mRED␇<U+009B>2J"
    assert visible("[bold red]ÉRIKSSON[/]") == "[bold red]ÉRIKSSON[/]"
    assert literal("[bold red]X[/]").plain == "[bold red]X[/]"
    assert literal("[bold red]X[/]").spans == []


@sync
async def test_markup_and_escapes_from_a_device_are_shown_literally(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed("P<UTO[bold red]EVIL\x1b[2J\x1b]0;owned\x07<<X", SAMPLE_TD3[1])
        await until(pilot, lambda: "EVIL" in screen_text(app))
        shown = screen_text(app)
        assert "[bold red]EVIL␛[2J␛]0;owned␇" in shown
        assert "\x1b" not in shown and "\x07" not in shown


@sync
async def test_markup_and_escapes_typed_or_pasted_are_shown_literally(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press(*"audit of the search screen")
        query = app.screen.query_one("#query", Input)
        query.focus()
        query.insert_text_at_cursor("[bold red]X\x1b[31m")
        await pilot.press("enter")
        await until(pilot, lambda: "0 crossings match" in screen_text(app))
        shown = screen_text(app)
        assert "'[bold red]X␛[31m'" in shown
        assert "\x1b" not in shown


@sync
async def test_an_unplugged_reader_shows_disconnected_and_recovers_keeping_the_review(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        reader.unplug()
        await until(pilot, lambda: "Reader ○ DISCONNECTED" in screen_text(app))
        assert app.reader_states() == {reader.source: "disconnected"}
        assert "ERIKSSON" in screen_text(app)
        reader.plug()
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        assert "ERIKSSON" in screen_text(app)
        # The reader works again: a read after the reconnection is queued behind the open review.
        reader.feed(
            "P<UTOSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "X123456784UTO8001014M3001012<<<<<<<<<<<<<<06"
        )
        await until(pilot, lambda: "1 more waiting" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: "SMITH" in screen_text(app))


@sync
async def test_the_waiting_screen_lists_a_disconnected_reader_with_its_reason(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    reader.unplug()
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot, lambda: "○ DISCONNECTED  scripted://lane  (scripted://lane: no device)" in screen_text(app)
        )
        reader.plug()
        await until(pilot, lambda: "Reader ● ok  scripted://lane" in screen_text(app))


@sync
async def test_a_malformed_frame_is_reported_not_dropped(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.send(MalformedFrame(source=reader.source, raw=b"\x02P<UTO", detail="no end of frame"))
        await until(pilot, lambda: app.malformed_frames == 1)
        await until(pilot, lambda: "1 unreadable read(s) so far" in screen_text(app))


@sync
async def test_a_serial_reader_unplugged_mid_review_comes_back_on_its_pty(
    serial_reader_sim: Callable[..., PtyDevice], backend: FakeBackend
) -> None:
    device = serial_reader_sim("access-is")
    reader = make_reader(f"serial://{device.path}?protocol=access-is&reconnect_max=0.2")
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        device.present(SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        device.unplug()
        await until(pilot, lambda: "Reader ○ DISCONNECTED" in screen_text(app))
        assert "ERIKSSON" in screen_text(app)
        device.replug()
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        device.present(
            ("P<UTOSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "X123456784UTO8001014M3001012<<<<<<<<<<<<<<06")
        )
        await until(pilot, lambda: "1 more waiting" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: "SMITH" in screen_text(app))
        assert [r.arrival.source for r, _ in backend.recorded] == [reader.source]
