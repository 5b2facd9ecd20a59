"""The public Python API: a few functions over the layers, the same ones the command line uses.

Everything here is re-exported by :mod:`bmdsim` (``bmdsim.run``, ``bmdsim.fly``, ...);
the imports are lazy, so ``import bmdsim`` stays quick. Inputs are SI with unit suffixes
(``*_m``, ``*_s``, ``*_deg``); places are names (``bmdsim catalog places``) or
``(lat_deg, lon_deg)`` pairs.

>>> import bmdsim
>>> r = bmdsim.run("aegis-ashore-japan")          # doctest: +SKIP
>>> r.summary["killed"], r.summary["leaked"]        # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bmdsim.analysis.footprint import Footprint
    from bmdsim.analysis.montecarlo import MonteCarloResult, Vary
    from bmdsim.analysis.strategic import StrategicReach
    from bmdsim.analysis.validation import CaseResult
    from bmdsim.engagement.results import RunResult
    from bmdsim.engagement.run import Geometry
    from bmdsim.engagement.scene import Scene
    from bmdsim.engagement.setup import Setup
    from bmdsim.flight.trajectory import Trajectory
    from bmdsim.interceptors.flyout import FlyoutFan
    from bmdsim.sensors.c2 import Observation

__all__ = [
    "Run",
    "export",
    "fly",
    "footprint",
    "load_scenario",
    "montecarlo",
    "observe",
    "reach",
    "report",
    "run",
    "strategic",
    "validate",
]

Place = str | tuple[float, float]


def load_scenario(source: str | os.PathLike[str]) -> Setup:
    """A scenario file (YAML) or built-in name (``bmdsim scenarios``) as an engagement input.

    Errors name the file, line and key (:class:`bmdsim.ScenarioError`)."""
    from bmdsim.scenario.loader import load_scenario as _load

    return _load(source)


def _setup(scenario: str | os.PathLike[str] | Setup) -> Setup:
    from bmdsim.engagement.setup import Setup

    return scenario if isinstance(scenario, Setup) else load_scenario(scenario)


@dataclass
class Run:
    """One simulated engagement: its input, the prepared geometry and the result."""

    setup: Setup
    geometry: Geometry
    result: RunResult
    _scene: Scene | None = field(default=None, repr=False)

    @property
    def summary(self) -> dict[str, int]:
        """Threats, killed, leaked, no_opportunity, interceptors_fired."""
        return self.result.summary

    @property
    def threats(self) -> list[Any]:
        return self.result.threats

    def to_dict(self) -> dict[str, Any]:
        """The document ``bmdsim run --json`` prints."""
        return self.result.to_dict()

    def to_json(self, indent: int | None = 2) -> str:
        """The same document as strict JSON (non-finite numbers as null)."""
        from bmdsim.io.jsonsafe import json_safe

        return json.dumps(json_safe(self.to_dict()), indent=indent, allow_nan=False)

    def scene(self) -> Scene:
        """Tracks, fly-outs, sites, intercept and booster points (computed once)."""
        from bmdsim.engagement.scene import scene_of

        if self._scene is None:
            self._scene = scene_of(self.geometry, self.result)
        return self._scene


def run(
    scenario: str | os.PathLike[str] | Setup,
    seed: int | None = None,
    *,
    own_sensors_only: bool = False,
    fire_control: str = "track",
) -> Run:
    """Simulate one engagement (``bmdsim run``). ``scenario``: a file, a built-in name or a
    :class:`~bmdsim.engagement.setup.Setup`; ``seed`` overrides the scenario's;
    ``own_sensors_only`` drops every allied sensor; ``fire_control``: ``track`` (aim from
    the track estimate) or ``truth`` (perfect track)."""
    from bmdsim.engagement.run import engage, prepare

    setup = _setup(scenario)
    if own_sensors_only:
        setup = setup.without_allied_sensors()
    if seed is not None:
        setup = replace(setup, seed=seed)
    geometry = prepare(setup)
    return Run(setup, geometry, engage(geometry, fire_control=fire_control))


def _latlon(place: Place) -> tuple[float, float]:
    if isinstance(place, str):
        from bmdsim.earth.places import get_place

        p = get_place(place)
        return p.lat_deg, p.lon_deg
    lat, lon = place
    return float(lat), float(lon)


def fly(
    missile: str,
    launch: Place,
    target: Place,
    profile: str = "min-energy",
    *,
    apogee_km: float | None = None,
    flight_time_s: float | None = None,
) -> Trajectory:
    """Aim a catalog missile (``bmdsim catalog missiles``) from ``launch`` at ``target`` on
    the rotating WGS84 Earth and fly it (``bmdsim trajectory``); the recorded trajectory
    (``.geodetic()``, ``.impact_time_s``, ``.ground_range_km()``, ...). ``profile``:
    ``min-energy``, ``standard``, ``lofted`` or ``depressed`` (the last two need
    ``apogee_km`` or ``flight_time_s``)."""
    from bmdsim.threats.aiming import aim
    from bmdsim.threats.catalog import get_missile

    lat0, lon0 = _latlon(launch)
    lat1, lon1 = _latlon(target)
    sol = aim(
        get_missile(missile),
        lat0,
        lon0,
        lat1,
        lon1,
        profile=profile,
        apogee_km=apogee_km,
        flight_time_s=flight_time_s,
    )
    return sol.fly(0, record=True).trajectory(0)


def observe(
    trajectories: Sequence[Trajectory],
    sensors: Sequence[Any],
    rcs_m2: float = 0.1,
    seed: int | None = None,
) -> Observation:
    """What placed sensors see of flights: detections, tracks, fire-control times and the
    timeline per threat. ``sensors``: catalog sensors placed with ``.at(lat_deg, lon_deg)``
    (``bmdsim.sensors.catalog.get_sensor``); with ``seed`` detections and measurements are
    random draws, without it each look detects where Pd reaches the design value."""
    import numpy as np

    from bmdsim.sensors.c2 import observe as _observe

    rng = np.random.default_rng(seed) if seed is not None else None
    return _observe(list(trajectories), list(sensors), rcs_m2, rng=rng)


def reach(interceptor: str, burnout_speed_m_s: float | None = None) -> FlyoutFan:
    """The fly-out fan of an interceptor class (``bmdsim reach``): ``.time_to(ground_range_m,
    altitude_m)``, ``.max_altitude_m``, ``.max_ground_range_m``, ``.table()``; optionally
    resized to another burnout speed."""
    from bmdsim.interceptors.catalog import get_interceptor
    from bmdsim.interceptors.flyout import flyout_fan, with_burnout_speed

    ic = (
        get_interceptor(interceptor)
        if burnout_speed_m_s is None
        else with_burnout_speed(interceptor, burnout_speed_m_s)
    )
    return flyout_fan(ic)


def footprint(
    scenario: str | os.PathLike[str] | Setup,
    region: str = "japan",
    grid_deg: float = 0.5,
    **options: Any,
) -> Footprint:
    """The defended footprint of a scenario's batteries and sensors over a region
    (``bmdsim footprint``): per grid cell threatened / defended / why not, and the fractions
    by land area, launch area, main island and prefecture. ``options``: see
    :func:`bmdsim.analysis.footprint.footprint` (``own_sensors_only``, ``launches``,
    ``missiles``, ``burnout_speed_m_s``, ``executor``, ...)."""
    from bmdsim.analysis.footprint import footprint as _footprint

    return _footprint(_setup(scenario), region, grid_deg, **options)


def montecarlo(
    scenario: str | os.PathLike[str] | Setup,
    trials: int,
    seed: int = 0,
    *,
    vary: Vary | None = None,
    **options: Any,
) -> MonteCarloResult:
    """Raid Monte Carlo (``bmdsim montecarlo``), in memory unless ``store`` is given:
    per-trial leakers, kills, interceptors used, and a summary with 95 % intervals.
    ``vary``: :class:`bmdsim.analysis.montecarlo.Vary`; ``options``: see
    :func:`bmdsim.analysis.montecarlo.montecarlo`."""
    from bmdsim.analysis.montecarlo import montecarlo as _mc

    return _mc(_setup(scenario), trials, seed, vary=vary, **options)


def strategic(
    site: str,
    interceptor: str,
    threat_set: str = "russia-us",
    own_sensors_only: bool = False,
) -> StrategicReach:
    """Which trajectories of a built-in set (``russia-us``, ``nk-us``) a battery at
    ``site`` could engage at all, where, and why not (``bmdsim strategic``)."""
    from bmdsim.analysis.strategic import strategic_reach

    return strategic_reach(site, interceptor, threat_set, own_sensors_only)


def report(obj: Any, folder: str | os.PathLike[str] = "bmdsim-out") -> Path:
    """Write ``folder/report.html`` (self-contained, figures embedded) for a :class:`Run`,
    a footprint or a Monte Carlo result; its path."""
    from bmdsim.analysis.footprint import Footprint
    from bmdsim.analysis.montecarlo import MonteCarloResult
    from bmdsim.viz.analysis_reports import write_footprint_report, write_montecarlo_report
    from bmdsim.viz.run_report import write_run_report

    folder = Path(folder)
    if isinstance(obj, Run):
        return write_run_report(folder, obj.geometry, obj.result, obj.scene())
    if isinstance(obj, Footprint):
        return write_footprint_report(folder, obj)
    if isinstance(obj, MonteCarloResult):
        return write_montecarlo_report(folder, obj, "montecarlo")
    raise TypeError(f"no report for {type(obj).__name__}")


def export(
    obj: Any, formats: str | Sequence[str], folder: str | os.PathLike[str] = "bmdsim-out"
) -> list[Path]:
    """Write a :class:`Run` (its scene), a footprint, a Monte Carlo result or a strategic
    analysis in ``formats`` (``geojson,kml,czml,csv,parquet``) into ``folder``; the paths."""
    from bmdsim.io.export import export as _export

    target = obj.scene() if isinstance(obj, Run) else obj
    return _export(target, formats, folder)


def validate(groups: Sequence[str] | None = None) -> list[CaseResult]:
    """Recompute the built-in validation cases against public data (``bmdsim validate``)."""
    from bmdsim.analysis.validation import run_validation

    return run_validation(list(groups) if groups else None)
