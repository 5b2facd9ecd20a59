"""Strategic reach: can a missile-defence battery engage strategic missiles aimed elsewhere?

For each trajectory of a set (:mod:`bmdsim.analysis.threat_sets`, or flights given
directly) the engagement layer answers from physics whether one battery at a site could
engage it:

* **kinematically** - with an interceptor launched the instant the threat lifts off (no
  detection, tracking or reaction time): is any point of the flight inside the class's
  fly-out fan, engagement range, time of flight and intercept altitudes? An upper bound.
* **with its sensors** - one :func:`bmdsim.engagement.run.run_engagement` of the whole set:
  the site's own SPY-7-class radar and, unless ``own_sensors_only``, the allied SBIRS-class
  infrared constellation and a forward TPY-2-class radar (at Shariki by default) reporting
  over links of 5 s. The battery launches on the allied (fused) track and guides on its own
  radar's (``launch-on-remote``), or launches and guides on its own radar alone (``own``).
  A trajectory is *engageable* when the battery has a feasible intercept after its
  fire-control track and reaction time; otherwise the engagement layer's reason
  (:data:`bmdsim.engagement.results.REASONS`) says why. One refinement: where the layer
  blames the sensors (``not_detected``, ``no_fire_control_track``) but even a launch at the
  threat's lift-off has no feasible intercept, the reason is ``too_late`` (the flight is
  within the fan only for a launch before the threat's own), since no sensor could help.

All trajectories fly in one engagement, launched together at t = 0. They stay independent:
the battery holds 10,000 interceptors and may launch every 0.1 s, so neither inventory nor
fire rate ever binds, and with Pk = 1 one shot per threat ends its engagement. The earliest
feasible intercept (time since launch and the threat's altitude then) is taken over the
battery's windows before any assignment.

Where each flight passes: the closest approach of its flown ground track (the sub-missile
point on the rotating Earth, from launch to impact) to the site. It differs from the
closest approach of the launch-target geodesic (:func:`geodesic_closest_approach_m`, the
figure of the public validation case), because the Earth turns under the missile while
the aimer corrects the launch azimuth so that the impact lands on the target.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bmdsim.analysis.threat_sets import StrategicFlight, get_threat_set
from bmdsim.earth.geodesics import closest_approach_m, distance_m
from bmdsim.earth.places import Place, get_place
from bmdsim.engagement.opportunity import intercept_window
from bmdsim.engagement.run import FlownThreat, fly_threats, run_engagement
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.errors import InputError
from bmdsim.flight.trajectory import Trajectory
from bmdsim.interceptors.catalog import get_interceptor
from bmdsim.interceptors.flyout import flyout_fan

__all__ = [
    "KINEMATIC_REASONS",
    "StrategicReach",
    "TrajectoryReach",
    "build_setup",
    "flown_closest_approach",
    "geodesic_closest_approach_m",
    "strategic_reach",
    "threat_specs",
]

#: reasons that say no interceptor of the class could reach the flight at all
KINEMATIC_REASONS = ("out_of_reach", "below_min_altitude", "above_max_altitude")

#: the site's own radar, the allied sensors and their link latency to the site's C2 node
OWN_RADAR = "spy7-class"
ALLIED_IR = "sbirs-class"
ALLIED_RADAR = "tpy2-class"
ALLIED_RADAR_SITE = "shariki"
ALLIED_LINK_LATENCY_S = 5.0
#: enough interceptors and launch slots that neither ever binds (trajectories independent)
INVENTORY = 10_000
LAUNCH_INTERVAL_S = 0.1
#: sampling step of the flown ground track [s] (refined near the closest approach)
TRACK_STEP_S = 5.0


@dataclass(frozen=True)
class TrajectoryReach:
    """What one battery can do against one trajectory (SI units; NaN where not defined)."""

    launch: str
    target: str
    missile: str
    engageable: bool  # a feasible intercept after the fire-control track and reaction time
    kinematically_reachable: bool  # a feasible intercept with a launch at the threat's lift-off
    reason: str | None  # why not engageable (engagement-layer reason); None when engageable
    closest_approach_m: float  # flown ground track to the site
    closest_approach_t_s: float  # time since launch of the closest approach
    closest_approach_alt_m: float  # the threat's altitude then
    intercept_t_s: float  # earliest feasible intercept, time since launch
    intercept_alt_m: float  # the threat's altitude at the earliest feasible intercept
    intercept_lat_deg: float
    intercept_lon_deg: float
    apogee_m: float
    flight_time_s: float
    outcome: str  # of the one Pk = 1 shot: 'killed', 'leaked' (track error), 'no_opportunity'


@dataclass(frozen=True)
class StrategicReach:
    """The answer for a whole set of trajectories."""

    site: str
    site_lat_deg: float
    site_lon_deg: float
    interceptor: str
    threat_set: str
    own_sensors_only: bool
    trajectories: tuple[TrajectoryReach, ...]
    elapsed_s: float

    @property
    def engageable(self) -> int:
        return sum(t.engageable for t in self.trajectories)

    @property
    def kinematically_reachable(self) -> int:
        return sum(t.kinematically_reachable for t in self.trajectories)

    @property
    def engageable_fraction(self) -> float:
        n = len(self.trajectories)
        return self.engageable / n if n else math.nan


def geodesic_closest_approach_m(
    launch: str | Place, target: str | Place, site: str | Place
) -> float:
    """Closest approach [m] of the WGS84 geodesic from launch to target to the site (the
    quantity of the public validation case, not the flown ground track)."""
    a, b, s = (_place(p) for p in (launch, target, site))
    return closest_approach_m(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s.lat_deg, s.lon_deg)


def flown_closest_approach(
    traj: Trajectory, site_lat_deg: float, site_lon_deg: float, step_s: float = TRACK_STEP_S
) -> tuple[float, float, float]:
    """Closest approach of a flown ground track to a site: (distance [m], time [s since the
    epoch], the flight's altitude then [m]), from launch to impact; sampled every ``step_s``
    and resampled every ``step_s / 50`` around the nearest sample."""
    t0 = float(traj.t_s[0])
    t1 = float(traj.impact_time_s) if math.isfinite(traj.impact_time_s) else float(traj.t_s[-1])
    t1 = min(t1, float(traj.t_s[-1]))
    t = np.linspace(t0, t1, max(3, int(math.ceil((t1 - t0) / step_s)) + 1))
    lat, lon, _ = traj.geodetic(t)
    i = int(np.argmin(distance_m(lat, lon, site_lat_deg, site_lon_deg)))
    fine = np.linspace(t[max(i - 1, 0)], t[min(i + 1, t.size - 1)], 101)
    lat, lon, h = traj.geodetic(fine)
    d = distance_m(lat, lon, site_lat_deg, site_lon_deg)
    j = int(np.argmin(d))
    return float(d[j]), float(fine[j]), float(h[j])


def _place(p: str | Place) -> Place:
    return p if isinstance(p, Place) else get_place(p)


def _flights(
    threat_set: str | Sequence[StrategicFlight],
) -> tuple[str, tuple[StrategicFlight, ...]]:
    if isinstance(threat_set, str):
        return threat_set, get_threat_set(threat_set)
    flights = tuple(threat_set)
    if not flights:
        raise InputError("strategic reach: the set of trajectories is empty")
    return "custom", flights


def threat_specs(flights: Sequence[StrategicFlight]) -> tuple[ThreatSpec, ...]:
    """The engagement layer's threats for the flights (places resolved; all launched at 0)."""
    specs = []
    for k, f in enumerate(flights):
        a, b = get_place(f.launch), get_place(f.target)
        specs.append(
            ThreatSpec(
                name=f"{k + 1}:{f.launch}-{f.target}",
                missile=f.missile,
                launch_place=a.name,
                launch_lat_deg=a.lat_deg,
                launch_lon_deg=a.lon_deg,
                target_place=b.name,
                target_lat_deg=b.lat_deg,
                target_lon_deg=b.lon_deg,
            )
        )
    return tuple(specs)


def build_setup(
    site: Place,
    interceptor: str,
    threats: tuple[ThreatSpec, ...],
    own_sensors_only: bool = False,
    allied_radar_site: str = ALLIED_RADAR_SITE,
    reaction_time_s: float | None = None,
) -> Setup:
    """The engagement of a strategic-reach run (see the module text)."""
    own = SensorSite(f"{site.name}-radar", OWN_RADAR, site.lat_deg, site.lon_deg, site.height_m)
    sensors: tuple[SensorSite, ...] = (own,)
    if not own_sensors_only:
        fwd = get_place(allied_radar_site)
        sensors += (
            SensorSite(
                "allied-ir", ALLIED_IR, owner="allied", link_latency_s=ALLIED_LINK_LATENCY_S
            ),
            SensorSite(
                f"{fwd.name}-radar",
                ALLIED_RADAR,
                fwd.lat_deg,
                fwd.lon_deg,
                fwd.height_m,
                owner="allied",
                link_latency_s=ALLIED_LINK_LATENCY_S,
            ),
        )
    battery = Battery(
        name=site.name,
        interceptor=interceptor,
        lat_deg=site.lat_deg,
        lon_deg=site.lon_deg,
        height_m=site.height_m,
        inventory=INVENTORY,
        radar=own.name,
        fire_on="own" if own_sensors_only else "launch-on-remote",
        launch_interval_s=LAUNCH_INTERVAL_S,
    )
    if reaction_time_s is not None:
        battery = replace(battery, reaction_time_s=reaction_time_s)
    doctrine = Doctrine(kind="salvo", salvo_size=1, max_waves=1, pk=1.0)
    return Setup(f"strategic-reach-{site.name}", sensors, (battery,), threats, doctrine)


def _kinematic(flown: FlownThreat, interceptor: str, site: Place) -> bool:
    """A feasible intercept with a launch at the threat's lift-off (perfect, instant cue)."""
    fan = flyout_fan(interceptor)
    w = intercept_window(
        flown.trajectory, fan, site.lat_deg, site.lon_deg, flown.spec.launch_time_s
    )
    return w.any


def strategic_reach(
    site: str | Place,
    interceptor: str,
    threat_set: str | Sequence[StrategicFlight] = "russia-us",
    own_sensors_only: bool = False,
    *,
    allied_radar_site: str = ALLIED_RADAR_SITE,
    reaction_time_s: float | None = None,
) -> StrategicReach:
    """Per trajectory of a set: could a battery at ``site`` engage it, where, and if not,
    why (see the module text). ``threat_set``: a built-in set's name or the flights."""
    started = time.perf_counter()
    place = _place(site)
    ic = get_interceptor(interceptor)  # unknown names fail before any flight
    name, flights = _flights(threat_set)
    specs = threat_specs(flights)
    setup = build_setup(place, ic.name, specs, own_sensors_only, allied_radar_site, reaction_time_s)
    run = run_engagement(setup)
    flown = fly_threats(specs)  # the same aim and flight the run made (deterministic)
    rows = []
    for f, fl, res in zip(flights, flown, run.threats, strict=True):
        traj = fl.trajectory
        t0 = fl.spec.launch_time_s
        d, t_ca, h_ca = flown_closest_approach(traj, place.lat_deg, place.lon_deg)
        engageable = math.isfinite(res.earliest_intercept_s)
        t_i = lat_i = lon_i = h_i = math.nan
        if engageable:
            t_i = res.earliest_intercept_s
            lat, lon, h = traj.geodetic(np.array([t_i]))
            lat_i, lon_i, h_i = float(lat[0]), float(lon[0]), float(h[0])
        reason = None if engageable else (res.reason or "out_of_reach")
        kinematic = engageable or (
            reason not in KINEMATIC_REASONS and _kinematic(fl, ic.name, place)
        )
        if reason in ("not_detected", "no_fire_control_track") and not kinematic:
            reason = "too_late"  # no sensor could help: even a launch at lift-off is late
        rows.append(
            TrajectoryReach(
                launch=f.launch,
                target=f.target,
                missile=f.missile,
                engageable=engageable,
                kinematically_reachable=kinematic,
                reason=reason,
                closest_approach_m=d,
                closest_approach_t_s=t_ca - t0,
                closest_approach_alt_m=h_ca,
                intercept_t_s=t_i - t0,
                intercept_alt_m=h_i,
                intercept_lat_deg=lat_i,
                intercept_lon_deg=lon_i,
                apogee_m=fl.apogee_m,
                flight_time_s=traj.flight_time_s,
                outcome=res.outcome if engageable else "no_opportunity",
            )
        )
    return StrategicReach(
        site=place.name,
        site_lat_deg=place.lat_deg,
        site_lon_deg=place.lon_deg,
        interceptor=ic.name,
        threat_set=name,
        own_sensors_only=own_sensors_only,
        trajectories=tuple(rows),
        elapsed_s=time.perf_counter() - started,
    )
