"""The print as a third opinion: a cell is compared with two characters drawn in OCR-B."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from checkpoint.mrz.layouts import ALNUM, ALPHA
from checkpoint.ocr import glyphs
from checkpoint.ocr.glyphs import font_path, local_print, match, print_favours
from checkpoint.ocr.verify import (
    Cell,
    Coverage,
    _faded_columns,
    contradicted_digits,
    coverage,
    creased_partners,
    erased_doubts,
    faded_doubts,
    faded_strokes,
    filler_doubts,
    locally_disputed,
    restored_characters,
    restored_doubts,
    settled_by_print,
    unsettled_twins,
    unshown_by_restored_print,
    unveiled_partners,
    upheld_by_print,
)

PITCH = 30


def line_image(text: str, height: int = 40) -> tuple[np.ndarray, list[float]]:
    """Draw ``text`` in OCR-B at a fixed pitch, binary (ink 0), and return it with the cell centres."""
    path = font_path()
    assert path is not None, "fonts-ocr-b is installed by tools/setup.sh"
    font = ImageFont.truetype(str(path), round(height * 1.4))
    image = Image.new("L", (PITCH * (len(text) + 2), height * 2), 255)
    draw = ImageDraw.Draw(image)
    centres = []
    for index, char in enumerate(text):
        centre = PITCH * (index + 1.5)
        draw.text((centre, height), char, font=font, fill=0, anchor="mm")
        centres.append(centre)
    binary = np.where(np.asarray(image) < 128, 0, 255).astype(np.uint8)
    return binary, centres


@pytest.mark.parametrize(("printed", "other"), [("7", "T"), ("J", "U"), ("E", "B"), ("V", "U"), ("9", "I")])
def test_the_print_favours_the_character_it_shows(printed: str, other: str) -> None:
    line, centres = line_image(f"A{printed}C")
    assert print_favours(line, centres[1], PITCH, printed, other)
    # ... and never the other one: the print does not clear a misread.
    assert not print_favours(line, centres[1], PITCH, other, printed)


def test_a_neighbour_does_not_count_as_the_cell() -> None:
    line, centres = line_image("T7T")
    assert print_favours(line, centres[1], PITCH, "7", "T")
    assert not print_favours(line, centres[0], PITCH, "7", "T")


def test_an_empty_or_cut_off_cell_settles_nothing() -> None:
    line, centres = line_image("A<C")
    blank = np.full_like(line, 255)
    assert match(blank, centres[1], PITCH, "7") is None
    assert not print_favours(blank, centres[1], PITCH, "7", "T")
    assert match(line, 2.0, PITCH, "A") is None  # the cell runs off the image


def test_without_the_font_nothing_is_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    line, centres = line_image("A7C")
    monkeypatch.setattr(glyphs, "OCR_B_FONTS", ())
    glyphs._glyph.cache_clear()
    try:
        assert not print_favours(line, centres[1], PITCH, "7", "T")
    finally:
        glyphs._glyph.cache_clear()


def test_settled_by_print_drops_only_the_doubts_the_print_answers() -> None:
    text = "A7CBVH"  # the print: the verifier says T for the 7 (its OCR-B blind spot)
    line, centres = line_image("A7CEVH")  # ... and E where we read B (our misread)
    line[:, round(centres[5]) - 2 : round(centres[5]) + 14] = 255  # the H lost its right half
    covered = coverage(None, {})
    doubtful = [Cell(0, 1), Cell(0, 3), Cell(0, 4), Cell(0, 5)]
    verifier = [{1: "T", 3: "E"}]  # nothing read in cells 4 and 5
    kept = settled_by_print(doubtful, [text], covered, verifier, [line], [centres])
    # Where the verifier read nothing, print that shows our character intact, and clearly more like it
    # than any other, settles the cell (the V); half an H does not.
    assert kept == [Cell(0, 3), Cell(0, 5)]


def test_a_contested_letter_stands_only_where_the_print_tells_it_from_its_twins() -> None:
    # The check digit cannot tell X from D, N or 3, nor F from P, Z or 5. A clean X and F are told apart
    # by the print; a P read as F (with its bowl cut by a fold, for a model) is not, nor anything in a
    # cell cut off by the image's edge.
    line, centres = line_image("XFPS")
    cells = [Cell(0, column) for column in range(4)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALNUM))
    assert unsettled_twins(cells[:3], ["XFFS"], covered, [line], [centres]) == [Cell(0, 2)]
    assert unsettled_twins(cells[:1], ["X"], covered, [line], [[0.0, PITCH]]) == cells[:1]  # cut off
    off_the_grid = Cell(0, 5)
    assert unsettled_twins([off_the_grid], ["XFPS<F"], covered, [line], [centres]) == [off_the_grid]
    # A letters-only field: an S's only twin there is I (8 is a digit).
    alpha = Coverage(frozenset(), frozenset(), {cells[3]: ALPHA})
    assert unsettled_twins([cells[3]], ["XFPS"], alpha, [line], [centres]) == []


def test_a_contested_digit_stands_where_the_print_shows_it_and_no_twin_more() -> None:
    # A U (30) read 0 in a document number, as a blurred phone photo made it: the print shows the U
    # clearly. The 0 and the 8 (whose twin S it leads by little on worn print) stand.
    line, centres = line_image("U08")
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(cells), frozenset(cells), dict.fromkeys(cells, ALNUM))
    assert contradicted_digits(cells, ["008"], covered, [line], [centres]) == cells[:1]
    # A letter is left to unsettled_twins.
    assert contradicted_digits(cells, ["U08"], covered, [line], [centres]) == []
    # Print that cannot be compared (a band left the cell blank) does not let it stand.
    line[:, round(centres[2] - PITCH / 2) : round(centres[2] + PITCH / 2)] = 255
    assert contradicted_digits(cells, ["008"], covered, [line], [centres]) == [cells[0], cells[2]]


def banded(text: str, column: int, ink: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Draw ``text`` in grey, ink 40 on paper 210, with a band two pitches either side of ``column``
    fading the ink to ``ink``; return the binary drawing, the grey line and the cell centres."""
    binary, centres = line_image(text)
    grey = np.where(binary == 0, 40, 210).astype(np.uint8)
    band = slice(round(centres[column] - 2 * PITCH), round(centres[column] + 2 * PITCH))
    grey[:, band] = np.where(binary[:, band] == 0, ink, 210)
    return binary, grey, centres


def otsu(grey: np.ndarray) -> np.ndarray:
    """Binarise ``grey`` as a whole line is, by Otsu's threshold."""
    return cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def faded_in_band(text: str, column: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Draw ``text`` with a band fading the ink around ``column`` (grey 170 on paper 210, where the
    line's is 40); return the grey line, its binarisation as a whole (Otsu) and the cell centres."""
    _, grey, centres = banded(text, column, 170)
    return grey, otsu(grey), centres


def test_a_cell_the_lines_print_lost_is_settled_by_its_own_print_unless_the_other_holds_ours() -> None:
    covered = coverage(None, {})
    # The line's threshold keeps nothing of the faded U; the cell's own shows it, clearly no L.
    grey, whole, centres = faded_in_band("AAUEE", 2)
    assert match(whole, centres[2], PITCH, "U") is None
    args = (["AAUEE"], covered, [{2: "L"}], [whole], [centres])
    assert settled_by_print([Cell(0, 2)], *args, [grey]) == []
    assert settled_by_print([Cell(0, 2)], *args) == [Cell(0, 2)]  # no grey line, no such test
    # An E holds all of an F: a band may have faded the E's foot, so an F's print cannot answer an E.
    grey, whole, centres = faded_in_band("AAFEE", 2)
    assert print_favours(local_print(grey, centres[2], PITCH), centres[2], PITCH, "F", "E")
    assert settled_by_print([Cell(0, 2)], ["AAFEE"], covered, [{2: "E"}], [whole], [centres], [grey]) == [
        Cell(0, 2)
    ]


def test_print_settles_an_outvoted_character_only_where_it_shows_it_whole() -> None:
    # A worn J (specks of its ink lost) matches J at 0.73 and I at 0.50: clearly a J, not whole.
    line, centres = line_image("AAJEE")
    speckled = (np.random.default_rng(1).random(line.shape) < 0.3) & (
        np.abs(np.arange(line.shape[1]) - centres[2]) < 15
    )
    line[speckled] = 255
    assert 0.6 < (match(line, centres[2], PITCH, "J") or 0) < 0.8
    covered = coverage(None, {})
    args = ([Cell(0, 2)], ["AAJEE"], covered, [{2: "I"}], [line], [centres])
    # The second engine alone read I there: the print answers it.
    assert settled_by_print(*args) == []
    assert settled_by_print(*args, (), [{2: "L"}]) == []
    # Another of our readings read I too: a faded I can look like that J, and only whole print settles it.
    assert settled_by_print(*args, (), [{2: "I"}]) == [Cell(0, 2)]


def test_a_disputed_cell_whose_own_print_cannot_tell_the_readings_apart_is_in_doubt() -> None:
    # A band faded the ink around an I (grey 170 on paper 210, where the line's is 40). Our readings
    # disagreed there, one reading T and one I. Binarised on its own, the cell shows an I: a T is in
    # doubt, an I is not; nor is a cell where a check digit tells T from I, nor any without the grey.
    _, grey, centres = banded("AAIEE", 2, 170)
    cells = [Cell(0, column) for column in range(5)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    assert locally_disputed(["AATEE"], covered, [{2: "I"}], [grey], [centres]) == [cells[2]]
    assert locally_disputed(["AAIEE"], covered, [{2: "T"}], [grey], [centres]) == []
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert locally_disputed(["AATEE"], checked, [{2: "I"}], [grey], [centres]) == []
    assert locally_disputed(["AATEE"], covered, [{2: "I"}], [], [centres]) == []
    # An O holds all of a C's print: whole print of an O leads C by little (0.92 against 0.82 here),
    # and shows the O all the same.
    o_binary, _ = line_image("AAOEE")
    o_grey = np.where(o_binary == 0, 40, 210).astype(np.uint8)
    assert not print_favours(local_print(o_grey, centres[2], PITCH), centres[2], PITCH, "O", "C")
    assert locally_disputed(["AAOEE"], covered, [{2: "C"}], [o_grey], [centres]) == []


def faded_foot(text: str, column: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Draw ``text`` with a band fading the ink around ``column`` (grey 100 on paper 210, where the
    line's is 40) and the lowest eighth of that cell's print fainter still (150); return the grey line,
    its binarisation as a whole (Otsu) and the cell centres."""
    binary, grey, centres = banded(text, column, 100)
    cell = slice(round(centres[column] - PITCH / 2), round(centres[column] + PITCH / 2))
    ink = binary[:, cell] == 0
    rows = np.nonzero(ink.any(axis=1))[0]
    foot = np.zeros_like(ink)
    foot[rows.max() - (rows.max() - rows.min()) // 8 :, :] = True
    grey[:, cell][ink & foot] = 150
    return grey, otsu(grey), centres


def test_a_cell_whose_own_print_brings_back_the_foot_of_an_e_read_f_is_in_doubt() -> None:
    # The line's threshold lost the E's faded foot: its print looks more like the F both engines read.
    grey, whole, centres = faded_foot("AAAAAAEAAAAAA", 6)
    assert (match(whole, centres[6], PITCH, "F") or 0) > (match(whole, centres[6], PITCH, "E") or 0)
    cells = [Cell(0, column) for column in range(13)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    assert unveiled_partners(["AAAAAAFAAAAAA"], covered, [whole], [grey], [centres]) == [cells[6]]
    assert unveiled_partners(["AAAAAAEAAAAAA"], covered, [whole], [grey], [centres]) == []
    # Where a check digit tells E from F, or there is no grey line to binarise again, no doubt.
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert unveiled_partners(["AAAAAAFAAAAAA"], checked, [whole], [grey], [centres]) == []
    assert unveiled_partners(["AAAAAAFAAAAAA"], covered, [whole], [], [centres]) == []
    # An F in the same band: its own print brings back no foot.
    grey, whole, centres = faded_foot("AAAAAAFAAAAAA", 6)
    assert unveiled_partners(["AAAAAAFAAAAAA"], covered, [whole], [grey], [centres]) == []


def faded_top(
    text: str, column: int, band: int = 100, top_ink: int = 170
) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Draw ``text`` with a band fading the ink around ``column`` (grey ``band`` on paper 210, where the
    line's is 40) and the top quarter of that cell's print fainter still (``top_ink``); return the grey line,
    its binarisation as a whole (Otsu) and the cell centres."""
    binary, grey, centres = banded(text, column, band)
    cell = slice(round(centres[column] - PITCH / 2), round(centres[column] + PITCH / 2))
    ink = binary[:, cell] == 0
    rows = np.nonzero(ink.any(axis=1))[0]
    top = np.zeros_like(ink)
    top[: rows.min() + (rows.max() - rows.min()) // 4, :] = True
    grey[:, cell][ink & top] = top_ink
    return grey, otsu(grey), centres


def test_a_faded_cell_whose_grey_print_still_shows_the_top_of_an_o_read_u_is_in_doubt() -> None:
    # The line's threshold lost the O's faded top: its print is a U, as both engines read.
    grey, whole, centres = faded_top("AAAAAAOAAAAAA", 6)
    assert (match(whole, centres[6], PITCH, "U") or 0) > (match(whole, centres[6], PITCH, "O") or 0)
    rows = glyphs.cap_rows(whole, centres)
    assert rows is not None
    shown = glyphs.faded_stroke(grey, whole, rows, centres[6], PITCH, "U", "O")
    assert shown is not None and shown > 0.3
    cells = [Cell(0, column) for column in range(13)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    assert faded_strokes(["AAAAAAUAAAAAA"], covered, [whole], [grey], [centres]) == [cells[6]]
    # Where a check digit tells U from O, or there is no grey line, no doubt.
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert faded_strokes(["AAAAAAUAAAAAA"], checked, [whole], [grey], [centres]) == []
    assert faded_strokes(["AAAAAAUAAAAAA"], covered, [whole], [], [centres]) == []
    # A U in the same band: the paper above it is paper.
    grey, whole, centres = faded_top("AAAAAAUAAAAAA", 6)
    shown = glyphs.faded_stroke(grey, whole, rows, centres[6], PITCH, "U", "O")
    assert shown is not None and abs(shown) < 0.05
    assert faded_strokes(["AAAAAAUAAAAAA"], covered, [whole], [grey], [centres]) == []
    # A pale arc over a U whose ink is as dark as the line's is no faded O (a watermark's stroke, say):
    # only faded cells are looked at.
    grey, whole, centres = faded_top("AAAAAAOAAAAAA", 6, band=40, top_ink=150)
    assert (glyphs.faded_stroke(grey, whole, rows, centres[6], PITCH, "U", "O") or 0) > 0.3
    assert faded_strokes(["AAAAAAUAAAAAA"], covered, [whole], [grey], [centres]) == []


def test_only_cells_whose_ink_is_faded_are_binarised_again() -> None:
    # Ten cells of ink at 20 on paper at 230, the fifth at 150: only it is faded. Cells the grid puts
    # beyond the image's edge have no pixels and are none.
    grey = np.full((20, 100), 230, np.uint8)
    for column in range(10):
        grey[5:15, column * 10 + 3 : column * 10 + 7] = 20
    grey[5:15, 43:47] = 150
    assert _faded_columns(grey, [5.0 + 10 * column for column in range(10)]) == [4]
    assert _faded_columns(grey, [5.0 + 10 * column for column in range(12)]) == [4]
    assert (
        _faded_columns(np.full((20, 100), 230, np.uint8), [5.0 + 10 * column for column in range(10)]) == []
    )


def test_a_letter_where_the_verifier_and_our_model_both_saw_a_filler_is_in_doubt() -> None:
    # Our model read E where the print holds a filler, weighing the filler behind it; the verifier read
    # the filler.
    line, centres = line_image("LI<<OLGA")
    cells = [Cell(0, column) for column in range(8)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    args = (["LIE<OLGA"], covered, [{2: "<"}])
    assert filler_doubts(*args, [{2: "E3<"}], [line], [centres]) == [cells[2]]
    # The verifier's filler alone is no evidence (it reads OCR-B's filler unreliably).
    assert filler_doubts(*args, [{2: "E3"}], [line], [centres]) == []
    assert filler_doubts(["LIE<OLGA"], covered, [{2: "K"}], [{2: "E3<"}], [line], [centres]) == []
    # Print that shows the E whole answers both.
    printed, _ = line_image("LIE<OLGA")
    assert filler_doubts(*args, [{2: "E3<"}], [printed], [centres]) == []
    # A check digit that tells a filler (0) from ours covers the cell.
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert filler_doubts(["LIE<OLGA"], checked, [{2: "<"}], [{2: "E3<"}], [line], [centres]) == []


def test_erasure_partners_are_the_characters_whose_print_holds_ours() -> None:
    # Ink lost from the partner leaves ours: the right side of an O, the leg of an R, the left of an 8.
    assert {"O", "G"} <= glyphs.erasure_partners("C")
    assert "R" in glyphs.erasure_partners("P")
    assert "8" in glyphs.erasure_partners("3")
    assert "E" in glyphs.erasure_partners("F")
    # One way only, and not between characters that merely look alike.
    assert "C" not in glyphs.erasure_partners("O")
    assert "P" not in glyphs.erasure_partners("R")
    assert glyphs.erasure_partners("8") == frozenset()
    assert "2" not in glyphs.erasure_partners("Z")
    # Where a crease took a stroke whole, partners that hold most of ours count: R's leg gone leaves
    # print like F's, whose bars reach further than R's bowl.
    assert "R" not in glyphs.erasure_partners("F")
    assert "R" in glyphs.erasure_partners("F", glyphs.CREASE_HELD)
    # OCR-B's O has barely more ink than its U: only where the print shows the lost stroke does it count.
    assert "O" not in glyphs.erasure_partners("U")
    assert "O" in glyphs.erasure_partners("U", glyphs.MIN_HELD, glyphs.FADED_MORE_INK)


def test_a_character_hesitated_on_against_its_erasure_partner_stands_only_on_intact_print() -> None:
    # Our model read 3 and found 8 likely too. An intact 3 clears the cell; an 8 whose left half is
    # lost (the print of a fold's crack through it) reads as 3 to both engines and does not.
    intact, centres = line_image("A3C")
    erased, _ = line_image("A8C")
    left = round(centres[1] - PITCH / 2)
    erased[:, left : round(centres[1] - 2)] = 255
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALNUM))
    likely = [{1: "38"}]
    assert erased_doubts(["A3C"], covered, likely, [intact], [centres]) == []
    assert erased_doubts(["A3C"], covered, likely, [erased], [centres]) == [Cell(0, 1)]
    # Not when our model was sure, nor when the partner is no character the field takes, nor when a
    # check digit tells the two apart (3 and 8 differ by 5 modulo 10).
    assert erased_doubts(["A3C"], covered, [{1: "3"}], [erased], [centres]) == []
    alpha = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    assert erased_doubts(["A3C"], alpha, likely, [erased], [centres]) == []
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALNUM))
    assert erased_doubts(["A3C"], checked, likely, [erased], [centres]) == []


def test_an_erasure_partner_another_reading_had_stands_unless_the_print_clearly_shows_ours() -> None:
    # Our readings disagreed: one read 3, another 8. A worn 3 (a band across its middle lost) is short
    # of intact, but looks clearly more like 3 than 8: that clears the cell, though the same partner
    # weighed by the model itself would need intact print. An 8 whose left half is lost does not.
    intact, centres = line_image("A3C")
    worn = intact.copy()
    middle = worn.shape[0] // 2
    worn[middle - 5 : middle + 5] = 255
    erased, _ = line_image("A8C")
    erased[:, round(centres[1] - PITCH / 2) : round(centres[1] - 2)] = 255
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALNUM))
    assert erased_doubts(["A3C"], covered, [{}], [worn], [centres], [{1: "8"}]) == []
    assert erased_doubts(["A3C"], covered, [{1: "38"}], [worn], [centres]) == [Cell(0, 1)]
    assert erased_doubts(["A3C"], covered, [{}], [erased], [centres], [{1: "8"}]) == [Cell(0, 1)]
    # A character another reading had that is no erasure partner of ours raises no doubt here.
    assert erased_doubts(["A3C"], covered, [{}], [erased], [centres], [{1: "B"}]) == []


def test_an_objection_our_model_did_not_weigh_stands_unless_the_print_sides_with_us() -> None:
    # The print shows G, 7 and J. Our model read O for the G (a fold's crack through it) without
    # weighing G; the verifier read G. It read T for the 7 and U for the J (its OCR-B blind spots).
    line, centres = line_image("AG7J")
    covered = coverage(None, {})
    doubtful = [Cell(0, 1), Cell(0, 2), Cell(0, 3)]
    verifier = [{1: "G", 2: "T", 3: "U"}]
    assert upheld_by_print(doubtful, ["AO7J"], covered, verifier, [line], [centres]) == [Cell(0, 1)]
    # Where the verifier read nothing or a filler, the print has nothing to back.
    assert upheld_by_print(doubtful[:1], ["AO7J"], covered, [{1: "<"}], [line], [centres]) == []
    assert upheld_by_print(doubtful[:1], ["AO7J"], covered, [{}], [line], [centres]) == []


def test_a_character_the_restored_print_reads_otherwise_is_in_doubt_unless_the_print_shows_ours() -> None:
    # Read again with a crease's faded ink restored, the print shows T, O and a filler where our first
    # reading had I, C and a letter: each is in doubt. Where the restored print clearly shows our
    # character, the other reading is an artefact of the restoration and settles nothing.
    line, centres = line_image("ATO<E")
    cells = [Cell(0, column) for column in range(5)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    restored = [{1: "T", 2: "O", 3: "<", 4: "F"}]
    assert restored_doubts(["AICKE"], covered, restored, [line], [centres]) == cells[1:4]
    # A digit read in a letters-only field is the letter it looks like (0 is O), and no doubt.
    assert restored_doubts(["AIOKE"], covered, [{2: "0"}], [line], [centres]) == []
    # A check digit that covers the cell tells T from I (they differ modulo 10): no doubt there.
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert restored_doubts(["AICKE"], checked, restored, [line], [centres]) == []


def test_a_character_a_crease_may_have_cut_from_a_fuller_one_is_in_doubt() -> None:
    # Every reading has F where a crease crossed the MRZ, the restored reading too. An F is what an R
    # or an E leaves when a crease takes a stroke (their print holds most of F's, and more): where the
    # restored print looks like one of them, the F is in doubt; where it shows an F intact, it is not.
    line, centres = line_image("AREF")
    cells = [Cell(0, column) for column in range(4)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    reached = [{1: "F", 2: "F", 3: "F"}]
    assert faded_doubts(["AFFF"], covered, reached, [line], [centres]) == cells[1:3]
    # Only the cells the restoration reached count.
    assert faded_doubts(["AFFF"], covered, [{3: "F"}], [line], [centres]) == []
    # A check digit tells E from F; P, which it cannot, does not look like this print.
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert faded_doubts(["AFFF"], checked, [{2: "F"}], [line], [centres]) == []
    # Print that shows our characters intact: no doubt.
    assert faded_doubts(["AREF"], covered, reached, [line], [centres]) == []


def test_a_character_whose_stroke_a_crack_may_have_taken_whole_is_in_doubt() -> None:
    # A crack took the left stem of a U whole: every reading, the restored one too, reads J, and
    # there is nothing to restore. Beside the crack the print fits U at least as well as J, and U has
    # more ink on it: the J is in doubt. It is not where the crack crosses the J's own stem, nor where a
    # check digit tells U from J, nor in a filler.
    line, centres = line_image("AUB")
    stem = int(np.nonzero((line[:, 60:90] < 128).any(axis=0))[0].min()) + 60 + 3
    cracked = line.copy()
    cracked[:, stem - 4 : stem + 4] = 255
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    reached = [{1: "J"}]
    assert creased_partners(["AJB"], covered, reached, [cracked], [centres], [stem]) == [cells[1]]
    intact, _ = line_image("AJB")
    assert creased_partners(["AJB"], covered, reached, [intact], [centres], [centres[1] + 6]) == []
    checked = Coverage(frozenset(cells), frozenset(), dict.fromkeys(cells, ALPHA))
    assert creased_partners(["AJB"], checked, reached, [cracked], [centres], [stem]) == []
    assert creased_partners(["A<B"], covered, [{1: "<"}], [cracked], [centres], [stem]) == []


def test_restored_print_of_a_character_that_holds_ours_need_only_show_it_whole() -> None:
    # A crease took a P's bowl, read F; restored, the print is a worn P (specks of its ink lost),
    # matching P at 0.86 and F at 0.71: whole, not intact, and not clearly more like P.
    line, centres = line_image("APE")
    specks = (np.random.default_rng(3).random(line.shape) < 0.1) & (
        np.abs(np.arange(line.shape[1]) - centres[1]) < 15
    )
    line[specks] = 255
    p, f = match(line, centres[1], PITCH, "P"), match(line, centres[1], PITCH, "F")
    assert p is not None and f is not None and 0.8 <= p < 0.9 and p - f < 0.15
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    # The P holds all an F's print: the restoration brought back the ink a crease takes.
    assert restored_characters(["AFE"], covered, [{1: "P"}], [line], [centres]) == {cells[1]: "P"}
    assert (
        unshown_by_restored_print([cells[1]], ["APE"], covered, [{1: "F"}], [{1: "P"}], [line], [centres])
        == []
    )
    # Nor does that print give an F for a P.
    assert restored_characters(["APE"], covered, [{1: "F"}], [line], [centres]) == {}


def test_a_character_the_restored_print_clearly_shows_replaces_ours() -> None:
    # Read again with a crease's faded ink restored, the line holds T, O and a filler where our first
    # reading had I, C and a letter, and the restored print clearly shows each: they take our place.
    line, centres = line_image("ATO<E")
    cells = [Cell(0, column) for column in range(5)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    restored = [{1: "T", 2: "O", 3: "<", 4: "F"}]
    found = restored_characters(["AICKE"], covered, restored, [line], [centres])
    assert found == {cells[1]: "T", cells[2]: "O", cells[3]: "<"}
    # A 3 in a letters-only field (a state's code) cannot stand: the restored reading's 8, a B there,
    # need only look like a B, though the crease left its stem too faint to lead a 3 clearly.
    state, state_centres = line_image("GBR")
    state[:, round(state_centres[1]) - 12 : round(state_centres[1]) - 4] = 255
    assert not print_favours(state, state_centres[1], PITCH, "B", "3")
    state_covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells[:3], ALPHA))
    found = restored_characters(["G3R"], state_covered, [{1: "8"}], [state], [state_centres])
    assert found == {cells[1]: "B"}
    # O holds all of C's print: over print of a C, a restored reading of O is an artefact, not a find.
    c_line, _ = line_image("AIC<E")
    assert restored_characters(["AICKE"], covered, [{2: "O"}], [c_line], [centres]) == {}
    # The F of the restored reading is not what the print shows (an E): ours stays. A digit read in a
    # letters-only field is the letter it looks like (0 is O), as ours already is: nothing to change.
    assert restored_characters(["AIOKE"], covered, [{2: "0", 4: "F"}], [line], [centres]) == {}


def test_on_a_refused_page_a_restored_reading_the_print_does_not_show_still_counts() -> None:
    # The restored print of an H lost its right half: it shows neither our H clearly nor the Z the
    # restored reading holds (a blot the restoration made, by the usual standard). Read again on a page
    # refused once, the disagreement counts all the same.
    line, centres = line_image("AHE")
    line[:, round(centres[1]) - 2 : round(centres[1]) + 14] = 255
    cells = [Cell(0, column) for column in range(3)]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    assert restored_doubts(["AHE"], covered, [{1: "Z"}], [line], [centres]) == []
    assert restored_doubts(["AHE"], covered, [{1: "Z"}], [line], [centres], minimum=0.0) == [cells[1]]


def test_a_cell_refused_once_must_be_shown_by_the_restored_print() -> None:
    # An O our other reading had as C: the restored print shows it intact (an O holds all of a C's
    # print, so it leads C by little). A G where the print shows an O, an H half gone, and a cell the
    # restoration did not reach are not shown.
    line, centres = line_image("AOHE")
    line[:, round(centres[2]) - 2 : round(centres[2]) + 14] = 255
    cells = [Cell(0, column) for column in range(4)]
    reached = [{1: "O", 2: "H"}]
    covered = Coverage(frozenset(), frozenset(), dict.fromkeys(cells, ALPHA))
    args = (reached, [line], [centres])
    assert unshown_by_restored_print(cells[1:2], ["AOHE"], covered, [{1: "C"}], *args) == []
    assert unshown_by_restored_print(cells[1:2], ["AGHE"], covered, [{}], *args) == cells[1:2]
    assert unshown_by_restored_print(cells[2:4], ["AOHE"], covered, [{}], *args) == cells[2:4]
    # A digit our other reading had in a letters-only field is the letter it looks like: a 0 is an O,
    # no rival to ours; a 7 is no letter at all.
    assert unshown_by_restored_print(cells[1:2], ["AOHE"], covered, [{1: "07"}], *args) == []
