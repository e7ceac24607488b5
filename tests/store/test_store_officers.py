"""Officers: PINs hashed with scrypt, sign-in audited, lockout after repeated failures."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta

import pytest
from store_builders import PIN

from checkpoint.store import AuthenticationFailed, InvalidRecord, NotFound, OfficerLocked, pins


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


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("1234", "run of digits"),
        ("4321", "run of digits"),
        ("7890", "run of digits"),
        ("0123456789", "run of digits"),
        ("1212", "pattern repeated"),
        ("123123", "pattern repeated"),
        ("1974", "year"),
        ("2031", "year"),
    ],
)
def test_trivially_guessable_pins_are_refused(store, pin, message):
    with pytest.raises(InvalidRecord, match=message):
        store.add_officer("MNE-1", "Ana", pin, actor="admin")


def test_longer_pins_are_accepted(store):
    store.add_officer("MNE-1", "Ana", "582039174622", actor="admin")
    assert store.authenticate("MNE-1", "582039174622").officer_id == "MNE-1"
    store.add_officer("MNE-2", "Bo", "1899", actor="admin")  # not a year of birth in use


def test_a_pin_typed_into_the_officer_id_field_is_not_written_to_the_audit_chain(store, officer, db_path):
    with pytest.raises(AuthenticationFailed):
        store.authenticate(PIN, PIN)
    failed = store.audit_events()[-1]
    assert (failed.action, failed.actor, failed.subject) == ("sign_in.failed", "(unknown)", "")
    assert PIN not in failed.actor + failed.subject + json.dumps(dict(failed.details))
    with sqlite3.connect(db_path) as raw:
        assert not raw.execute(
            "SELECT seq FROM audit_events WHERE instr(actor || subject || details, ?)", (PIN,)
        ).fetchall()


def test_sixty_wrong_pins_at_once_get_no_more_checks_than_the_limit(store, officer, monkeypatch):
    """Attempts are counted before the slow PIN check: none beyond the limit is checked, and the right
    PIN sent while they are in flight is refused."""
    checked: list[str] = []
    in_flight = threading.Event()
    release = threading.Event()
    real_verify = pins.verify_pin

    def slow_verify(pin: str, stored: str) -> bool:
        checked.append(pin)
        if len(checked) >= 5:
            in_flight.set()
        release.wait(10)
        return real_verify(pin, stored)

    monkeypatch.setattr(pins, "verify_pin", slow_verify)
    outcomes: list[str] = []

    def attempt(pin: str) -> str:
        try:
            store.authenticate("MNE-0412", pin)
            outcome = "accepted"
        except OfficerLocked:
            outcome = "locked"
        except AuthenticationFailed:
            outcome = "failed"
        outcomes.append(outcome)
        return outcome

    start = threading.Barrier(60)

    def wrong(n: int) -> None:
        start.wait()
        attempt(f"{n + 5000:04d}9")

    threads = [threading.Thread(target=wrong, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    assert in_flight.wait(10)
    assert attempt(PIN) == "locked"  # the right one, while five wrong ones are being checked
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(checked) == 5
    assert (outcomes.count("locked"), outcomes.count("failed"), outcomes.count("accepted")) == (57, 4, 0)
    with pytest.raises(OfficerLocked):
        store.authenticate("MNE-0412", PIN)
