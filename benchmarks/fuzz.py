"""Fuzz the parts that take input from outside: the MRZ parser, the framers, the reader addresses.

A seeded random generator (reproducible: the same seed gives the same inputs) builds hostile input
around real material: MRZs of every format damaged by substitution, insertion, deletion, case,
stray Unicode and control characters, odd line structure; byte streams where valid frames of each
serial protocol and keyboard-wedge reports are cut at random points and buried in noise; reader
addresses mutated from valid ones. A *crash* is any outcome the contract forbids:

- ``parse`` (lenient) raising anything at all, or returning ``valid`` with errors;
- ``parse(strict=True)`` raising anything but :class:`checkpoint.mrz.MRZError`;
- a framer raising, or holding more than its bound, or losing the valid document fed after the noise
  has fallen silent;
- ``make_reader`` raising anything but :class:`checkpoint.drivers.ReaderError` (readers are made, never
  opened).

    python benchmarks/fuzz.py                 # 300,000 parses, 1,200 streams per framer, 20,000 addresses
    python benchmarks/fuzz.py --quick         # a tenth of that
    python benchmarks/fuzz.py --seed 7

Prints the counts and every crash (the first few in full); exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from checkpoint.drivers import ReaderError, make_reader
from checkpoint.drivers.frames import Framer, MrzFrame
from checkpoint.drivers.framing_access_is import AccessIsFramer, encode_mrz
from checkpoint.drivers.framing_est100 import Est100Framer, encode_document
from checkpoint.drivers.framing_lines import LinesFramer, encode_lines
from checkpoint.drivers.usb_wedge_framing import WedgeFramer
from checkpoint.mocks.usb_reports import wedge_reports

from checkpoint.mrz import MRZError, compose, parse

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
ODD = "abcxyzÉßøЖ中\t\r\n\x00\x1b[]{}|~ \u200b\ufeff\U0001f600"
FORMATS = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")
TODAY = date(2026, 12, 4)
HELD_LIMIT = 1 << 20  # no framer may hold a megabyte


@dataclass
class Tally:
    """Counts per target and the crashes found."""

    runs: Counter[str] = field(default_factory=Counter)
    crashes: list[tuple[str, str, str]] = field(default_factory=list)

    def crash(self, target: str, given: object, why: str) -> None:
        self.crashes.append((target, repr(given)[:300], why))


def _document(rng: random.Random) -> list[str]:
    fmt = rng.choice(FORMATS)
    return compose(
        fmt,
        issuing_state=rng.choice(("UTO", "D", "FRA")),
        surname=rng.choice(("ERIKSSON", "O'NEIL", "MÜLLER-LÜDENSCHEIDT", "X")),
        given_names=rng.choice(("ANNA MARIA", "", "JEAN-PIERRE")),
        document_number="".join(rng.choice(ALPHABET[:-1]) for _ in range(rng.randint(1, 9))),
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex=rng.choice("MF<"),
        expiry_date=date(2030, 1, 1),
        optional_data="".join(rng.choice(ALPHABET[:-1]) for _ in range(rng.randint(0, 5))),
    )


def _mutate_text(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.choice((0, 1, 1, 2, 3, 8, 40))):
        op = rng.random()
        pos = rng.randrange(len(chars) + 1)
        pool = ALPHABET if rng.random() < 0.7 else ODD
        if op < 0.4 and chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(pool)
        elif op < 0.7:
            chars.insert(pos, rng.choice(pool))
        elif chars:
            del chars[min(pos, len(chars) - 1)]
    out = "".join(chars)
    return out.lower() if rng.random() < 0.05 else out


def _mrz_input(rng: random.Random) -> object:
    lines = _document(rng)
    roll = rng.random()
    if roll < 0.6:
        text = "\n".join(_mutate_text(rng, line) for line in lines)
    elif roll < 0.75:
        text = _mutate_text(rng, "\n".join(lines))
    elif roll < 0.85:
        text = "".join(rng.choice(ALPHABET + ODD) for _ in range(rng.randint(0, 300)))
    else:
        noise = "".join(rng.choice(ALPHABET + " \n") for _ in range(rng.randint(0, 200)))
        text = noise + "\n" + "\n".join(lines) + "\n" + noise
    if rng.random() < 0.3:
        return text.split("\n") if rng.random() < 0.5 else tuple(text.splitlines())
    return text


def fuzz_parser(rng: random.Random, count: int, tally: Tally) -> None:
    """Parse ``count`` hostile inputs, lenient and strict."""
    for _ in range(count):
        given = _mrz_input(rng)
        tally.runs["parse"] += 1
        try:
            result = parse(given, today=TODAY)  # type: ignore[arg-type]
            if result.valid and result.errors:
                tally.crash("parse", given, "valid with errors")
        except Exception:
            tally.crash("parse", given, traceback.format_exc(limit=3))
        tally.runs["parse strict"] += 1
        try:
            parse(given, today=TODAY, strict=True)  # type: ignore[arg-type]
        except MRZError:
            pass
        except Exception:
            tally.crash("parse strict", given, traceback.format_exc(limit=3))


def _held(framer: object) -> int:
    # What a framer buffers: every bytearray, list or str it keeps (a crash when it passes the limit).
    total = 0
    for value in vars(framer).values():
        if isinstance(value, bytes | bytearray | str | list):
            total += len(value)
    return total


def _stream_framer(
    rng: random.Random, name: str, framer: Framer, encode: Callable[[list[str]], bytes], tally: Tally
) -> None:
    lines = _document(rng)
    good = encode(lines)
    pieces = [
        good[: rng.randrange(len(good))],
        bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 4000))),
    ]
    pieces += [encode(_document(rng)), good[rng.randrange(len(good)) :], rng.randbytes(rng.randint(0, 200))]
    if rng.random() < 0.2:
        pieces.append(bytes([rng.choice(b"AZ09<")]) * rng.randint(10_000, 200_000))  # a stuck key
    stream = b"".join(rng.sample(pieces, len(pieces)))
    now = 0.0
    try:
        at = 0
        while at < len(stream):
            size = rng.randint(1, 600)
            framer.feed(stream[at : at + size], now)
            at += size
            now += rng.random() * 0.05
            if _held(framer) > HELD_LIMIT:
                tally.crash(name, stream[:64], f"holds {_held(framer)} bytes")
                return
        now += 5.0  # silence ends whatever was in progress
        framer.flush(now)
        frames = framer.feed(good, now) + framer.flush(now + 5.0)
        documents = [f.lines for f in frames if isinstance(f, MrzFrame)]
        if documents != [tuple(lines)]:
            tally.crash(name, stream[:64], f"the document after the noise came out as {documents!r}")
    except Exception:
        tally.crash(name, stream[:64], traceback.format_exc(limit=3))


def fuzz_framers(rng: random.Random, count: int, tally: Tally) -> None:
    """Feed ``count`` noisy streams to each framer."""
    framers: dict[str, tuple[Callable[[], Framer], Callable[[list[str]], bytes]]] = {
        "framer lines": (LinesFramer, lambda lines: encode_lines(lines)),
        "framer access-is": (AccessIsFramer, lambda lines: encode_mrz(lines)),
        "framer est100": (Est100Framer, lambda lines: encode_document(lines)),
    }
    for name, (make, encode) in framers.items():
        for _ in range(count):
            tally.runs[name] += 1
            _stream_framer(rng, name, make(), encode, tally)
    for _ in range(count):
        tally.runs["framer hid-wedge"] += 1
        _wedge_stream(rng, tally)


def _wedge_stream(rng: random.Random, tally: Tally) -> None:
    lines = _document(rng)
    framer = WedgeFramer(rng.choice(("us", "de", "fr", "uk")))
    junk = [rng.randbytes(8) for _ in range(rng.randint(0, 300))]
    junk += wedge_reports(
        ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 400)))], line_end="none"
    )
    rng.shuffle(junk)
    try:
        now = 0.0
        for report in junk:
            framer.feed(report, now)
            now += rng.random() * 0.02
            if _held(framer) > HELD_LIMIT:
                tally.crash("framer hid-wedge", junk[:4], f"holds {_held(framer)} bytes")
                return
        framer.reset()  # a replug: the state the good document starts from
        frames = [
            f
            for r in wedge_reports(lines, layout_name=framer.decoder.layout.name)
            for f in framer.feed(r, now + 5)
        ]
        documents = [f.lines for f in frames if isinstance(f, MrzFrame)]
        if documents != [tuple(lines)]:
            tally.crash(
                "framer hid-wedge", junk[:4], f"the document after the noise came out as {documents!r}"
            )
    except Exception:
        tally.crash("framer hid-wedge", junk[:4], traceback.format_exc(limit=3))


_ADDRESSES = (
    "serial:///dev/ttyACM0?protocol=access-is",
    "serial://auto?protocol=lines&silence=0.5",
    "serial:///dev/ttyUSB0?protocol=honeywell&baudrate=115200",
    "usb://0db5:013a?protocol=hid-wedge&layout=us",
    "sim://td3?interval=2",
    "sane://pnm:0",
    "folder:///var/spool/scans",
    "pcsc://auto",
)


def fuzz_addresses(rng: random.Random, count: int, tally: Tally) -> None:
    """Make readers (never opened) for ``count`` mutated addresses, in a scratch folder: an option such
    as ``trace=FILE`` creates its file when the reader is made."""
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        _fuzz_addresses(rng, count, tally)
        tally.runs["address trace"] += 1
        try:
            make_reader("serial:///dev/ttyUSB0?protocol=lines&trace=a\x00b")
        except ReaderError:
            pass
        except Exception:
            tally.crash("address trace", "trace=a\\x00b", traceback.format_exc(limit=3))


def _fuzz_addresses(rng: random.Random, count: int, tally: Tally) -> None:
    for _ in range(count):
        url = _mutate_text(rng, rng.choice(_ADDRESSES)) if rng.random() < 0.9 else rng.choice(ODD) * 3
        if rng.random() < 0.2:
            url += rng.choice(("&", "?", "%", "%zz", "&&=", "?a=1&a=2", "#frag", ":99999", "@x:y@"))
        tally.runs["address"] += 1
        try:
            make_reader(url)
        except ReaderError:
            pass
        except Exception:
            tally.crash("address", url, traceback.format_exc(limit=3))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the default counts")
    parser.add_argument("--seed", type=int, default=9303)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.perf_counter()
    fuzz_parser(rng, 150_000 // scale, tally)
    fuzz_framers(rng, 1_200 // scale, tally)
    fuzz_addresses(rng, 20_000 // scale, tally)
    elapsed = time.perf_counter() - started
    print(f"fuzz run, seed {args.seed}, {elapsed:.0f} s")
    for target, runs in tally.runs.items():
        found = sum(1 for c in tally.crashes if c[0] == target)
        print(f"  {target:<18} {runs:>8} inputs  {found} crashes")
    print(f"crashes found: {len(tally.crashes)}")
    for target, given, why in tally.crashes[:5]:
        print(f"\n[{target}] {given}\n{why}")
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
