"""ICAO 9303 Part 3 section 6 transliteration of names into MRZ characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkpoint.mrz.errors import MRZCompositionError, MRZError
from checkpoint.mrz.transliteration import LANGUAGES, transliterate


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        # Table A: letters spelt out
        ("Ä", "AE"), ("Ö", "OE"), ("Ü", "UE"), ("Å", "AA"), ("Æ", "AE"), ("Ø", "OE"), ("ß", "SS"),
        ("ẞ", "SS"), ("Þ", "TH"), ("Ĳ", "IJ"), ("Œ", "OE"),
        # Table A: diacritic dropped
        ("Ð", "D"), ("Đ", "D"), ("Ñ", "N"), ("É", "E"), ("Č", "C"), ("Ł", "L"), ("Ş", "S"), ("Ž", "Z"),
        ("Ő", "O"), ("Ű", "U"), ("Ū", "U"), ("İ", "I"), ("Ħ", "H"), ("Ŋ", "N"), ("Ŧ", "T"), ("Ç", "C"),
        # lower case is upper-cased first
        ("ä", "AE"), ("ø", "OE"), ("þ", "TH"), ("ĳ", "IJ"), ("œ", "OE"), ("é", "E"), ("ı", "I"),
    ],
)  # fmt: skip
def test_latin_table(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("Müller-Lüdenscheidt", "MUELLER<LUEDENSCHEIDT"),
        ("Ærøskøbing", "AEROESKOEBING"),
        ("Þórður Ðiðriksson", "THORDUR<DIDRIKSSON"),
        ("Straße", "STRASSE"),
        ("Ĳsselmeer", "IJSSELMEER"),
        ("Ñúñez", "NUNEZ"),
        # not in Table A, treated like its neighbours: Romanian comma-below, Vietnamese horn
        ("Ștefan Țiriac", "STEFAN<TIRIAC"),
        ("Nguyễn Văn Thưởng", "NGUYEN<VAN<THUONG"),
        # decomposed input (A + combining diaeresis) is the same name as the composed one
        ("A\u0308ngstro\u0308m", "AENGSTROEM"),
    ],
)
def test_latin_names(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("Ж", "ZH"), ("Х", "KH"), ("Ц", "TS"), ("Ч", "CH"), ("Ш", "SH"), ("Щ", "SHCH"), ("Ы", "Y"),
        ("Ю", "IU"), ("Я", "IA"), ("Ь", ""), ("Ъ", "IE"), ("Й", "I"), ("Ё", "E"), ("Э", "E"),
        ("Є", "IE"), ("Ї", "I"), ("І", "I"), ("Ґ", "G"), ("Ў", "U"), ("Ђ", "D"), ("Ѓ", "G"),
        ("Ѕ", "DZ"), ("Ј", "J"), ("Љ", "LJ"), ("Њ", "NJ"), ("Ћ", "C"), ("Ќ", "K"), ("Џ", "DZ"),
    ],
)  # fmt: skip
def test_cyrillic_table(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz
    assert transliterate(name.lower()) == mrz


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        # Russian internal passports print the ICAO form in the MRZ since 2014
        ("Хрущёв Никита", "KHRUSHCHEV<NIKITA"),
        ("Юлия Ильинична", "IULIIA<ILINICHNA"),
        ("Подъячев", "PODIEIACHEV"),
        ("Цветаева Марина", "TSVETAEVA<MARINA"),
        ("Щукин", "SHCHUKIN"),
    ],
)
def test_cyrillic_names(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


@pytest.mark.parametrize(
    ("name", "language", "mrz"),
    [
        # Belarusian (the ICAO maps' own test vectors): Г -> H, Ё -> IO
        ("Бабрыковіч Аляксандр", "bel", "BABRYKOVICH<ALIAKSANDR"),
        ("Ігар", "bel", "IHAR"),
        ("СВЯТЛАНА", "be", "SVIATLANA"),
        ("Мікалай", "bel", "MIKALAI"),
        ("Фёдар", "bel", "FIODAR"),
        # Ukrainian: И -> Y (and nothing else: Г stays G in ICAO's table)
        ("Григорій", "ukr", "GRYGORII"),
        # Bulgarian: Щ -> SHT
        ("Щерев", "bul", "SHTEREV"),
        # Serbian: Ж Z, Ч C, Ш S, Ц C, Х H
        ("Шешељ Живковић", "srp", "SESELJ<ZIVKOVIC"),
        # Macedonian: Ѓ GJ, Ќ KJ, Џ DJ
        ("Ѓорѓе Ќосев", "mkd", "GJORGJE<KJOSEV"),
    ],
)
def test_language_exceptions(name: str, language: str, mrz: str) -> None:
    assert transliterate(name, language=language) == mrz


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        # Table C is reversible: letters without one Latin equivalent are X + two letters
        ("محمود", "MXHMWD"),
        ("عبدالرحيم", "EBDALRXHYM"),
        ("شريف", "XSHRYF"),
        ("مُحَمد", "MUXHAMD"),  # vowel signs, where written, are transliterated too
        ("أحمد", "XAEXHMD"),
        ("پرویز", "PRWXYAZ"),  # Persian letters
    ],
)
def test_arabic_table(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


def test_language_exceptions_change_only_their_letters() -> None:
    assert transliterate("Григорій") == "GRIGORII"
    assert transliterate("Ігар", language="ukr") == "IGAR"
    assert transliterate("Ігар", language="bel") == "IHAR"


def test_unknown_language_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(MRZCompositionError, match=r"'rus'.*bel"):
        transliterate("Иван", language="rus")
    assert {"bel", "bul", "mkd", "srp", "ukr", "uk"} <= LANGUAGES


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("ERIKSSON, ANNA MARIA", "ERIKSSON<<ANNA<MARIA"),  # ICAO Part 4 4.2.3.1 (a)
        ("SMITH-JONES", "SMITH<JONES"),
        ("O'CONNOR", "OCONNOR"),  # apostrophe omitted, Part 4 4.2.3.1 (d)
        ("O\u2019Connor", "OCONNOR"),  # typographic apostrophe
        ("St. John", "ST<JOHN"),  # full stop omitted
        ("van der  Muellen", "VAN<DER<MUELLEN"),  # a run of spaces is one separator
        ("  Arkfreith ", "ARKFREITH"),
        ("ERIKSSON<<ANNA", "ERIKSSON<<ANNA"),  # already in MRZ characters
        ("", ""),
    ],
)
def test_separators_and_punctuation(name: str, mrz: str) -> None:
    assert transliterate(name) == mrz


@pytest.mark.parametrize(
    ("name", "char", "position"),
    [
        ("Ελένη", "Ε", 0),  # Greek: no ICAO table
        ("مُحَمَّد", "\u0651", 6),  # Arabic shadda: not in Table C
        ("R2D2", "2", 1),
        ("Smith/Jones", "/", 5),
        ("  李", "李", 2),  # the position is in the name as given, leading spaces included
        ("Anna\x1b[31m", "\x1b", 4),
    ],
)
def test_untransliterable_characters_are_named_with_their_position(
    name: str, char: str, position: int
) -> None:
    with pytest.raises(MRZCompositionError) as caught:
        transliterate(name)
    message = str(caught.value)
    assert repr(char) in message
    assert f"U+{ord(char):04X}" in message
    assert f"position {position}" in message


@given(st.text(max_size=40))
def test_any_text_gives_mrz_characters_or_a_composition_error(name: str) -> None:
    try:
        result = transliterate(name)
    except MRZError as error:
        assert isinstance(error, MRZCompositionError)
    else:
        assert all(c == "<" or "A" <= c <= "Z" for c in result)


_TABLE_A_LETTERS = (
    "ÁÀÂÄÃĂÅĀĄĆĈČĊÇĐĎÐÉÈÊËĚĖĒĘĔĜĞĠĢĦĤÍÌÎÏĨİĪĮĬĴĶŁĹĽĻĿŃÑŇŅŊØÓÒÔÖÕŐŌŎŔŘŖŚŜŠŞßŦŤŢÚÙÛÜŨŬŰŮŪŲŴÝŶŸŹŽŻÞÆĲŒ"
)


@given(
    st.text(
        alphabet=st.sampled_from(_TABLE_A_LETTERS + _TABLE_A_LETTERS.lower() + "abcXYZ -,'."), max_size=30
    )
)
def test_table_a_text_always_transliterates(name: str) -> None:
    assert all(c == "<" or "A" <= c <= "Z" for c in transliterate(name))
