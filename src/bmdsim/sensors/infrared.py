"""Space-based infrared early warning (``sbirs-class``): sees rocket plumes, not bodies.

A boosting missile is detected at the first revisit of the constellation after its plume
climbs above the cloud tops, and reported after a processing latency; once the engine burns
out there is nothing left to see (no detection after burnout). Coverage of the theatre is
assumed continuous (geostationary plus high-elliptical satellites; US Air Force SBIRS fact
sheet, 2017), so the site given with such a sensor is ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.sensors.base import OWNERS, Sensor

__all__ = ["InfraredConstellation"]


@dataclass(frozen=True)
class InfraredConstellation(Sensor):
    """A notional IR early-warning constellation."""

    name: str
    cloud_top_m: float = 10_000.0
    revisit_s: float = 10.0
    latency_s: float = 20.0
    owner: str = "allied"
    link_latency_s: float = 5.0
    source: str = ""
    kind: str = field(default="infrared", init=False)

    def __post_init__(self) -> None:
        if self.owner not in OWNERS:
            raise ValueError(f"owner must be one of {OWNERS}")

    @property
    def space_based(self) -> bool:
        return True

    def at(self, *_args: Any, **kw: Any) -> InfraredConstellation:
        """Placement is meaningless for a constellation: returns itself (owner/latency kept
        unless given)."""
        from dataclasses import replace

        keep = {k: kw[k] for k in ("owner", "link_latency_s") if kw.get(k) is not None}
        return replace(self, **keep)

    def detection_times_s(
        self,
        t_s: ArrayLike,
        h_m: ArrayLike,
        burnout_time_s: ArrayLike,
        phase_s: float = 0.0,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """First and last plume sightings [s] (NaN when never seen) for threats sampled at
        times ``t_s`` (T,) with heights ``h_m`` (N, T) [NaN outside the flight].

        Sightings happen on the revisit grid ``phase_s + k * revisit_s``; report times add
        ``latency_s`` (the caller adds link latencies).
        """
        t = np.asarray(t_s, float)
        h = np.atleast_2d(np.asarray(h_m, float))
        bo = np.broadcast_to(np.asarray(burnout_time_s, float), (h.shape[0],))
        k = np.round((t - phase_s) / self.revisit_s)
        on_grid = np.abs(t - phase_s - k * self.revisit_s) < 1e-6
        with np.errstate(invalid="ignore"):
            seen = (h >= self.cloud_top_m) & on_grid[None, :] & (t[None, :] <= bo[:, None])
        any_seen = seen.any(axis=1)
        first = np.where(any_seen, t[np.argmax(seen, axis=1)], np.nan)
        last = np.where(any_seen, t[len(t) - 1 - np.argmax(seen[:, ::-1], axis=1)], np.nan)
        return first, last

    def sighted(
        self, t_s: ArrayLike, h_m: ArrayLike, burnout_time_s: ArrayLike, phase_s: float = 0.0
    ) -> NDArray[np.bool_]:
        """Element-wise: is a threat at height ``h_m`` at time ``t_s`` (before its burnout)
        seen on a revisit ``phase_s + k * revisit_s``?"""
        t = np.asarray(t_s, float)
        k = np.round((t - phase_s) / self.revisit_s)
        on_grid = np.abs(t - phase_s - k * self.revisit_s) < 1e-6
        with np.errstate(invalid="ignore"):
            return (
                (np.asarray(h_m, float) >= self.cloud_top_m)
                & on_grid
                & (t <= np.asarray(burnout_time_s, float))
            )

    def first_sighting_s(
        self, t_cross_s: float, burnout_time_s: float, phase_s: float = 0.0
    ) -> float:
        """First revisit at or after the cloud-top crossing (NaN if after burnout)."""
        k = math.ceil((t_cross_s - phase_s) / self.revisit_s - 1e-9)
        t = phase_s + k * self.revisit_s
        return t if t <= burnout_time_s else math.nan

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "space_based": True,
            "cloud_top_km": self.cloud_top_m / 1e3,
            "revisit_s": self.revisit_s,
            "latency_s": self.latency_s,
            "owner": self.owner,
            "link_latency_s": self.link_latency_s,
            "source": self.source,
        }
