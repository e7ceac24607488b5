"""MRZ OCR on generated pages: checkpoint.ocr against PassportEye, in one run, on the same files.

Pages come from :mod:`checkpoint.mocks.pages` (deterministic by seed; seeds 20000+ so no test page and
no training page is among them) in twelve degradation classes: clean, noisy, lowres, rotated (skew,
quarter turns, EXIF-only turns), photo (perspective, uneven light, glare, blur, JPEG), and what real
documents and phones add: watermark (ghost text across the MRZ), hologram (a bright iridescent band),
guilloche (dense colour security print behind the characters), fold (a crease that cracks the ink),
phone (a 12-megapixel photo 20-30 degrees off square, uneven light, of a page bent by up to 2.5 mm),
moire (a photo of the page on a screen) and askew (a photo of a page lying on a desk at any angle).
Each page is written once to a file (JPEG when the class compresses or the page carries an EXIF turn,
else PNG) and that same file goes through:

- ``checkpoint.ocr.read_mrz`` (ours: own model, two readings that must agree, check-digit repair,
  unchecked characters confirmed by a second engine),
- ``passporteye.read_mrz`` with its defaults (Tesseract with Debian's ``eng`` model),
- ``passporteye.read_mrz`` with the peer model (``--tessdata-dir ... -l peer-mrz``), the strongest
  public MRZ model for Tesseract.

Per engine and class: exact (all MRZ lines equal the truth, and the engine says valid), reported
valid, wrong-but-valid (reported valid while a character is wrong: the failure that matters), and
median and p90 seconds per image (wall clock, one process).

    nice -n 19 python benchmarks/ocr_accuracy.py                  # 12 classes x 60 pages = 720
    nice -n 19 python benchmarks/ocr_accuracy.py --per-class 10   # a quick look
    nice -n 19 python benchmarks/ocr_accuracy.py --model WORK/best/mrz.traineddata  # a new model too
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checkpoint.mocks.degrade import CLASSES
from checkpoint.mocks.pages import FORMATS, make_page

# The shared data sits beside the repository (../shared from its root).
PEER_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ocr"
PEER_LANG = "peer-mrz"
# Page ``index`` of the class at ``position`` in CLASSES has the seed SEED_BASE + index * SEED_STRIDE +
# position. The stride is the number of classes the benchmark began with, so that their pages stay the
# same when a class is added; the classes added since take their seeds from LATER_SEED_BASE on.
SEED_BASE = 20000
SEED_STRIDE = 11
LATER_SEED_BASE = 40000


def page_seed(index: int, position: int) -> int:
    """The seed of page ``index`` of the class at ``position`` in CLASSES."""
    if position < SEED_STRIDE:
        return SEED_BASE + index * SEED_STRIDE + position
    return LATER_SEED_BASE + index * SEED_STRIDE + position - SEED_STRIDE


@dataclass
class Tally:
    exact: int = 0
    valid: int = 0
    wrong_valid: int = 0
    total: int = 0
    seconds: list[float] = field(default_factory=list)

    def row(self) -> str:
        times = sorted(self.seconds)
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))] if times else 0.0
        median = statistics.median(times) if times else 0.0
        exact = 100.0 * self.exact / self.total if self.total else 0.0
        return (
            f"{self.exact:4d}/{self.total:<4d} {exact:6.1f}%  valid {self.valid:4d}  wrong-valid {self.wrong_valid:3d}"
            f"  median {median:6.3f}s  p90 {p90:6.3f}s"
        )


Engine = Callable[[Path], tuple[tuple[str, ...], bool]]


def ours_with(model: Path | None) -> Engine:
    """checkpoint.ocr.read_mrz with the committed model, or with the ``.traineddata`` file ``model``."""

    def run(path: Path) -> tuple[tuple[str, ...], bool]:
        from checkpoint.ocr import read_mrz
        from checkpoint.ocr.engine import MODEL_DIR, MODEL_NAME

        directory, name = (MODEL_DIR, MODEL_NAME) if model is None else (model.parent, model.stem)
        result = read_mrz(path, model_dir=directory, model=name)
        return result.lines, result.valid

    return run


def passporteye_engine(extra: str) -> Engine:
    def run(path: Path) -> tuple[tuple[str, ...], bool]:
        from passporteye import read_mrz

        mrz = read_mrz(str(path), extra_cmdline_params=extra)
        if mrz is None:
            return (), False
        text = str(mrz.aux.get("raw_text", ""))
        lines = tuple(line.replace(" ", "") for line in text.splitlines() if line.strip())
        return lines, bool(mrz.valid)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-class", type=int, default=60)
    parser.add_argument("--engines", default="checkpoint,passporteye,passporteye+peer")
    parser.add_argument(
        "--peer-every",
        type=int,
        default=1,
        metavar="N",
        help="run the PassportEye engines on every Nth page only (they take seconds per page)",
    )
    parser.add_argument(
        "--classes",
        default=",".join(CLASSES),
        help=f"degradation classes to generate (default: all of {', '.join(CLASSES)})",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--model",
        type=Path,
        help="also run ours with this .traineddata (a freshly trained model) as the engine 'candidate'",
    )
    args = parser.parse_args()
    engines: dict[str, Engine] = {
        "checkpoint": ours_with(None),
        "passporteye": passporteye_engine(""),
        "passporteye+peer": passporteye_engine(f"--tessdata-dir {PEER_DIR} -l {PEER_LANG}"),
    }
    if args.model is not None:
        if not args.model.is_file():
            parser.error(f"no model file {args.model}")
        engines["candidate"] = ours_with(args.model.resolve())
    chosen = [name for name in args.engines.split(",") if name]
    if args.model is not None and "candidate" not in chosen:
        chosen.insert(chosen.index("checkpoint") + 1 if "checkpoint" in chosen else 0, "candidate")
    for name in chosen:
        if name not in engines:
            parser.error(f"unknown engine {name!r}: expected {', '.join(engines)}")
    classes = [cls for cls in args.classes.split(",") if cls]
    for cls in classes:
        if cls not in CLASSES:
            parser.error(f"unknown class {cls!r}: expected {', '.join(CLASSES)}")
    tallies = {(name, cls): Tally() for name in chosen for cls in CLASSES}
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        for index in range(args.per_class):
            for class_index, cls in enumerate(CLASSES):
                if cls not in classes:
                    continue
                seed = page_seed(index, class_index)
                # Every class sees every format in turn.
                page = make_page(FORMATS[index % len(FORMATS)], seed=seed, degrade=cls)
                path = Path(tmp) / f"page-{seed}.{page.natural_format}"
                path.write_bytes(page.encode(page.natural_format))
                for name in chosen:
                    if name not in ("checkpoint", "candidate") and index % args.peer_every:
                        continue
                    started = time.perf_counter()
                    try:
                        lines, valid = engines[name](path)
                    except Exception as exc:  # a peer crashing on a page counts as a miss, not a stop
                        print(f"  {name} failed on seed {seed}: {exc!r}", file=sys.stderr)
                        lines, valid = (), False
                    tally = tallies[(name, cls)]
                    tally.seconds.append(time.perf_counter() - started)
                    tally.total += 1
                    right = lines == page.lines
                    tally.valid += valid
                    tally.exact += right and valid
                    tally.wrong_valid += valid and not right
                    if args.show_misses and not (right and valid) and name in ("checkpoint", "candidate"):
                        print(
                            f"  miss {name} {cls} seed {seed} {page.format}: {lines} valid={valid}",
                            file=sys.stderr,
                        )
            done = (index + 1) * len(classes)
            print(f"... {done} pages", file=sys.stderr)
    report: dict[str, dict[str, object]] = {}
    for name in chosen:
        print(f"\n{name}")
        everything = Tally()
        for cls in classes:
            tally = tallies[(name, cls)]
            print(f"  {cls:8s} {tally.row()}")
            everything.exact += tally.exact
            everything.valid += tally.valid
            everything.wrong_valid += tally.wrong_valid
            everything.total += tally.total
            everything.seconds += tally.seconds
            report.setdefault(name, {})[cls] = {
                "exact": tally.exact,
                "total": tally.total,
                "valid": tally.valid,
                "wrong_valid": tally.wrong_valid,
                "median_s": statistics.median(tally.seconds) if tally.seconds else None,
            }
        print(f"  {'all':8s} {everything.row()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
