"""One engagement simulation, end to end: fly the threats, observe them, plan, fire, report.

1. Threats are aimed at their targets (:func:`bmdsim.threats.aiming.aim`) and flown with
   the batched engine from their launch times.
2. The sensors observe them (:func:`bmdsim.sensors.c2.observe`), keeping every track state:
   the own radar's track of each battery (cued by the infrared satellites) and the fused
   track of every sensor (remote reports arrive with their link latencies).
3. Each battery's fly-out fan gives the feasible intercepts after the fire-control track it
   may launch on plus its reaction time (:mod:`bmdsim.engagement.opportunity`).
4. The planner assigns batteries and fires by doctrine (:mod:`bmdsim.engagement.planner`).
   Each shot is aimed at the intercept point predicted from the launch track and corrected
   by the guiding track until handover; its Pk falls when the kill vehicle's divert cannot
   make up the remaining error (:mod:`bmdsim.engagement.handover`). Kills are drawn from
   the scenario's seed (one child stream per threat: results do not depend on evaluation
   order).
5. Every spent stage falls where :func:`bmdsim.interceptors.booster.booster_drop` says, in
   the country or sea of :func:`bmdsim.earth.countries.country_at`.
6. Every threat without a kill gets the reason (:data:`bmdsim.engagement.results.REASONS`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bmdsim.earth.countries import country_at
from bmdsim.earth.geodesics import inverse
from bmdsim.engagement.handover import GUIDES, Handover, handover
from bmdsim.engagement.opportunity import (
    FlightGeometry,
    Window,
    flight_geometries,
    window_from,
    window_reason,
)
from bmdsim.engagement.planner import PlannedShot, plan
from bmdsim.engagement.results import (
    BatteryResult,
    RunResult,
    Shot,
    ThreatResult,
    TimelineEvent,
)
from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec
from bmdsim.errors import BmdsimError
from bmdsim.flight.launch import powered_launch
from bmdsim.flight.propagator import Propagator
from bmdsim.flight.trajectory import Trajectory
from bmdsim.interceptors.booster import StageImpact
from bmdsim.interceptors.booster_mc import booster_drops
from bmdsim.interceptors.catalog import InterceptorClass, get_interceptor
from bmdsim.interceptors.flyout import FlyoutFan, flyout_fan, with_burnout_speed
from bmdsim.sensors.c2 import C2Config, Observation, observe
from bmdsim.sensors.catalog import get_sensor
from bmdsim.threats.aiming import _PROGRAM, AimedTargets, AimResult, aim, aim_each
from bmdsim.threats.catalog import get_missile

__all__ = [
    "FlownThreat",
    "Geometry",
    "engage",
    "expand_threats",
    "fly_threats",
    "prepare",
    "run_engagement",
]


@dataclass(frozen=True)
class FlownThreat:
    spec: ThreatSpec
    trajectory: Trajectory
    apogee_m: float
    base: Trajectory | None = None  # the shared flight launched at t = 0 (None: trajectory)


def expand_threats(threats: Sequence[ThreatSpec]) -> list[ThreatSpec]:
    """Numbered copies for ``count`` > 1 (names 'raid-1', 'raid-2', ...)."""
    out: list[ThreatSpec] = []
    for t in threats:
        if t.count == 1:
            out.append(t)
        else:
            out.extend(replace(t, name=f"{t.name}-{i + 1}", count=1) for i in range(t.count))
    return out


def fly_threats(threats: Sequence[ThreatSpec], strict: bool = True) -> list[FlownThreat]:
    """Aim every threat at its target and fly it from its launch time (recorded).

    Threats that differ only in their launch times share one aimed, recorded flight: the
    forces are fixed to the Earth, so a later launch flies the same Earth-fixed path
    (:meth:`~bmdsim.flight.trajectory.Trajectory.shifted`).

    ``strict=False``: a threat its missile cannot fly to its target with its profile (out
    of reach, too near, a shape it cannot fly there) is left out instead of refusing all
    (:func:`~bmdsim.threats.aiming.aim_each`); the others keep their order."""
    groups: dict[tuple, dict[tuple[float, float], list[int]]] = {}
    for i, t in enumerate(threats):
        key = (
            t.missile,
            t.launch_lat_deg,
            t.launch_lon_deg,
            t.profile,
            t.apogee_km,
            t.flight_time_s,
        )
        groups.setdefault(key, {}).setdefault((t.target_lat_deg, t.target_lon_deg), []).append(i)
    flown: list[FlownThreat | None] = [None] * len(threats)
    for (missile, lat, lon, profile, apogee, t_flight), by_target in groups.items():
        targets = list(by_target)
        try:
            sol: AimResult | AimedTargets = (aim if strict else aim_each)(
                missile,
                lat,
                lon,
                [tg[0] for tg in targets],
                [tg[1] for tg in targets],
                profile=profile,
                apogee_km=apogee,
                flight_time_s=t_flight,
            )
            if isinstance(sol, AimedTargets):  # the targets it could aim at
                targets = [targets[int(k)] for k in sol.index]
        except BmdsimError as exc:
            raise _named(exc, [threats[i] for tg in targets for i in by_target[tg]]) from exc
        if not targets:
            continue
        batch = powered_launch(
            get_missile(missile).vehicle,
            lat,
            lon,
            sol.azimuth_deg,
            _PROGRAM,
            kick_deg=sol.kick_deg,
            cutoff_time_s=sol.cutoff_time_s,
        )
        res = Propagator().propagate(batch, record=True)
        for j, tg in enumerate(targets):
            base = res.trajectory(j)
            apogee_m = float(res.apogee_m[j])
            for i in by_target[tg]:
                traj = base.shifted(threats[i].launch_time_s)
                flown[i] = FlownThreat(threats[i], traj, apogee_m, base)
    return [f for f in flown if f is not None]


def _who(threats: Sequence[ThreatSpec]) -> str:
    """'threat 'x' (file:line)' or 'threats 'x', 'y' and 3 more' for a runtime error."""
    names = [f"'{t.name}'" + (f" ({t.origin})" if t.origin else "") for t in threats[:2]]
    more = f" and {len(threats) - 2} more" if len(threats) > 2 else ""
    return ("threat " if len(threats) == 1 else "threats ") + ", ".join(names) + more


def _named(exc: BmdsimError, threats: Sequence[ThreatSpec]) -> BmdsimError:
    """The same error, its message led by the threats it concerns."""
    message = f"{_who(threats)}: {exc}"
    try:
        return type(exc)(message)
    except TypeError:  # an error class with its own constructor
        return BmdsimError(message)


def _placed(s: SensorSite, toward: tuple[float, float]):  # noqa: ANN202
    sensor = get_sensor(s.sensor)
    if getattr(sensor, "space_based", False):  # no site, but its name, owner and link
        return replace(sensor, name=s.name).at(  # type: ignore[attr-defined, type-var]
            owner=s.owner, link_latency_s=s.link_latency_s
        )
    az = s.boresight_az_deg
    if az is None:  # point the first face at the threats' launch area
        az = float(inverse(s.lat_deg, s.lon_deg, toward[0], toward[1])[0])
    return replace(sensor, name=s.name).at(  # type: ignore[attr-defined, type-var]
        s.lat_deg,
        s.lon_deg,
        s.height_m,
        boresight_az_deg=az,
        owner=s.owner,
        link_latency_s=s.link_latency_s,
    )


def _sensor_sets(setup: Setup) -> dict[str, tuple[str, ...]]:
    """Sensor subsets whose tracks the batteries use: 'remote' = every sensor (the fused
    track), 'own:R' = the infrared cue and battery radar R."""
    sets = {"remote": tuple(s.name for s in setup.sensors)}
    space = tuple(
        s.name for s in setup.sensors if getattr(get_sensor(s.sensor), "space_based", False)
    )
    for b in setup.batteries:
        if b.radar is not None and f"own:{b.radar}" in _track_keys(b):  # only those used
            sets[f"own:{b.radar}"] = (*space, b.radar)
    return sets


def _track_keys(b: Battery) -> tuple[str | None, str | None]:
    """Keys of the (launch, guiding) tracks of a battery (see :data:`GUIDES`)."""
    launch, guide = GUIDES[b.fire_on]

    def key(which: str) -> str | None:
        if which == "remote":
            return "remote"
        return f"own:{b.radar}" if b.radar is not None else None

    return key(launch), key(guide)


def _launch_centre(threats: Sequence[ThreatSpec]) -> tuple[float, float]:
    """Mean launch point (longitudes averaged on the circle: wrap-safe across 180 deg)."""
    lat = np.radians([t.launch_lat_deg for t in threats])
    lon = np.radians([t.launch_lon_deg for t in threats])
    v = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)
    m = v.mean(axis=0)
    return (
        math.degrees(math.atan2(m[2], math.hypot(m[0], m[1]))),
        math.degrees(math.atan2(m[1], m[0])),
    )


def _kicks_for(fan: FlyoutFan, ground_m: ArrayLike, alt_m: ArrayLike) -> NDArray[np.float64]:
    """Per point, the kick of the fan member passing nearest to it (that kick flies the
    interceptor there).

    Each member's distance is the least over its samples near the point: those within a
    few samples of where the member's ground range (or, for a member that does not move
    away from the launcher, its altitude) equals the point's. The member the point lies on
    is measured exactly, the others at least as far as they are, so the nearest is found."""
    g = np.atleast_1d(np.asarray(ground_m, float))
    a = np.atleast_1d(np.asarray(alt_m, float))
    best = np.full(g.size, np.inf)
    out = np.full(g.size, float(fan.kicks_deg[0]))
    span = np.arange(-3, 4)
    for k, path in zip(fan.kicks_deg, fan.paths, strict=True):
        pg, pa = path[:, 0], path[:, 1]
        if np.all(np.diff(pg) > 0):
            idx = np.searchsorted(pg, g)
        elif np.all(np.diff(pa) > 0):
            idx = np.searchsorted(pa, a)
        else:  # no monotone coordinate: every sample
            d = np.min(np.hypot(pg[None, :] - g[:, None], pa[None, :] - a[:, None]), axis=1)
            closer = d < best
            best[closer], out[closer] = d[closer], float(k)
            continue
        near = np.clip(idx[:, None] + span[None, :], 0, len(pg) - 1)
        d = np.min(np.hypot(pg[near] - g[:, None], pa[near] - a[:, None]), axis=1)
        closer = d < best
        best[closer], out[closer] = d[closer], float(k)
    return out


def _kick_for(fan: FlyoutFan, ground_m: float, alt_m: float) -> float:
    """The fan member passing nearest to a point (its kick flies the interceptor there)."""
    return float(_kicks_for(fan, ground_m, alt_m)[0])


def _events_at(
    kind: str, flown: list[FlownThreat], at: list[tuple[int, float]]
) -> list[TimelineEvent]:
    """Events of ``kind`` at (threat, time) pairs: one geodetic evaluation per flight (the
    threats that share a flight launched at t = 0 are evaluated on it together, at their
    times since launch: the Earth-fixed path is the same)."""
    groups: dict[int, tuple[Trajectory, list[int], list[float]]] = {}
    for n, (i, t) in enumerate(at):
        f = flown[i]
        traj = f.base if f.base is not None else f.trajectory
        shift = f.spec.launch_time_s if f.base is not None else 0.0
        g = groups.setdefault(id(traj), (traj, [], []))
        g[1].append(n)
        g[2].append(t - shift)
    out: list[TimelineEvent | None] = [None] * len(at)
    for traj, ns, ts in groups.values():
        t = np.clip(np.array(ts), float(traj.t_s[0]), float(traj.t_s[-1]))
        lat, lon, h = traj.geodetic(t)
        for c, n in enumerate(ns):
            out[n] = TimelineEvent(
                float(at[n][1]), kind, "", float(h[c]) / 1e3, float(lat[c]), float(lon[c])
            )
    return [e for e in out if e is not None]


@dataclass
class Geometry:
    """The deterministic part of an engagement: threats aimed and flown (each distinct route
    once), sensors placed, interceptor classes and their fly-out fans, and each flight seen
    from each battery (filled as needed). Monte Carlo trials that change only draws, launch
    times, doctrine or the batteries' timing reuse it (:func:`engage`)."""

    setup: Setup
    flown: list[FlownThreat]
    placed: dict[str, Any]
    classes: list[InterceptorClass]
    fans: list[FlyoutFan]
    seen: dict[tuple[int, int], FlightGeometry] = field(default_factory=dict)


def prepare(setup: Setup, strict: bool = True) -> Geometry:
    """Aim and fly the threats, place the sensors, build the fans (no random draw).
    ``strict=False`` leaves out the threats that cannot be flown (:func:`fly_threats`): the
    geometry's setup then holds only the others."""
    threats = expand_threats(setup.threats)
    flown = fly_threats(threats, strict)
    if not strict:
        setup = replace(setup, threats=tuple(f.spec for f in flown))
    toward = _launch_centre(threats)
    placed = {s.name: _placed(s, toward) for s in setup.sensors}
    classes = [_interceptor(b) for b in setup.batteries]
    return Geometry(setup, flown, placed, classes, [flyout_fan(ic) for ic in classes])


def run_engagement(setup: Setup, seed: int | None = None, fire_control: str = "track") -> RunResult:
    """Simulate one engagement; the same seed gives the same run (:func:`prepare` then
    :func:`engage`).

    ``fire_control``: ``track`` (default) aims each shot from the track estimate and lets
    the kill vehicle's divert decide (:mod:`bmdsim.engagement.handover`); ``truth`` aims at
    the true threat position with the doctrine's Pk (a perfect-track reference)."""
    if fire_control not in ("track", "truth"):
        raise ValueError(f"fire_control must be 'track' or 'truth', got '{fire_control}'")
    return engage(prepare(setup), seed, fire_control)


@dataclass
class Sensed:
    """The sensor side of one engagement: the flights at their launch times, each sensor
    set's observation (detections, tracks, fire-control times, drawn from the engagement
    seed's first stream) and each battery's window on each threat. :func:`decide` may run
    on it many times (only the kill draws, the doctrine and the Pk change); the handovers
    it computes are kept here."""

    setup: Setup
    flown: list[FlownThreat]
    observations: dict[str, Observation]
    windows: list[list[Window | None]]
    handovers: dict[tuple[int, int, int], Handover | None] = field(default_factory=dict)


def sense(
    geometry: Geometry,
    seed: int | None = None,
    launch_times_s: Sequence[float] | None = None,
) -> Sensed:
    """Sensor draws and track noise, fire-control times and windows on a prepared geometry.
    ``launch_times_s`` (one per threat, after ``count`` expansion) moves the launches
    without re-flying anything."""
    setup = geometry.setup
    seed = setup.seed if seed is None else seed
    flown = geometry.flown
    if launch_times_s is not None:
        if len(launch_times_s) != len(flown):
            raise ValueError(f"{len(launch_times_s)} launch times for {len(flown)} threats")
        flown = [
            FlownThreat(
                replace(f.spec, launch_time_s=float(t)),
                (f.base or f.trajectory).shifted(float(t)),
                f.apogee_m,
                f.base or f.trajectory,
            )
            for f, t in zip(flown, launch_times_s, strict=True)
        ]
    trajs = [f.trajectory for f in flown]
    rcs = np.array([f.spec.rcs_m2 for f in flown])
    placed, fans = geometry.placed, geometry.fans
    obs_seq = np.random.SeedSequence(seed).spawn(2)[0]
    cfg = C2Config(track_until="end", record_tracks=True)
    shared_flights = [
        (f.base, f.spec.launch_time_s) if f.base is not None else (f.trajectory, 0.0) for f in flown
    ]
    seen = geometry.seen  # per (shared flight, battery)
    bases = {id(f.base or f.trajectory): f.base or f.trajectory for f in flown}
    new = [b for k, b in bases.items() if (k, 0) not in seen]
    if new and setup.batteries:
        sites = [(fan, b.lat_deg, b.lon_deg) for b, fan in zip(setup.batteries, fans, strict=True)]
        for base, row_g in zip(new, flight_geometries(new, sites), strict=True):
            for bi, fg in enumerate(row_g):
                seen[(id(base), bi)] = fg
    views: list[list[tuple[FlightGeometry, float]]] = []
    stop = np.full(len(flown), -np.inf)  # the last time any battery could intercept
    for i, f in enumerate(flown):
        base = f.base if f.base is not None else f.trajectory
        shift = f.spec.launch_time_s if f.base is not None else 0.0
        row_v = []
        for bi in range(len(setup.batteries)):
            fg = seen[(id(base), bi)]
            row_v.append((fg, shift))
            reach = np.flatnonzero(np.isfinite(fg.time_of_flight_s))
            if reach.size:
                stop[i] = max(stop[i], float(fg.t_s[reach[-1]]) + shift)
        views.append(row_v)
    observations: dict[str, Observation] = {}
    for key, names in _sensor_sets(setup).items():
        if names:
            observations[key] = observe(
                trajs,
                [placed[n] for n in names],
                rcs,
                cfg,
                rng=np.random.default_rng(obs_seq),
                shared=shared_flights,
                stop_s=stop,
            )
    windows: list[list[Window | None]] = []
    for i in range(len(flown)):
        row: list[Window | None] = []
        for bi, b in enumerate(setup.batteries):
            ob = observations.get(_track_keys(b)[0] or "")
            if ob is None or not math.isfinite(ob.fire_control_track_s[i]):
                row.append(None)
                continue
            fg, shift = views[i][bi]
            ready = float(ob.fire_control_track_s[i]) + b.reaction_time_s
            row.append(window_from(fg, shift, ready))
        windows.append(row)
    return Sensed(setup, flown, observations, windows)


def decide(
    geometry: Geometry,
    sensed: Sensed,
    seed: int | None = None,
    fire_control: str = "track",
    doctrine: Doctrine | None = None,
    detail: bool = True,
    last_use: bool = False,
) -> RunResult:
    """Assignment, handovers and kill draws (from the engagement seed's second stream) on
    what the sensors gave. ``detail=False`` leaves out the timelines, intercept points and
    booster drops (the outcomes, shots and tallies are the same): for Monte Carlo trials.
    ``last_use``: ``sensed`` is not decided on again, so its track histories are let go
    once the shots are planned (the results need only the timelines)."""
    if fire_control not in ("track", "truth"):
        raise ValueError(f"fire_control must be 'track' or 'truth', got '{fire_control}'")
    setup = sensed.setup
    if doctrine is not None:
        setup = replace(setup, doctrine=doctrine)
    seed = setup.seed if seed is None else seed
    flown, observations, windows = sensed.flown, sensed.observations, sensed.windows
    classes, fans = geometry.classes, geometry.fans
    pk_seq = np.random.SeedSequence(seed).spawn(2)[1]
    known = sensed.handovers
    used: dict[tuple[int, int, int], Handover | None] = {}

    def shot_pk(k: int, bi: int, j: int) -> float:
        key = (k, bi, j)
        if key not in known:
            known[key] = _handover(
                setup.batteries[bi],
                classes[bi],
                fans[bi],
                observations,
                flown[k].trajectory,
                k,
                windows[k][bi],
                j,
            )
        ho = used[key] = known[key]
        if fire_control == "truth":
            return setup.doctrine.pk
        return 0.0 if ho is None else setup.doctrine.pk * ho.pk_factor

    rngs = [np.random.default_rng(s) for s in pk_seq.spawn(len(flown))]
    unserved: dict[int, str] = {}
    shots = plan(windows, setup.batteries, setup.doctrine, rngs, shot_pk, unserved)
    if last_use:
        for ob in observations.values():
            ob.tracks = None
    if fire_control == "truth":  # the track's error does not reach the Pk
        used = {
            key: (replace(ho, pk_factor=1.0) if ho is not None else None)
            for key, ho in used.items()
        }
    if not detail:
        return _tally(setup, seed, flown, windows, shots)
    return _results(setup, seed, flown, observations, windows, classes, fans, shots, used, unserved)


def engage(
    geometry: Geometry,
    seed: int | None = None,
    fire_control: str = "track",
    launch_times_s: Sequence[float] | None = None,
    doctrine: Doctrine | None = None,
    detail: bool = True,
) -> RunResult:
    """The stochastic part of an engagement on a prepared geometry (:func:`sense`, then
    :func:`decide`): sensor draws and track noise, fire-control times, windows, assignment,
    kill draws. ``launch_times_s`` (one per threat, after ``count`` expansion) moves the
    launches without re-flying anything; ``doctrine`` replaces the scenario's."""
    if fire_control not in ("track", "truth"):
        raise ValueError(f"fire_control must be 'track' or 'truth', got '{fire_control}'")
    sensed = sense(geometry, seed, launch_times_s)
    return decide(geometry, sensed, seed, fire_control, doctrine, detail, last_use=True)


def _tally(
    setup: Setup,
    seed: int,
    flown: list[FlownThreat],
    windows: list[list[Window | None]],
    shots: list[PlannedShot],
) -> RunResult:
    """Outcomes, shots and battery tallies without timelines or booster drops."""
    out_t = []
    for i, f in enumerate(flown):
        res = ThreatResult(
            f.spec.name,
            f.spec.missile,
            f.spec.launch_place,
            f.spec.target_place,
            f.spec.launch_time_s,
            float(f.trajectory.impact_time_s),
            f.apogee_m / 1e3,
        )
        ws = [w for w in windows[i] if w is not None and w.any]
        res.earliest_intercept_s = min((w.earliest_s for w in ws), default=math.nan)
        res.outcome = "leaked" if ws else "no_opportunity"
        out_t.append(res)
    out_b = [BatteryResult(b.name, b.interceptor, b.inventory) for b in setup.batteries]
    for s in sorted(shots, key=lambda s: s.t_intercept_s):
        out_b[s.battery].fired += 1
        res = out_t[s.threat]
        alive = res.outcome != "killed"
        res.shots.append(
            Shot(
                setup.batteries[s.battery].name,
                s.wave,
                s.t_launch_s,
                s.t_intercept_s,
                math.nan,
                math.nan,
                math.nan,
                alive and s.kill,
                hit=s.kill,
            )
        )
        if alive and s.kill:
            res.outcome = "killed"
    return RunResult(setup.name, seed, out_t, out_b)


def _handover(
    b: Battery,
    ic: InterceptorClass,
    fan: FlyoutFan,
    observations: dict[str, Observation],
    traj: Trajectory,
    k: int,
    w: Window | None,
    j: int,
) -> Handover | None:
    launch_key, guide_key = _track_keys(b)
    lo = observations.get(launch_key or "")
    go = observations.get(guide_key or "") or lo
    if w is None or lo is None or go is None or lo.tracks is None or go.tracks is None:
        return None
    return handover(
        traj,
        k,
        lo.tracks,
        go.tracks,
        float(w.t_launch_s[j]),
        float(w.t_intercept_s[j]),
        b.lat_deg,
        b.lon_deg,
        fan.burnout_speed_m_s,
        ic.divert_time_s,
        ic.divert_budget_m_s,
    )


def _interceptor(b: Battery) -> InterceptorClass:
    """The battery's interceptor class, with its burnout-speed override applied."""
    if b.burnout_speed_m_s is None:
        return get_interceptor(b.interceptor)
    return with_burnout_speed(b.interceptor, b.burnout_speed_m_s)


def _results(
    setup: Setup,
    seed: int,
    flown: list[FlownThreat],
    observations: dict[str, Observation],
    windows: list[list[Window | None]],
    classes: list[InterceptorClass],
    fans: list[FlyoutFan],
    shots: list[PlannedShot],
    handovers: dict[tuple[int, int, int], Handover | None],
    unserved: dict[int, str],
) -> RunResult:
    base = observations.get("remote") or next(iter(observations.values()), None)
    out_t: list[ThreatResult] = []
    for i, f in enumerate(flown):
        tr = f.trajectory
        res = ThreatResult(
            name=f.spec.name,
            missile=f.spec.missile,
            launch_place=f.spec.launch_place,
            target_place=f.spec.target_place,
            launch_time_s=f.spec.launch_time_s,
            impact_time_s=float(tr.impact_time_s),
            apogee_km=f.apogee_m / 1e3,
        )
        if base is not None:
            res.events.extend(base.events[i])
        ws = [w for w in windows[i] if w is not None and w.any]
        res.earliest_intercept_s = min((w.earliest_s for w in ws), default=math.nan)
        res.outcome = "leaked" if ws else "no_opportunity"
        out_t.append(res)
    out_b = [BatteryResult(b.name, b.interceptor, b.inventory) for b in setup.batteries]
    killed_at: dict[int, float] = {}
    ordered = sorted(shots, key=lambda s: s.t_intercept_s)
    # the spent stages fall under the launch toward the predicted intercept point: one
    # batch of fly-outs per battery
    pips = _events_at("intercept", flown, [(s.threat, s.t_intercept_s) for s in ordered])
    launches = _events_at("interceptor_launch", flown, [(s.threat, s.t_launch_s) for s in ordered])
    drops_of: list[list[StageImpact]] = [[] for _ in ordered]
    for bi, b in enumerate(setup.batteries):
        mine = [n for n, s in enumerate(ordered) if s.battery == bi]
        if not mine:
            continue
        az = inverse(
            b.lat_deg,
            b.lon_deg,
            [pips[n].lat_deg for n in mine],
            [pips[n].lon_deg for n in mine],
        )[0]
        ground, alt = [], []
        for n in mine:
            w = windows[ordered[n].threat][bi]
            assert w is not None
            j = ordered[n].window_index
            ground.append(float(w.ground_range_m[j]))
            alt.append(float(w.altitude_m[j]))
        kicks = _kicks_for(fans[bi], ground, alt)
        for n, stages in zip(
            mine,
            booster_drops(classes[bi], b.lat_deg, b.lon_deg, list(az), list(kicks)),
            strict=True,
        ):
            drops_of[n] = stages
    # where every spent stage fell: one look-up
    fell = [st for stages in drops_of for st in stages if math.isfinite(st.lat_deg)]
    where_of: dict[int, str | None] = {}
    for lo in range(0, len(fell), 5_000):  # in blocks: the look-up's memory grows with them
        block = fell[lo : lo + 5_000]
        names = country_at(
            np.array([st.lat_deg for st in block]), np.array([st.lon_deg for st in block])
        )
        where_of.update({id(st): nm for st, nm in zip(block, names, strict=True)})
    for n, s in enumerate(ordered):
        b = setup.batteries[s.battery]
        res = out_t[s.threat]
        out_b[s.battery].fired += 1
        ho = handovers.get((s.threat, s.battery, s.window_index))
        pip = replace(pips[n], by=b.name)
        stages = drops_of[n]
        res.events.append(replace(launches[n], by=b.name))
        drops = []
        for st in stages:
            where = where_of.get(id(st))
            drop = {
                "stage": st.stage,
                "lat_deg": st.lat_deg,
                "lon_deg": st.lon_deg,
                "distance_km": st.distance_km,
                "impact_time_s": s.t_launch_s + st.impact_time_s,
                "country": where or "sea",
            }
            drops.append(drop)
            out_b[s.battery].booster_impacts.append(drop)
            if math.isfinite(st.impact_time_s):
                res.events.append(
                    TimelineEvent(
                        s.t_launch_s + st.impact_time_s,
                        "booster_impact",
                        b.name,
                        0.0,
                        st.lat_deg,
                        st.lon_deg,
                    )
                )
        alive = s.threat not in killed_at
        kill = alive and s.kill
        res.shots.append(
            Shot(
                b.name,
                s.wave,
                s.t_launch_s,
                s.t_intercept_s,
                pip.alt_km * 1e3,
                pip.lat_deg,
                pip.lon_deg,
                kill,
                hit=s.kill,
                guided_by=ho.guided_by if ho is not None else "",
                handover_error_m=ho.handover_error_m if ho is not None else math.nan,
                divert_needed_m_s=ho.divert_needed_m_s if ho is not None else math.nan,
                pk_factor=ho.pk_factor if ho is not None else 0.0,
                stages=tuple(drops),
            )
        )
        if alive:
            res.events.append(pip)
            res.events.append(
                TimelineEvent(
                    s.t_intercept_s + setup.doctrine.kill_assessment_delay_s,
                    "kill_assessment",
                    b.name,
                    pip.alt_km,
                    pip.lat_deg,
                    pip.lon_deg,
                )
            )
        if kill:
            killed_at[s.threat] = s.t_intercept_s
            res.outcome = "killed"
    for i, res in enumerate(out_t):
        if res.outcome != "killed":
            res.reason = _reason(
                setup, i, flown[i], observations, windows[i], classes, fans, res, unserved
            )
    return RunResult(setup.name, seed, out_t, out_b)


def _reason(
    setup: Setup,
    i: int,
    f: FlownThreat,
    observations: dict[str, Observation],
    row: list[Window | None],
    classes: list[InterceptorClass],
    fans: list[FlyoutFan],
    res: ThreatResult,
    unserved: dict[int, str],
) -> str:
    """Why threat ``i`` was not killed (see :data:`bmdsim.engagement.results.REASONS`)."""
    if res.shots:
        if all(s.pk_factor <= 0.0 for s in res.shots):
            return "divert_exceeded"
        return "missed"
    if i in unserved:
        return unserved[i]
    # kinematics first: could any battery reach the flight at all (tracks aside)?
    geometry = []
    for b, ic, fan in zip(setup.batteries, classes, fans, strict=True):
        free = flyout_fan(ic, min_intercept_altitude_m=0.0, max_intercept_altitude_m=math.inf)
        geometry.append(window_reason(f.trajectory, fan, free, b.lat_deg, b.lon_deg))
    able = [k for k, g in enumerate(geometry) if g == "too_late"]
    if not able:
        order = ("out_of_reach", "below_min_altitude", "above_max_altitude")
        return max(geometry, key=order.index) if geometry else "out_of_reach"
    if not any(math.isfinite(ob.first_detection_s[i]) for ob in observations.values()):
        return "not_detected"
    if all(row[k] is None for k in able):
        return "no_fire_control_track"
    return "too_late"
