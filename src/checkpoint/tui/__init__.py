"""The officer's Textual client. Build it with :func:`make_app`; the CLI and the tests share it."""

from checkpoint.tui.app import CheckpointApp, make_app

__all__ = ["CheckpointApp", "make_app"]
