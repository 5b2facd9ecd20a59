"""What an engagement looks like in space and time: the paths and places that maps, reports,
exports and the globe viewer draw.

A :class:`Scene` is computed on demand from a prepared :class:`~bmdsim.engagement.run.Geometry`
and the :class:`~bmdsim.engagement.results.RunResult` of one :func:`~bmdsim.engagement.run.engage`
on it; the run itself never builds one (Monte Carlo trials don't need it). Tracks are
sampled sparsely (every ``step_s`` seconds plus the ends), so a scene's size grows with the
number of threats and shots, not with the scenario's clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmdsim.earth.geodesics import WGS84_GEOD, inverse
from bmdsim.engagement.results import RunResult
from bmdsim.engagement.run import Geometry, _kick_for
from bmdsim.sensors.coverage import coverage
from bmdsim.sensors.radar import Radar

__all__ = ["Scene", "SceneSite", "SceneTrack", "scene_of"]


@dataclass(frozen=True)
class SceneTrack:
    """A path through time: a threat's flight or an interceptor's fly-out."""

    name: str  # threat name, or 'BATTERY>THREAT#WAVE.N' for an interceptor
    kind: str  # 'threat' | 'interceptor'
    t_s: NDArray[np.float64]  # scenario clock
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    alt_m: NDArray[np.float64]
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def start_s(self) -> float:
        return float(self.t_s[0])

    @property
    def end_s(self) -> float:
        return float(self.t_s[-1])


@dataclass(frozen=True)
class SceneSite:
    """A place on the map: a battery, a ground radar (with its coverage ring) or a space
    sensor (no site: ``lat_deg`` is NaN)."""

    name: str
    kind: str  # 'battery' | 'radar' | 'space_sensor'
    cls: str  # catalog class
    lat_deg: float
    lon_deg: float
    owner: str = "own"
    # radars: detection range for their reference target and the coverage ring for a target
    # at ``coverage_alt_m`` (closed, lon/lat in degrees); empty for the others
    detection_range_km: float = math.nan
    coverage_alt_m: float = math.nan
    coverage_lat_deg: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    coverage_lon_deg: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    boresight_az_deg: float = math.nan


@dataclass(frozen=True)
class Scene:
    """Tracks, sites, intercept points and booster fall points of one run."""

    name: str
    epoch: str  # ISO 8601 time of the scenario clock's zero
    tracks: tuple[SceneTrack, ...]
    sites: tuple[SceneSite, ...]
    # one row per shot: threat, battery, wave, t_intercept_s, lat_deg, lon_deg, alt_m, kill
    intercepts: tuple[dict[str, Any], ...]
    # one row per spent stage: battery, stage, lat_deg, lon_deg, impact_time_s, country
    booster_impacts: tuple[dict[str, Any], ...]
    # the launch areas and aim points: name, lat_deg, lon_deg, kind ('launch' | 'target')
    places: tuple[dict[str, Any], ...]

    @property
    def start_s(self) -> float:
        return min((t.start_s for t in self.tracks), default=0.0)

    @property
    def end_s(self) -> float:
        return max((t.end_s for t in self.tracks), default=0.0)

    def threat_tracks(self) -> list[SceneTrack]:
        return [t for t in self.tracks if t.kind == "threat"]

    def interceptor_tracks(self) -> list[SceneTrack]:
        return [t for t in self.tracks if t.kind == "interceptor"]


def _times(t0: float, t1: float, step_s: float) -> NDArray[np.float64]:
    n = max(2, int(math.ceil((t1 - t0) / step_s)) + 1)
    return np.linspace(t0, t1, n)


def _flyout(
    geometry: Geometry, bi: int, shot: Any, step_s: float
) -> (
    tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None
):
    """Time, latitude, longitude and altitude of a shot's fly-out: the fan member through the
    intercept point, flown along the great circle from the launcher toward it."""
    b = geometry.setup.batteries[bi]
    fan = geometry.fans[bi]
    if not all(math.isfinite(x) for x in (shot.intercept_lat_deg, shot.intercept_lon_deg)):
        return None
    az12, _, dist = inverse(b.lat_deg, b.lon_deg, shot.intercept_lat_deg, shot.intercept_lon_deg)
    az, ground_m = float(az12), float(dist)
    kick = _kick_for(fan, ground_m, shot.intercept_alt_m)
    path = fan.paths[int(np.argmin(np.abs(fan.kicks_deg - kick)))]
    tof = shot.t_intercept_s - shot.t_launch_s
    if not (math.isfinite(tof) and tof > 0):
        return None
    t_rel = _times(0.0, tof, step_s)
    # the tabulated path's own clock may end before the time of flight: hold its last point
    pt = path[:, 2]
    r = np.interp(t_rel, pt, path[:, 0])
    h = np.interp(t_rel, pt, path[:, 1])
    # end exactly at the intercept point
    r[-1], h[-1] = ground_m, shot.intercept_alt_m
    lon, lat, _ = WGS84_GEOD.fwd(
        np.full(r.shape, b.lon_deg), np.full(r.shape, b.lat_deg), np.full(r.shape, az), r
    )
    return shot.t_launch_s + t_rel, np.asarray(lat), np.asarray(lon), h


def _sites(geometry: Geometry, coverage_alt_m: float) -> list[SceneSite]:
    setup = geometry.setup
    out: list[SceneSite] = []
    for s in setup.sensors:
        sensor = geometry.placed[s.name]
        if isinstance(sensor, Radar):
            cov = coverage(sensor, coverage_alt_m, n_azimuths=180, step_m=10_000.0)
            out.append(
                SceneSite(
                    s.name,
                    "radar",
                    s.sensor,
                    s.lat_deg,
                    s.lon_deg,
                    s.owner,
                    detection_range_km=cov.detection_range_km,
                    coverage_alt_m=coverage_alt_m,
                    coverage_lat_deg=cov.lat_deg,
                    coverage_lon_deg=cov.lon_deg,
                    boresight_az_deg=(
                        math.nan if s.boresight_az_deg is None else s.boresight_az_deg
                    ),
                )
            )
        else:
            out.append(SceneSite(s.name, "space_sensor", s.sensor, math.nan, math.nan, s.owner))
    for b in setup.batteries:
        out.append(SceneSite(b.name, "battery", b.interceptor, b.lat_deg, b.lon_deg))
    return out


def scene_of(
    geometry: Geometry,
    result: RunResult,
    step_s: float = 10.0,
    coverage_alt_m: float = 300e3,
) -> Scene:
    """The scene of ``result``, an :func:`~bmdsim.engagement.run.engage` of ``geometry``.

    ``step_s``: the tracks' sampling interval (their ends are always included);
    ``coverage_alt_m``: the target altitude of the radars' coverage rings.
    """
    if not step_s > 0:
        raise ValueError("step_s must be > 0")
    setup = geometry.setup
    battery_index = {b.name: i for i, b in enumerate(setup.batteries)}
    tracks: list[SceneTrack] = []
    places: dict[tuple[str, str], dict[str, Any]] = {}
    intercepts: list[dict[str, Any]] = []
    for i, (f, res) in enumerate(zip(geometry.flown, result.threats, strict=True)):
        base = f.base if f.base is not None else f.trajectory
        # a shared flight is launched at t = 0: move it to this threat's launch time
        shift = res.launch_time_s if f.base is not None else 0.0
        t_flight = _times(float(base.t_s[0]), float(base.t_s[-1]), step_s)
        lat, lon, h = base.geodetic(t_flight)
        t_clock = t_flight + shift
        kill = [s.t_intercept_s for s in res.shots if s.kill]
        props = {
            "missile": res.missile,
            "launch_place": res.launch_place,
            "target_place": res.target_place,
            "outcome": res.outcome,
            "reason": res.reason,
            "apogee_km": res.apogee_km,
            "index": i,
        }
        if kill:  # the flight ends at the kill
            keep = t_clock < kill[0]
            t_k = np.array([kill[0]])
            la, lo, hh = base.geodetic(t_k - shift)
            t_clock = np.append(t_clock[keep], t_k)
            lat, lon, h = (
                np.append(lat[keep], la),
                np.append(lon[keep], lo),
                np.append(h[keep], hh),
            )
        tracks.append(SceneTrack(res.name, "threat", t_clock, lat, lon, h, props))
        places.setdefault(
            ("launch", res.launch_place),
            {
                "name": res.launch_place,
                "kind": "launch",
                "lat_deg": f.spec.launch_lat_deg,
                "lon_deg": f.spec.launch_lon_deg,
            },
        )
        places.setdefault(
            ("target", res.target_place),
            {
                "name": res.target_place,
                "kind": "target",
                "lat_deg": f.spec.target_lat_deg,
                "lon_deg": f.spec.target_lon_deg,
            },
        )
        for n, s in enumerate(res.shots):
            intercepts.append(
                {
                    "threat": res.name,
                    "battery": s.battery,
                    "wave": s.wave,
                    "launch_t_s": s.t_launch_s,
                    "intercept_t_s": s.t_intercept_s,
                    "lat_deg": s.intercept_lat_deg,
                    "lon_deg": s.intercept_lon_deg,
                    "alt_m": s.intercept_alt_m,
                    "kill": s.kill,
                    "hit": s.hit,
                }
            )
            fly = _flyout(geometry, battery_index[s.battery], s, step_s)
            if fly is not None:
                tracks.append(
                    SceneTrack(
                        f"{s.battery}>{res.name}#{s.wave}.{n + 1}",
                        "interceptor",
                        *fly,
                        {"battery": s.battery, "threat": res.name, "hit": s.hit, "kill": s.kill},
                    )
                )
    boosters = tuple({"battery": b.name, **x} for b in result.batteries for x in b.booster_impacts)
    return Scene(
        setup.name,
        setup.epoch,
        tuple(tracks),
        tuple(_sites(geometry, coverage_alt_m)),
        tuple(intercepts),
        boosters,
        tuple(places.values()),
    )
