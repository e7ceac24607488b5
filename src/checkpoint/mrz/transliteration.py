"""Transliteration of names into MRZ characters, by ICAO Doc 9303 Part 3, section 6.

Only ``A``-``Z`` and the filler ``<`` may appear in the name field of an MRZ. ICAO gives two tables
that this module follows:

- Table A, multinational Latin-based characters: most diacritics are dropped (``É`` -> ``E``), a few
  letters are spelt out (``Ä`` -> ``AE``, ``Å`` -> ``AA``, ``Ø`` -> ``OE``, ``ß`` -> ``SS``,
  ``Þ`` -> ``TH``, ``Æ`` -> ``AE``, ``Œ`` -> ``OE``, ``Ĳ`` -> ``IJ``). Where the table offers an
  alternative (``Ä`` -> ``AE`` or ``A``, ``Ü`` -> ``UE``, ``UXX`` or ``U``) the first, recommended one
  is used. A Latin letter the table does not list (Romanian ``Ș``, Vietnamese ``Ơ``) is treated the way
  the table treats its neighbours: the diacritic is dropped.
- Table B, Cyrillic, with the language-specific exceptions ICAO notes for Belarusian, Bulgarian,
  Macedonian, Serbian and Ukrainian (pass ``language=``).
- Table C, Arabic script: a reversible letter-for-letter scheme (``محمود`` -> ``MXHMWD``).

Greek is not transliterated: Doc 9303 gives no Greek table (Greece prints ELOT 743 forms, which depend
on the neighbouring letters). Greek, CJK and other scripts raise
:class:`~checkpoint.mrz.errors.MRZCompositionError`; give the Latin form printed in the visual zone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from checkpoint.mrz.errors import MRZCompositionError

__all__ = ["LANGUAGES", "transliterate"]

FILLER: Final = "<"

# Separators become a filler; apostrophes (in all their typographic forms) and full stops vanish:
# O'CONNOR -> OCONNOR, ST. JOHN -> ST<JOHN (Doc 9303 Part 3, 4.6 and Part 4 4.2.3.1).
_SEPARATORS: Final = frozenset(" -,\u2010\u2011\u2012\u2013\u00a0")
_OMITTED: Final = frozenset("'.\u2019\u2018\u02bc\u02bb`\u00b4")

# Table A: multinational Latin-based characters (upper case; lower case is upper-cased first).
_LATIN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Á": "A", "À": "A", "Â": "A", "Ä": "AE", "Ã": "A", "Ă": "A", "Å": "AA", "Ā": "A", "Ą": "A",
        "Ć": "C", "Ĉ": "C", "Č": "C", "Ċ": "C", "Ç": "C",
        "Đ": "D", "Ď": "D", "Ð": "D",
        "É": "E", "È": "E", "Ê": "E", "Ë": "E", "Ě": "E", "Ė": "E", "Ē": "E", "Ę": "E", "Ĕ": "E",
        "Ĝ": "G", "Ğ": "G", "Ġ": "G", "Ģ": "G",
        "Ħ": "H", "Ĥ": "H",
        "Í": "I", "Ì": "I", "Î": "I", "Ï": "I", "Ĩ": "I", "İ": "I", "Ī": "I", "Į": "I", "Ĭ": "I",
        "Ĵ": "J",
        "Ķ": "K",
        "Ł": "L", "Ĺ": "L", "Ľ": "L", "Ļ": "L", "Ŀ": "L",
        "Ń": "N", "Ñ": "N", "Ň": "N", "Ņ": "N", "Ŋ": "N",
        "Ø": "OE", "Ó": "O", "Ò": "O", "Ô": "O", "Ö": "OE", "Õ": "O", "Ő": "O", "Ō": "O", "Ŏ": "O",
        "Ŕ": "R", "Ř": "R", "Ŗ": "R",
        "Ś": "S", "Ŝ": "S", "Š": "S", "Ş": "S", "ẞ": "SS", "ß": "SS",
        "Ŧ": "T", "Ť": "T", "Ţ": "T",
        "Ú": "U", "Ù": "U", "Û": "U", "Ü": "UE", "Ũ": "U", "Ŭ": "U", "Ű": "U", "Ů": "U", "Ū": "U",
        "Ų": "U",
        "Ŵ": "W",
        "Ý": "Y", "Ŷ": "Y", "Ÿ": "Y",
        "Ź": "Z", "Ž": "Z", "Ż": "Z",
        "Þ": "TH", "Æ": "AE", "Ĳ": "IJ", "Œ": "OE",
    }
)  # fmt: skip

# Table B: Cyrillic, the recommended transliteration common to all languages.
_CYRILLIC: Final[Mapping[str, str]] = MappingProxyType(
    {
        "А": "A", "Б": "B", "В": "V", "Г": "G", "Ґ": "G", "Д": "D", "Ђ": "D", "Ѓ": "G", "Е": "E",
        "Ё": "E", "Є": "IE", "Ж": "ZH", "З": "Z", "Ѕ": "DZ", "И": "I", "І": "I", "Ї": "I", "Й": "I",
        "Ј": "J", "К": "K", "Л": "L", "Љ": "LJ", "М": "M", "Н": "N", "Њ": "NJ", "О": "O", "П": "P",
        "Р": "R", "С": "S", "Т": "T", "Ћ": "C", "Ќ": "K", "У": "U", "Ў": "U", "Ф": "F", "Х": "KH",
        "Ц": "TS", "Ч": "CH", "Џ": "DZ", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "",
        "Э": "E", "Ю": "IU", "Я": "IA", "Ѫ": "U", "Һ": "C",
    }
)  # fmt: skip

# Table C: Arabic script, letters and vowel signs (Arabic, Persian, Urdu, Pashto letters). The scheme is
# reversible: letters without a single Latin equivalent become X + two letters (ح XH, ش XSH), so the
# original name can be recovered from the MRZ. Written as escapes because the letters join when shown.
# As transcribed identically by two independent public implementations of Part 3 (interscript's ICAO
# map and the mrz package); shadda and tatweel are not in the table and are refused.
_ARABIC: Final[Mapping[str, str]] = MappingProxyType(
    {
        "\u0621": "XE", "\u0622": "XAA", "\u0623": "XAE", "\u0624": "U", "\u0625": "I", "\u0626": "XI",
        "\u0627": "A", "\u0628": "B", "\u0629": "P", "\u062a": "T", "\u062b": "XTH", "\u062c": "J",
        "\u062d": "XH", "\u062e": "XKH", "\u062f": "D", "\u0630": "XDH", "\u0631": "R", "\u0632": "Z",
        "\u0633": "S", "\u0634": "XSH", "\u0635": "XSS", "\u0636": "XDZ", "\u0637": "XTT", "\u0638": "XZZ",
        "\u0639": "E", "\u063a": "G", "\u0641": "F", "\u0642": "Q", "\u0643": "K", "\u0644": "L",
        "\u0645": "M", "\u0646": "N", "\u0647": "H", "\u0648": "W", "\u0649": "XAY", "\u064a": "Y",
        "\u064b": "F", "\u064c": "N", "\u064d": "K", "\u064e": "A", "\u064f": "U", "\u0650": "I",
        "\u0652": "O", "\u0670": "", "\u0671": "XXA", "\u0679": "XXT", "\u067c": "XRT", "\u067e": "P",
        "\u0681": "XKE", "\u0685": "XXH", "\u0686": "XC", "\u0688": "XXD", "\u0689": "XDR", "\u0691": "XXR",
        "\u0693": "XRR", "\u0696": "XRX", "\u0698": "XJ", "\u069a": "XXS", "\u06a9": "XKK", "\u06ab": "XXK",
        "\u06ad": "XNG", "\u06af": "XGG", "\u06ba": "XNN", "\u06bc": "XXN", "\u06be": "XDO",
        "\u06c0": "XYH", "\u06c1": "XXG", "\u06c2": "XGE", "\u06c3": "XTG", "\u06cc": "XYA",
        "\u06cd": "XXY", "\u06d0": "Y", "\u06d2": "XYB", "\u06d3": "XBE",
    }
)  # fmt: skip

# The exceptions Table B notes per language, keyed by ISO 639-2 code: two for Belarusian, one for
# Bulgarian, five for Macedonian, six for Serbian, one for Ukrainian. (Ukrainian passports print the
# national 2010 romanisation, Г -> H; ICAO's table keeps G.)
_CYRILLIC_EXCEPTIONS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "bel": {"Г": "H", "Ё": "IO"},
        "bul": {"Щ": "SHT"},
        "mkd": {"Ѓ": "GJ", "Ќ": "KJ", "Х": "H", "Ц": "C", "Џ": "DJ"},
        "srp": {"Г": "H", "Ж": "Z", "Х": "H", "Ц": "C", "Ч": "C", "Ш": "S"},
        "ukr": {"И": "Y"},
    }
)
_ISO_639_1: Final[Mapping[str, str]] = MappingProxyType(
    {"be": "bel", "bg": "bul", "mk": "mkd", "sr": "srp", "uk": "ukr"}
)

LANGUAGES: Final[frozenset[str]] = frozenset(_CYRILLIC_EXCEPTIONS) | frozenset(_ISO_639_1)
"""Language codes (ISO 639-1 or 639-2) whose Cyrillic exceptions :func:`transliterate` applies."""

# One merged table per language, so that a name costs one dictionary look-up per character.
_TABLES: Final[Mapping[str | None, Mapping[str, str]]] = {
    language: {**_LATIN, **_CYRILLIC, **_ARABIC, **exceptions}
    for language, exceptions in [(None, {}), *_CYRILLIC_EXCEPTIONS.items()]
}


def _strip_latin_diacritics(char: str) -> str | None:
    """``Ș`` -> ``S``: the base letter of a Latin letter with marks, or ``None`` if it is not one."""
    if not unicodedata.name(char, "").startswith("LATIN "):
        return None
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base and base.isascii() and base.isalpha():
        return base.upper()
    return None


def _transliterate_char(char: str, table: Mapping[str, str]) -> str | None:
    if "A" <= char <= "Z" or char == FILLER:
        return char
    if "a" <= char <= "z":
        return char.upper()
    if char in _SEPARATORS or char.isspace():
        return FILLER
    if char in _OMITTED:
        return ""
    if "\u0300" <= char <= "\u036f":
        # A Latin diacritic NFC could not compose onto its letter (i + dot above, from lower-casing İ):
        # dropped like the rest of Table A's. Marks of other scripts (Arabic shadda) are not diacritics.
        return ""
    if char in table:
        return table[char]
    upper = char.upper()
    if upper in table:
        return table[upper]
    if upper.isascii() and upper.isalpha():  # dotless ı, ligatures such as ﬁ
        return upper
    return _strip_latin_diacritics(char)


def transliterate(name: str, *, language: str | None = None) -> str:
    """Return ``name`` written in MRZ characters (``A``-``Z`` and ``<``) by ICAO 9303 Part 3 section 6.

    Letters are upper-cased and transliterated by the ICAO tables; spaces, hyphens and commas become
    ``<`` (a run of spaces counts once, so ``"ERIKSSON, ANNA"`` gives ``"ERIKSSON<<ANNA"``);
    apostrophes and full stops are omitted; leading and trailing spaces are ignored. ``language`` (ISO
    639-1 or 639-2: ``bel``, ``bul``, ``mkd``, ``srp``, ``ukr``) applies that language's exceptions to
    the Cyrillic table, e.g. Ukrainian ``И`` -> ``Y``. Field length is not this function's business:
    :func:`checkpoint.mrz.compose` truncates.

    Raises:
        MRZCompositionError: a character cannot be transliterated (digits, Greek, CJK, symbols);
            the message names the character, its code point and its 0-based position in ``name``
            (counted after Unicode composition, which only matters for decomposed input); or
            ``language`` is not one of :data:`LANGUAGES`.
    """
    table = _table_for(language)
    out: list[str] = []
    previous_was_space = False
    # Composed form, so that "A" + combining diaeresis is Ä (-> AE), not A plus an unknown mark.
    text = unicodedata.normalize("NFC", name)
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    for index, char in enumerate(stripped):
        if char.isspace():
            if not previous_was_space:
                out.append(FILLER)
            previous_was_space = True
            continue
        previous_was_space = False
        mapped = _transliterate_char(char, table)
        if mapped is None:
            position = offset + index
            raise MRZCompositionError(
                f"cannot transliterate {char!r} (U+{ord(char):04X}) at position {position} of the name: "
                "ICAO 9303 Part 3 has no MRZ form for it; give the name in Latin letters"
            )
        out.append(mapped)
    return "".join(out)


def _table_for(language: str | None) -> Mapping[str, str]:
    if language is None:
        return _TABLES[None]
    code = language.strip().lower()
    code = _ISO_639_1.get(code, code)
    try:
        return _TABLES[code]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise MRZCompositionError(
            f"no ICAO transliteration exceptions for language {language!r}; expected one of {known}"
        ) from None
