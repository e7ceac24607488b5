"""Reader latency: from the last byte of a frame written to the pty to the ``DocumentRead`` the app sees.

For each serial protocol, a simulator (:mod:`checkpoint.mocks.serial_sims`) on a real pty presents
sample documents (mixed TD1/TD2/TD3/visas, deterministic seed) one at a time to the real serial driver
(``serial://...``) iterated in a thread, as the client does. For each document:

- start: ``time.perf_counter()`` just after the simulator's last ``write`` of the frame returned;
- end: ``time.perf_counter()`` when ``Reader.events()`` yields its ``DocumentRead``.

Beside the figures: the time the frame itself takes on the wire at the device's line speed (10 bits a
byte at 8N1, 11 at EST-100's 8O1), which a real device adds and a pty does not. Target: median under
5 ms and p99 under 20 ms. Timings depend on the machine's load: run it on an idle machine.

    python benchmarks/reader_latency.py                # 1,000 documents per protocol
    python benchmarks/reader_latency.py --documents 100
"""

from __future__ import annotations

import argparse
import itertools
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from checkpoint.drivers import DocumentRead, ReaderEvent, make_reader
from checkpoint.drivers.serial_reader import SerialReader
from checkpoint.mocks.documents import sample_documents
from checkpoint.mocks.serial_sims import SIMULATORS

TARGET_MEDIAN_MS = 5.0
TARGET_P99_MS = 20.0


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(protocol: str, count: int, folder: Path) -> tuple[list[float], float, int]:
    """Return the latencies (s), the mean wire time (s) and the number of documents lost."""
    device = SIMULATORS[protocol](link=folder / protocol, seed=1)
    device.start()
    reader = make_reader(f"serial://{device.path}?protocol={protocol}")
    arrivals: queue.Queue[tuple[float, ReaderEvent]] = queue.Queue()
    stop = threading.Event()

    def consume() -> None:
        for event in reader.events():
            arrivals.put((time.perf_counter(), event))
            if stop.is_set():
                break

    assert isinstance(reader, SerialReader)
    baud = reader.protocol.line_settings()
    bits = 1 + baud.bytesize + (0 if baud.parity == "N" else 1) + baud.stopbits
    thread = threading.Thread(target=consume, daemon=True)
    reader.open()
    thread.start()
    latencies: list[float] = []
    wire: list[float] = []
    lost = 0
    documents = (sample.lines for sample in sample_documents("mixed", seed=7))
    try:
        for lines in itertools.islice(documents, count):
            presented = device.present(lines)
            if not presented.sent.wait(10):
                lost += 1
                continue
            while True:
                try:
                    arrived, event = arrivals.get(timeout=5)
                except queue.Empty:
                    lost += 1
                    break
                if isinstance(event, DocumentRead):
                    if event.lines != tuple(lines):
                        raise SystemExit(f"{protocol}: read {event.lines} for {lines}")
                    latencies.append(arrived - presented.sent_at)
                    wire.append(len(presented.data) * bits / baud.baudrate)
                    break
    finally:
        stop.set()
        reader.stop()
        thread.join(timeout=5)
        reader.close()
        device.stop()
    return latencies, statistics.fmean(wire) if wire else 0.0, lost


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one row per protocol; return 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=1000, help="documents per protocol (default 1000)")
    args = parser.parse_args(argv)
    print(
        f"{'protocol':<10} {'docs':>5} {'lost':>4} {'median ms':>10} {'p99 ms':>8} {'max ms':>8} {'min ms':>8} {'wire ms':>8}"
    )
    missed = False
    with tempfile.TemporaryDirectory(prefix="reader-latency-") as folder:
        for protocol in SIMULATORS:
            latencies, wire, lost = run(protocol, args.documents, Path(folder))
            ms = [value * 1000 for value in latencies]
            median, p99 = statistics.median(ms), percentile(ms, 0.99)
            missed |= median >= TARGET_MEDIAN_MS or p99 >= TARGET_P99_MS or lost > 0
            print(
                f"{protocol:<10} {len(ms):>5} {lost:>4} {median:>10.3f} {p99:>8.3f} {max(ms):>8.3f} {min(ms):>8.3f} {wire * 1000:>8.2f}",
                flush=True,
            )
    print(
        f"targets: median < {TARGET_MEDIAN_MS:g} ms, p99 < {TARGET_P99_MS:g} ms; wire = mean frame time at line speed"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
