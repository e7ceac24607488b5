"""Reader addresses: ``scheme://target?option=value&...``, and the options a driver declares.

One address string names one device, the way pyserial's ``serial_for_url`` does. The *target* is what
sits between ``://`` and ``?``: a device path (``/dev/ttyACM0``), ``auto``, a ``VID:PID`` pair, a
simulator profile. Unknown or malformed options are rejected with the driver's expected form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from checkpoint.drivers.errors import ReaderConfigError


@dataclass(frozen=True, slots=True)
class ReaderAddress:
    """A parsed reader address. ``url`` is the address as given, used as the ``source`` of events."""

    url: str
    scheme: str
    target: str
    options: Mapping[str, str]


def parse_address(url: str) -> ReaderAddress:
    """Split ``url`` into scheme, target and options.

    Raises :class:`ReaderConfigError` when there is no ``scheme://`` or an option is given twice.
    """
    if not isinstance(url, str) or "://" not in url:
        raise ReaderConfigError(
            f"reader address {url!r} has no scheme: expected SCHEME://TARGET?OPTION=VALUE, "
            "e.g. serial:///dev/ttyACM0?protocol=access-is or sim://td3"
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unbalanced "[" reads as a broken IPv6 host
        raise ReaderConfigError(
            f"reader address {url!r} is not a valid address ({exc}): expected SCHEME://TARGET?OPTION=VALUE"
        ) from exc
    scheme = parts.scheme.lower()
    if not scheme:
        raise ReaderConfigError(f"reader address {url!r} has an empty scheme: expected SCHEME://TARGET")
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise ReaderConfigError(
            f"reader address {url!r}: the options {parts.query!r} are not of the form OPTION=VALUE&OPTION=VALUE"
        ) from exc
    for key, value in pairs:
        if key in options:
            raise ReaderConfigError(f"reader address {url!r} gives the option {key!r} twice")
        options[key] = value
    return ReaderAddress(url=url, scheme=scheme, target=parts.netloc + parts.path, options=options)


def _identity(value: str) -> str:
    return value


@dataclass(frozen=True, slots=True)
class Option:
    """One option a driver accepts: its name, how its text converts, its default and allowed choices.

    ``convert`` turns the text of an address option into the value the driver uses and raises
    ``ValueError`` for a bad value. Options passed as keyword arguments that are not strings (a pyusb
    backend object, say) are taken as they are.
    """

    name: str
    default: Any = None
    convert: Callable[[str], Any] = _identity
    choices: tuple[str, ...] = ()
    metavar: str = "VALUE"
    help: str = ""

    def form(self) -> str:
        """Return the option as it is written in an address, e.g. ``protocol=access-is|lines``."""
        return f"{self.name}={'|'.join(self.choices) if self.choices else self.metavar}"

    def parse(self, value: str) -> Any:
        """Return ``value`` converted; raise ``ValueError`` when it is not one this option accepts."""
        if self.choices and value not in self.choices:
            raise ValueError(f"expected one of {', '.join(self.choices)}")
        return self.convert(value)


def positive_float(value: str) -> float:
    """Convert an option's text to a float greater than zero."""
    number = float(value)
    if not number > 0:
        raise ValueError("expected a number greater than 0")
    return number


def positive_int(value: str) -> int:
    """Convert an option's text to an integer greater than zero."""
    number = int(value)
    if number <= 0:
        raise ValueError("expected a whole number greater than 0")
    return number


def flag(value: str) -> bool:
    """Convert ``1/0``, ``true/false``, ``yes/no``, ``on/off`` to a bool."""
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected 1 or 0")


def expected_form(scheme: str, target_form: str, options: tuple[Option, ...]) -> str:
    """Return the address form a driver accepts, e.g. ``serial://PATH|auto?protocol=lines&trace=FILE``."""
    query = "&".join(
        f"[{option.form()}]" if option.default is not None else option.form() for option in options
    )
    return f"{scheme}://{target_form}" + (f"?{query}" if query else "")


def resolve_options(
    address: ReaderAddress, declared: tuple[Option, ...], overrides: Mapping[str, Any], form: str
) -> dict[str, Any]:
    """Return every declared option's value: the default, then the address, then ``overrides``.

    A keyword option is checked as the same option in the address is: a string, a number or a bool
    goes through the option's choices and conversion (``interval=-5`` is refused as ``?interval=-5``
    is, ``interval=2`` becomes ``2.0``). Any other object (a pyusb backend, a date) is taken as it is,
    for the driver to judge.

    Raises :class:`ReaderConfigError` naming the option and the expected form when an option is
    unknown or its value is not accepted.
    """
    by_name = {option.name: option for option in declared}
    values: dict[str, Any] = {option.name: option.default for option in declared}
    given: list[tuple[str, Any, str]] = [
        *((name, value, "") for name, value in address.options.items()),
        *((name, value, " (a keyword argument)") for name, value in overrides.items()),
    ]
    for name, value, how in given:
        option = by_name.get(name)
        if option is None:
            known = ", ".join(by_name) or "none"
            raise ReaderConfigError(
                f"reader address {address.url!r}: unknown option {name!r}{how} (known options: {known}); "
                f"expected {form}"
            )
        if isinstance(value, str | int | float):
            try:
                value = option.parse(value if isinstance(value, str) else str(value))
            except ValueError as exc:
                raise ReaderConfigError(
                    f"reader address {address.url!r}: option {name}={value!r} is not valid ({exc}){how}; "
                    f"expected {form}"
                ) from exc
        values[name] = value
    return values
