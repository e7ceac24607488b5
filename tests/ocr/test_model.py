"""The committed MRZ model: shipped in the package, small, with its data's notice, and able to read."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from checkpoint.ocr.engine import MODEL_DIR, read_line
from checkpoint.ocr.glyphs import font_path


def test_model_and_notice_are_in_the_package() -> None:
    model = MODEL_DIR / "mrz.traineddata"
    assert model.is_file()
    assert model.stat().st_size < 2_000_000
    notice = (MODEL_DIR / "NOTICE").read_text(encoding="utf-8")
    assert "Copyright (c) 2019, DoubangoTelecom" in notice
    assert "BSD 3-Clause" in notice


def test_model_reads_an_ocr_b_line_with_confidences() -> None:
    text = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    font = ImageFont.truetype(str(font_path()), 40)
    image = Image.new("L", (1300, 60), 255)
    ImageDraw.Draw(image).text((10, 8), text, font=font, fill=0)
    result = read_line(np.asarray(image))
    assert result.text == text
    assert len(result.confidences) == len(text)
    assert result.min_confidence > 50
