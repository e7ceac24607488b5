"""Framing tests that read like the datasheet: hex fixtures in, frames out, and back again."""

from __future__ import annotations

import pytest
from checkpoint.drivers import framing_access_is as access_is
from checkpoint.drivers import framing_est100 as est100
from checkpoint.drivers import framing_honeywell as honeywell
from checkpoint.drivers import framing_lines as lines_framing
from checkpoint.drivers.events import BarcodeRead, DocumentPresent, DocumentRead, MalformedFrame, StripeRead
from checkpoint.drivers.frames import (
    BarcodeFrame,
    Frame,
    Framer,
    MrzFrame,
    PartialFrame,
    SignalFrame,
    StripeFrame,
    frame_event,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# ICAO 9303 Part 4 specimen, and a TD1 (Part 5 specimen).
L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3 = (L1, L2)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def hexb(text: str) -> bytes:
    """Bytes from a datasheet-style hex string, where "..." quotes ASCII."""
    out = bytearray()
    parts = text.split('"')
    for index, part in enumerate(parts):
        out += part.encode("ascii") if index % 2 else bytes.fromhex(part)
    return bytes(out)


# --- Access-IS -------------------------------------------------------------------------------------

ACCESS_IS_TD3 = hexb(f'1C 02 "{L1}" 0D "{L2}" 03 1D')
ACCESS_IS_TD1_TRAILING_CR = hexb(f'1C 02 "{TD1[0]}" 0D "{TD1[1]}" 0D "{TD1[2]}" 0D 03 1D')
ACCESS_IS_BARCODE = hexb('1E 02 "Q" "HELLO-123" 03 1F')
ACCESS_IS_STRIPE = hexb('0E 02 "1" "1" "%B123^DOE" 0D "2" ";456=789" 0D 03 0F')


def test_access_is_encoders_match_the_datasheet() -> None:
    assert access_is.encode_mrz(TD3) == ACCESS_IS_TD3
    assert access_is.encode_mrz(TD1, trailing_cr=True) == ACCESS_IS_TD1_TRAILING_CR
    assert access_is.encode_barcode("Q", "HELLO-123") == ACCESS_IS_BARCODE
    assert access_is.encode_stripe("1", [("1", "%B123^DOE"), ("2", ";456=789")]) == ACCESS_IS_STRIPE


def test_access_is_decodes_each_frame_kind() -> None:
    framer = access_is.AccessIsFramer()
    stream = ACCESS_IS_TD3 + ACCESS_IS_TD1_TRAILING_CR + ACCESS_IS_BARCODE + ACCESS_IS_STRIPE
    assert framer.feed(stream, 0.0) == [
        MrzFrame(lines=TD3, raw=ACCESS_IS_TD3),
        MrzFrame(lines=TD1, raw=ACCESS_IS_TD1_TRAILING_CR),
        BarcodeFrame(data="HELLO-123", symbology="Q", raw=ACCESS_IS_BARCODE),
        StripeFrame(tracks=("%B123^DOE", ";456=789"), card_type="1", raw=ACCESS_IS_STRIPE),
    ]
    assert framer.deadline() is None


@pytest.mark.parametrize("fixture", [ACCESS_IS_TD3, ACCESS_IS_TD1_TRAILING_CR, ACCESS_IS_BARCODE])
def test_access_is_every_split_boundary_gives_one_frame(fixture: bytes) -> None:
    expected = access_is.AccessIsFramer().feed(fixture, 0.0)
    for cut in range(1, len(fixture)):
        framer = access_is.AccessIsFramer()
        frames = framer.feed(fixture[:cut], 0.0) + framer.feed(fixture[cut:], 0.1)
        assert frames == expected, cut


def test_access_is_skips_noise_and_keeps_a_start_split_from_its_second_byte() -> None:
    framer = access_is.AccessIsFramer()
    assert framer.feed(hexb("00 FF 41 1C"), 0.0) == []
    assert framer.feed(ACCESS_IS_TD3[1:], 0.0) == [MrzFrame(lines=TD3, raw=ACCESS_IS_TD3)]


def test_access_is_frame_cut_by_the_next_is_reported_with_its_bytes() -> None:
    framer = access_is.AccessIsFramer()
    cut = ACCESS_IS_TD3[:30]
    frames = framer.feed(cut + ACCESS_IS_TD3, 0.0)
    assert frames == [
        PartialFrame(raw=cut, detail="OCR frame cut off by the next frame"),
        MrzFrame(lines=TD3, raw=ACCESS_IS_TD3),
    ]


def test_access_is_stalled_frame_times_out_as_partial() -> None:
    framer = access_is.AccessIsFramer(frame_timeout=1.0)
    assert framer.feed(ACCESS_IS_TD3[:40], 10.0) == []
    assert framer.deadline() == 11.0
    assert framer.flush(10.9) == []
    (partial,) = framer.flush(11.0)
    assert isinstance(partial, PartialFrame) and partial.raw == ACCESS_IS_TD3[:40]
    # and then it resynchronises on the next frame
    assert framer.feed(ACCESS_IS_TD3, 12.0) == [MrzFrame(lines=TD3, raw=ACCESS_IS_TD3)]


def test_access_is_late_bytes_after_a_gap_are_not_glued_to_the_stalled_frame() -> None:
    framer = access_is.AccessIsFramer(frame_timeout=1.0)
    framer.feed(ACCESS_IS_TD3[:40], 0.0)
    frames = framer.feed(ACCESS_IS_TD3, 5.0)
    assert [type(frame) for frame in frames] == [PartialFrame, MrzFrame]


def test_access_is_runaway_frame_is_bounded() -> None:
    framer = access_is.AccessIsFramer(max_frame=100)
    (partial,) = framer.feed(b"\x1c\x02" + b"A" * 200, 0.0)
    assert isinstance(partial, PartialFrame) and len(partial.raw) == 202


# --- Honeywell --------------------------------------------------------------------------------------

HONEYWELL_TD3 = hexb(f'"{L1}" 0D "{L2}"')
HONEYWELL_TD1 = hexb(f'"{TD1[0]}" 0D "{TD1[1]}" 0D "{TD1[2]}"')


def test_honeywell_data_is_89_bytes_for_td3_and_92_for_td1() -> None:
    assert honeywell.encode_mrz(TD3) == HONEYWELL_TD3 and len(HONEYWELL_TD3) == 89
    assert honeywell.encode_mrz(TD1) == HONEYWELL_TD1 and len(HONEYWELL_TD1) == 92
    assert honeywell.encode_mrz(TD3, suffix=b"\r\n") == HONEYWELL_TD3 + b"\r\n"


def test_honeywell_commands_match_the_manual() -> None:
    assert honeywell.encode_menu_command("ocrena1!") == hexb('16 4D 0D "ocrena1!"')
    assert hexb("16 54 0D") == honeywell.TRIGGER and hexb("16 55 0D") == honeywell.UNTRIGGER
    with pytest.raises(ValueError, match="must end with"):
        honeywell.encode_menu_command("ocrena1")


def test_honeywell_reply_inserts_a_status_before_each_separator() -> None:
    assert honeywell.encode_menu_reply("ocrena1!", ["ACK"]) == hexb('"OCRENA1" 06 "!"')
    reply = honeywell.encode_menu_reply("ocrena1;ocrats2,xyz9.", ["ACK", "NAK", "ENQ"])
    assert reply == hexb('"OCRENA1" 06 ";OCRATS2" 15 ",XYZ9" 05 "."')
    assert honeywell.reply_complete(reply) and not honeywell.reply_complete(reply[:-1])
    assert honeywell.parse_menu_reply(reply) == [("OCRENA1", "ACK"), ("OCRATS2", "NAK"), ("XYZ9", "ENQ")]
    with pytest.raises(ValueError):
        honeywell.parse_menu_reply(b"OCRENA1!")


def test_honeywell_command_settings_share_their_tag_after_a_comma() -> None:
    assert honeywell.parse_menu_command("ocrena1,ats2;allena0.") == [
        honeywell.Setting("OCR", "ENA", "1"),
        honeywell.Setting("OCR", "ATS", "2"),
        honeywell.Setting("ALL", "ENA", "0"),
    ]
    with pytest.raises(ValueError):
        honeywell.parse_menu_command("oc!")


@pytest.mark.parametrize("fixture,expected", [(HONEYWELL_TD3, TD3), (HONEYWELL_TD1, TD1)])
def test_honeywell_data_ends_by_its_shape_at_every_split(fixture: bytes, expected: tuple[str, ...]) -> None:
    for cut in range(1, len(fixture)):
        framer = lines_framing.LinesFramer(silence=0.3)
        frames = framer.feed(fixture[:cut], 0.0) + framer.feed(fixture[cut:], 0.1)
        # no silence needed: the last line's length completes the document
        assert frames == [MrzFrame(lines=expected, raw=fixture)], cut
        assert framer.deadline() is None


def test_honeywell_dropped_row_ends_with_the_silence_as_a_one_line_document() -> None:
    framer = lines_framing.LinesFramer(silence=0.3)
    assert framer.feed(L1.encode(), 1.0) == []
    assert framer.flush(1.29) == []
    assert framer.flush(1.3) == [MrzFrame(lines=(L1,), raw=L1.encode())]


def test_truncated_line_is_a_partial_frame_after_the_silence() -> None:
    framer = lines_framing.LinesFramer(silence=0.3)
    data = HONEYWELL_TD3[:60]
    assert framer.feed(data, 0.0) == []
    (partial,) = framer.flush(1.0)
    assert isinstance(partial, PartialFrame) and partial.raw == data and "44, 15" in partial.detail


# --- plain lines -------------------------------------------------------------------------------------

LINES_TD3 = hexb(f'"{L1}" 0D 0A "{L2}" 0D 0A')


def test_lines_encoder_and_decoder_agree_with_the_fixture() -> None:
    assert lines_framing.encode_lines(TD3, separator=b"\r\n", suffix=b"\r\n") == LINES_TD3
    framer = lines_framing.LinesFramer()
    assert framer.feed(LINES_TD3 + LINES_TD3, 0.0) == [
        MrzFrame(lines=TD3, raw=LINES_TD3[:-2]),
        MrzFrame(lines=TD3, raw=LINES_TD3[:-2]),
    ]


def test_lines_garbage_line_spoils_the_read_until_silence() -> None:
    framer = lines_framing.LinesFramer(silence=0.3)
    data = b"P<UTOERIK\r\n" + L2.encode() + b"\r\n"
    assert framer.feed(data, 0.0) == []
    (partial,) = framer.flush(0.5)
    assert isinstance(partial, PartialFrame) and partial.raw == data.rstrip(b"\n")[:-1] + b"\r\n"
    assert framer.feed(LINES_TD3, 1.0) == [MrzFrame(lines=TD3, raw=LINES_TD3[:-2])]


# --- EST-100 ------------------------------------------------------------------------------------------


def test_est100_encoder_matches_the_note() -> None:
    start = b'\x02PCSign:{"stage":"readStart","type":"PassPort"}\x03\r\n'
    camera = (
        b'\x02CameraData:{"data":"' + L1.encode() + b"\\n" + L2.encode() + b'","type":"PassPort"}\x03\r\n'
    )
    end = b'\x02PCSign:{"stage":"readEnd","type":"PassPort"}\x03\r\n'
    assert est100.encode_document(TD3) == start + camera + end
    framer = est100.Est100Framer()
    assert framer.feed(start + camera + end, 0.0) == [
        SignalFrame(signal="present", raw=start),
        MrzFrame(lines=TD3, raw=camera),
        SignalFrame(signal="removed", raw=end),
    ]


def test_est100_parses_json_not_positions() -> None:
    raw = (
        b'\x02CameraData: { "type" : "PassPort", "data" : "'
        + L1.encode()
        + b"\\r\\n"
        + L2.encode()
        + b'" }\x03\r\n'
    )
    assert est100.Est100Framer().feed(raw, 0.0) == [MrzFrame(lines=TD3, raw=raw)]


def test_est100_barcode_chip_data_and_bad_json() -> None:
    barcode = est100.encode_barcode("https://example.org/x")
    chip = est100.encode_message("EidlinkResult", {"reqId": "FF0000000001"})
    bad = b"\x02CameraData:{not json\x03\r\n"
    frames = est100.Est100Framer().feed(barcode + chip + bad, 0.0)
    assert frames[0] == BarcodeFrame(data="https://example.org/x", symbology="QR CODE", raw=barcode)
    assert isinstance(frames[1], PartialFrame) and frames[1].raw == bad and "JSON" in frames[1].detail
    assert len(frames) == 2  # the chip data is read later; it is logged, not an event


def test_est100_every_split_boundary() -> None:
    stream = est100.encode_document(TD3)
    expected = est100.Est100Framer().feed(stream, 0.0)
    for cut in range(1, len(stream)):
        framer = est100.Est100Framer()
        assert framer.feed(stream[:cut], 0.0) + framer.feed(stream[cut:], 0.0) == expected, cut


def test_est100_message_cut_off_and_stalled() -> None:
    stream = est100.encode_document(TD3)
    framer = est100.Est100Framer(frame_timeout=1.0)
    frames = framer.feed(b"\x02CameraData:{" + stream, 0.0)
    assert isinstance(frames[0], PartialFrame) and len(frames) == 4
    assert framer.feed(b"\x02PCSign:", 0.0) == []
    assert isinstance(framer.flush(1.0)[0], PartialFrame)


# --- events -------------------------------------------------------------------------------------------


def test_frames_become_events_naming_their_source() -> None:
    assert frame_event(MrzFrame(lines=TD3, raw=b"x"), "s://") == DocumentRead(
        source="s://", lines=TD3, raw=b"x"
    )
    assert isinstance(frame_event(BarcodeFrame(data="d", symbology="Q", raw=b""), "s://"), BarcodeRead)
    assert isinstance(frame_event(StripeFrame(tracks=(), card_type="1", raw=b""), "s://"), StripeRead)
    assert isinstance(frame_event(SignalFrame(signal="present", raw=b""), "s://"), DocumentPresent)
    event = frame_event(PartialFrame(raw=b"\x1c\x02P", detail="cut"), "s://")
    assert event == MalformedFrame(source="s://", raw=b"\x1c\x02P", detail="cut")


# --- never loses or duplicates a complete document, whatever the read boundaries -----------------------

DOCS = [TD3, TD1, (L1[:36], L2[:36])]

FRAMINGS: dict[str, tuple[object, bytes]] = {
    "access-is": (access_is.encode_mrz, bytes(range(0x20, 0x7F)) + b"\x00\x03\x1d\xff"),
    "honeywell": (lambda doc: honeywell.encode_mrz(doc, suffix=b"\r\n"), b"\x00\x01\x07\x7f\xff"),
    "lines": (lambda doc: lines_framing.encode_lines(doc), b"\x00\x01\x07\x7f\xff"),
    "est100": (est100.encode_document, bytes(range(0x20, 0x7F)) + b"\x00\x03\r\n\xff"),
}


def _make(name: str) -> Framer:
    if name == "access-is":
        return access_is.AccessIsFramer()
    if name == "est100":
        return est100.Est100Framer()
    return lines_framing.LinesFramer()


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(FRAMINGS)),
    picks=st.lists(st.tuples(st.integers(0, len(DOCS) - 1), st.binary(max_size=6)), min_size=1, max_size=6),
    cuts=st.lists(st.integers(0, 2000), max_size=30),
)
def test_no_document_lost_or_duplicated(name: str, picks: list[tuple[int, bytes]], cuts: list[int]) -> None:
    encode, noise_alphabet = FRAMINGS[name]
    stream = bytearray()
    expected = []
    for index, raw_noise in picks:
        noise = bytes(noise_alphabet[byte % len(noise_alphabet)] for byte in raw_noise)
        stream += noise + encode(DOCS[index])  # type: ignore[operator]
        expected.append(DOCS[index])
    framer = _make(name)
    frames: list[Frame] = []
    position = 0
    for cut in sorted({cut % (len(stream) + 1) for cut in cuts} | {len(stream)}):
        frames += framer.feed(bytes(stream[position:cut]), 0.0)
        position = cut
    frames += framer.flush(100.0)
    documents = [frame.lines for frame in frames if isinstance(frame, MrzFrame)]
    assert documents == expected
    assert not [frame for frame in frames if isinstance(frame, PartialFrame)]
