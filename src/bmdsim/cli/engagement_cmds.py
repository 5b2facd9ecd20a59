"""``bmdsim run``: one engagement simulation from a scenario file or built-in name."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmdsim.cli._common import emit_json, fail, stdout_console
from bmdsim.errors import BmdsimError, quote
from bmdsim.scenario import limits as L

if TYPE_CHECKING:
    from bmdsim.engagement.results import RunResult
    from bmdsim.engagement.run import Geometry

err_console = Console(stderr=True)
DEFAULT_OUT = "bmdsim-out"


def simulate(
    scenario: str, seed: int | None = None, own_sensors_only: bool = False
) -> tuple[Geometry, RunResult]:
    """Load and simulate a scenario: the prepared geometry and the run on it."""
    from bmdsim.engagement.run import engage, prepare
    from bmdsim.scenario.loader import load_scenario

    setup = load_scenario(scenario)
    if own_sensors_only:
        setup = setup.without_allied_sensors()
    if seed is not None:
        setup = replace(setup, seed=seed)
    with err_console.status(f"running {setup.name}..."):
        geometry = prepare(setup)
        result = engage(geometry)
    return geometry, result


def run_scenario(
    scenario: str, seed: int | None = None, own_sensors_only: bool = False
) -> dict[str, Any]:
    """Load, simulate and return the run's JSON document."""
    return simulate(scenario, seed, own_sensors_only)[1].to_dict()


def export_formats(
    export: str, out: str, allowed: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The formats of ``--export`` (among ``allowed``, default every format) and a usable
    ``--out`` folder (made if missing), checked before the work: one-line errors naming
    the flag."""
    from bmdsim.io.export import FORMATS, out_folder, parse_formats

    try:
        formats = parse_formats(export, FORMATS if allowed is None else allowed)
    except BmdsimError as exc:
        fail(f"--export {quote(export)}: {exc}")
    try:
        out_folder(out)
    except BmdsimError as exc:
        fail(f"--out {exc}")
    return formats


def write_exports(obj: Any, formats: tuple[str, ...], out: str) -> list[str]:
    """Write ``obj`` (a scene or an analysis's result, :func:`bmdsim.io.export.export`) in
    ``formats`` into the folder ``out``; the files' paths. A one-line error naming --out."""
    from bmdsim.io.export import export

    try:
        return [str(p) for p in export(obj, formats, out)]
    except BmdsimError as exc:
        fail(f"--out {exc}")


def export_run(
    geometry: Geometry, result: RunResult, formats: tuple[str, ...], out: str
) -> list[str]:
    """Write the run's scene in ``formats`` into the folder ``out``; the files' paths."""
    from bmdsim.engagement.scene import scene_of

    return write_exports(scene_of(geometry, result), formats, out)


def _num(x: float | None, fmt: str = ".0f") -> str:
    return "-" if x is None else format(x, fmt)


def print_run(doc: dict[str, Any]) -> None:
    """The readable table per threat and the summary line (names from the scenario are
    printed as text, never as rich markup)."""
    console = stdout_console(132)  # wide enough for the table
    table = Table(title=escape(f"{doc['scenario']} (seed {doc['seed']})"))
    for col in (
        "threat",
        "missile",
        "from",
        "to",
        "launch s",
        "impact s",
        "apogee km",
        "shots",
        "outcome",
        "reason",
        "first intercept s",
        "handover err km",
        "divert m/s",
    ):
        table.add_column(col)
    for t in doc["threats"]:
        hits = [e["t_s"] for e in t["events"] if e["kind"] == "intercept"]
        eng = t["engagements"]
        err = [e["handover_error_km"] for e in eng if e["handover_error_km"] is not None]
        dv = [e["divert_needed_m_s"] for e in eng if e["divert_needed_m_s"] is not None]
        table.add_row(
            escape(t["name"]),
            t["missile"],
            escape(t["launch_place"]),
            escape(t["target_place"]),
            _num(t["launch_time_s"]),
            _num(t["impact_time_s"]),
            _num(t["apogee_km"]),
            str(t["shots"]),
            t["outcome"],
            t["reason"] or "-",
            f"{min(hits):.0f}" if hits else "-",
            f"{max(err):.3f}" if err else "-",
            f"{max(dv):.0f}" if dv else "-",
        )
    console.print(table)
    for b in doc["batteries"]:
        console.print(escape(f"battery {b['name']}: fired {b['fired']}, {b['remaining']} left"))
        stages = sorted({x["stage"] for x in b["booster_impacts"]})
        for k in stages:
            xs = [x for x in b["booster_impacts"] if x["stage"] == k]
            d = [x["distance_km"] for x in xs if x["distance_km"] is not None]
            where = sorted({str(x["country"]) for x in xs})
            if d:
                console.print(
                    escape(
                        f"  stage {k} fell {min(d):.1f}-{max(d):.1f} km from the launcher "
                        f"({', '.join(where)})"
                    )
                )
    s = doc["summary"]
    console.print(
        f"summary: {s['threats']} threats, {s['killed']} killed, {s['leaked']} leaked, "
        f"{s['no_opportunity']} without an engagement opportunity; "
        f"{s['interceptors_fired']} interceptors fired"
    )
    for f in doc.get("files", []):
        console.print(escape(f"wrote {f}"))


def run(
    scenario: Annotated[
        str,
        typer.Argument(
            help=f"scenario YAML file (at most {L.MAX_SCENARIO_BYTES:,} bytes; see 'bmdsim "
            "schema' for every key's range) or built-in name"
        ),
    ],
    seed: Annotated[
        int | None,
        typer.Option(min=L.SEED[0], max=L.SEED[1], help="random seed (overrides the file's)"),
    ] = None,
    own_sensors_only: Annotated[
        bool,
        typer.Option(
            "--own-sensors-only",
            help="drop every allied sensor (batteries fall back to the tracks that remain)",
        ),
    ] = False,
    export: Annotated[
        str | None,
        typer.Option(
            metavar="FORMATS",
            help="write the run's tracks, intercepts, sites and coverage: a comma-separated "
            "list of geojson, kml, czml, csv, parquet",
        ),
    ] = None,
    out: Annotated[str, typer.Option(help="output folder of --export")] = DEFAULT_OUT,
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (self-contained: figures embedded) and its PNGs",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Simulate one engagement: threats, sensors, C2, interceptors, outcomes.

    A scenario holds at most 1,000 threats (count included), 100 sensors and 100
    batteries; YAML aliases may expand it to at most 100,000 nodes."""
    from bmdsim.cli import report_cmds

    formats = None if export is None else export_formats(export, out)
    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    geometry, result = simulate(scenario, seed, own_sensors_only)
    doc = result.to_dict()
    if formats is not None:
        doc["files"] = export_run(geometry, result, formats, out)
    path = None
    if folder is not None:
        path = report_cmds.write_run_report("--report", folder, geometry, result)
    if json_out:
        emit_json(doc)
    else:
        print_run(doc)
    if path is not None:
        report_cmds.say_report(path, json_out)


def register(app: typer.Typer) -> None:
    app.command()(run)
