"""The training report as one self-contained HTML file: charts drawn by matplotlib as inline SVG, so the
file opens anywhere with no network and no script."""

from __future__ import annotations

import html
import io
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _charts(report: dict[str, Any]) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    charts = []
    figure = Figure(figsize=(8, 3.2))
    axes = figure.subplots()
    for name, data in report["trainees"].items():
        sessions = data["sessions"]
        # Days since 1970-01-01, matplotlib's own date numbers (what date2num gives, with its default epoch).
        when = [(datetime.fromisoformat(s["started"]) - _EPOCH).total_seconds() / 86400 for s in sessions]
        axes.plot(when, [s["percent"] for s in sessions], marker="o", label=name)
    axes.xaxis_date()
    axes.set_xlabel("session started")
    figure.autofmt_xdate()
    axes.set_ylabel("score (%)")
    axes.set_ylim(0, 105)
    axes.grid(alpha=0.3)
    if report["trainees"]:
        axes.legend(loc="lower right", fontsize="small")
    charts.append(("Score over time, per trainee", _svg(figure)))
    cases = report["cases"][:15]
    if cases:
        names = [c["case"] for c in cases][::-1]
        figure = Figure(figsize=(8, 0.35 * len(cases) + 1))
        axes = figure.subplots()
        axes.barh(names, [c["misses"] for c in cases][::-1], color="#c0392b")
        axes.set_xlabel("times missed")
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        charts.append(("Cases most often missed", _svg(figure)))
        figure = Figure(figsize=(8, 0.35 * len(cases) + 1))
        axes = figure.subplots()
        axes.barh(names, [c["mean_seconds"] for c in cases][::-1], color="#2c7fb8")
        axes.set_xlabel("mean seconds from document to decision")
        charts.append(("Time per case", _svg(figure)))
    return charts


def render_html(report: dict[str, Any]) -> str:
    """Return the report as an HTML page with inline SVG charts. Raises ImportError without matplotlib."""
    e = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Training report</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style></head><body>",
        f"<h1>Training report</h1><p>{e(report['database'])}: {e(report['audit_chain']['detail'])}</p>",
    ]
    overall = report["overall"]
    parts.append(
        f"<p>{overall['trainees']} trainee(s), {overall['sessions']} session(s), {overall['cases_decided']} "
        f"cases decided, mean score {overall['mean_percent']}%</p>"
    )
    for title, svg in _charts(report):
        parts.append(f"<h2>{e(title)}</h2>{svg}")
    parts.append("<h2>Sessions</h2><table><tr><th>trainee</th><th>started</th><th>mode</th><th>score</th>"
                 "<th>cases</th><th>s/case</th><th>scenario</th></tr>")  # fmt: skip
    for name, data in report["trainees"].items():
        for s in data["sessions"]:
            parts.append(
                f"<tr><td>{e(name)}</td><td>{e(s['started'][:16])}</td><td>{e(str(s['mode']))}</td>"
                f"<td>{s['percent']}%</td><td>{s['decided']}/{s['planned']}</td><td>{s['mean_seconds']}</td>"
                f"<td>{e(str(s['scenario']))}</td></tr>"
            )
    parts.append(
        "</table><h2>Cases</h2><table><tr><th>case</th><th>missed</th><th>mean s</th><th>title</th></tr>"
    )
    for c in report["cases"]:
        parts.append(
            f"<tr><td>{e(str(c['case']))}</td><td>{c['misses']}/{c['attempts']}</td><td>{c['mean_seconds']}</td>"
            f"<td>{e(str(c['title']))}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "\n".join(parts)


def write_html(report: dict[str, Any], path: Path) -> None:
    """Write the HTML report to ``path``. Raises ImportError without matplotlib, OSError on the file."""
    # Scores are the trainees' personal data: the file is theirs and the trainer's alone (0600).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(render_html(report))
    os.chmod(path, 0o600)
