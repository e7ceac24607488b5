"""The boot-keyboard report decoder: layouts, edge detection, line ends (protocols/usb-readers.md §1)."""

from __future__ import annotations

import pytest
from checkpoint.drivers.usb_keyboard import (
    LAYOUTS,
    MRZ_CHARACTERS,
    UNKNOWN,
    Keystroke,
    ReportDecoder,
    keystroke,
    report,
)
from checkpoint.mocks.usb_reports import keystroke_reports

RELEASE = "00 00 00 00 00 00 00 00"


def reports(*hex_reports: str) -> list[bytes]:
    return [bytes.fromhex(text) for text in hex_reports]


def decode(layout_name: str, stream: list[bytes]) -> str:
    decoder = ReportDecoder(layout_name)
    return "".join(decoder.feed(one) for one in stream)


def test_the_datasheet_example_types_p_less_than_u_then_a_line_end() -> None:
    stream = reports(
        "02 00 13 00 00 00 00 00", RELEASE,
        "02 00 36 00 00 00 00 00", RELEASE,
        "02 00 18 00 00 00 00 00", RELEASE,
        "00 00 28 00 00 00 00 00", RELEASE,
    )  # fmt: skip
    assert decode("us", stream) == "P<U\n"


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
@pytest.mark.parametrize("character", MRZ_CHARACTERS)
def test_every_mrz_character_decodes_in_every_layout(layout_name: str, character: str) -> None:
    stroke = keystroke(character, layout_name)
    assert decode(layout_name, [report(stroke), report(None)]) == character


@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_the_whole_alphabet_typed_fast_without_releases_between_different_keys(layout_name: str) -> None:
    text = MRZ_CHARACTERS + "<<<<<" + MRZ_CHARACTERS[::-1]
    stream = keystroke_reports((keystroke(c, layout_name) for c in text), release="on-repeat")
    assert decode(layout_name, stream) == text


@pytest.mark.parametrize(
    ("layout_name", "hex_report", "character"),
    [
        ("us", "02 00 36 00 00 00 00 00", "<"),
        ("uk", "02 00 36 00 00 00 00 00", "<"),
        ("de", "00 00 64 00 00 00 00 00", "<"),
        ("fr", "00 00 64 00 00 00 00 00", "<"),
        ("de", "02 00 1c 00 00 00 00 00", "Z"),
        ("de", "02 00 1d 00 00 00 00 00", "Y"),
        ("us", "02 00 1c 00 00 00 00 00", "Y"),
        ("fr", "02 00 14 00 00 00 00 00", "A"),
        ("fr", "02 00 04 00 00 00 00 00", "Q"),
        ("fr", "02 00 1a 00 00 00 00 00", "Z"),
        ("fr", "02 00 1d 00 00 00 00 00", "W"),
        ("fr", "02 00 33 00 00 00 00 00", "M"),
        ("fr", "02 00 1e 00 00 00 00 00", "1"),
        ("fr", "02 00 27 00 00 00 00 00", "0"),
        ("us", "00 00 27 00 00 00 00 00", "0"),
        ("us", "20 00 36 00 00 00 00 00", "<"),  # right shift works like left shift
    ],
)
def test_layout_specific_keys(layout_name: str, hex_report: str, character: str) -> None:
    assert decode(layout_name, reports(hex_report, RELEASE)) == character


def test_a_stream_typed_for_one_layout_decodes_wrongly_with_another_and_visibly_so() -> None:
    german = [report(keystroke(c, "de")) for c in "Y<Z1"]
    assert decode("us", [r for one in german for r in (one, report(None))]) == "Z\\Y1"
    french = [report(keystroke(c, "fr")) for c in "1<A"]
    assert decode("us", [r for one in french for r in (one, report(None))]) == "!\\Q"
    us = [report(keystroke(c, "us")) for c in "1<"]
    assert decode("fr", [r for one in us for r in (one, report(None))]) == "&."


def test_letters_without_shift_are_taken_as_capitals() -> None:
    """Readers relying on Caps Lock send letters unshifted; an MRZ has no lower case."""
    assert decode("us", reports("00 00 13 00 00 00 00 00", RELEASE)) == "P"


def test_a_held_key_is_one_press_however_often_its_report_repeats() -> None:
    held = "02 00 36 00 00 00 00 00"
    assert decode("us", reports(held, held, held, RELEASE)) == "<"


def test_a_repeated_key_with_releases_between_is_one_press_each() -> None:
    press = "02 00 36 00 00 00 00 00"
    assert decode("us", reports(press, RELEASE, press, RELEASE, press, RELEASE)) == "<<<"


def test_a_new_key_while_another_is_held_is_a_press_and_the_held_one_is_not() -> None:
    stream = reports("02 00 13 00 00 00 00 00", "02 00 13 36 00 00 00 00", "02 00 36 00 00 00 00 00", RELEASE)
    assert decode("us", stream) == "P<"


def test_two_keys_in_one_report_are_typed_in_slot_order() -> None:
    assert decode("us", reports("02 00 13 18 00 00 00 00", RELEASE)) == "PU"


def test_modifier_changes_and_idle_reports_type_nothing() -> None:
    assert decode("us", reports(RELEASE, "02 00 00 00 00 00 00 00", RELEASE)) == ""


def test_a_phantom_state_report_says_nothing_new() -> None:
    stream = reports("02 00 13 00 00 00 00 00", "02 00 01 01 01 01 01 01", "02 00 13 00 00 00 00 00", RELEASE)
    assert decode("us", stream) == "P"


@pytest.mark.parametrize(
    "hex_report",
    [
        "00 00 28 00 00 00 00 00",  # Enter
        "00 00 58 00 00 00 00 00",  # keypad Enter
        "00 00 2b 00 00 00 00 00",  # Tab
        "01 00 0d 00 00 00 00 00",  # Ctrl+J (LF)
        "10 00 10 00 00 00 00 00",  # right Ctrl+M (CR)
    ],
)
def test_line_ending_keys(hex_report: str) -> None:
    assert decode("us", reports(hex_report, RELEASE)) == "\n"


def test_ctrl_m_ends_a_line_where_the_layout_puts_m() -> None:
    assert decode("fr", reports("01 00 33 00 00 00 00 00", RELEASE)) == "\n"


@pytest.mark.parametrize(
    "hex_report",
    [
        "01 00 04 00 00 00 00 00",  # Ctrl+A
        "40 00 14 00 00 00 00 00",  # AltGr+Q (@ on a German keyboard)
        "00 00 2c 00 00 00 00 00",  # space: no MRZ character
    ],
)
def test_keys_with_no_mrz_meaning_are_marked_not_dropped(hex_report: str) -> None:
    assert decode("de", reports(hex_report, RELEASE)) == UNKNOWN


def test_a_report_too_short_is_an_error_that_shows_it() -> None:
    with pytest.raises(ValueError, match="02 00"):
        ReportDecoder().feed(b"\x02\x00")


def test_unknown_layout_and_characters_are_refused() -> None:
    with pytest.raises(ValueError, match="us, uk, de, fr"):
        ReportDecoder("jp")
    with pytest.raises(ValueError, match="not an MRZ character"):
        keystroke("a", "us")


def test_reports_are_eight_bytes_with_the_key_in_the_first_slot() -> None:
    assert report(Keystroke(0x02, 0x36)) == bytes.fromhex("02 00 36 00 00 00 00 00")
    assert report(None) == bytes(8)
