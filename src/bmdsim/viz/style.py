"""One look for every figure: colours, sizes, and the figure and PNG plumbing.

Figures are :class:`matplotlib.figure.Figure` objects on their own Agg canvas: nothing here
touches ``pyplot`` or the process-wide backend, so drawing a report never changes a user's
plotting session, and a figure is freed when its last reference goes.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "ALLIED_COLOUR",
    "BATTERY_COLOUR",
    "DPI",
    "INTERCEPTOR_COLOUR",
    "LAUNCH_COLOUR",
    "MISS_COLOUR",
    "OUTCOME_COLOURS",
    "OWN_COLOUR",
    "PNG_SIGNATURE",
    "TARGET_COLOUR",
    "new_figure",
    "png_bytes",
    "stage_colour",
]

#: resolution of every PNG [dots per inch]: sharp on a screen, small and quick to draw
DPI = 110
#: the first eight bytes of every PNG file
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: a threat's outcome (bmdsim.engagement.results.OUTCOMES)
OUTCOME_COLOURS: dict[str, str] = {
    "killed": "#2a9d3a",
    "leaked": "#d62728",
    "no_opportunity": "#f08c00",
}
INTERCEPTOR_COLOUR = "#1f5fbf"
MISS_COLOUR = "#7f7f7f"
BATTERY_COLOUR = "#0b2e6b"
OWN_COLOUR = "#7b3fa0"  # own radars and their coverage
ALLIED_COLOUR = "#12867a"  # allied radars and their coverage
LAUNCH_COLOUR = "#b00020"
TARGET_COLOUR = "#333333"

_STAGE_COLOURS = ("#e6550d", "#3182bd", "#31a354", "#756bb1", "#636363")

#: light PNG compression: the files grow by a few per cent, encoding is ~2x faster
_PNG_OPTIONS: dict[str, Any] = {"compress_level": 1}


def stage_colour(stage: int) -> str:
    """The colour of a spent stage (1 = first)."""
    return _STAGE_COLOURS[(max(stage, 1) - 1) % len(_STAGE_COLOURS)]


def new_figure(width_in: float, height_in: float) -> Figure:
    """An empty figure on its own Agg canvas (no pyplot)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs=_PNG_OPTIONS)
    return buf.getvalue()
