"""Simulators of passport readers and scanners (installed as :mod:`checkpoint.mocks`)."""
