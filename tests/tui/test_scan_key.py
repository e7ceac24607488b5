"""A page scanner has no "document present" event: the officer asks for a scan with a key, which the
footer offers only when a scanner is configured."""

from __future__ import annotations

from checkpoint.drivers import DocumentRead
from tui_fakes import SAMPLE_TD3, FakeBackend, ScriptedReader, screen_text, shift_app, sync, until


class ScriptedScanner(ScriptedReader):
    """A scripted reader that, like ``sane://``, scans only when asked."""

    def __init__(self) -> None:
        super().__init__("scripted://scanner")
        self.requests = 0

    def request_scan(self) -> None:
        self.requests += 1
        self.send(DocumentRead(source=self.source, lines=SAMPLE_TD3, raw=b""))


@sync
async def test_f5_scans_a_page_that_then_comes_up_for_review(backend: FakeBackend) -> None:
    scanner = ScriptedScanner()
    app = shift_app([scanner], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "F5 Scan" in screen_text(app))
        await pilot.press("f5")
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        assert scanner.requests == 1


@sync
async def test_no_scan_key_without_a_scanner(reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Search" in screen_text(app))
        assert "Scan" not in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert "ERIKSSON" not in screen_text(app)
