"""The report of one engagement run: summary, figures, per-threat and battery tables.

Every number in the tables is read from the run's JSON document
(:meth:`~bmdsim.engagement.results.RunResult.to_dict`), the same document ``bmdsim run
--json`` prints, so the report and the JSON always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bmdsim.engagement.results import RunResult
from bmdsim.engagement.run import Geometry
from bmdsim.engagement.scene import Scene, scene_of
from bmdsim.viz.report import ReportFigure, ReportTable, Section, write_report
from bmdsim.viz.run_figures import (
    booster_falls_figure,
    profile_figure,
    run_map_figure,
    timeline_figure,
)

__all__ = ["run_report_sections", "write_run_report"]

#: the columns of the per-threat table: JSON key (or a derived one) and header
THREAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "threat"),
    ("missile", "missile"),
    ("launch_place", "from"),
    ("target_place", "to"),
    ("launch_time_s", "launch [s]"),
    ("impact_time_s", "impact [s]"),
    ("apogee_km", "apogee [km]"),
    ("shots", "shots"),
    ("first_intercept_s", "first intercept [s]"),
    ("outcome", "outcome"),
    ("reason", "reason"),
)
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("threats", "threats"),
    ("killed", "killed"),
    ("leaked", "leaked"),
    ("no_opportunity", "no opportunity"),
    ("interceptors_fired", "interceptors fired"),
)
BATTERY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "battery"),
    ("interceptor", "interceptor"),
    ("inventory", "inventory"),
    ("fired", "fired"),
    ("remaining", "remaining"),
    ("stages_fallen", "spent stages"),
    ("stages_on_land", "on land"),
    ("countries", "fell in"),
)
_TEXT = frozenset(
    {
        "name",
        "missile",
        "launch_place",
        "target_place",
        "outcome",
        "reason",
        "interceptor",
        "countries",
    }
)


def fmt(x: Any, nd: int = 1) -> str:
    """A number of the run's JSON as the report prints it ('-' for null)."""
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _threat_row(t: dict[str, Any]) -> tuple[str, ...]:
    hits = [e["t_s"] for e in t["events"] if e["kind"] == "intercept" and e["t_s"] is not None]
    derived = {"first_intercept_s": min(hits) if hits else None}
    return tuple(fmt({**t, **derived}[k]) for k, _ in THREAT_COLUMNS)


def _battery_row(b: dict[str, Any]) -> tuple[str, ...]:
    falls = b["booster_impacts"]
    land = [x for x in falls if x["country"] != "sea"]
    where = sorted({str(x["country"]) for x in falls})
    derived = {
        "inventory": b["fired"] + b["remaining"],
        "stages_fallen": len(falls),
        "stages_on_land": len(land),
        "countries": ", ".join(where) if where else "-",
    }
    return tuple(fmt({**b, **derived}[k]) for k, _ in BATTERY_COLUMNS)


def _table(
    id: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, ...]],
    caption: str = "",
    row_classes: Sequence[str] = (),
) -> ReportTable:
    return ReportTable(
        id,
        tuple(h for _, h in columns),
        tuple(rows),
        caption,
        tuple(k for k, _ in columns),
        _TEXT,
        tuple(row_classes),
    )


def run_report_sections(
    geometry: Geometry, result: RunResult, scene: Scene | None = None
) -> list[Section]:
    """The sections of a run's report (``scene``: the run's, made when not given)."""
    sc = scene_of(geometry, result) if scene is None else scene
    doc = result.to_dict()
    setup = geometry.setup
    d = setup.doctrine
    radars = sum(1 for s in sc.sites if s.kind == "radar")
    space = sum(1 for s in sc.sites if s.kind == "space_sensor")
    overview = (
        f"Scenario {doc['scenario']}, epoch {setup.epoch}, seed {doc['seed']}: "
        f"{_n(len(doc['threats']), 'threat')} against "
        f"{_n(len(doc['batteries']), 'battery', 'batteries')}, "
        f"{_n(radars, 'ground radar')} and {_n(space, 'space sensor')}. Doctrine: {d.kind}, "
        f"{_n(d.salvo_size, 'interceptor')} a wave, at most {_n(d.max_waves, 'wave')}, "
        f"single-shot Pk {d.pk:g}."
    )
    s = doc["summary"]
    summary = _table("summary", SUMMARY_COLUMNS, [tuple(fmt(s[k]) for k, _ in SUMMARY_COLUMNS)])
    threats = _table(
        "threats",
        THREAT_COLUMNS,
        [_threat_row(t) for t in doc["threats"]],
        "Times in seconds since the epoch; the first intercept is that of the earliest shot "
        "to arrive while the threat flew; reason: why a threat was not killed.",
        [t["outcome"] for t in doc["threats"]],
    )
    batteries = _table(
        "batteries",
        BATTERY_COLUMNS,
        [_battery_row(b) for b in doc["batteries"]],
        "Interceptors fired and left, and where their spent stages fell ('sea' or a "
        "country of the Natural Earth layer).",
    )
    figures = (
        ReportFigure.of(
            "fig-map",
            run_map_figure(sc),
            "Map: launch areas, targets, batteries, radars with their coverage rings, the "
            "threats' ground tracks coloured by outcome (a killed threat's track ends at the "
            "kill), interceptor fly-outs, intercept points and spent-stage fall points.",
        ),
        ReportFigure.of(
            "fig-profiles",
            profile_figure(sc),
            "Altitude against ground range from the launch point for each threat, with its "
            "intercept points.",
        ),
        ReportFigure.of(
            "fig-timeline",
            timeline_figure(doc),
            "Engagement timeline: per threat, its flight from launch to impact or kill, the "
            "first detections, track initiation, fire-control track, interceptor launches "
            "and intercepts.",
        ),
        ReportFigure.of(
            "fig-boosters",
            booster_falls_figure(sc),
            "Where the interceptors' spent stages fell around each battery that fired: a "
            "close-up of the launcher and a view of every stage, in km from the launcher.",
        ),
    )
    return [
        Section("Summary", (overview,), (summary,)),
        Section("Engagement", (), figures[:3]),
        Section("Threats", (), (threats,)),
        Section("Batteries", (), (batteries, figures[3])),
    ]


def write_run_report(
    folder: str | Path, geometry: Geometry, result: RunResult, scene: Scene | None = None
) -> Path:
    """Write ``folder/report.html`` (and the figures' PNGs beside it); its path."""
    sections = run_report_sections(geometry, result, scene)
    return write_report(
        folder,
        f"bmdsim run: {result.scenario}",
        sections,
        f"seed {result.seed}; epoch {geometry.setup.epoch}",
    )
