"""The optional parts of checkpoint and the extra that installs each.

``pip install checkpoint`` gives the MRZ library, the reader contract, the serial drivers and the
simulators that need nothing more. The rest comes with an extra:

===========  ====================================================  ============================
extra        what it adds                                          Python modules
===========  ====================================================  ============================
``ocr``      MRZs from images, ``sane://`` and ``folder://``,      numpy, cv2, PIL, pytesseract,
             synthetic document pages                              tesserocr
``client``   the officer's client (``checkpoint run``, ``demo``)   textual
``usb``      ``usb://`` readers and their simulators               usb (pyusb)
``chip``     e-passport chips: ``checkpoint.emrtd``, the chip      cryptography, asn1crypto,
             emulator and test PKI                                 Crypto, ecdsa, pycountry
``pcsc``     ``pcsc://`` chip readers, the chip photo on screen    smartcard (pyscard),
                                                                   textual_image
``post``     a post's PostgreSQL store and sync                    psycopg, psycopg_pool
``training`` training mode's HTML report charts                    matplotlib
``all``      everything above
===========  ====================================================  ============================

A part whose extra is missing fails only when it is used, with :class:`MissingExtra`: an
``ImportError`` whose message names the missing module and the ``pip install`` line that brings it.
"""

from __future__ import annotations

import importlib.util
from typing import Final

#: extra -> the top-level Python modules it installs (the ones the parts import).
EXTRAS: Final[dict[str, tuple[str, ...]]] = {
    "ocr": ("numpy", "cv2", "PIL", "pytesseract", "tesserocr"),
    "client": ("textual",),
    "usb": ("usb",),
    "chip": ("cryptography", "asn1crypto", "Crypto", "ecdsa", "pycountry"),
    "pcsc": ("smartcard", "textual_image"),
    "post": ("psycopg", "psycopg_pool"),
    "training": ("matplotlib",),
}


class MissingExtra(ImportError):
    """A part of checkpoint was used whose optional dependencies are not installed.

    ``extra`` is the name of the extra that installs them, ``part`` what was asked for, ``name`` (as
    for any ``ImportError``) the first missing module.
    """

    def __init__(self, extra: str, part: str, missing: str) -> None:
        self.extra = extra
        self.part = part
        super().__init__(
            f"{part} needs the Python module {missing!r}, which is not installed: "
            f"pip install 'checkpoint[{extra}]'",
            name=missing,
        )


def missing_modules(extra: str) -> list[str]:
    """Return the modules of ``extra`` that cannot be found, in the order :data:`EXTRAS` lists them.

    Raises ``KeyError`` for an unknown extra.
    """
    return [module for module in EXTRAS[extra] if importlib.util.find_spec(module) is None]


def require(extra: str, part: str) -> None:
    """Raise :class:`MissingExtra` naming ``part`` when a module of ``extra`` is not installed."""
    missing = missing_modules(extra)
    if missing:
        raise MissingExtra(extra, part, missing[0])
