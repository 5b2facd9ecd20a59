"""``bmdsim footprint``: which land a scenario's batteries defend, on a grid of aim points."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail, stdout_console
from bmdsim.errors import BmdsimError, quote

if TYPE_CHECKING:
    from bmdsim.analysis.footprint import Footprint

MAX_WORKERS = 64
DEFAULT_OUT = "bmdsim-out"
DEFAULT_GRID_DEG = 0.5
GEOJSON_NAME = "footprint.geojson"
PARQUET_NAME = "footprint.parquet"
DEFAULT_FORMATS = ("geojson", "parquet")
GRID_DEG_RANGE = (0.01, 10.0)


def _round(x: float, nd: int) -> float | None:
    return round(float(x), nd) if math.isfinite(x) else None


def _fractions(d: dict[str, float]) -> dict[str, float | None]:
    return {k: _round(v, 4) for k, v in d.items()}


def footprint_doc(fp: Footprint, files: list[str], workers: int) -> dict[str, Any]:
    """The JSON document: fractions by land area, rounded to 1e-4 (null where nothing is
    threatened)."""
    thr, dfd = fp.threatened, fp.defended
    return {
        "scenario": fp.scenario,
        "region": fp.region.name,
        "grid_deg": fp.grid_deg,
        "own_sensors_only": fp.own_sensors_only,
        "sensor_draws": fp.sensor_draws,
        "launch_areas": fp.launch_areas,
        "missiles": list(dict.fromkeys(k.missile for k in fp.kinds)),
        "profiles": list(dict.fromkeys(k.profile_label for k in fp.kinds)),
        "batteries": list(fp.batteries),
        "defended_fraction": _round(fp.defended_fraction, 4),
        "threatened_fraction": _round(fp.threatened_fraction, 4),
        "cells": fp.cells,
        "threatened_cells": int(thr.sum()),
        "defended_cells": int(dfd.sum()),
        "by_launch_area": _fractions(fp.by_launch_area),
        "by_region": _fractions(fp.by_region),
        "by_island": _fractions(fp.by_island),
        "by_prefecture": _fractions(fp.by_prefecture),
        "threats_flown": fp.threats_flown,
        "threats_per_s": _round(fp.threats_flown / fp.elapsed_s, 1) if fp.elapsed_s > 0 else None,
        "workers": workers,
        "files": files,
        "elapsed_s": round(fp.elapsed_s, 2),
    }


def write_outputs(fp: Footprint, out: str, formats: tuple[str, ...] = DEFAULT_FORMATS) -> list[str]:
    """The footprint's files in ``formats`` (``footprint.geojson``, ``.csv``, ``.parquet``;
    :mod:`bmdsim.io.footprint_files`) in the folder ``out`` (made if missing); the files'
    paths as given. One-line errors when it cannot be."""
    from bmdsim.io.export import export

    try:
        return [str(p) for p in export(fp, formats, out)]
    except BmdsimError as exc:
        fail(f"--out {exc}")


def _progress() -> Any:
    """A rich progress bar on stderr (shown only on a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn("footprint chunks"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )


def footprint_result(
    scenario: str,
    region: str = "japan",
    grid_deg: float = DEFAULT_GRID_DEG,
    launches: list[str] | None = None,
    missiles: list[str] | None = None,
    own_sensors_only: bool = False,
    burnout_speed_m_s: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    sensor_draws: bool = True,
    profiles: tuple[str, ...] = (),
) -> tuple[Footprint, int]:
    """Check the flags (one-line errors naming them), then compute the footprint; also the
    number of workers it ran on."""
    from bmdsim.analysis.executor import make_executor
    from bmdsim.analysis.footprint import footprint
    from bmdsim.analysis.regions import parse_region
    from bmdsim.scenario.loader import load_scenario

    if not (math.isfinite(grid_deg) and GRID_DEG_RANGE[0] <= grid_deg <= GRID_DEG_RANGE[1]):
        lo, hi = GRID_DEG_RANGE
        fail(f"--grid-deg {grid_deg}: give a step within [{lo}, {hi}] deg")
    if burnout_speed_m_s is not None and not (
        math.isfinite(burnout_speed_m_s) and burnout_speed_m_s > 0.0
    ):
        fail(f"--burnout-speed-m-s {burnout_speed_m_s}: give a positive speed [m/s]")
    if scheduler is not None and scheduler != "local" and workers is not None:
        fail("--workers and --scheduler ADDR: give one (the cluster's workers are its own)")
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        fail(f"--scheduler {quote(scheduler)}: give tcp://HOST:PORT or 'local'")
    try:
        reg = parse_region(region)
    except BmdsimError as exc:
        fail(f"--region: {exc}")
    setup = load_scenario(scenario)
    if not setup.batteries:
        fail(f"{quote(scenario)}: the scenario has no battery; a footprint needs one")
    if burnout_speed_m_s is not None:
        from bmdsim.interceptors.flyout import with_burnout_speed

        for b in setup.batteries:
            try:
                with_burnout_speed(b.interceptor, burnout_speed_m_s)
            except BmdsimError as exc:
                fail(f"--burnout-speed-m-s: {exc}")
    from bmdsim.earth.places import get_place
    from bmdsim.threats.catalog import get_missile

    own_places = {t.launch_place for t in setup.threats}
    for name in launches or []:
        if name not in own_places:
            try:
                get_place(name)
            except BmdsimError as exc:
                fail(f"--launch: {exc}")
    for name in missiles or []:
        try:
            get_missile(name)
        except BmdsimError as exc:
            fail(f"--missile: {exc}")
    if not setup.threats and (launches is None or missiles is None):
        fail(f"{quote(scenario)}: the scenario has no threats; give --launch and --missile")
    try:
        executor = make_executor(workers, scheduler)
    except BmdsimError as exc:
        fail(f"--scheduler: {exc}")
    try:
        with _progress() as bar:
            task = bar.add_task("footprint", total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            fp = footprint(
                setup,
                reg,
                grid_deg,
                launches=launches,
                missiles=missiles,
                profiles=profiles,
                own_sensors_only=own_sensors_only,
                burnout_speed_m_s=burnout_speed_m_s,
                sensor_draws=sensor_draws,
                executor=executor,
                progress=show,
            )
    except BmdsimError as exc:
        fail(str(exc))
    finally:
        executor.close()
    return fp, executor.workers


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100.0 * x:.1f} %"


def print_footprint(doc: dict[str, Any]) -> None:
    """The summary, the tables by launch area and by main island, the prefectures not
    wholly defended."""
    from rich.markup import escape
    from rich.table import Table

    console = stdout_console(80)
    sensors = "own sensors only" if doc["own_sensors_only"] else "all sensors"
    if not doc["sensor_draws"]:
        sensors += ", deterministic"
    if doc["profiles"] != ["min-energy"]:
        sensors += "; profiles " + ", ".join(doc["profiles"])
    console.print(
        escape(
            f"{doc['scenario']}: footprint over {doc['region']} at {doc['grid_deg']:g} deg "
            f"({sensors}); {doc['cells']} land cells, {doc['threats_flown']} threats flown"
        )
    )
    console.print(
        f"defended: {_pct(doc['defended_fraction'])} of the threatened land; threatened: "
        f"{_pct(doc['threatened_fraction'])} of the land"
    )
    for title, key in (("launch area", "by_launch_area"), ("main island", "by_island")):
        if not doc[key]:
            continue
        table = Table()
        table.add_column(title)
        table.add_column("defended (of its threatened land)")
        for name, x in doc[key].items():
            table.add_row(escape(name), _pct(x))
        console.print(table)
    short = {k: v for k, v in doc["by_prefecture"].items() if v is not None and v < 1.0}
    if short:
        console.print(
            "prefectures not wholly defended: "
            + ", ".join(f"{k} {_pct(v)}" for k, v in sorted(short.items(), key=lambda kv: kv[1]))
        )
    for f in doc["files"]:
        console.print(escape(f"wrote {f}"))
    console.print(f"{doc['elapsed_s']:.1f} s")


def _profiles(spec: str | None) -> tuple[str, ...]:
    """The --profiles list, each checked (one-line error naming the flag)."""
    from bmdsim.analysis.footprint import parse_profile

    if spec is None:
        return ()
    items = tuple(x.strip() for x in spec.split(","))
    for item in items:
        try:
            parse_profile(item)
        except BmdsimError as exc:
            fail(f"--profiles: {exc}")
    return items


def footprint_cmd(
    scenario: Annotated[str, typer.Argument(help="scenario YAML file or built-in name")],
    region: Annotated[
        str,
        typer.Option(
            help="'japan' (24-46 N, 122-146 E, Japan's land), a country of the Natural Earth "
            "layer, or a box LAT0,LON0,LAT1,LON1 (any land)"
        ),
    ] = "japan",
    grid_deg: Annotated[
        float,
        typer.Option(min=GRID_DEG_RANGE[0], max=GRID_DEG_RANGE[1], help="grid step [deg]"),
    ] = DEFAULT_GRID_DEG,
    launch: Annotated[
        list[str] | None,
        typer.Option(help="launch area (repeatable; default: the scenario's launch places)"),
    ] = None,
    missile: Annotated[
        list[str] | None,
        typer.Option(help="missile class (repeatable; default: the scenario's classes)"),
    ] = None,
    profiles: Annotated[
        str | None,
        typer.Option(
            metavar="LIST",
            help="trajectory profiles fired besides min-energy: a comma-separated list of "
            "standard, lofted:APOGEE_KM, depressed:APOGEE_KM (a cell a class cannot fly a "
            "profile to is not threatened by it)",
        ),
    ] = None,
    burnout_speed_m_s: Annotated[
        float | None,
        typer.Option(
            min=1000.0,
            max=8000.0,
            help="every battery's interceptor burnout speed [m/s] (default: catalog)",
        ),
    ] = None,
    own_sensors_only: Annotated[
        bool,
        typer.Option("--own-sensors-only", help="drop every allied sensor"),
    ] = False,
    deterministic_sensors: Annotated[
        bool,
        typer.Option(
            "--deterministic-sensors",
            help="radars detect only where a look reaches the design Pd, exact measurements "
            "(pessimistic; default: random draws seeded by the scenario's seed)",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_WORKERS, help="local worker processes (default 1)"),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="a Dask scheduler's address (tcp://HOST:PORT), or 'local'"),
    ] = None,
    out: Annotated[
        str, typer.Option(help=f"output folder for {GEOJSON_NAME} and {PARQUET_NAME}")
    ] = DEFAULT_OUT,
    export: Annotated[
        str,
        typer.Option(
            metavar="FORMATS",
            help="the files to write: a comma-separated list of geojson, csv, parquet",
        ),
    ] = ",".join(DEFAULT_FORMATS),
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (the footprint map, self-contained) and its PNG",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Defended footprint: every launch area fires every missile class (min-energy, and
    --profiles if asked) at every land cell of a region; a threatened cell is defended when
    every threat to it has an engagement opportunity (a feasible intercept window for some
    battery).

    The radars draw their detections at random, as in 'bmdsim run' (seeded by the
    scenario's seed, one stream per tile of about 2 x 2 deg): each cell is one draw. Cells are
    weighted by land area (cos latitude). Japanese cells go to the prefecture of
    the nearest prefectural capital (an approximation: no prefecture borders are shipped)
    and to its main island. Writes footprint.geojson and footprint.parquet (--export
    chooses among these and footprint.csv)."""
    from bmdsim.io.export import FOOTPRINT_FORMATS, parse_formats

    try:
        formats = parse_formats(export, FOOTPRINT_FORMATS)
    except BmdsimError as exc:
        fail(f"--export {quote(export)}: {exc}")
    try:
        taken = Path(out).exists() and not Path(out).is_dir()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        fail(f"--out {quote(out)}: not a usable folder name: {getattr(exc, 'strerror', exc)}")
    if taken:
        fail(f"--out {quote(out)}: is a file; give a folder")
    from bmdsim.cli import report_cmds

    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    fp, n_workers = footprint_result(
        scenario,
        region,
        grid_deg,
        launch or None,
        missile or None,
        own_sensors_only,
        burnout_speed_m_s,
        workers,
        scheduler,
        not deterministic_sensors,
        _profiles(profiles),
    )
    files = write_outputs(fp, out, formats)
    path = None
    if folder is not None:
        path = report_cmds.write_footprint_report("--report", folder, fp, scenario)
    doc = footprint_doc(fp, files, n_workers)
    if json_out:
        emit_json(doc)
    else:
        print_footprint(doc)
    if path is not None:
        report_cmds.say_report(path, json_out)


def register(app: typer.Typer) -> None:
    app.command("footprint")(footprint_cmd)


__all__ = ["footprint_doc", "footprint_result", "register", "write_outputs"]
