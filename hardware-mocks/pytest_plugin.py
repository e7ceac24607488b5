"""pytest fixtures that put simulated readers in the hands of anyone who installs checkpoint.

Registered through the ``pytest11`` entry point, so a project that depends on checkpoint gets these
fixtures without importing anything. Keep this module light: pytest imports it in every run.
"""

from __future__ import annotations
