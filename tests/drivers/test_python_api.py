"""Reading devices from Python: iterate a reader, recv() one event, async for over aevents(), and
keyword options checked as the address's are."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import pytest
from checkpoint.drivers import (
    DocumentRead,
    Reader,
    ReaderConfigError,
    ReaderEvent,
    ReaderStatus,
    make_reader,
    open_reader,
    parse_address,
)
from checkpoint.mocks.sim_reader import SimReader

TD1_LINES = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def test_recv_returns_one_event_or_none_after_its_timeout() -> None:
    with open_reader("sim://td1?interval=0") as reader:
        assert isinstance(reader, SimReader)
        status = reader.recv(timeout=1)
        assert isinstance(status, ReaderStatus) and status.state == "connected"
        start = time.monotonic()
        assert reader.recv(timeout=0.2) is None
        assert 0.15 <= time.monotonic() - start < 2
        reader.present(TD1_LINES)
        read = reader.recv(timeout=5)
        assert isinstance(read, DocumentRead) and read.lines == TD1_LINES
        assert reader.recv(timeout=0) is None  # nothing waiting: no wait


def test_recv_without_a_timeout_waits_for_the_next_event() -> None:
    with open_reader("sim://td1?interval=0") as reader:
        assert isinstance(reader, SimReader)
        reader.recv(timeout=1)  # connected
        timer = threading.Timer(0.1, reader.present, args=(TD1_LINES,))
        timer.start()
        read = reader.recv()
        timer.join()
    assert isinstance(read, DocumentRead) and read.lines == TD1_LINES


def test_a_reader_is_iterable_until_it_is_stopped() -> None:
    reader = open_reader("sim://td3?interval=0.02&seed=3")
    reads = []
    for event in reader:  # no timeout: only stop() or close() ends it
        if isinstance(event, DocumentRead):
            reads.append(event)
            if len(reads) == 3:
                reader.stop()
    reader.close()
    assert len(reads) == 3 and all(read.lines[0].startswith("P") for read in reads)


def test_async_for_reads_events_without_blocking_the_loop() -> None:
    async def main() -> tuple[list[DocumentRead], int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        reads: list[DocumentRead] = []
        async with make_reader("sim://td3?interval=0.1&seed=5") as reader:
            async for event in reader.aevents(timeout=5):
                if isinstance(event, DocumentRead):
                    reads.append(event)
                    if len(reads) == 2:
                        break
            assert reader.is_open  # leaving the loop early leaves the reader open
        task.cancel()
        return reads, ticks

    reads, ticks = asyncio.run(main())
    assert len(reads) == 2
    # About 0.2 s passed in the reader's waits; the loop ran the ticker all along.
    assert ticks >= 5


def test_arecv_gives_one_event_and_none_after_its_timeout() -> None:
    async def main() -> tuple[object, object]:
        async with make_reader("sim://td1?interval=0") as reader:
            first = await reader.arecv(timeout=1)
            nothing = await reader.arecv(timeout=0.1)
        return first, nothing

    first, nothing = asyncio.run(main())
    assert isinstance(first, ReaderStatus) and first.state == "connected"
    assert nothing is None


def test_a_cancelled_async_reader_stops_its_thread() -> None:
    async def main() -> float:
        reader = make_reader("sim://td1?interval=0")
        await asyncio.to_thread(reader.open)

        async def consume() -> None:
            async for _ in reader.aevents():
                pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.2)
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.to_thread(reader.close)
        return time.monotonic() - start

    assert asyncio.run(main()) < 2


@pytest.mark.parametrize(
    "options,message",
    [
        (
            {"interval": -5},
            r"option interval=-5 is not valid \(expected a number of seconds, 0 or more\) \(a keyword argument\)",
        ),
        ({"seed": 1.5}, r"option seed=1.5 is not valid"),
        ({"count": "many"}, r"option count='many' is not valid"),
        ({"speed": 2}, r"unknown option 'speed' \(a keyword argument\)"),
    ],
)
def test_keyword_options_are_checked_as_the_address_options_are(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(ReaderConfigError, match=message):
        make_reader("sim://td3", **options)


def test_keyword_options_are_converted_as_the_address_options_are() -> None:
    reader = make_reader("sim://td3", interval=2, seed=7)
    assert reader.options["interval"] == 2.0 and isinstance(reader.options["interval"], float)
    assert reader.options["seed"] == 7
    assert make_reader("sim://td3?interval=2").options["interval"] == reader.options["interval"]


class GatedReader(Reader):
    """Hands out one document, only once the test opens the gate (a read in progress)."""

    SCHEME = "gated"

    def __init__(self) -> None:
        super().__init__(parse_address("gated://x"))
        self.reading = threading.Event()
        self.gate = threading.Event()
        self.sent = False

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        pass

    def _read_events(self, timeout: float) -> list[ReaderEvent]:
        if self.sent:
            time.sleep(timeout)
            return []
        self.reading.set()
        self.gate.wait()
        self.sent = True
        return [DocumentRead(source=self.source, lines=TD1_LINES, raw=b"")]


def test_an_event_read_while_the_async_consumer_is_cancelled_is_kept() -> None:
    async def main() -> object:
        reader = GatedReader()
        reader.open()
        assert isinstance(reader.recv(timeout=1), ReaderStatus)  # connected

        async def consume() -> None:
            async for _ in reader.aevents():
                pass

        task = asyncio.create_task(consume())
        await asyncio.to_thread(reader.reading.wait, 5)  # the worker is inside a read
        reader.gate.set()
        # Hold the loop (deliberately blocking it) while the worker finishes the read and hands the
        # event over: the consumer is cancelled before it could take the event.
        time.sleep(0.3)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # Not lost, and a new iteration is not ended by the old one's leaving.
        async with contextlib.aclosing(reader.aevents(timeout=5)) as events:
            async for event in events:
                return event
        return None

    event = asyncio.run(main())
    assert isinstance(event, DocumentRead) and event.lines == TD1_LINES
