"""Command APDUs and data objects, checked both ways: the reader's encoder against the emulator's parser."""

from __future__ import annotations

from checkpoint.mocks.chip_emulator import _objects, _parse
from hypothesis import given
from hypothesis import strategies as st

from checkpoint.emrtd.apdu import command, iter_tlv, tlv
from checkpoint.emrtd.crypto import SessionKeys, pad, unpad

bodies = st.binary(max_size=600)
expected = st.one_of(st.none(), st.integers(min_value=1, max_value=65536))


@given(st.integers(0, 255), st.integers(0, 255), bodies, expected, st.booleans())
def test_every_command_apdu_parses_back(
    ins: int, p1: int, data: bytes, le: int | None, extended: bool
) -> None:
    apdu = command(0x00, ins, p1, 0x0C, data, le, extended=extended)
    _cla, got_ins, got_p1, _p2, got_data, got_le, got_extended = _parse(apdu)
    assert (got_ins, got_p1, got_data, got_le) == (ins, p1, data, le)
    wants_extended = extended or len(data) > 255 or (le is not None and le > 256)
    assert got_extended == (wants_extended and (bool(data) or le is not None))  # a bare header has no length


@given(
    st.lists(
        st.tuples(st.sampled_from([0x53, 0x80, 0x87, 0x99, 0x8E, 0x7F49]), st.binary(max_size=400)),
        max_size=4,
        unique_by=lambda t: t[0],
    )
)
def test_data_objects_round_trip(objects: list[tuple[int, bytes]]) -> None:
    encoded = b"".join(tlv(tag, value) for tag, value in objects)
    assert list(iter_tlv(encoded)) == objects
    assert _objects(encoded) == dict(objects)


@given(st.binary(max_size=300), st.sampled_from(["3DES", "AES-128", "AES-256"]), st.integers(0, 2**60))
def test_session_encryption_round_trips(data: bytes, cipher: str, ssc: int) -> None:
    keys = SessionKeys.derive(b"shared secret", cipher, ssc)
    assert keys.decrypt(keys.encrypt(data)) == data
    assert unpad(pad(data, keys.block_size)) == data
