"""Per-character and per-line accuracy of MRZ models on real line images: ours against the peer.

Each of the 300 lines of ``../shared/data/ocr/real-mrz-lines`` (beside the repository) (cut and binarised from real photos
and scans; never used for training) is read by Tesseract as one text line (``--psm 7``), with the
project's model ``checkpoint/ocr/data/mrz.traineddata`` and with the peer model
(DoubangoTelecom tesseractMRZ, ``peer-mrz.traineddata``), both restricted to the MRZ alphabet. The same
image goes to both, unchanged.

Per-character accuracy is 1 - (edit distance / ground-truth length) summed over all lines; per-line
accuracy counts exact lines. Both are also given apart for the lines cut from photos and scans of
documents and for those the data set made with its font generator (``index.tsv`` names each source).

    nice -n 19 python benchmarks/ocr_lines.py [--data DIR] [--model NEW.traineddata]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import tesserocr
from PIL import Image

from checkpoint.ocr.engine import MODEL_DIR, MODEL_NAME, MRZ_ALPHABET

# The shared data sits beside the repository (../shared from its root).
SHARED_OCR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ocr"


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions each cost 1)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def evaluate(model_dir: Path, lang: str, samples: list[tuple[Path, str]]) -> tuple[float, float, float]:
    """Return per-character accuracy, per-line accuracy and seconds per line for one model."""
    errors = chars = exact = 0
    started = time.perf_counter()
    with tesserocr.PyTessBaseAPI(path=str(model_dir), lang=lang, psm=tesserocr.PSM.SINGLE_LINE) as api:
        api.SetVariable("tessedit_char_whitelist", "".join(sorted(MRZ_ALPHABET)))
        for image_path, truth in samples:
            with Image.open(image_path) as image:
                api.SetImage(image)
                text = "".join(c for c in api.GetUTF8Text().upper() if c in MRZ_ALPHABET)
            errors += edit_distance(text, truth)
            chars += len(truth)
            exact += text == truth
    seconds = (time.perf_counter() - started) / len(samples)
    return 1 - errors / chars, exact / len(samples), seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=SHARED_OCR / "real-mrz-lines")
    parser.add_argument("--peer", type=Path, default=SHARED_OCR / "peer-mrz.traineddata")
    parser.add_argument(
        "--model", type=Path, help="also measure this .traineddata (a freshly trained model) as 'candidate'"
    )
    args = parser.parse_args()
    models = [("checkpoint mrz", MODEL_DIR, MODEL_NAME)]
    if args.model is not None:
        if not args.model.is_file():
            parser.error(f"no model file {args.model}")
        models.append(("candidate", args.model.resolve().parent, args.model.stem))
    models.append(("peer (tesseractMRZ)", args.peer.parent, args.peer.stem))
    samples = [
        (gt.with_name(gt.name.replace(".gt.txt", ".png")), gt.read_text(encoding="utf-8").strip())
        for gt in sorted(args.data.glob("*.gt.txt"))
    ]
    if not samples:
        parser.error(f"no *.gt.txt lines in {args.data}")
    print(f"{len(samples)} lines from {args.data}")
    index = args.data / "index.tsv"
    generated: set[str] = set()
    if index.is_file():
        rows = (row.split("\t") for row in index.read_text(encoding="utf-8").splitlines())
        generated = {fields[0] for fields in rows if len(fields) > 1 and "font_generate" in fields[1]}
    subsets = {"all": samples}
    if generated:
        subsets["photos and scans"] = [item for item in samples if item[0].name not in generated]
        subsets["font-generated"] = [item for item in samples if item[0].name in generated]
    for subset, chosen in subsets.items():
        print(f"\n{subset} ({len(chosen)} lines)")
        for name, model_dir, lang in models:
            per_char, per_line, seconds = evaluate(model_dir, lang, chosen)
            print(
                f"  {name:22s} per-character {100 * per_char:6.2f}%   per-line {100 * per_line:6.2f}%"
                f"   {1000 * seconds:5.1f} ms/line"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
