"""Officers: PINs hashed with scrypt, sign-in audited, lockout after repeated failures."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from store_builders import PIN

from checkpoint.store import AuthenticationFailed, InvalidRecord, NotFound, OfficerLocked


@pytest.fixture
def officer(store):
    return store.add_officer("MNE-0412", "Ana Vuković", PIN, actor="admin")


def test_pin_is_stored_only_as_a_scrypt_hash(store, officer, db_path):
    with sqlite3.connect(db_path) as raw:
        (stored,) = raw.execute("SELECT pin_hash FROM officers").fetchone()
    assert stored.startswith("scrypt$32768$8$1$")
    assert PIN not in stored


def test_correct_pin_signs_in_and_is_audited(store, officer):
    signed_in = store.authenticate(" mne-0412 ", PIN)  # typed at the booth: case and spaces do not matter
    assert (signed_in.officer_id, signed_in.name) == ("MNE-0412", "Ana Vuković")
    actions = [(e.action, e.actor, e.subject) for e in store.audit_events()]
    assert actions == [("officer.add", "admin", "MNE-0412"), ("sign_in", "MNE-0412", "MNE-0412")]


def test_wrong_pin_and_unknown_officer_look_the_same(store, officer):
    with pytest.raises(AuthenticationFailed) as wrong_pin:
        store.authenticate("MNE-0412", "0000")
    with pytest.raises(AuthenticationFailed) as unknown:
        store.authenticate("MNE-9999", PIN)
    assert str(wrong_pin.value) == str(unknown.value) == "wrong officer ID or PIN"
    assert [e.action for e in store.audit_events()][-2:] == ["sign_in.failed", "sign_in.failed"]


def test_lockout_after_five_failures_even_for_the_right_pin(store, officer, clock):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            store.authenticate("MNE-0412", "9999")
    with pytest.raises(OfficerLocked) as locked:
        store.authenticate("MNE-0412", "9999")
    assert locked.value.until == clock.now + timedelta(minutes=15)
    assert "locked until 08:15 UTC" in str(locked.value)
    with pytest.raises(OfficerLocked):
        store.authenticate("MNE-0412", PIN)
    assert store.get_officer("MNE-0412").locked_until is not None
    clock.advance(minutes=15, seconds=1)
    assert store.authenticate("MNE-0412", PIN).failed_attempts == 0
    actions = [e.action for e in store.audit_events()]
    assert actions.count("officer.locked") == 1 and actions.count("sign_in.refused") == 1


def test_success_resets_the_failure_count(store, officer):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            store.authenticate("MNE-0412", "9999")
    store.authenticate("MNE-0412", PIN)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            store.authenticate("MNE-0412", "9999")
    assert store.authenticate("MNE-0412", PIN).officer_id == "MNE-0412"


def test_unlock_clears_a_lockout(store, officer):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            store.authenticate("MNE-0412", "9999")
    assert store.unlock_officer("MNE-0412", actor="supervisor").locked_until is None
    assert store.authenticate("MNE-0412", PIN).officer_id == "MNE-0412"
    with pytest.raises(NotFound):
        store.unlock_officer("nobody", actor="supervisor")


@pytest.mark.parametrize(
    ("officer_id", "name", "pin", "message"),
    [
        ("bad id!", "Ana", PIN, "officer ID 'bad id!'"),
        ("MNE-1", "  ", PIN, "needs a name"),
        ("MNE-1", "Ana", "12", "4 to 64 characters"),
        ("MNE-1", "Ana", "1111", "one character repeated"),
        ("MNE-1", "Ana", " 1234", "start or end with a space"),
    ],
)
def test_add_officer_rejects_bad_input(store, officer_id, name, pin, message):
    with pytest.raises(InvalidRecord, match=message):
        store.add_officer(officer_id, name, pin, actor="admin")


def test_duplicate_officer_refused(store, officer):
    with pytest.raises(InvalidRecord, match="already exists"):
        store.add_officer("MNE-0412", "Someone", "5555x", actor="admin")


def test_shift_needs_an_active_known_officer_post_lane_and_direction(store, officer):
    with pytest.raises(NotFound):
        store.open_shift("ghost", "Bozaj", "2", "entry")
    with pytest.raises(InvalidRecord, match="post and a lane"):
        store.open_shift("MNE-0412", " ", "2", "entry")
    with pytest.raises(InvalidRecord, match="'sideways'"):
        store.open_shift("MNE-0412", "Bozaj", "2", "sideways")  # type: ignore[arg-type]
