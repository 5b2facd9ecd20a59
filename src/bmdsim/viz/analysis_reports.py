"""Reports of the analyses (footprint, raid Monte Carlo, strategic reach, spent-stage Monte
Carlo): a summary table and the analysis's figure, through :func:`write_report`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from bmdsim.analysis.footprint import Footprint
from bmdsim.analysis.montecarlo import MonteCarloResult
from bmdsim.analysis.strategic import StrategicReach
from bmdsim.analysis.threat_sets import StrategicFlight
from bmdsim.interceptors.booster_mc import BoosterDispersion
from bmdsim.viz.analysis_figures import (
    BatterySite,
    booster_dispersion_figure,
    footprint_figure,
    montecarlo_figure,
    strategic_figure,
    strategic_paths,
)
from bmdsim.viz.report import ReportFigure, ReportTable, Section, write_report

__all__ = [
    "write_booster_report",
    "write_footprint_report",
    "write_montecarlo_report",
    "write_strategic_report",
]


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None or not math.isfinite(x) else format(x, fmt)


def _pct(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100.0 * x:.1f} %"


def _ci(pair: Sequence[float | None], fmt: str) -> str:
    lo, hi = pair
    return f"[{_num(lo, fmt)}, {_num(hi, fmt)}]"


def write_footprint_report(
    folder: str | Path, fp: Footprint, batteries: Sequence[BatterySite] = ()
) -> Path:
    """The footprint's report: fractions by launch area and main island, and the map."""
    by_area = ReportTable(
        "by-launch-area",
        ("launch area", "defended (of its threatened land)"),
        tuple((k, _pct(v)) for k, v in fp.by_launch_area.items()),
        keys=("launch_area", "defended_fraction"),
        text_keys=frozenset({"launch_area"}),
    )
    summary = ReportTable(
        "summary",
        ("land cells", "threatened cells", "defended cells", "threatened land", "defended"),
        (
            (
                str(fp.cells),
                str(int(fp.threatened.sum())),
                str(int(fp.defended.sum())),
                _pct(fp.threatened_fraction),
                _pct(fp.defended_fraction),
            ),
        ),
        "Shares by land area (cells weighted by cos latitude); 'defended' is the share of "
        "the threatened land.",
        keys=(
            "cells",
            "threatened_cells",
            "defended_cells",
            "threatened_fraction",
            "defended_fraction",
        ),
    )
    items: list[ReportTable | ReportFigure] = [summary, by_area]
    if fp.by_island:
        items.append(
            ReportTable(
                "by-island",
                ("main island", "defended (of its threatened land)"),
                tuple((k, _pct(v)) for k, v in fp.by_island.items()),
                keys=("island", "defended_fraction"),
                text_keys=frozenset({"island"}),
            )
        )
    items.append(
        ReportFigure.of(
            "fig-footprint",
            footprint_figure(fp, batteries),
            "Land cells: threatened and defended (every threat to the cell has an engagement "
            "opportunity), threatened and not defended, not threatened; with several launch "
            "areas, one panel each for its own threats.",
        )
    )
    sensors = "own sensors only" if fp.own_sensors_only else "all sensors"
    text = (
        f"Scenario {fp.scenario} over {fp.region.name} at {fp.grid_deg:g} deg ({sensors}): "
        f"launch areas {', '.join(fp.launch_areas)}; missile classes "
        f"{', '.join(dict.fromkeys(k.missile for k in fp.kinds))}; profiles "
        f"{', '.join(dict.fromkeys(k.profile_label for k in fp.kinds))}; batteries "
        f"{', '.join(fp.batteries) or '-'}; {fp.threats_flown} threats flown."
    )
    return write_report(
        folder, f"bmdsim footprint: {fp.scenario}", [Section("Footprint", (text,), tuple(items))]
    )


def write_montecarlo_report(folder: str | Path, res: MonteCarloResult, scenario: str) -> Path:
    """The Monte Carlo's report: means with their 95 % intervals and the histograms."""
    s = res.summary
    rows = (
        ("leakers per raid", _num(s["leakers_mean"], ".3f"), _ci(s["leakers_ci95"], ".3f")),
        ("P(no leaker)", _num(s["p_zero_leakers"], ".4f"), _ci(s["p_zero_leakers_ci95"], ".4f")),
        (
            "interceptors used",
            _num(s["interceptors_used_mean"], ".2f"),
            _ci(s["interceptors_used_ci95"], ".2f"),
        ),
        (
            "P(a battery runs dry)",
            _num(s["p_inventory_exhausted"], ".4f"),
            _ci(s["p_inventory_exhausted_ci95"], ".4f"),
        ),
    )
    table = ReportTable(
        "summary",
        ("quantity", "mean", "95 % CI"),
        rows,
        "Means over the trials; intervals: Student t for means, Wilson for probabilities.",
        keys=("quantity", "mean", "ci95"),
        text_keys=frozenset({"quantity"}),
    )
    fig = ReportFigure.of(
        "fig-montecarlo",
        montecarlo_figure(res, scenario),
        "Leakers per raid and interceptors used over the trials, with the means and their "
        "95 % confidence intervals.",
    )
    text = (
        f"Scenario {scenario}: {s['trials']:,} trials, seed {res.seed}, run {res.run_id}; "
        f"varied: {res.params.get('vary')}; fire control from the "
        f"{res.params.get('fire_control')}."
    )
    return write_report(
        folder, f"bmdsim montecarlo: {scenario}", [Section("Monte Carlo", (text,), (table, fig))]
    )


def write_strategic_report(
    folder: str | Path,
    reach: StrategicReach,
    flights: Sequence[StrategicFlight] | None = None,
) -> Path:
    """The strategic-reach report: the table of trajectories and the map about the site
    (the flights are flown again for the map: ``flights``, default the built-in set)."""
    rows = tuple(
        (
            t.launch,
            t.target,
            t.missile,
            _num(t.closest_approach_m / 1e3, ".0f"),
            "yes" if t.kinematically_reachable else "no",
            "yes" if t.engageable else "no",
            _num(t.intercept_t_s, ".0f"),
            _num(t.intercept_alt_m / 1e3, ".0f"),
            t.reason or "-",
        )
        for t in reach.trajectories
    )
    table = ReportTable(
        "trajectories",
        (
            "from",
            "to",
            "missile",
            "closest [km]",
            "kinematic",
            "engageable",
            "intercept [s]",
            "intercept alt [km]",
            "reason",
        ),
        rows,
        "closest: of the flown ground track to the site; kinematic: a feasible intercept with "
        "a launch at the threat's lift-off; intercept: the earliest feasible one with the "
        "sensors (s after launch, threat altitude).",
        keys=(
            "launch",
            "target",
            "missile",
            "closest_approach_km",
            "kinematic",
            "engageable",
            "intercept_t_s",
            "intercept_alt_km",
            "reason",
        ),
        text_keys=frozenset({"launch", "target", "missile", "reason"}),
        row_classes=tuple("killed" if t.engageable else "" for t in reach.trajectories),
    )
    fig = ReportFigure.of(
        "fig-strategic",
        strategic_figure(reach, strategic_paths(reach, flights)),
        "Ground tracks about the site (azimuthal equidistant: distances from the site are "
        "true): engageable or not, the part within the interceptor's kinematic reach, and "
        "the earliest feasible intercept.",
    )
    n = len(reach.trajectories)
    text = (
        f"{reach.interceptor} at {reach.site} against {reach.threat_set}: {reach.engageable} "
        f"of {n} trajectories engageable, {reach.kinematically_reachable} within kinematic "
        "reach."
    )
    return write_report(
        folder,
        f"bmdsim strategic: {reach.site}",
        [Section("Strategic reach", (text,), (table, fig))],
    )


def write_booster_report(folder: str | Path, res: BoosterDispersion, site: str) -> Path:
    """The spent-stage Monte Carlo's report: the table of stages and the fall-point map."""
    rows = tuple(
        (
            str(s.stage),
            _num(s.mean_distance_m / 1e3, ",.2f"),
            f"{_num(s.ellipse_major_m / 1e3, ',.2f')} x {_num(s.ellipse_minor_m / 1e3, ',.2f')}",
            _num(s.ellipse_orientation_deg, ".0f"),
            f"{100.0 * s.inside_site:.1f} %",
            s.country or "-",
        )
        for s in res.stages
    )
    table = ReportTable(
        "stages",
        (
            "stage",
            "distance [km]",
            "95 % ellipse [km]",
            "major axis [deg]",
            f"within {res.site_radius_m / 1e3:g} km",
            "falls in",
        ),
        rows,
        "Mean fall point's distance from the launcher; 95 % ellipse semi-axes (major x minor), "
        "major axis clockwise from north.",
        keys=("stage", "distance_km", "ellipse_95_km", "orientation_deg", "inside_site", "country"),
        text_keys=frozenset({"country"}),
    )
    fig = ReportFigure.of(
        "fig-boosters",
        booster_dispersion_figure(res, site),
        "Fall points of every trial by stage, with each stage's mean point and 1- and "
        "2-sigma ellipses (from the sample covariance, in km from the launcher).",
    )
    text = (
        f"{res.interceptor} from {site} toward azimuth {res.azimuth_deg:.1f} deg, "
        f"{res.trials:,} trials."
    )
    return write_report(
        folder, f"bmdsim boosters: {site}", [Section("Spent stages", (text,), (table, fig))]
    )
