"""The key footer, without the leak of its rebuilt keys.

Textual's :class:`~textual.widgets.Footer` (8.x) rebuilds its keys whenever the bindings change, and
data-binds each key to the footer's ``compact`` reactive. That binding's watcher list is pruned only
when ``compact`` changes, which it never does here, so every rebuilt key stayed alive: about sixty
widgets per document read, and garbage-collector pauses that grew through a shift (the read-to-screen
p99 reached seconds). This footer drops the watchers of removed keys after each rebuild, the same way
Textual prunes them on a change of ``compact``.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """A :class:`~textual.widgets.Footer` that lets go of the keys it replaces."""

    async def recompose(self) -> None:
        """Rebuild the keys, then forget the watchers of the keys just removed."""
        await super().recompose()
        # Textual keeps watchers in the plain attribute "__watchers" (see textual.reactive._watch).
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for bound in watchers.values():
            bound[:] = [(node, callback) for node, callback in bound if not getattr(node, "_closing", False)]
