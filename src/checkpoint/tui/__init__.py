"""The officer's Textual client. Build it with :func:`make_app`; the CLI and the tests share it."""

from checkpoint.extras import require

require("client", "the officer's client (checkpoint.tui)")

from checkpoint.tui.app import CheckpointApp, make_app  # noqa: E402

__all__ = ["CheckpointApp", "make_app"]
