"""A burst of garbage from a reader (a flaky cable, a device in a wrong mode) does not freeze the client:
malformed frames are counted and reported a few times, not once each, keys keep working, and the next
valid document reaches the review screen."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from checkpoint.drivers import MalformedFrame, make_reader
from checkpoint.mocks.pty_device import PtyDevice
from tui_fakes import SAMPLE_TD3, FakeBackend, screen_text, shift_app, sync, until

from checkpoint.tui.malformed import MalformedTally
from checkpoint.tui.screens.search import SearchScreen


@sync
async def test_five_megabytes_of_noise_neither_freeze_the_client_nor_hide_the_next_document(
    serial_reader_sim: Callable[..., PtyDevice], backend: FakeBackend
) -> None:
    # Random bytes, as a wrong baud rate or a bad cable gives: no run of them has the shape of an MRZ.
    noise = random.Random(15).randbytes(5_000_000)
    device = serial_reader_sim("lines")
    reader = make_reader(f"serial://{device.path}?protocol=lines")
    app = shift_app([reader], backend)
    told: list[str] = []
    tell = app.tell

    def counting_tell(message: str, **kwargs: Any) -> None:
        told.append(message)
        tell(message, **kwargs)

    app.tell = counting_tell  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        sender = threading.Thread(target=device.send_raw, args=(noise,), daemon=True)
        sender.start()
        await until(pilot, lambda: app.malformed_frames > 0)
        # The officer's keys still work while the garbage pours in.
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), timeout=10)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SearchScreen), timeout=10)
        await asyncio.to_thread(sender.join, 120)
        assert not sender.is_alive()
        await pilot.pause(1.0)  # the line falls quiet: the framer ends the last damaged read
        device.present(SAMPLE_TD3)
        shown_from = time.monotonic()
        await until(pilot, lambda: "ERIKSSON" in screen_text(app), timeout=15)
        # Generous against a slow machine; the unthrottled client took minutes.
        assert time.monotonic() - shown_from < 5
        # Every malformed frame is counted, but the officer is told a handful of times, not thousands.
        await until(pilot, lambda: app.malformed.wait() == 0 and not app._malformed_timer)
        await pilot.press("r", "enter")  # decide, so the waiting screen (with the count) comes back
        await until(pilot, lambda: f"{app.malformed_frames} unreadable read(s) so far" in screen_text(app))
        assert app.malformed_frames > 1000
        unreadable = [m for m in told if "unreadable" in m.lower() or "damaged" in m.lower()]
        assert 1 <= len(unreadable) <= 20


def test_the_tally_counts_every_frame_and_paces_drains_and_notices() -> None:
    now = [100.0]
    tally = MalformedTally(lambda: now[0], interval=1.0, notice_interval=10.0)
    frames = [MalformedFrame(source="lane", raw=bytes([i]), detail="bad") for i in range(5)]
    assert tally.add(frames[0]) is True  # a burst starts: nudge the app
    assert tally.add(frames[1]) is False  # already pending: no more nudges
    first = tally.drain()
    assert (first.count, first.latest, first.notify) == (2, frames[1], True)
    for frame in frames[2:]:
        tally.add(frame)
    assert tally.wait() == 1.0
    now[0] += 1.0
    second = tally.drain()
    assert (second.count, second.latest, second.notify) == (3, frames[4], False)  # told 1 s ago
    now[0] += 10.0
    tally.add(frames[0])
    assert tally.drain().notify is True
