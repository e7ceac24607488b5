"""ICAO 9303 machine-readable zones: parse, validate, repair and compose. Standard library only."""
