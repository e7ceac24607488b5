"""How long from a case's document on the reader to its review drawn, through a whole training session
of every shipped pack (every case the reader can read: 41 of the 42), against the same documents in the plain
client in the same run.

Each case is put on the simulated reader by the training app itself (when the previous one is decided);
its latency runs from that moment to the review screen refreshed (``call_after_refresh``). The peer is
``checkpoint demo``'s client, handed the same documents the same way. The trainee refers every case
(recorded, not timed); both wait ``NEXT_TRAVELLER_PAUSE`` (0.3 s) after a decision before the next
document, as the training app does (a lane has seconds between travellers).

    python benchmarks/training_latency.py

Target: median under 100 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from checkpoint.cli.demo_command import prepare_demo
from checkpoint.cli.train_run import prepare_training
from checkpoint.training.packs import pack_names
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.training import NEXT_TRAVELLER_PAUSE

TARGET_MEDIAN_MS = 100.0


async def _wait(pilot: Any, condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the client did not get there in time")
        await pilot.pause(0.001)


async def training_pack(name: str, folder: Path) -> tuple[list[float], list[tuple[str, ...]]]:
    app, store = prepare_training(name, "BENCH", folder / "training.db", seed=1, mode="exam", count=None)
    # A case whose page the reader cannot read has no read to time: it is typed in.
    app.session.cases = [case for case in app.session.cases if case.readable]
    marks: list[float] = []
    present = app.present_current

    def timed() -> None:
        marks.append(time.perf_counter())
        present()

    app.present_current = timed
    latencies: list[float] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for done in range(1, len(app.session.cases) + 1):
                await _wait(
                    pilot,
                    lambda done=done: (
                        len(marks) == done
                        and isinstance(app.screen, InspectionScreen)
                        and app.screen.drawn_at > marks[-1]
                    ),
                )
                latencies.append(1000 * (app.screen.drawn_at - marks[-1]))
                await pilot.press("r", "enter")
                await _wait(pilot, lambda done=done: len(app.session.outcomes) == done)
        return latencies, [case.lines for case in app.session.cases]
    finally:
        store.close()


async def plain_client(documents: list[tuple[str, ...]], folder: Path) -> list[float]:
    app, store = prepare_demo(folder, ["sim://td3?interval=0"])
    reader: Any = app.readers[0]
    latencies: list[float] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _wait(pilot, lambda: isinstance(app.screen, InspectionScreen))
            for lines in documents:
                await pilot.pause(NEXT_TRAVELLER_PAUSE)  # as the training app waits before the next case
                start = time.perf_counter()
                reader.present(lines)
                await _wait(pilot, lambda start=start: app.screen.drawn_at > start)
                latencies.append(1000 * (app.screen.drawn_at - start))
                await pilot.press("r", "enter")
                await _wait(pilot, lambda: app.screen.review is None)
        return latencies
    finally:
        store.close()


async def main() -> int:
    training: list[float] = []
    documents: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="checkpoint-bench-") as folder:
        for name in pack_names():
            latencies, lines = await training_pack(name, Path(folder))
            training += latencies
            documents += lines
        peer = await plain_client(documents, Path(folder) / "peer")
    t_median, p_median = statistics.median(training), statistics.median(peer)
    print(
        f"training session: {len(training)} cases, case to review median {t_median:.1f} ms, max {max(training):.1f} ms"
    )
    print(
        f"plain client:     {len(peer)} reads, read to review median {p_median:.1f} ms, max {max(peer):.1f} ms"
    )
    print(f"ratio training/plain: {t_median / p_median:.2f}")
    verdict = "meets" if t_median < TARGET_MEDIAN_MS else "MISSES"
    print(f"{verdict} the target: median under {TARGET_MEDIAN_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
