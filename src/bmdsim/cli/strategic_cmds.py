"""``bmdsim strategic``: can a battery engage strategic missiles that do not target Japan?"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail
from bmdsim.errors import BmdsimError

if TYPE_CHECKING:
    from bmdsim.analysis.strategic import StrategicReach

DEFAULT_SET = "russia-us"
DEFAULT_OUT = "bmdsim-out"


def strategic_result(
    site: str, interceptor: str, threat_set: str = DEFAULT_SET, own_sensors_only: bool = False
) -> StrategicReach:
    """Check the flags (one-line errors naming them), then run the analysis."""
    from rich.console import Console

    from bmdsim.analysis.strategic import strategic_reach
    from bmdsim.analysis.threat_sets import get_threat_set
    from bmdsim.earth.places import get_place
    from bmdsim.interceptors.catalog import get_interceptor

    try:
        place = get_place(site)
    except BmdsimError as exc:
        fail(f"--site: {exc}")
    try:
        ic = get_interceptor(interceptor)
    except BmdsimError as exc:
        fail(f"--interceptor: {exc}")
    try:
        flights = get_threat_set(threat_set)
    except BmdsimError as exc:
        fail(f"--threat-set: {exc}")
    sensors = "own radar only" if own_sensors_only else "own radar + allied sensors"
    with Console(stderr=True).status(
        f"flying {len(flights)} trajectories of {threat_set} against {place.name} ({sensors})..."
    ):
        res = strategic_reach(place, ic.name, threat_set, own_sensors_only)
    return res


def _km(x_m: float) -> float | None:
    return round(x_m / 1e3, 1) if math.isfinite(x_m) else None


def strategic_doc(res: StrategicReach) -> dict[str, Any]:
    """The JSON document (distances and altitudes in km, rounded to 0.1 km)."""
    n = len(res.trajectories)
    return {
        "site": res.site,
        "interceptor": res.interceptor,
        "threat_set": res.threat_set,
        "trajectories": n,
        "engageable": res.engageable,
        "engageable_fraction": round(res.engageable / n, 4) if n else None,
        "details": [
            {
                "launch": t.launch,
                "target": t.target,
                "missile": t.missile,
                "engageable": t.engageable,
                "closest_approach_km": _km(t.closest_approach_m),
                "intercept_alt_km": _km(t.intercept_alt_m) if t.engageable else None,
                "reason": None if t.engageable else t.reason,
            }
            for t in res.trajectories
        ],
        "elapsed_s": round(res.elapsed_s, 2),
    }


def _num(x: float, fmt: str, scale: float = 1.0) -> str:
    if not math.isfinite(x):
        return "-"
    text = format(x * scale, fmt)
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text  # no '-0'


def print_strategic(res: StrategicReach) -> None:
    """The readable table, one row per trajectory, and the summary line."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(160, Console().width))
    sensors = "own radar only" if res.own_sensors_only else "own radar + allied IR/TPY-2 cues"
    table = Table(
        title=f"{res.threat_set}: {res.interceptor} at {res.site} ({sensors})",
        caption=(
            "closest: of the flown ground track to the site (km, threat altitude then); "
            "kinematic: a feasible intercept with a launch at the threat's lift-off; "
            "intercept: the earliest feasible one (s after launch, threat altitude)"
        ),
    )
    for col in (
        "from",
        "to",
        "missile",
        "closest km",
        "alt there km",
        "kinematic",
        "engageable",
        "intercept s",
        "intercept alt km",
        "reason",
    ):
        table.add_column(col)
    for t in res.trajectories:
        table.add_row(
            t.launch,
            t.target,
            t.missile,
            _num(t.closest_approach_m, ".0f", 1e-3),
            _num(t.closest_approach_alt_m, ".0f", 1e-3),
            "yes" if t.kinematically_reachable else "no",
            "yes" if t.engageable else "no",
            _num(t.intercept_t_s, ".0f"),
            _num(t.intercept_alt_m, ".0f", 1e-3),
            t.reason or "-",
        )
    console.print(table)
    n = len(res.trajectories)
    console.print(
        f"summary: {res.engageable} of {n} trajectories engageable "
        f"({100.0 * res.engageable / n:.0f} %), {res.kinematically_reachable} within the "
        f"interceptor's kinematic reach; {res.elapsed_s:.1f} s"
    )


def strategic(
    site: Annotated[str, typer.Option(help="site of the battery: PLACE or LAT,LON")],
    interceptor: Annotated[str, typer.Option(help="interceptor class (catalog name)")],
    threat_set: Annotated[
        str, typer.Option(help="built-in trajectory set: russia-us | nk-us | china-us")
    ] = DEFAULT_SET,
    own_sensors_only: Annotated[
        bool,
        typer.Option(
            "--own-sensors-only",
            help="the site's own radar alone (no allied infrared or TPY-2 cues)",
        ),
    ] = False,
    export: Annotated[
        str | None,
        typer.Option(
            metavar="FORMATS",
            help="write the per-trajectory details table: csv, parquet or csv,parquet",
        ),
    ] = None,
    out: Annotated[str, typer.Option(help="output folder of --export")] = DEFAULT_OUT,
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (map of the trajectories about the site, "
            "self-contained) and its PNG",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Which strategic trajectories (not aimed at Japan) a battery at a site can engage."""
    from bmdsim.cli.engagement_cmds import export_formats, write_exports
    from bmdsim.io.export import TABLE_FORMATS

    formats = None if export is None else export_formats(export, out, TABLE_FORMATS)
    from bmdsim.cli import report_cmds

    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    res = strategic_result(site, interceptor, threat_set, own_sensors_only)
    path = None if folder is None else report_cmds.write_strategic_report("--report", folder, res)
    files = [] if formats is None else write_exports(res, formats, out)
    if json_out:
        doc = strategic_doc(res)
        if formats is not None:
            doc["files"] = files
        emit_json(doc)
    else:
        print_strategic(res)
        for f in files:
            print(f"wrote {f}")
    if path is not None:
        report_cmds.say_report(path, json_out)


def register(app: typer.Typer) -> None:
    app.command()(strategic)
