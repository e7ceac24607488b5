"""The reader contract: addresses, options, the registry, and the events() template every driver inherits."""

from __future__ import annotations

import threading
import time
import types
import warnings
from collections.abc import Iterable
from importlib.metadata import EntryPoint
from typing import Any, ClassVar

import pytest
from checkpoint.drivers import (
    DetectedReader,
    DocumentRead,
    Option,
    Reader,
    ReaderConfigError,
    ReaderDisconnected,
    ReaderEvent,
    ReaderIOError,
    ReaderNotFound,
    ReaderStatus,
    ReaderUnavailable,
    driver_class,
    list_readers,
    make_reader,
    open_reader,
    parse_address,
    registry,
)
from checkpoint.drivers.address import flag, positive_float, positive_int

# --- addresses ------------------------------------------------------------------------------------


def test_address_parts() -> None:
    address = parse_address("SERIAL:///dev/ttyACM0?protocol=access-is&trace=")
    assert address.scheme == "serial"
    assert address.target == "/dev/ttyACM0"
    assert dict(address.options) == {"protocol": "access-is", "trace": ""}
    assert address.url == "SERIAL:///dev/ttyACM0?protocol=access-is&trace="
    assert parse_address("sim://td3").target == "td3"
    assert parse_address("usb://0db5:013a?protocol=hid-wedge").target == "0db5:013a"


@pytest.mark.parametrize(
    "url,message",
    [
        ("/dev/ttyACM0", r"has no scheme: expected SCHEME://TARGET\?OPTION=VALUE"),
        ("://x", "empty scheme"),
        ("sim://td3?interval", r"are not of the form OPTION=VALUE"),
        ("sim://td3?seed=1&seed=2", "gives the option 'seed' twice"),
        (
            "sim://td3[?interval=2",
            r"is not a valid address \(Invalid IPv6 URL\)",
        ),  # found by benchmarks/fuzz.py
    ],
)
def test_malformed_addresses_say_what_is_expected(url: str, message: str) -> None:
    with pytest.raises(ReaderConfigError, match=message):
        parse_address(url)


def test_option_converters() -> None:
    assert positive_float("0.5") == 0.5 and positive_int("3") == 3
    assert flag("Yes") is True and flag("off") is False
    for convert, text in [
        (positive_float, "0"),
        (positive_int, "-1"),
        (positive_int, "1.5"),
        (flag, "maybe"),
    ]:
        with pytest.raises(ValueError):
            convert(text)
    assert Option("protocol", choices=("a", "b")).form() == "protocol=a|b"
    assert Option("trace", metavar="FILE").form() == "trace=FILE"


# --- a tiny driver to exercise the template --------------------------------------------------------


class FakeReader(Reader):
    """Serves scripted reads; each entry of ``script`` is a list of events or an exception to raise."""

    SCHEME: ClassVar[str] = "fake"
    TARGET_FORM: ClassVar[str] = "NAME"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option("speed", default=1.0, convert=positive_float, metavar="N"),
        Option("mode", default="a", choices=("a", "b")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.script: list[list[ReaderEvent] | Exception] = []
        self.open_failures: list[Exception] = []
        self.opens = 0
        self.open_times: list[float] = []
        self.closes = 0

    def _open(self) -> None:
        self.open_times.append(time.monotonic())
        if self.open_failures:
            raise self.open_failures.pop(0)
        self.opens += 1

    def _close(self) -> None:
        self.closes += 1

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        time.sleep(timeout)
        return []

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        return [DetectedReader(url="fake://one", description="a fake reader")]


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    table = {"fake": f"{__name__}:FakeReader"}
    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", table)
    monkeypatch.setattr(registry, "entry_points", lambda group: [])
    return table


def doc(n: int) -> DocumentRead:
    return DocumentRead(source="fake://x", lines=(f"L{n}",), raw=b"")


def states(events: list[ReaderEvent]) -> list[str]:
    return [event.state for event in events if isinstance(event, ReaderStatus)]


# --- options --------------------------------------------------------------------------------------


def test_options_default_then_address_then_keyword(fake_registry: dict[str, str]) -> None:
    reader = make_reader("fake://x?speed=2.5")
    assert reader.options == {"reconnect_max": 2.0, "speed": 2.5, "mode": "a"}
    backend = object()  # keyword options that are not text are taken as they are
    reader = make_reader("fake://x?speed=2.5", speed=backend, mode="b")
    assert reader.options["speed"] is backend and reader.options["mode"] == "b"


def test_unknown_option_lists_the_known_ones_and_the_expected_form(fake_registry: dict[str, str]) -> None:
    with pytest.raises(ReaderConfigError) as info:
        make_reader("fake://x?sped=2")
    message = str(info.value)
    assert "unknown option 'sped'" in message
    assert "known options: reconnect_max, speed, mode" in message
    assert message.endswith("expected fake://NAME?[speed=N]&[mode=a|b]")
    assert info.value.title == "Reader address not understood"


def test_bad_option_value_says_why(fake_registry: dict[str, str]) -> None:
    with pytest.raises(
        ReaderConfigError, match=r"option speed='0' is not valid \(expected a number greater than 0\)"
    ):
        make_reader("fake://x?speed=0")
    with pytest.raises(ReaderConfigError, match=r"option mode='c' is not valid \(expected one of a, b\)"):
        make_reader("fake://x", mode="c")


# --- registry -------------------------------------------------------------------------------------


def test_registry_finds_the_driver_by_scheme(fake_registry: dict[str, str]) -> None:
    assert driver_class("fake") is FakeReader
    assert driver_class("fake", "anything") is FakeReader  # a bare-scheme driver reads protocol itself


def test_protocol_specific_entry_wins(fake_registry: dict[str, str]) -> None:
    fake_registry["fake:special"] = f"{__name__}:SpecialReader"
    assert driver_class("fake", "special") is SpecialReader
    assert driver_class("fake", "other") is FakeReader


class SpecialReader(FakeReader):
    pass


def test_unknown_scheme_lists_the_known_drivers(fake_registry: dict[str, str]) -> None:
    with pytest.raises(
        ReaderConfigError, match="no reader driver for the scheme 'nope'; known drivers: fake"
    ):
        make_reader("nope://x")


def test_unknown_protocol_lists_the_known_protocols(fake_registry: dict[str, str]) -> None:
    fake_registry.clear()
    fake_registry.update({"wire:one": f"{__name__}:FakeReader", "wire:two": f"{__name__}:FakeReader"})
    with pytest.raises(
        ReaderConfigError, match="no 'wire' reader speaks protocol 'three'; known protocols: one, two"
    ):
        make_reader("wire://x?protocol=three")


def test_import_failure_names_the_missing_module(fake_registry: dict[str, str]) -> None:
    fake_registry["broken"] = "checkpoint_no_such_module.driver:Reader"
    with pytest.raises(ReaderUnavailable, match="'checkpoint_no_such_module' is missing") as info:
        driver_class("broken")
    assert isinstance(info.value.__cause__, ImportError)


def test_a_target_that_is_not_a_reader_class_is_refused(fake_registry: dict[str, str]) -> None:
    fake_registry["odd"] = f"{__name__}:doc"
    with pytest.raises(ReaderUnavailable, match="is not a checkpoint Reader class"):
        driver_class("odd")


def test_entry_point_drivers_plug_in_but_do_not_override_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", {"fake": f"{__name__}:FakeReader"})
    points = [
        EntryPoint("thirdparty", f"{__name__}:SpecialReader", registry.ENTRY_POINT_GROUP),
        EntryPoint("fake", "elsewhere:Other", registry.ENTRY_POINT_GROUP),
    ]
    seen_groups: list[str] = []

    def fake_entry_points(group: str) -> list[EntryPoint]:
        seen_groups.append(group)
        return points

    monkeypatch.setattr(registry, "entry_points", fake_entry_points)
    monkeypatch.setattr(registry, "_reported", set())
    with pytest.warns(
        registry.ReaderPluginWarning, match=r"fake = elsewhere:Other .* reuses the name of a built-in"
    ):
        assert driver_class("thirdparty") is SpecialReader
    assert driver_class("fake") is FakeReader
    assert seen_groups and set(seen_groups) == {"checkpoint.readers"}


def test_a_reused_builtin_name_is_reported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", {"fake": f"{__name__}:FakeReader"})
    monkeypatch.setattr(registry, "entry_points", lambda group: [EntryPoint("fake", "x:Y", group)])
    monkeypatch.setattr(registry, "_reported", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        driver_class("fake")
        driver_class("fake")
    assert [str(w.message).count("reuses the name") for w in caught] == [1]


def test_a_plugin_whose_dependency_is_missing_names_that_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # A third-party driver module that imports a vendor package that is not installed.
    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", {})
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [EntryPoint("acme", "acme_readers.driver:AcmeReader", group)]
    )

    def import_module(name: str) -> types.ModuleType:
        raise ModuleNotFoundError("No module named 'acme_vendor_sdk'", name="acme_vendor_sdk")

    monkeypatch.setattr(registry.importlib, "import_module", import_module)
    with pytest.raises(ReaderUnavailable) as info:
        driver_class("acme")
    message = str(info.value)
    assert "'acme_vendor_sdk' is missing" in message
    assert "acme_readers.driver:AcmeReader" in message and "entry point" in message
    assert "pip install checkpoint" not in message


def test_a_missing_extra_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkpoint import extras

    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", {"usb": "checkpoint_test_usb_driver:Reader"})
    monkeypatch.setattr(registry, "entry_points", lambda group: [])

    def import_module(name: str) -> types.ModuleType:
        raise extras.MissingExtra("usb", "the usb:// readers", "usb")

    monkeypatch.setattr(registry.importlib, "import_module", import_module)
    with pytest.raises(
        ReaderUnavailable, match=r"the usb:// readers needs .*'usb'.*pip install 'checkpoint\[usb\]'"
    ):
        driver_class("usb")


def test_list_readers_uses_each_driver_discover_and_skips_broken_drivers(
    fake_registry: dict[str, str],
) -> None:
    fake_registry["broken"] = "checkpoint_no_such_module:Reader"
    assert list_readers() == [DetectedReader(url="fake://one", description="a fake reader")]
    injected = [lambda: [DetectedReader(url="serial:///dev/pts/9?protocol=lines", description="pty")]]
    assert [reader.url for reader in list_readers(injected)] == ["serial:///dev/pts/9?protocol=lines"]


def test_builtin_table_names_the_serial_and_simulator_drivers() -> None:
    assert registry.BUILTIN_DRIVERS["serial"] == "checkpoint.drivers.serial_reader:SerialReader"


# --- the events() template ----------------------------------------------------------------------------


def test_open_reports_connected_and_the_context_manager_closes(fake_registry: dict[str, str]) -> None:
    with open_reader("fake://x") as reader:
        assert isinstance(reader, FakeReader)
        assert reader.is_open
        reader.script = [[doc(1)]]
        events = list(reader.events(timeout=0.2))
    assert states(events) == ["connected"] and events[1] == doc(1)
    assert not reader.is_open and reader.closes == 1
    reader.close()
    assert reader.closes == 1  # closing twice is harmless


def test_idle_timeout_ends_the_iteration_and_restarts_after_each_event(fake_registry: dict[str, str]) -> None:
    reader = open_reader("fake://x")
    assert isinstance(reader, FakeReader)
    reader.script = [[], [], [doc(1)]]
    start = time.monotonic()
    events = list(reader.events(timeout=0.3))
    elapsed = time.monotonic() - start
    assert [e for e in events if isinstance(e, DocumentRead)] == [doc(1)]
    assert 0.3 <= elapsed < 5.0
    reader.close()


def test_stop_from_another_thread_ends_the_iteration(fake_registry: dict[str, str]) -> None:
    reader = open_reader("fake://x")
    timer = threading.Timer(0.2, reader.stop)
    timer.start()
    start = time.monotonic()
    events = list(reader.events())  # no timeout: only stop() ends it
    assert time.monotonic() - start < 5.0
    assert states(events) == ["connected"]
    timer.join()
    reader.close()


def test_disconnect_reports_then_reconnects_with_backoff(fake_registry: dict[str, str]) -> None:
    reader = make_reader("fake://x?reconnect_max=0.4")
    assert isinstance(reader, FakeReader)
    reader.script = [[doc(1)], ReaderDisconnected("unplugged")]
    reader.open_failures = []
    events: list[ReaderEvent] = []
    for event in reader.events(timeout=3):
        events.append(event)
        if isinstance(event, ReaderStatus) and event.state == "disconnected" and len(events) < 4:
            # the device stays away for three attempts
            reader.open_failures = [ReaderNotFound("gone"), ReaderNotFound("gone"), ReaderIOError("busy")]
        if isinstance(event, ReaderStatus) and states(events) == ["connected", "disconnected", "connected"]:
            reader.script = [[doc(2)]]
        if event == doc(2):
            break
    reader.close()
    assert states(events) == ["connected", "disconnected", "connected"]  # no repeated status events
    assert [e for e in events if isinstance(e, DocumentRead)] == [doc(1), doc(2)]
    assert reader.opens == 2 and reader.closes >= 2
    # back-off: the waits between attempts grow (0.05, 0.1, 0.2 ...) up to reconnect_max
    gaps = [b - a for a, b in zip(reader.open_times[1:], reader.open_times[2:], strict=False)]
    assert len(gaps) == 3 and gaps[0] >= 0.04 and gaps[1] >= 0.09 and gaps[2] >= 0.19


def test_an_io_error_is_a_disconnection_too(fake_registry: dict[str, str]) -> None:
    reader = open_reader("fake://x")
    assert isinstance(reader, FakeReader)
    reader.script = [ReaderIOError("read failed")]
    events = []
    for event in reader.events(timeout=2):
        events.append(event)
        if len(states(events)) == 3:
            break
    reader.close()
    assert states(events) == ["connected", "disconnected", "connected"]
    assert "read failed" in next(
        e.detail for e in events if isinstance(e, ReaderStatus) and e.state == "disconnected"
    )


def test_reader_never_opened_waits_for_the_device(fake_registry: dict[str, str]) -> None:
    reader = make_reader("fake://x?reconnect_max=0.1")
    assert isinstance(reader, FakeReader)
    reader.open_failures = [ReaderNotFound("not yet"), ReaderNotFound("not yet")]
    events = []
    for event in reader.events(timeout=2):
        events.append(event)
        if states(events)[-1:] == ["connected"]:
            break
    reader.close()
    assert states(events) == ["disconnected", "connected"]


def test_other_open_errors_are_reported_as_error_with_their_detail(fake_registry: dict[str, str]) -> None:
    reader = make_reader("fake://x?reconnect_max=0.1")
    assert isinstance(reader, FakeReader)
    reader.open_failures = [ReaderUnavailable("no library"), ReaderUnavailable("still no library")]
    events = []
    for event in reader.events(timeout=2):
        events.append(event)
        if states(events)[-1:] == ["connected"]:
            break
    reader.close()
    details = [(e.state, e.detail) for e in events if isinstance(e, ReaderStatus)]
    assert details[:2] == [("error", "no library"), ("error", "still no library")]
    assert details[-1][0] == "connected"


def test_a_reader_that_does_not_reconnect_ends_after_a_disconnection(fake_registry: dict[str, str]) -> None:
    reader = OneShotReader(parse_address("oneshot://x"))
    reader.open()
    reader.script = [ReaderDisconnected("end of file")]
    events = list(reader.events(timeout=5))
    assert states(events) == ["connected", "disconnected"]
    assert reader.opens == 1


class OneShotReader(FakeReader):
    RECONNECTS = False


def test_open_failure_releases_what_was_acquired(fake_registry: dict[str, str]) -> None:
    reader = make_reader("fake://x")
    assert isinstance(reader, FakeReader)
    reader.open_failures = [ReaderNotFound("nothing there")]
    with pytest.raises(ReaderNotFound, match="nothing there"):
        reader.open()
    assert reader.closes == 1 and not reader.is_open
