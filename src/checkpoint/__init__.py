"""checkpoint: passport-reader integration library and border-checkpoint client.

Subpackages, from the bottom layer up (imports point downwards only):

- :mod:`checkpoint.mrz`: ICAO 9303 machine-readable zones (standard library only).
- :mod:`checkpoint.mocks`: simulators of reader hardware.
- :mod:`checkpoint.drivers`: the reader contract and the device drivers.
- :mod:`checkpoint.cli`: the ``checkpoint`` command.
"""

__version__ = "0.1.0"
