"""Names on maps beside their markers, kept from overlapping each other and the markers."""

from __future__ import annotations

from typing import Any

__all__ = ["MapLabels"]


class MapLabels:
    """Place names put beside their markers where they overlap no other name or marker
    (greedy: the first free of six positions, else the first)."""

    _SPOTS = (
        (5, 2, "left", "bottom"),
        (5, -2, "left", "top"),
        (-5, 2, "right", "bottom"),
        (-5, -2, "right", "top"),
        (0, 6, "center", "bottom"),
        (0, -6, "center", "top"),
    )

    def __init__(self, ax: Any, fontsize: float = 7.0) -> None:
        ax.apply_aspect()
        self.ax = ax
        self.fontsize = fontsize
        self.scale = 72.0 / ax.figure.dpi  # display pixels -> points
        self.boxes: list[tuple[float, float, float, float]] = []

    def _pt(self, x: float, y: float) -> tuple[float, float]:
        px, py = self.ax.transData.transform((x, y))
        return float(px) * self.scale, float(py) * self.scale

    def mark(self, x: float, y: float, half_pt: float = 3.5) -> None:
        """Keep names off a marker at (x, y)."""
        px, py = self._pt(x, y)
        self.boxes.append((px - half_pt, py - half_pt, px + half_pt, py + half_pt))

    def _free(self, box: tuple[float, float, float, float]) -> bool:
        a0, b0, a1, b1 = box
        return all(a1 <= c0 or a0 >= c1 or b1 <= d0 or b0 >= d1 for c0, d0, c1, d1 in self.boxes)

    def add(self, x: float, y: float, text: str, **kw: Any) -> None:
        px, py = self._pt(x, y)
        w, h = 0.6 * self.fontsize * len(text) + 2.0, 1.25 * self.fontsize
        choice = None
        for dx, dy, ha, va in self._SPOTS:
            left = px + dx - {"left": 0.0, "right": w, "center": w / 2}[ha]
            bottom = py + dy - (0.0 if va == "bottom" else h)
            box = (left, bottom, left + w, bottom + h)
            if choice is None:
                choice = (dx, dy, ha, va, box)
            if self._free(box):
                choice = (dx, dy, ha, va, box)
                break
        assert choice is not None
        dx, dy, ha, va, box = choice
        self.boxes.append(box)
        self.ax.annotate(
            text,
            (x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=self.fontsize,
            zorder=10,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.6, "pad": 0.5},
            **kw,
        )
