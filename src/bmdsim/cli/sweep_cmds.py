"""``bmdsim sweep``: a metric of a scenario over edited values of its keys (a parameter
sweep), or one key at a time against the scenario as written (sensitivity)."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail, stdout_console
from bmdsim.errors import BmdsimError, quote
from bmdsim.scenario import limits as L

if TYPE_CHECKING:
    from bmdsim.analysis.sweep import Metric, Param, SweepResult

MAX_WORKERS = 64
MAX_TRIALS = 1_000_000  # bmdsim.analysis.montecarlo.MAX_TRIALS
DEFAULT_TRIALS = 100
DEFAULT_GRID_DEG = 0.5
DEFAULT_REGION = "japan"
GRID_DEG_RANGE = (0.01, 10.0)
METRICS = ("defended_fraction", "p_zero_leakers")  # bmdsim.analysis.sweep.METRICS
#: seconds before the progress bar shows
PROGRESS_AFTER_S = 1.0

PARAM_HELP = (
    "KEY=SPEC (repeatable). KEY: a dotted path into the scenario file as 'bmdsim schema' "
    "shows it; [i] a list entry, [*] every entry, [NAME] the entry of that name, e.g. "
    "batteries[0].overrides.burnout_speed_m_s, batteries[*].reaction_time_s, "
    "sensors[sbirs].link_latency_s, doctrine.pk (a sensor's detection range belongs to its "
    "class: sweep sensors[NAME].sensor=CLASS,... instead). SPEC: a list a,b,c (null: the catalog's "
    "value; 'text' in quotes stays text), a range start:stop:step (stop included when on "
    "the grid), 'keep' (the file's value), and for lists: drop:SEL (remove entry SEL, an "
    "index or a name: batteries=drop:mutsumi, or batteries[1]=drop) or add:{...} (append "
    "a YAML flow item: 'batteries=add:{name: b3, interceptor: sm3-iia-class, site: "
    "tokyo}'). Several --param: every combination (with --sensitivity: one at a time)."
)


class _Progress:
    """A rich progress bar of the sweep's points on stderr, started only once the sweep has
    run for :data:`PROGRESS_AFTER_S` and only on a terminal."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: float, total: int) -> None:
        if self.bar is None:
            if time.perf_counter() - self.t0 < PROGRESS_AFTER_S:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(stderr=True)
            if not console.is_terminal:
                self.bar = False
                return
            self.bar = Progress(
                TextColumn("sweep points"),
                BarColumn(),
                TextColumn("{task.completed:.1f}/{task.total}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
            )
            self.bar.start()
            self.task = self.bar.add_task("sweep", total=total)
        if self.bar:
            self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


def _r(x: float | None, nd: int) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None


def sweep_doc(
    res: SweepResult,
    scenario: str,
    options: dict[str, Any],
    workers: int,
) -> dict[str, Any]:
    """The JSON document: the parameters, every point (each parameter's value, the metric,
    its 95 % interval for the Monte Carlo, the other figures of the computation, seconds),
    the tornado table with --sensitivity, the total seconds."""
    from bmdsim.analysis.sweep import point_values

    nd = 4 if res.metric == "defended_fraction" else 6
    points = []
    for pr in res.points:
        row: dict[str, Any] = point_values(res.params, res.baseline_values, pr.point)
        v = pr.value
        row[res.metric] = _r(v.value, nd)
        if v.ci95 is not None:
            row[res.metric + "_ci95"] = [_r(v.ci95[0], nd), _r(v.ci95[1], nd)]
        for k, x in v.extra.items():
            row[k] = _r(x, nd) if isinstance(x, float) else x
        row["elapsed_s"] = round(pr.elapsed_s, 2)
        row["reused"] = pr.reused
        points.append(row)
    doc: dict[str, Any] = {
        "scenario": scenario,
        "metric": res.metric,
        "mode": "sensitivity" if res.sensitivity is not None else "grid",
        "params": [
            {"key": p.key, "values": p.labels, "baseline": base}
            for p, base in zip(res.params, res.baseline_values, strict=True)
        ],
        **options,
        "points": points,
    }
    if res.sensitivity is not None:
        doc["sensitivity"] = [
            {
                "param": row["param"],
                "by": row["by"],
                "baseline": _r(row["baseline"], nd),
                "low": {
                    **row["low"],
                    "metric": _r(row["low"]["metric"], nd),
                    "delta": _r(row["low"]["delta"], nd),
                },
                "high": {
                    **row["high"],
                    "metric": _r(row["high"]["metric"], nd),
                    "delta": _r(row["high"]["delta"], nd),
                },
                "swing": _r(row["swing"], nd),
            }
            for row in res.sensitivity
        ]
    doc["workers"] = workers
    doc["elapsed_s"] = round(res.elapsed_s, 2)
    return doc


def _cell(x: Any, nd: int = 4) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def _value(x: Any) -> str:
    """A parameter's value as written (numbers in their shortest form)."""
    if isinstance(x, float):
        return f"{x:g}"
    return "-" if x is None else str(x)


def _signed(x: float | None) -> str:
    return "-" if x is None else f"{x:+.4f}"


def print_sweep(doc: dict[str, Any]) -> None:
    """The points as a table (and the tornado table with --sensitivity)."""
    from rich.markup import escape
    from rich.table import Table

    metric = doc["metric"]
    keys = [p["key"] for p in doc["params"]]
    console = stdout_console(max(100, sum(len(k) + 3 for k in keys) + 70))
    if metric == "defended_fraction":
        what = f"footprint over {doc['region']} at {doc['grid_deg']:g} deg"
    else:
        seed = "the scenario's" if doc["seed"] is None else doc["seed"]
        what = f"{doc['trials']} trials a point, seed {seed}"
    console.print(
        escape(f"{doc['scenario']}: {metric} ({what}), {len(doc['points'])} points ({doc['mode']})")
    )
    table = Table()
    for k in keys:
        table.add_column(escape(k))
    table.add_column(metric, justify="right")
    extra = "threatened_fraction" if metric == "defended_fraction" else "leakers_mean"
    if metric == "p_zero_leakers":
        table.add_column("95% CI", justify="right")
    table.add_column(extra, justify="right")
    table.add_column("s", justify="right")
    for row in doc["points"]:
        cells = [escape(_value(row[k])) for k in keys]
        cells.append(_cell(row[metric]))
        if metric == "p_zero_leakers":
            lo, hi = row[metric + "_ci95"]
            cells.append("-" if lo is None or hi is None else f"[{lo:.4f}, {hi:.4f}]")
        cells.append(_cell(row.get(extra)))
        cells.append("(same)" if row["reused"] else f"{row['elapsed_s']:.1f}")
        table.add_row(*cells)
    console.print(table)
    if "sensitivity" in doc:
        tornado = Table(title=f"one at a time: change of {metric} from the baseline")
        for col in ("parameter", "low", metric, "change", "high", metric, "change", "swing"):
            tornado.add_column(
                col, justify="left" if col in ("parameter", "low", "high") else "right"
            )
        for row in doc["sensitivity"]:
            lo, hi = row["low"], row["high"]
            tornado.add_row(
                escape(row["param"]),
                escape(_value(lo["value"])),
                _cell(lo["metric"]),
                _signed(lo["delta"]),
                escape(_value(hi["value"])),
                _cell(hi["metric"]),
                _signed(hi["delta"]),
                _cell(row["swing"]),
            )
        console.print(tornado)
        base = doc["sensitivity"][0]["baseline"] if doc["sensitivity"] else None
        console.print(f"baseline (the file as written): {_cell(base)}")
    console.print(f"{doc['elapsed_s']:.1f} s ({doc['workers']} worker(s))")


def _metric_options(
    metric: str,
    region: str | None,
    grid_deg: float | None,
    launches: list[str] | None,
    missiles: list[str] | None,
    own_sensors_only: bool,
    trials: int | None,
    seed: int | None,
) -> dict[str, Any]:
    """The options of the metric, checked (one-line errors naming the flag); a flag of the
    other metric is refused."""
    if metric not in METRICS:
        fail(f"--metric {quote(metric)}: give {' or '.join(METRICS)}")
    if metric == "defended_fraction":
        given = [f for f, v in (("--trials", trials), ("--seed", seed)) if v is not None]
        if given:
            fail(f"{given[0]}: used with --metric p_zero_leakers only")
        grid = DEFAULT_GRID_DEG if grid_deg is None else grid_deg
        if not (math.isfinite(grid) and GRID_DEG_RANGE[0] <= grid <= GRID_DEG_RANGE[1]):
            lo, hi = GRID_DEG_RANGE
            fail(f"--grid-deg {grid}: give a step within [{lo}, {hi}] deg")
        return {
            "region": DEFAULT_REGION if region is None else region,
            "grid_deg": grid,
            "launches": launches or None,
            "missiles": missiles or None,
            "own_sensors_only": own_sensors_only,
        }
    given = [
        f
        for f, v in (
            ("--region", region),
            ("--grid-deg", grid_deg),
            ("--launch", launches),
            ("--missile", missiles),
            ("--own-sensors-only", own_sensors_only or None),
        )
        if v
    ]
    if given:
        fail(f"{given[0]}: used with --metric defended_fraction only")
    return {"trials": DEFAULT_TRIALS if trials is None else trials, "seed": seed}


def _make_metric(opts: dict[str, Any], metric: str) -> Metric:
    from bmdsim.analysis.sweep import FootprintMetric, MonteCarloMetric

    if metric == "defended_fraction":
        from bmdsim.analysis.regions import parse_region
        from bmdsim.earth.places import get_place
        from bmdsim.threats.catalog import get_missile

        try:
            reg = parse_region(opts["region"])
        except BmdsimError as exc:
            fail(f"--region: {exc}")
        for name in opts["launches"] or []:
            try:
                get_place(name)
            except BmdsimError as exc:
                fail(f"--launch: {exc}")
        for name in opts["missiles"] or []:
            try:
                get_missile(name)
            except BmdsimError as exc:
                fail(f"--missile: {exc}")
        return FootprintMetric(
            reg,
            opts["grid_deg"],
            opts["launches"],
            opts["missiles"],
            opts["own_sensors_only"],
        )
    return MonteCarloMetric(opts["trials"], opts["seed"])


def _params(texts: list[str]) -> list[Param]:
    from bmdsim.analysis.sweep import parse_param
    from bmdsim.scenario.edit import parse_flow

    if not texts:
        fail("--param: give at least one KEY=SPEC, e.g. --param doctrine.pk=0.5,0.7,0.9")
    params = []
    for text in texts:
        try:
            params.append(parse_param(text, parse_flow))
        except BmdsimError as exc:
            fail(f"--param {quote(text, 80)}: {exc}")
    return params


def sweep_cmd(
    scenario: Annotated[str, typer.Argument(help="scenario YAML file or built-in name")],
    param: Annotated[list[str] | None, typer.Option(metavar="KEY=SPEC", help=PARAM_HELP)] = None,
    metric: Annotated[
        str,
        typer.Option(
            help="defended_fraction (the footprint: share of the threatened land defended) or "
            "p_zero_leakers (raid Monte Carlo: probability that no threat leaks)"
        ),
    ] = "defended_fraction",
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="one parameter at a time against the file as written (the baseline), with a "
            "tornado table of the changes",
        ),
    ] = False,
    region: Annotated[
        str | None,
        typer.Option(
            help="defended_fraction: 'japan', a country or a box LAT0,LON0,LAT1,LON1 "
            f"(default {DEFAULT_REGION})"
        ),
    ] = None,
    grid_deg: Annotated[
        float | None,
        typer.Option(
            min=GRID_DEG_RANGE[0],
            max=GRID_DEG_RANGE[1],
            help=f"defended_fraction: grid step [deg] (default {DEFAULT_GRID_DEG})",
        ),
    ] = None,
    launch: Annotated[
        list[str] | None,
        typer.Option(help="defended_fraction: launch area (repeatable; default: the scenario's)"),
    ] = None,
    missile: Annotated[
        list[str] | None,
        typer.Option(help="defended_fraction: missile class (repeatable; default: the scenario's)"),
    ] = None,
    own_sensors_only: Annotated[
        bool,
        typer.Option("--own-sensors-only", help="defended_fraction: drop every allied sensor"),
    ] = False,
    trials: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_TRIALS,
            help=f"p_zero_leakers: trials a point (default {DEFAULT_TRIALS})",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            min=L.SEED[0],
            max=L.SEED[1],
            help="p_zero_leakers: root seed of every point (default: each point's scenario seed)",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_WORKERS, help="local worker processes (default 1)"),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="a Dask scheduler's address (tcp://HOST:PORT), or 'local'"),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (the metric against the swept values, the "
            "tornado chart with --sensitivity, the points), self-contained, and its PNGs",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Parameter sweep: edit the scenario at each --param KEY=SPEC value, validate it as a
    scenario file, and compute a metric with the existing analyses (footprint or raid Monte
    Carlo); with --sensitivity one parameter at a time against the file as written.

    Every point is validated before the first is computed; a value that changes the file
    but not what the metric uses (doctrine.pk for the footprint) is refused. Every point
    uses the same random streams (the scenario's seed, or --seed), so differences between
    points come from the parameter. Identical points are computed once. Nothing is written
    to disk (the Monte Carlo keeps its trials in memory)."""
    from bmdsim.analysis.executor import make_executor
    from bmdsim.analysis.sweep import FootprintMetric, PointError, sweep
    from bmdsim.cli import report_cmds
    from bmdsim.scenario.edit import document_setup, read_document

    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    opts = _metric_options(
        metric, region, grid_deg, launch, missile, own_sensors_only, trials, seed
    )
    params = _params(param or [])
    if scheduler is not None and scheduler != "local" and workers is not None:
        fail("--workers and --scheduler ADDR: give one (the cluster's workers are its own)")
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        fail(f"--scheduler {quote(scheduler)}: give tcp://HOST:PORT or 'local'")
    m = _make_metric(opts, metric)
    if isinstance(m, FootprintMetric):
        opts["region"] = m.region.name
    doc, _, _ = read_document(scenario)
    try:
        executor = make_executor(workers, scheduler)
    except BmdsimError as exc:
        fail(f"--scheduler: {exc}")
    m.executor = executor
    bar = _Progress()
    try:
        res = sweep(doc, params, document_setup, m, sensitivity=sensitivity, progress=bar)
    except PointError as exc:  # the message starts with the KEY=VALUE it is about
        fail(f"--param {exc}")
    except BmdsimError as exc:
        fail(str(exc))
    finally:
        bar.close()
        executor.close()
    out = sweep_doc(res, str(doc.get("name", scenario)), opts, executor.workers)
    if json_out:
        emit_json(out)
    else:
        print_sweep(out)
    if folder is not None:
        report_cmds.say_report(report_cmds.write_sweep_report("--report", folder, out), json_out)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_cmd)


__all__ = ["print_sweep", "register", "sweep_doc"]
