"""checkpoint: passport-reader integration library and border-checkpoint client.

Subpackages, from the bottom layer up (imports point downwards only):

- :mod:`checkpoint.mrz`: ICAO 9303 machine-readable zones (standard library only).
- :mod:`checkpoint.ocr`: MRZs from images (the ``ocr`` extra).
- :mod:`checkpoint.drivers`: the reader contract and the device drivers (``usb://`` needs the ``usb`` extra).
- :mod:`checkpoint.mocks`: simulators of reader hardware, and pytest fixtures.
- :mod:`checkpoint.inspection`, :mod:`checkpoint.store`: the checks engine and the store.
- :mod:`checkpoint.tui`: the officer's client (the ``client`` extra).
- :mod:`checkpoint.cli`: the ``checkpoint`` command.

:mod:`checkpoint.extras` says which extra installs what.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    # One source: the version in pyproject.toml, as the installed distribution's metadata holds it.
    __version__: str = version("checkpoint")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
