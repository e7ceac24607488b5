"""The PC/SC plumbing through the real stack (vpcd -> pcscd -> pyscard -> our transport and reader), with
small card objects whose answers are known, so each test pins one behaviour of the bridge or the driver.
"""

from __future__ import annotations

import time

import pytest
from checkpoint.drivers import DocumentPresent, DocumentRead, DocumentRemoved, ReaderNotFound, make_reader
from checkpoint.drivers.pcsc_reader import PcscReader
from checkpoint.drivers.pcsc_transport import PcscContext, PcscTransport
from checkpoint.mocks.pcsc_stack import PcscStack, list_pcsc_readers, pcscd_answers

from checkpoint.emrtd.errors import CardRemoved
from tests.chip.conftest import Slot

ATR = bytes.fromhex("3B8880010000000000718100F9")


class EchoCard:
    """Answers every command with its bytes reversed and 9000; counts power events."""

    atr = ATR

    def __init__(self) -> None:
        self.powered = 0
        self.commands: list[bytes] = []

    def power_on(self) -> None:
        self.powered += 1

    def power_off(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def transmit(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        return apdu[::-1] + b"\x90\x00"


class ChainingCard(EchoCard):
    """A T=0 style card: answers 61 10 and gives 16 bytes to GET RESPONSE, in two parts."""

    def transmit(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        if apdu[1] == 0xC0:
            return bytes(range(16)) + b"\x90\x00"
        return b"\x61\x10"


class PulledCard(EchoCard):
    """Pulled out of the reader on its third command, the way a traveller takes the passport away."""

    def transmit(self, apdu: bytes) -> bytes:
        if len(self.commands) == 2:
            raise CardRemoved("pulled")
        return super().transmit(apdu)


def connect(reader: str, timeout: float = 5.0) -> PcscTransport:
    """Connect to the card once pcscd has noticed it (vpcd is polled for presence)."""
    context = PcscContext()
    deadline = time.monotonic() + timeout
    while True:
        try:
            return PcscTransport(context, reader)
        except CardRemoved:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_the_stack_lists_the_virtual_reader(pcsc_stack: PcscStack) -> None:
    assert pcscd_answers()
    assert pcsc_stack.reader in list_pcsc_readers()
    assert f"pcsc://{pcsc_stack.reader.replace(' ', '%20')}" in [r.url for r in PcscReader.discover()]


def test_a_card_answers_through_the_real_stack(vpcd_slot: Slot, virtual_reader_name: str) -> None:
    card = EchoCard()
    vpcd_slot.insert(card)
    transport = connect(virtual_reader_name)
    try:
        assert transport.atr == ATR
        select = bytes.fromhex("00A4040C07A0000002471001")
        assert transport.transmit(select) == select[::-1] + bytes.fromhex("9000")
        assert card.commands[-1] == bytes.fromhex("00A4040C07A0000002471001")
        assert card.powered >= 1
    finally:
        transport.close()


def test_a_long_command_and_answer_cross_the_stack_whole(vpcd_slot: Slot, virtual_reader_name: str) -> None:
    vpcd_slot.insert(EchoCard())
    transport = connect(virtual_reader_name)
    try:
        data = bytes(range(256)) * 3  # an extended-length command, as a chunked SOD read sends
        apdu = b"\x0c\xb0\x00\x00\x00" + len(data).to_bytes(2, "big") + data + b"\x00\x00"
        assert transport.transmit(apdu) == apdu[::-1] + b"\x90\x00"
    finally:
        transport.close()


def test_61xx_is_followed_by_get_response(vpcd_slot: Slot, virtual_reader_name: str) -> None:
    card = ChainingCard()
    vpcd_slot.insert(card)
    transport = connect(virtual_reader_name)
    try:
        assert transport.transmit(bytes.fromhex("00B0000000")) == bytes(range(16)) + b"\x90\x00"
        assert card.commands[-1] == bytes.fromhex("00C0000010")
    finally:
        transport.close()


def test_a_card_pulled_mid_exchange_is_card_removed(vpcd_slot: Slot, virtual_reader_name: str) -> None:
    vpcd_slot.insert(PulledCard())
    transport = connect(virtual_reader_name)
    try:
        transport.transmit(b"\x00\x84\x00\x00\x08")
        transport.transmit(b"\x00\x84\x00\x00\x08")
        with pytest.raises(CardRemoved, match="left the reader"):  # never a reader error: the reader is fine
            transport.transmit(b"\x00\x84\x00\x00\x08")
        assert not vpcd_slot.inserted
    finally:
        transport.close()


def test_the_reader_reports_a_card_arriving_and_leaving(vpcd_slot: Slot, virtual_reader_name: str) -> None:
    with make_reader(f"pcsc://{virtual_reader_name}") as reader:
        assert reader.describe() == f"PC/SC chip reader {virtual_reader_name}"
        events = reader.events(timeout=5)
        vpcd_slot.insert(EchoCard())
        kinds = []
        for event in events:
            kinds.append(type(event))
            if isinstance(event, DocumentPresent):
                vpcd_slot.remove()
            if isinstance(event, DocumentRemoved):
                break
        # No key was given: the card is announced, never read.
        assert DocumentRead not in kinds
        assert kinds[-2:] == [DocumentPresent, DocumentRemoved]


def test_a_reader_name_that_is_not_there_is_not_found(pcsc_stack: PcscStack) -> None:
    with pytest.raises(ReaderNotFound, match=r"no PC/SC reader is called 'Acme 9000'.*Virtual PCD 00 00"):
        make_reader("pcsc://Acme 9000").open()


def test_part_of_a_name_picks_the_one_reader_it_names(pcsc_stack: PcscStack) -> None:
    with make_reader("pcsc://virtual%20pcd%2000%2001") as reader:
        assert reader.describe() == "PC/SC chip reader Virtual PCD 00 01"


def test_a_stack_inside_a_running_one_starts_and_stops_nothing(pcsc_stack: PcscStack) -> None:
    with PcscStack() as inner:
        assert not inner.started
        assert inner.reader in list_pcsc_readers()
    # Stopping the inner stack left the running pcscd alone.
    assert pcscd_answers()
    assert pcsc_stack.reader in list_pcsc_readers()


def test_stale_files_of_a_dead_pcscd_are_removed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from checkpoint.mocks import pcsc_stack as module

    socket_file, pid_file = tmp_path / "pcscd.comm", tmp_path / "pcscd.pid"
    monkeypatch.setattr(module, "PCSCD_SOCKET", socket_file)
    monkeypatch.setattr(module, "PCSCD_PID_FILE", pid_file)
    dead = subprocess.Popen(["true"])
    dead.wait()
    socket_file.write_bytes(b"")
    pid_file.write_text(f"{dead.pid}\n")
    module._remove_stale_files()
    assert not socket_file.exists() and not pid_file.exists()


def test_a_live_pcscd_that_does_not_answer_is_not_touched(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkpoint.mocks import pcsc_stack as module

    socket_file, pid_file = tmp_path / "pcscd.comm", tmp_path / "pcscd.pid"
    monkeypatch.setattr(module, "PCSCD_SOCKET", socket_file)
    monkeypatch.setattr(module, "PCSCD_PID_FILE", pid_file)
    monkeypatch.setattr(module, "_pid_is_pcscd", lambda pid: True)
    pid_file.write_text("4242\n")
    with pytest.raises(module.PcscStackError, match=r"pcscd \(pid 4242\) is running but does not answer"):
        module._remove_stale_files()
    assert pid_file.exists()


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        ("SCARD_W_REMOVED_CARD", CardRemoved, "the card left the reader on 'R' while reading"),
        ("SCARD_E_NO_SMARTCARD", CardRemoved, "the card left the reader"),
        (
            "SCARD_E_READER_UNAVAILABLE",
            "ReaderDisconnected",
            "the PC/SC reader on 'R' went away while reading",
        ),
        ("SCARD_E_NO_SERVICE", "ReaderDisconnected", "the PC/SC service (pcscd) stopped answering"),
        ("SCARD_E_SHARING_VIOLATION", "ReaderIOError", "PC/SC failed on 'R' while reading"),
    ],
)
def test_pcsc_results_become_our_errors(code: str, error: object, words: str) -> None:
    from checkpoint.drivers import errors
    from checkpoint.drivers.pcsc_transport import check
    from smartcard import scard

    expected = getattr(errors, error) if isinstance(error, str) else error
    with pytest.raises(expected) as caught:  # type: ignore[call-overload]
        check(getattr(scard, code), "reading", "R")
    assert str(caught.value).startswith(words)
    if expected is not CardRemoved:
        assert isinstance(caught.value, errors.ReaderError)


class NonsenseCard(EchoCard):
    """Says yes to everything, with bytes that mean nothing: not a passport, maybe a hostile card."""

    def transmit(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        return bytes.fromhex("7F61FF0102") + b"\x90\x00"


def test_a_card_that_answers_nonsense_is_a_failed_read_not_a_crash(
    vpcd_slot: Slot, virtual_reader_name: str
) -> None:
    lines = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    with make_reader(f"pcsc://{virtual_reader_name}?mrz={lines}") as reader:
        events = reader.events(timeout=10)
        vpcd_slot.insert(NonsenseCard())
        read = next(event for event in events if isinstance(event, DocumentRead))
    assert read.chip is not None and read.chip.state == "failed"
    assert read.chip.title and read.chip.detail
    assert read.lines == tuple(lines.split("|"))
