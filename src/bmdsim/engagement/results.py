"""Results of an engagement run: per-threat timelines and outcomes, per-battery tallies."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bmdsim.sensors.c2 import Event

__all__ = [
    "OUTCOMES",
    "REASONS",
    "BatteryResult",
    "RunResult",
    "Shot",
    "ThreatResult",
    "TimelineEvent",
]

#: the timeline record is the sensors layer's
TimelineEvent = Event

OUTCOMES = ("killed", "leaked", "no_opportunity")

#: why a threat was not killed: nothing saw it; no battery got a fire-control track it may
#: launch on; no intercept within the fan's reach, range and time of flight; reachable only
#: below or above the class's intercept altitudes; reachable only before the battery was
#: ready; the batteries that could reach it had no interceptors left, or no free launch slot;
#: every shot's kill vehicle lacked the divert to make up the track's error; shots missed
#: (kill draws)
REASONS = (
    "not_detected",
    "no_fire_control_track",
    "out_of_reach",
    "below_min_altitude",
    "above_max_altitude",
    "too_late",
    "inventory",
    "fire_rate",
    "divert_exceeded",
    "missed",
)


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
    kill: bool  # this shot killed the threat (the first successful draw)
    hit: bool = False  # this shot's own kill draw succeeded
    guided_by: str = ""  # radar of the last track update before handover ('' if none)
    handover_error_m: float = math.nan  # predicted minus true intercept point at handover
    divert_needed_m_s: float = math.nan
    pk_factor: float = 1.0  # multiplier of the doctrine's Pk for the divert needed
    stages: tuple[dict[str, Any], ...] = ()  # spent-stage impacts (see BatteryResult)

    def to_dict(self) -> dict[str, Any]:
        return {
            "battery": self.battery,
            "wave": self.wave,
            "launch_t_s": _r(self.t_launch_s),
            "intercept_t_s": _r(self.t_intercept_s),
            "intercept_alt_km": _r(self.intercept_alt_m / 1e3),
            "intercept_lat_deg": _r(self.intercept_lat_deg, 5),
            "intercept_lon_deg": _r(self.intercept_lon_deg, 5),
            "guided_by": self.guided_by or None,
            "handover_error_km": _r(self.handover_error_m / 1e3, 4),
            "divert_needed_m_s": _r(self.divert_needed_m_s, 2),
            "hit": self.hit,
        }


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
    reason: str | None = None  # see REASONS; None when killed
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
            "reason": self.reason,
            "shots": len(self.shots),
            "engagements": [x.to_dict() for x in self.shots],
            "events": [e.to_dict() for e in sorted(self.events, key=lambda e: e.t_s)],
        }


@dataclass
class BatteryResult:
    name: str
    interceptor: str
    inventory: int
    fired: int = 0
    # every spent stage of every shot: stage (1 = first), lat_deg, lon_deg, distance_km
    # (from the launcher), impact_time_s, country (a country name or 'sea')
    booster_impacts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.inventory - self.fired

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "interceptor": self.interceptor,
            "fired": self.fired,
            "remaining": self.remaining,
            "booster_impacts": [
                {k: v if isinstance(v, str | int) else _r(v, 5) for k, v in b.items()}
                for b in self.booster_impacts
            ],
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
