"""The second-reading rule: a line counts only when two independent readings agree after check-digit
repair, and an unconfirmed line makes the whole result not valid, whatever the check digits say."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checkpoint.mrz import parse
from checkpoint.ocr.engine import LineReading, without_fillers_past_end
from checkpoint.ocr.read import MRZ_LENGTHS, _agree
from checkpoint.ocr.result import OCRLine, OCRResult
from tests.ocr.reading import read_right

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def reading(text: str, confidence: float = 95.0) -> LineReading:
    """A reading whose characters sit at an even 20-pixel pitch, as Tesseract reports fixed-pitch print."""
    return LineReading(text, (confidence,) * len(text), tuple(10.0 + 20 * i for i in range(len(text))))


def readers(*texts: str) -> list[Callable[[], LineReading]]:
    return [lambda text=text: reading(text) for text in texts]  # type: ignore[misc]


def test_readings_that_differ_only_where_check_digits_repair_agree() -> None:
    # The first reading has O for 0 in the birth date; repair through the check digit makes them agree.
    first = [reading(L1), reading(L2.replace("7408122", "74O8122"))]
    lines, _ = _agree(first, [readers(L1, L1, L1), readers(L2, L2, L2)], parse)
    assert [line.text for line in lines] == [L1, L2]
    assert all(line.confirmed for line in lines)


def test_a_name_two_readings_disagree_on_is_settled_by_a_third() -> None:
    misread = L1.replace("ERIKSSON", "ERIKSS0N")
    first = [reading(misread), reading(L2)]
    lines, _ = _agree(first, [readers(misread, L1, L1), readers(L2, L2, L2)], parse)
    assert lines[0].text == L1 and lines[0].confirmed


def test_a_name_no_two_readings_agree_on_is_not_confirmed() -> None:
    # A letter misread as another letter in a name breaks no check digit: only agreement between
    # readings can catch it.
    variants = [L1, L1.replace("ANNA", "ANMA"), L1.replace("MARIA", "MAPIA")]
    first = [reading(variants[0]), reading(L2)]
    lines, _ = _agree(first, [readers(*variants), readers(L2, L2, L2)], parse)
    assert not lines[0].confirmed
    assert lines[1].confirmed


def test_a_reading_its_check_digit_shows_wrong_backs_the_one_it_differs_from() -> None:
    # O for the 0 of a document number: the MRZ library does not repair it (letters may stand there and
    # the O is not out of place among its neighbours), but the check digit the first reading satisfies
    # shows it wrong, so it backs the first reading and no third reading is needed.
    with_o = L2.replace("L898902C3", "L8989O2C3")
    assert parse([L1, with_o]).lines[1] == with_o
    first = [reading(L1), reading(L2)]
    sex_misread = L2.replace("7408122F", "7408122M")
    lines, others = _agree(first, [readers(L1, L1, L1), readers(L2, with_o, sex_misread)], parse)
    assert lines[1].text == L2 and lines[1].confirmed
    # The O's cell stays on record as disputed, with what the other reading read there.
    assert lines[1].disputed == (L2.index("0"),) and lines[0].disputed == ()
    assert others == [{}, {L2.index("0"): "O"}]


def test_a_document_code_letter_the_format_does_not_use_backs_the_usual_one() -> None:
    first = [reading(L1), reading(L2)]
    unusual = "D" + L1[1:]
    name_misread = L1.replace("ANNA", "ANMA")
    lines, _ = _agree(first, [readers(L1, unusual, name_misread), readers(L2, L2, L2)], parse)
    assert lines[0].text == L1 and lines[0].confirmed


def test_a_state_code_that_is_none_of_icao_s_backs_the_one_that_is() -> None:
    # Another reading has UTQ for UTO, as a watermark's stroke made TRA of FRA: no ICAO 9303 code.
    first = [reading(L1), reading(L2)]
    unknown = L1.replace("P<UTO", "P<UTQ")
    name_misread = L1.replace("ANNA", "ANMA")
    lines, _ = _agree(first, [readers(L1, unknown, name_misread), readers(L2, L2, L2)], parse)
    assert lines[0].text == L1 and lines[0].confirmed
    # Read first, the unknown code backs the known one, never the other way round.
    lines, _ = _agree(
        [reading(unknown), reading(L2)], [readers(unknown, L1, name_misread), readers(L2, L2, L2)], parse
    )
    assert lines[0].text == L1 and lines[0].confirmed


@pytest.mark.parametrize(
    "other",
    [
        # B and L have the same check value: the personal number's check digit cannot tell them apart.
        L2.replace("ZE184226B", "ZE184226L"),
        # Two cells under one check digit: satisfying it says nothing about which reading is right.
        L2.replace("L898902C3", "L6989O2C3"),
    ],
)
def test_a_reading_the_format_does_not_show_wrong_backs_nothing(other: str) -> None:
    # The third reading differs in the sex, which no check digit covers: it backs neither.
    third = L2.replace("7408122F", "7408122M")
    lines, _ = _agree([reading(L1), reading(L2)], [readers(L1, L1, L1), readers(L2, other, third)], parse)
    assert not lines[1].confirmed


def test_a_reading_with_a_character_read_twice_does_not_vote() -> None:
    # Two readings agree on a name with a doubled letter, but its characters are off the print grid
    # (one cell holds two of them), so they do not count; the one even reading cannot confirm alone.
    doubled = L1.replace("ERIKSSON<<", "ERIKKSSON<")
    centres = [10.0 + 20 * i for i in range(len(doubled))]
    centres[4:] = [c - 10.0 for c in centres[4:6]] + centres[6:]
    uneven = LineReading(doubled, (95.0,) * len(doubled), tuple(centres))
    assert not uneven.evenly_spaced
    lines, _ = _agree(
        [uneven, reading(L2)],
        [[lambda: uneven, lambda: uneven, lambda: reading(L1)], readers(L2, L2, L2)],
        parse,
    )
    assert not lines[0].confirmed


def jittered(text: str) -> LineReading:
    """A reading of ``text`` whose boxes stray off the grid, as on grey print a watermark crosses: three
    of them by 0.4 pitch."""
    centres = [10.0 + 20 * i for i in range(len(text))]
    for column in (3, 11, 19):
        centres[column] += 8.0
    uneven = LineReading(text, (95.0,) * len(text), tuple(centres))
    assert not uneven.evenly_spaced
    return uneven


def test_a_reading_off_the_grid_backs_an_even_reading_of_the_very_same_characters() -> None:
    misread = L1.replace("ERIKSSON", "FRIKSSON")
    lines, _ = _agree(
        [reading(L1), reading(L2)],
        [[lambda: reading(L1), lambda: jittered(L1), lambda: reading(misread)], readers(L2, L2, L2)],
        parse,
    )
    assert lines[0].text == L1 and lines[0].confirmed


def test_readings_off_the_grid_alone_confirm_nothing() -> None:
    # Two of them agree, but no reading on the grid has their characters: one may have read a
    # character twice and lost another.
    lines, _ = _agree(
        [jittered(L1), reading(L2)],
        [
            [lambda: jittered(L1), lambda: jittered(L1), lambda: reading(L1.replace("ANNA", "ANMA"))],
            readers(L2, L2, L2),
        ],
        parse,
    )
    assert not lines[0].confirmed


TD2_NAMES = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"


def ended(text: str, last_column: float) -> LineReading:
    """An even reading of ``text`` on a line found to end at ``last_column`` (in pitches)."""
    even = reading(text)
    return LineReading(text, even.confidences, even.centres, expected_ends=(10.0, 10.0 + 20 * last_column))


def test_fillers_read_past_the_lines_end_are_not_part_of_it() -> None:
    # A watermark's strokes just beyond the line, read as two more fillers past its found end.
    cut = without_fillers_past_end(ended(TD2_NAMES + "<<", 35), MRZ_LENGTHS)
    assert cut.text == TD2_NAMES and cut.evenly_spaced
    assert len(cut.centres) == len(cut.confidences) == 36


def test_fillers_a_line_was_found_with_are_cut_to_the_formats_length() -> None:
    # The line finder took the strokes for part of the line: it ends at the last of them.
    cut = without_fillers_past_end(ended(TD2_NAMES + "<<", 37), MRZ_LENGTHS)
    assert cut.text == TD2_NAMES and cut.evenly_spaced
    assert cut.expected_ends == (10.0, cut.centres[-1])


@pytest.mark.parametrize(
    ("text", "last_column"),
    [
        (TD2_NAMES + "K<", 37),  # a letter past the end: not print the model took for a filler
        (TD2_NAMES + "<<<", 38),  # three past an MRZ length: more than strokes beyond a line leave
        (TD2_NAMES, 35),  # the format's length already
    ],
)
def test_a_reading_that_is_no_line_with_fillers_past_it_is_left_as_it_is(
    text: str, last_column: float
) -> None:
    kept = ended(text, last_column)
    assert without_fillers_past_end(kept, MRZ_LENGTHS) is kept


@pytest.mark.parametrize(
    ("page_format", "seed"),
    [
        # A watermark's letters just past both lines were found with them and read as two more fillers
        # each: 38 characters, a length no MRZ line has, so no reading of either line could vote.
        ("TD2", 85026),
        # Two of our readings read the surname alike, but one's boxes strayed off the grid where the
        # watermark's strokes touch the grey print; a third read W as R.
        ("TD1", 85050),
        # Another reading of the line had T for the F of FRA, the issuing state: TRA is no state's code.
        ("TD1", 94050),
        # And one 8 for the S of SWE, which the MRZ library makes B: BWE is no state's code either.
        ("MRVA", 85003),
        # Every reading of the name line had the same text, a filler's box 0.45 pitch or more off the
        # grid, touched by the watermark: none could vote.
        ("TD1", 99005),
        # The first character of a visa's second line, a 1, boxed with a watermark's stroke 0.41 pitch
        # before where the line starts, in both readings that read it right.
        ("MRVB", 99029),
    ],
)
def test_a_watermarked_page_once_refused_for_disagreeing_readings_is_read(
    page_format: str, seed: int
) -> None:
    read_right(page_format, seed, "watermark")


def test_even_spacing_and_line_ends() -> None:
    even = reading(L2)
    assert even.evenly_spaced
    first, last = even.centres[0], even.centres[-1]
    assert LineReading(L2, even.confidences, even.centres, expected_ends=(first, last)).evenly_spaced
    # A character made up from a smudge before the line: the reading starts a whole pitch early.
    assert not LineReading(
        L2, even.confidences, even.centres, expected_ends=(first + 20, last + 20)
    ).evenly_spaced
    # A first character whose box a watermark's stroke pulled 0.45 pitch off where the line starts.
    assert LineReading(L2, even.confidences, even.centres, expected_ends=(first + 9, last)).evenly_spaced


def test_one_box_pulled_off_the_grid_by_security_print_still_sits_on_it() -> None:
    # Tesseract boxes a character of grey print together with a watermark stroke touching it: that
    # one centre moves by 0.4 pitch while its neighbours stay put.
    centres = [10.0 + 20 * i for i in range(len(L2))]
    centres[7] += 8.0
    assert LineReading(L2, (95.0,) * len(L2), tuple(centres)).evenly_spaced
    # Under a watermark a filler's box sat 0.45 to 0.48 pitch off the fitted grid in every reading of
    # its line (here 0.47).
    centres[7] += 2.0
    assert LineReading(L2, (95.0,) * len(L2), tuple(centres)).evenly_spaced
    centres[7] -= 2.0
    # Two such characters, or one at half a pitch, are what a character read twice or lost leaves.
    centres[20] -= 7.0
    assert not LineReading(L2, (95.0,) * len(L2), tuple(centres)).evenly_spaced
    centres[20] += 7.0
    centres[7] += 3.0
    assert not LineReading(L2, (95.0,) * len(L2), tuple(centres)).evenly_spaced


def test_unconfirmed_line_makes_a_check_digit_valid_mrz_not_valid() -> None:
    mrz = parse([L1, L2])
    assert mrz.valid
    confirmed = OCRLine(L2, 95.0, 90.0, confirmed=True)
    doubtful = OCRLine(L1, 95.0, 90.0, confirmed=False)
    assert OCRResult(found=True, ocr_lines=(confirmed, confirmed), mrz=mrz).valid
    assert not OCRResult(found=True, ocr_lines=(doubtful, confirmed), mrz=mrz).valid


def test_a_name_field_starting_with_a_filler_is_suspect() -> None:
    from checkpoint.ocr.read import _name_starts_with_filler

    # A K whose stem is lost reads as '<': every check digit stays right, so the rule must catch it.
    assert _name_starts_with_filler(parse([L1.replace("ERIKSSON", "<RIKSSON"), L2]))
    assert not _name_starts_with_filler(parse([L1, L2]))
    td1 = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "<RIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]
    assert _name_starts_with_filler(parse(td1))


def test_letters_after_a_names_closing_fillers_are_stray_print() -> None:
    from checkpoint.ocr.read import _stray_name_letters

    td1 = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<F<<<K",
    ]
    # Every check digit agrees: only the name's shape shows the F and the K are no name.
    assert parse(td1).valid
    assert _stray_name_letters(parse(td1)) == {2: [25, 29]}
    assert _stray_name_letters(parse([L1, L2])) == {}
    assert _stray_name_letters(parse([L1.replace("MARIA<<<<", "MARIA<<<Q"), L2])) == {0: [28]}
    # Two fillers separate the primary identifier from the secondary (and, on a French identity card,
    # given names): that is no end of the name.
    assert _stray_name_letters(parse(["P<UTOERIKSSON<<ANNA<<MARIA<<<<<<<<<<<<<<<<<<<", L2])) == {}
    assert _stray_name_letters(parse(["P<UTO" + "A" * 39, L2])) == {}


def test_a_library_repair_the_model_never_weighed_is_a_problem() -> None:
    from checkpoint.ocr.read import _unweighed_repairs

    # Hologram page 104045: the document number 3B38Z02X7 was read UB38Z02X7 (the 3 washed out). The
    # check digit failed, and the MRZ library changed the Z, a letter among digits, to 2: that fits it.
    read = [
        "I<UTOUB38Z02X78PW0HDB6NLU<<<<<",
        "1509120F2903183FRA<<<<<<<<<<<2",
        "QUIGLEY<<HUGO<<<<<<<<<<<<<<<<<",
    ]
    repaired = parse(read)
    assert repaired.valid
    assert [(c.line, c.column, c.from_, c.to) for c in repaired.corrections] == [(1, 9, "Z", "2")]

    def first(text: str, at: dict[int, str]) -> LineReading:
        alternatives = tuple(at.get(column, char) for column, char in enumerate(text))
        return LineReading(text, (90.0,) * len(text), alternatives=alternatives)

    # Our model weighed Z and I there, never 2: the repair is a guess against the print.
    weighed_z = [first(read[0], {9: "ZZI"}), first(read[1], {}), first(read[2], {})]
    problems = _unweighed_repairs(repaired, weighed_z)
    assert len(problems) == 1
    assert problems[0].startswith("line 1:") and "column(s) 10 " in problems[0]
    # Where it weighed a 2 behind the Z, the print allows the repair.
    weighed_2 = [first(read[0], {9: "Z2"}), first(read[1], {}), first(read[2], {})]
    assert _unweighed_repairs(repaired, weighed_2) == []
    # Where the first reading has another length, nothing says what the model weighed there.
    assert len(_unweighed_repairs(repaired, [first(read[0][:-1], {}), *weighed_2[1:]])) == 1
    assert _unweighed_repairs(parse([L1, L2]), []) == []


def test_readings_are_compared_without_the_librarys_guesses_in_fields_of_letters_and_digits() -> None:
    from checkpoint.ocr.read import _repaired

    # The Z of 104045's document number stays as read; the O read in the date of birth is a 0.
    read = [
        "I<UTOUB38Z02X78PW0HDB6NLU<<<<<",
        "15O9120F2903183FRA<<<<<<<<<<<2",
        "QUIGLEY<<HUGO<<<<<<<<<<<<<<<<<",
    ]
    assert sorted((c.line, c.column, c.to) for c in parse(read).corrections) == [(1, 9, "2"), (2, 2, "0")]
    assert _repaired(read, parse) == [read[0], read[1].replace("O", "0"), read[2]]


def test_lines_read_side_by_side_come_back_in_order_and_on_several_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from checkpoint.ocr import read

    monkeypatch.setattr(read, "READ_THREADS", 2)  # as on a machine of two cores or more
    barrier = threading.Barrier(2, timeout=5)
    names: list[str] = []

    def call(number: int) -> Callable[[], int]:
        def run() -> int:
            names.append(threading.current_thread().name)
            if number < 2:
                barrier.wait()  # both must be running at once, or this times out
            time.sleep(0.01 * (3 - number))
            return number

        return run

    assert read._all([call(number) for number in range(3)]) == [0, 1, 2]
    assert len(set(names)) >= 2


def test_an_error_in_a_line_read_side_by_side_reaches_the_caller() -> None:
    from checkpoint.ocr import read

    def broken() -> int:
        raise RuntimeError("engine gone")

    with pytest.raises(RuntimeError, match="engine gone"):
        read._all([lambda: 1, broken])


def test_a_forked_child_reads_side_by_side_on_threads_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import threading

    from checkpoint.ocr import read

    monkeypatch.setattr(read, "READ_THREADS", 2)
    barrier = threading.Barrier(2, timeout=5)

    def together(value: int) -> Callable[[], int]:
        def call() -> int:
            barrier.wait()
            return value

        return call

    assert read._all([together(1), together(2)]) == [1, 2]
    # The parent's pool now has two threads, both idle: a child that took them for its own would
    # queue its calls for threads it does not have, and wait for ever.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(read._all, ([_one, _two],))
        assert result.get(timeout=20) == [1, 2]


def _one() -> int:
    return 1


def _two() -> int:
    return 2


def test_only_a_disputed_character_that_could_stand_there_counts() -> None:
    from checkpoint.ocr.read import SHIFTED_RUN, _plausible_disputes

    result = parse([L1, L2])
    name = L1.index("ERIKSSON") + 6  # the O of ERIKSSON
    state = L1.index("UTO") + 2  # the O of the issuing state UTO
    shifted = {column: "X" for column in range(20, 20 + SHIFTED_RUN)}
    disputed = [{name: "C", state: "Q", **shifted}, {L2.index("F"): "M"}]
    # A C can stand in a name and an M for the sex; UTQ is no state, so the MRZ would not be valid;
    # a run of disputed cells is a reading a cell off.
    assert _plausible_disputes(result, disputed) == [{name: "C"}, {L2.index("F"): "M"}]
    pair = {20: "X", 21: "Y"}
    assert _plausible_disputes(result, [pair, {}]) == [pair, {}]


def test_a_check_digit_that_chose_between_readings_vouches_for_nothing_else() -> None:
    from checkpoint.ocr.read import _unspent_checks
    from checkpoint.ocr.verify import Cell, coverage

    # Hologram page 110033 (MRV-A): the expiry 290303 was read 250305. Our readings had 3 and 5 in its
    # last cell; the 5 met the check digit, with the 9 read 5 too (7-3-1 weights: -12 + 2).
    read = ["V<D<<O<<ZOE<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "06G6260824CAN7909032M2503055NX8S5SP54<<<<<<<"]
    result = parse(read)
    assert result.valid and result.checks["expiry_date"]
    checks = _unspent_checks(result, [{}, {26: "3"}])
    assert not checks["expiry_date"] and checks["document_number"] and checks["birth_date"]
    covered = coverage(result.format, checks)
    assert Cell(1, 22) not in covered.checked and Cell(1, 14) in covered.checked
    # A character that could not stand there (a C in a date), or with the same value to the check
    # digit, chose nothing; nor did a dispute along a run of cells (a reading a cell off).
    assert _unspent_checks(result, [{}, {26: "C"}]) == dict(result.checks)
    assert _unspent_checks(result, [{}, {2: "6"}]) == dict(result.checks)  # G and 6: both 6 to it
    assert _unspent_checks(result, [{}, {}]) == dict(result.checks)
    assert _unspent_checks(result, [{}, {21: "9", 22: "0", 23: "3"}]) == dict(result.checks)
