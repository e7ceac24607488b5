"""A list of reasons to tick whose ticked and unticked boxes differ in shape, not only in colour.

Textual's :class:`~textual.widgets.SelectionList` draws the same ``X`` in every box and tells ticked
from unticked by colour alone: on a monochrome terminal, or for a colour-blind officer, the two look
alike. Here a ticked box shows ``✔`` and an unticked one is empty.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList

TICKED = "✔"
UNTICKED = " "


class TickList(SelectionList[str]):
    """A :class:`~textual.widgets.SelectionList` whose boxes read ``✔`` when ticked, blank when not."""

    def render_line(self, y: int) -> Strip:
        """Return the line with its box's mark set from whether the option is ticked."""
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if len(segments) < 2 or index >= self.option_count:
            return strip
        ticked = self.get_option_at_index(index).value in self.selected
        box = segments[1]
        segments[1] = Segment(TICKED if ticked else UNTICKED, box.style, box.control)
        return Strip(segments, strip.cell_length)
