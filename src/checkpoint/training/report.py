"""How trainees did, read back from the training database's audit chain: per trainee the score of each
session over time, and across trainees the cases most often missed and the time per case.

The chain holds ``training.start``, one ``training.case`` per decision and ``training.end`` per
session; an unfinished session is reported with the cases it has.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checkpoint.store import AuditEvent, StoreError
from checkpoint.training.database import TRAINING_ROLE, NotATrainingDatabase, TrainingStore, database_role


def _events(path: Path) -> tuple[list[AuditEvent], str, bool]:
    role = database_role(path)
    if role is None:
        raise StoreError(f"{path}: no such training database")
    if role != TRAINING_ROLE:
        raise NotATrainingDatabase(f"{path} is a live checkpoint database, not a training database")
    store = TrainingStore(path, clock=lambda: datetime.now(UTC))
    try:
        # The scores are only as good as the chain they are read from: say whether it holds.
        verified = store.verify_audit()
        events: list[AuditEvent] = []
        seq = 0
        while True:
            batch = store.audit_events(since_seq=seq, limit=1000)
            events += [e for e in batch if e.action.startswith("training.")]
            if len(batch) < 1000:
                return events, str(verified), verified.ok
            seq = batch[-1].seq + 1
    finally:
        store.close()


def build_report(path: Path, *, trainee: str | None = None) -> dict[str, Any]:
    """Return the report of the training database at ``path`` (JSON-ready), for one trainee or all.

    Raises :class:`checkpoint.store.StoreError` when the file is missing or not a training database.
    """
    sessions: dict[str, dict[str, Any]] = {}
    events, chain, chain_ok = _events(path)
    for event in events:
        if trainee is not None and event.actor != trainee:
            continue
        d = dict(event.details)
        if event.action == "training.start":
            sessions[event.subject] = {
                "session": event.subject, "trainee": event.actor,
                "started": str(d.get("started") or event.time.isoformat()),
                "scenario": d.get("scenario"), "mode": d.get("mode"), "planned": d.get("cases"), "cases": [],
            }  # fmt: skip
        elif event.action == "training.case" and event.subject in sessions:
            sessions[event.subject]["cases"].append(d)
    trainees: dict[str, list[dict[str, Any]]] = defaultdict(list)
    per_case: dict[str, dict[str, Any]] = {}
    for s in sessions.values():
        cases = s.pop("cases")
        points = sum(int(c.get("points") or 0) for c in cases)
        s.update(
            decided=len(cases), points=points, max=10 * len(cases),
            percent=round(100 * points / (10 * len(cases)), 1) if cases else 0.0,
            mean_seconds=round(sum(float(c.get("seconds") or 0) for c in cases) / len(cases), 1) if cases else None,
            missed=[c.get("case") for c in cases if c.get("mistake")],
        )  # fmt: skip
        trainees[s["trainee"]].append(s)
        for c in cases:
            entry = per_case.setdefault(
                str(c.get("case")),
                {"case": c.get("case"), "title": c.get("title"), "attempts": 0, "misses": 0, "seconds": []},
            )
            entry["attempts"] += 1
            entry["misses"] += 1 if c.get("mistake") else 0
            entry["seconds"].append(float(c.get("seconds") or 0))
    cases_out = []
    for entry in per_case.values():
        seconds = entry.pop("seconds")
        entry["miss_rate"] = round(entry["misses"] / entry["attempts"], 2)
        entry["mean_seconds"] = round(sum(seconds) / len(seconds), 1)
        cases_out.append(entry)
    cases_out.sort(key=lambda e: (-e["misses"], -e["miss_rate"], e["case"]))
    every = list(sessions.values())
    return {
        "database": str(path),
        "audit_chain": {"ok": chain_ok, "detail": chain},
        "trainee": trainee,
        "overall": {
            "trainees": len(trainees),
            "sessions": len(every),
            "cases_decided": sum(s["decided"] for s in every),
            "mean_percent": round(sum(s["percent"] for s in every) / len(every), 1) if every else None,
        },
        "trainees": {
            name: {
                "sessions": sorted(items, key=lambda s: s["started"]),
                "mean_percent": round(sum(s["percent"] for s in items) / len(items), 1),
            }
            for name, items in sorted(trainees.items())
        },
        "cases": cases_out,
    }


def report_text(report: dict[str, Any]) -> str:
    """Return the report as text for a terminal."""
    out = [f"Training report: {report['database']}", report["audit_chain"]["detail"]]
    if not report["trainees"]:
        out.append("No training sessions recorded.")
        return "\n".join(out)
    overall = report["overall"]
    out.append(
        f"{overall['trainees']} trainee(s), {overall['sessions']} session(s), {overall['cases_decided']} cases "
        f"decided, mean score {overall['mean_percent']}%"
    )
    for name, data in report["trainees"].items():
        out += ["", f"{name}: {len(data['sessions'])} session(s), mean score {data['mean_percent']}%"]
        for s in data["sessions"]:
            seconds = "-" if s["mean_seconds"] is None else f"{s['mean_seconds']} s/case"
            out.append(
                f"  {s['started'][:16]}  {s['mode']:<8} {s['percent']:>5}%  {s['decided']}/{s['planned']} cases  "
                f"{seconds}  {s['scenario']}"
            )
    out += ["", "Cases most often missed (misses/attempts, mean time):"]
    for c in report["cases"][:15]:
        out.append(f"  {c['misses']}/{c['attempts']}  {c['mean_seconds']:>6} s  {c['case']}  {c['title']}")
    return "\n".join(out)
