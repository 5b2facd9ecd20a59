"""Where spent stages fall around a launcher: panels in km about the site, with range rings,
the fall points by stage and, for a Monte Carlo, 1- and 2-sigma ellipses."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse
from numpy.typing import NDArray

from bmdsim.viz.basemap import LocalMap
from bmdsim.viz.style import BATTERY_COLOUR, stage_colour

__all__ = ["StagePoints", "fall_panel", "panel_radii_km", "sigma_ellipse"]


@dataclass(frozen=True)
class StagePoints:
    """The fall points of one spent stage (NaN rows: not down)."""

    stage: int
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    distance_km: NDArray[np.float64]
    countries: tuple[str, ...] = ()

    def label(self) -> str:
        d = self.distance_km[np.isfinite(self.distance_km)]
        text = f"stage {self.stage}"
        if d.size:
            lo, hi = float(d.min()), float(d.max())
            text += (
                f": {_km(lo)} km" if hi - lo < 0.05 * max(hi, 1e-9) else f": {_km(lo)}-{_km(hi)} km"
            )
        if self.countries:
            text += f" ({', '.join(sorted(set(self.countries)))})"
        return text


def _km(x: float) -> str:
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def _ceil_nice(x: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 5, 7.5 x 10^k not below ``x``."""
    mag = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0):
        if m * mag >= x * (1 - 1e-12):
            return m * mag
    return 10.0 * mag


def panel_radii_km(stages: Sequence[StagePoints]) -> tuple[float, float]:
    """Radii of the close-up (first stage) and of the whole view (every fall point)."""
    first = [s.distance_km for s in stages if s.stage == min(x.stage for x in stages)]
    d1 = np.concatenate(first) if first else np.empty(0)
    d1 = d1[np.isfinite(d1)]
    dall = np.concatenate([s.distance_km for s in stages]) if stages else np.empty(0)
    dall = dall[np.isfinite(dall)]
    near = _ceil_nice(max(2.0, 1.3 * float(d1.max()) if d1.size else 2.0))
    far = _ceil_nice(max(near, 1.15 * float(dall.max()) if dall.size else near))
    return near, far


def sigma_ellipse(x: NDArray[np.float64], y: NDArray[np.float64], k: float) -> Ellipse | None:
    """The k-sigma ellipse of points (x, y) from their sample covariance (None: too few)."""
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return None
    cov = np.cov(np.vstack([x[ok], y[ok]]))
    vals, vecs = np.linalg.eigh(cov)
    vals = np.clip(vals, 0.0, None)
    angle = math.degrees(math.atan2(vecs[1, 1], vecs[0, 1]))  # of the major axis, from +x
    return Ellipse(
        (float(np.mean(x[ok])), float(np.mean(y[ok]))),
        2.0 * k * math.sqrt(vals[1]),
        2.0 * k * math.sqrt(vals[0]),
        angle=angle,
        fill=False,
    )


def fall_panel(
    ax: Axes,
    site_lat_deg: float,
    site_lon_deg: float,
    radius_km: float,
    stages: Sequence[StagePoints],
    title: str,
    ellipses: bool = False,
    legend: bool = True,
) -> None:
    """One panel: land, range rings, the launcher, every stage's fall points (and their
    1- and 2-sigma ellipses); fall points beyond the frame are counted in the legend."""
    view = LocalMap(site_lat_deg, site_lon_deg, radius_km)
    view.frame(ax)
    view.draw_land(ax)
    ax.plot([0.0], [0.0], "s", color=BATTERY_COLOUR, markersize=6, zorder=9)
    handles = [
        Line2D([], [], marker="s", color=BATTERY_COLOUR, ls="none", markersize=5, label="launcher")
    ]
    many = max((s.lat_deg.size for s in stages), default=0) > 50
    beyond: list[int] = []
    for s in stages:
        x, y = view.xy(s.lat_deg, s.lon_deg)
        colour = stage_colour(s.stage)
        inside = np.isfinite(x) & (np.abs(x) <= radius_km) & (np.abs(y) <= radius_km)
        ax.scatter(
            x[inside],
            y[inside],
            s=4 if many else 16,
            color=colour,
            alpha=0.35 if many else 0.9,
            edgecolors="none" if many else "black",
            linewidths=0.3,
            zorder=5,
            rasterized=True,
        )
        if not inside.any():
            beyond.append(s.stage)
            continue
        label = s.label()
        outside = int((np.isfinite(x) & ~inside).sum())
        if outside:
            label += f"; {outside} beyond this frame"
        if ellipses and inside.any():
            for sigma in (1.0, 2.0):
                e = sigma_ellipse(x, y, sigma)
                if e is not None:
                    e.set_edgecolor(colour)
                    e.set_linestyle("-" if sigma == 1.0 else "--")
                    e.set_linewidth(1.1)
                    e.set_zorder(6)
                    ax.add_patch(e)
            ax.plot(np.nanmean(x), np.nanmean(y), "x", color="black", ms=6, zorder=7)
        handles.append(
            Line2D([], [], marker="o", color=colour, ls="none", markersize=5, label=label)
        )
    if beyond:
        which = ("stages " if len(beyond) > 1 else "stage ") + ", ".join(map(str, beyond))
        handles.append(Line2D([], [], ls="none", label=f"{which}: beyond this frame"))
    if ellipses:
        handles += [
            Line2D([], [], color="#444444", lw=1.1, ls="-", label="1-sigma ellipse"),
            Line2D([], [], color="#444444", lw=1.1, ls="--", label="2-sigma ellipse"),
            Line2D([], [], color="black", marker="x", ls="none", label="mean fall point"),
        ]
    ax.set_title(title, fontsize=9)
    if legend:
        ax.legend(handles=handles, loc="lower left", fontsize=6.5, framealpha=0.9)
