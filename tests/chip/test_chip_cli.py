"""``checkpoint chip read``, ``checkpoint devices`` and ``checkpoint read`` on the real PC/SC stack with the
chip emulator in the virtual reader: what the officer sees, and the exit status scripts rely on.
"""

from __future__ import annotations

import json

import pytest
from checkpoint.drivers import ReaderUnavailable
from checkpoint.drivers.pcsc_transport import PcscContext
from checkpoint.mocks.chip_build import build_chip
from smartcard import scard

from checkpoint.cli import main
from tests.chip.conftest import Slot

READER = "pcsc://Virtual%20PCD%2000%2000"


def test_chip_read_shows_every_check(vpcd_slot: Slot, pki, document, csca, capsys) -> None:
    vpcd_slot.insert(build_chip(document, pki))
    status = main(
        [
            "chip",
            "read",
            "--reader",
            READER,
            "--mrz",
            *document.mrz_lines,
            "--csca",
            str(csca),
            "--wait",
            "10",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.startswith("chip opened with PACE (")
    assert f"DG1        {' / '.join(document.mrz_lines)}\n" in out
    assert "read       DG1 DG2 DG11 DG12 DG14 DG15; face JPEG" in out
    for name in ("sod_signature", "document_signer_trusted", "data_group_hashes", "dg1_matches_printed_mrz"):
        assert f"PASS     {name}" in out
    assert "time       access " in out


def test_chip_read_json_and_a_failed_check_exit_1(vpcd_slot: Slot, pki, document, capsys) -> None:
    from checkpoint.mocks.chip_emulator import ChipFaults

    vpcd_slot.insert(build_chip(document, pki, faults=ChipFaults(tampered_dg=1)))
    status = main(["chip", "read", "--reader", READER, "--mrz", "|".join(document.mrz_lines), "--json"])
    record = json.loads(capsys.readouterr().out)
    assert status == 1
    assert record["state"] == "read"
    verifications = {v["name"]: v["status"] for v in record["report"]["verifications"]}
    assert verifications["data_group_hashes"] == "FAIL"
    assert verifications["document_signer_trusted"] == "NOT RUN"  # no --csca: never passed
    assert "face" in record["report"] and "data" not in record["report"]["face"]


def test_chip_read_says_the_mrz_is_wrong(vpcd_slot: Slot, pki, document, capsys) -> None:
    vpcd_slot.insert(build_chip(document, pki, pace=()))
    wrong = document.mrz_lines[1][:13] + "7408130" + document.mrz_lines[1][20:]
    status = main(["chip", "read", "--reader", READER, "--mrz", document.mrz_lines[0], wrong])
    err = capsys.readouterr().err
    assert status == 1
    assert "Chip refused the access key" in err and "Traceback" not in err


def test_chip_read_with_no_card_says_so(pcsc_stack, capsys) -> None:
    status = main(["chip", "read", "--reader", READER, "--can", "123456", "--wait", "0.3"])
    assert status == 2
    assert "no document on the reader within 0.3 s" in capsys.readouterr().err


def test_chip_read_with_no_such_reader_says_so(pcsc_stack, capsys) -> None:
    status = main(["chip", "read", "--reader", "pcsc://Acme", "--can", "123456"])
    err = capsys.readouterr().err
    assert status == 2
    assert "Reader not found: no PC/SC reader is called 'Acme'" in err


def test_chip_read_refuses_a_malformed_mrz_before_touching_the_reader(capsys) -> None:
    status = main(["chip", "read", "--mrz", "P<UTOERIKSSON", "--reader", "pcsc://nowhere"])
    assert status == 2
    assert "--mrz: no chip access key in this MRZ" in capsys.readouterr().err


def test_no_pcscd_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scard, "SCardEstablishContext", lambda scope: (scard.SCARD_E_NO_SERVICE, 0))
    with pytest.raises(ReaderUnavailable, match=r"the PC/SC service is not running .*start pcscd"):
        PcscContext()


def test_devices_lists_the_pcsc_readers(pcsc_stack, capsys) -> None:
    assert main(["devices"]) == 0
    assert f"{READER}  PC/SC chip reader Virtual PCD 00 00" in capsys.readouterr().out


def test_read_prints_the_chip_beside_the_document(vpcd_slot: Slot, pki, document, capsys) -> None:
    vpcd_slot.insert(build_chip(document, pki))
    url = f"{READER}?mrz={'|'.join(document.mrz_lines)}"
    assert main(["read", url, "--count", "1", "--timeout", "10"]) == 0
    out = capsys.readouterr().out
    assert "document  TD3 valid" in out
    assert "chip      read with PACE: NOT RUN document_signer_trusted" in out
