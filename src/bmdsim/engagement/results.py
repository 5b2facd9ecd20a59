"""Results of an engagement run: per-threat timelines and outcomes, per-battery tallies."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bmdsim.sensors.c2 import Event

__all__ = ["OUTCOMES", "BatteryResult", "RunResult", "Shot", "ThreatResult", "TimelineEvent"]

#: the timeline record is the sensors layer's
TimelineEvent = Event

OUTCOMES = ("killed", "leaked", "no_opportunity")


def _r(x: float, nd: int = 3) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), nd)


@dataclass(frozen=True)
class Shot:
    """One interceptor fired at a threat."""

    battery: str
    wave: int
    t_launch_s: float
    t_intercept_s: float
    intercept_alt_m: float
    intercept_lat_deg: float
    intercept_lon_deg: float
    kill: bool
    booster_lat_deg: float = math.nan
    booster_lon_deg: float = math.nan
    booster_distance_km: float = math.nan
    booster_impact_time_s: float = math.nan


@dataclass
class ThreatResult:
    name: str
    missile: str
    launch_place: str
    target_place: str
    launch_time_s: float
    impact_time_s: float
    apogee_km: float
    outcome: str = "no_opportunity"
    shots: list[Shot] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    earliest_intercept_s: float = math.nan  # over all batteries, before any assignment

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "missile": self.missile,
            "launch_place": self.launch_place,
            "target_place": self.target_place,
            "launch_time_s": _r(self.launch_time_s),
            "impact_time_s": _r(self.impact_time_s),
            "apogee_km": _r(self.apogee_km),
            "outcome": self.outcome,
            "shots": len(self.shots),
            "events": [e.to_dict() for e in sorted(self.events, key=lambda e: e.t_s)],
        }


@dataclass
class BatteryResult:
    name: str
    interceptor: str
    inventory: int
    fired: int = 0
    booster_impacts: list[dict[str, float]] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.inventory - self.fired

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "interceptor": self.interceptor,
            "fired": self.fired,
            "remaining": self.remaining,
            "booster_impacts": [{k: _r(v, 5) for k, v in b.items()} for b in self.booster_impacts],
        }


@dataclass
class RunResult:
    scenario: str
    seed: int
    threats: list[ThreatResult]
    batteries: list[BatteryResult]

    @property
    def summary(self) -> dict[str, int]:
        count = {k: sum(t.outcome == k for t in self.threats) for k in OUTCOMES}
        return {
            "threats": len(self.threats),
            **count,
            "interceptors_fired": sum(b.fired for b in self.batteries),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "threats": [t.to_dict() for t in self.threats],
            "batteries": [b.to_dict() for b in self.batteries],
            "summary": self.summary,
        }
