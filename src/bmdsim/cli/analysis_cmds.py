"""``bmdsim montecarlo``: a raid Monte Carlo of one scenario, stored in a DuckDB file."""

from __future__ import annotations

import math
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail
from bmdsim.errors import BmdsimError, quote
from bmdsim.scenario import limits as L

if TYPE_CHECKING:
    from bmdsim.analysis.montecarlo import MonteCarloResult

MAX_WORKERS = 64
MAX_TRIALS = 1_000_000  # bmdsim.analysis.montecarlo.MAX_TRIALS
DEFAULT_DB = "bmdsim-results.duckdb"  # bmdsim.analysis.results_store.DEFAULT_DB
DEFAULT_OUT = "bmdsim-out"


def _scenario_text(scenario: str) -> str:
    """The text of a scenario file (or built-in) that has just loaded."""
    from bmdsim.scenario.loader import builtin_text

    if os.path.isfile(scenario):
        with open(scenario, "rb") as f:
            return f.read().decode("utf-8")
    return builtin_text(scenario)


def _progress(enabled: bool) -> Any:
    """A rich progress bar on stderr: trials done, rate, elapsed time and ETA."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    return Progress(
        TextColumn("montecarlo"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
        transient=False,
    )


def _r(x: float, nd: int = 6) -> float | None:
    return round(float(x), nd) if math.isfinite(x) else None


def montecarlo_doc(res: MonteCarloResult, scenario: str, db: str, workers: int) -> dict[str, Any]:
    """The JSON document of a run."""
    s = res.summary
    return {
        "trials": s["trials"],
        "leakers_mean": _r(s["leakers_mean"]),
        "leakers_ci95": [_r(v) for v in s["leakers_ci95"]],
        "p_zero_leakers": _r(s["p_zero_leakers"]),
        "p_zero_leakers_ci95": [_r(v) for v in s["p_zero_leakers_ci95"]],
        "interceptors_used_mean": _r(s["interceptors_used_mean"]),
        "interceptors_used_ci95": [_r(v) for v in s["interceptors_used_ci95"]],
        "p_inventory_exhausted": _r(s["p_inventory_exhausted"]),
        "p_inventory_exhausted_ci95": [_r(v) for v in s["p_inventory_exhausted_ci95"]],
        "killed_mean": _r(s["killed_mean"]),
        "threats": s.get("threats"),
        "elapsed_s": round(res.elapsed_s, 3),
        "run_id": res.run_id,
        "scenario": scenario,
        "seed": res.seed,
        "db": db,
        "computed": res.computed,
        "workers": workers,
        "chunk_size": res.chunk_size,
        "vary": res.params["vary"],
        "fire_control": res.params["fire_control"],
    }


def _ci(pair: list[float | None], fmt: str) -> str:
    lo, hi = pair
    return "-" if lo is None or hi is None else f"[{lo:{fmt}}, {hi:{fmt}}]"


def print_montecarlo(doc: dict[str, Any]) -> None:
    out = sys.stdout.write
    out(f"{doc['scenario']}: {doc['trials']:,} trials, seed {doc['seed']}, run {doc['run_id']}\n")
    out(
        f"  leakers per raid:       {doc['leakers_mean']:.3f}  95% CI "
        f"{_ci(doc['leakers_ci95'], '.3f')} (of {doc['threats']} threats)\n"
    )
    out(
        f"  P(no leaker):           {doc['p_zero_leakers']:.4f}  95% CI "
        f"{_ci(doc['p_zero_leakers_ci95'], '.4f')}\n"
    )
    out(
        f"  interceptors used:      {doc['interceptors_used_mean']:.2f}  95% CI "
        f"{_ci(doc['interceptors_used_ci95'], '.2f')}\n"
    )
    out(
        f"  P(a battery runs dry):  {doc['p_inventory_exhausted']:.4f}  95% CI "
        f"{_ci(doc['p_inventory_exhausted_ci95'], '.4f')}\n"
    )
    out(
        f"  {doc['computed']:,} trials computed in {doc['elapsed_s']:.1f} s "
        f"({doc['workers']} worker(s)); stored in {doc['db']}\n"
    )


def montecarlo(
    scenario: Annotated[str, typer.Argument(help="scenario YAML file or built-in name")],
    trials: Annotated[int, typer.Option(min=1, max=MAX_TRIALS, help="number of trials (raids)")],
    seed: Annotated[
        int | None,
        typer.Option(min=L.SEED[0], max=L.SEED[1], help="root seed (default: the scenario's)"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="local worker processes (default 1: in this process; with '--scheduler "
            "local', the LocalCluster's size, default 2)",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="a Dask scheduler's address (tcp://HOST:PORT; its workers need bmdsim), or "
            "'local' for a Dask LocalCluster on this machine"
        ),
    ] = None,
    db: Annotated[str, typer.Option(help="DuckDB results file (created if missing)")] = DEFAULT_DB,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="continue the stored run with the same scenario text, seed, trials and "
            "options: compute only the trials it lacks",
        ),
    ] = False,
    run_id: Annotated[
        str | None, typer.Option(help="name of the run (default: a new random id)")
    ] = None,
    launch_jitter_s: Annotated[
        float,
        typer.Option(min=0.0, max=L.LATENCY_S[1], help="vary each launch time by +- this [s]"),
    ] = 0.0,
    pk_band: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="draw the single-shot Pk within the doctrine's +- this"
        ),
    ] = 0.0,
    vary_burnout_speed: Annotated[
        bool,
        typer.Option(
            "--vary-burnout-speed",
            help="draw each interceptor class's burnout speed within its catalogue range "
            "(rebuilds the fly-out fans per trial: slower)",
        ),
    ] = False,
    latency_jitter_s: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=L.LATENCY_S[1],
            help="vary link latencies and reaction times by +- this [s] (clipped at 0)",
        ),
    ] = 0.0,
    fixed_sensors: Annotated[
        bool,
        typer.Option(
            "--fixed-sensors",
            help="draw the sensor detections and track noise once (from --seed) and vary only "
            "the kill draws and the inputs asked for (much faster)",
        ),
    ] = False,
    fire_control: Annotated[
        str, typer.Option(help="'track' (aim from the track) or 'truth' (perfect track)")
    ] = "track",
    chunk_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_TRIALS,
            help="trials per chunk (default: automatic, at most 100; 1,000 with --fixed-sensors)",
        ),
    ] = None,
    parquet: Annotated[
        str | None, typer.Option(help="also write the run's trials to this Parquet file")
    ] = None,
    export: Annotated[
        str | None,
        typer.Option(
            metavar="FORMATS",
            help="write the per-trial table (one row per trial): csv, parquet or csv,parquet",
        ),
    ] = None,
    out: Annotated[str, typer.Option(help="output folder of --export")] = DEFAULT_OUT,
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (histograms of leakers and interceptors used, "
            "self-contained) and its PNG",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Raid Monte Carlo: N engagements of a scenario with fresh random draws (sensor noise,
    tracks, kills) and optionally varied launch times, Pk, burnout speed and latencies.

    Each chunk of trials is committed to the DuckDB file as it finishes: a run stopped at
    any point continues with --resume, losing nothing and repeating nothing. Results do not
    depend on the number of workers."""
    from bmdsim.analysis.executor import make_executor
    from bmdsim.analysis.montecarlo import Vary
    from bmdsim.analysis.montecarlo import montecarlo as run_montecarlo
    from bmdsim.analysis.results_store import ResultsStore
    from bmdsim.scenario.loader import load_scenario

    if fire_control not in ("track", "truth"):
        fail(f"--fire-control {quote(fire_control)}: give 'track' or 'truth'")
    if scheduler is not None and scheduler != "local" and workers is not None:
        fail("--workers and --scheduler ADDR: give one (the cluster's workers are its own)")
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        fail(f"--scheduler {quote(scheduler)}: give tcp://HOST:PORT or 'local'")
    if run_id is not None and not (1 <= len(run_id) <= 100 and run_id.isprintable()):
        fail(f"--run-id {quote(run_id)}: give 1 to 100 printable characters")
    formats = None
    if export is not None:
        from bmdsim.cli.engagement_cmds import export_formats
        from bmdsim.io.export import TABLE_FORMATS

        formats = export_formats(export, out, TABLE_FORMATS)
    from bmdsim.cli import report_cmds

    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    setup = load_scenario(scenario)
    text = _scenario_text(scenario)
    try:
        store = ResultsStore(db)
    except BmdsimError as exc:
        fail(f"--db: {exc}")
    try:
        executor = make_executor(workers, scheduler)
    except BmdsimError as exc:
        fail(f"--scheduler: {exc}")
    vary = Vary(launch_jitter_s, pk_band, vary_burnout_speed, latency_jitter_s, not fixed_sensors)
    try:
        with _progress(True) as bar:  # shown only when stderr is a terminal
            task = bar.add_task("montecarlo", total=trials, rate="")

            def show(done: int, total: int) -> None:
                speed = bar.tasks[task].speed
                rate = f"{speed:.1f} trials/s" if speed else ""
                bar.update(task, completed=done, rate=rate)

            res = run_montecarlo(
                setup,
                trials,
                setup.seed if seed is None else seed,
                executor,
                store,
                run_id=run_id,
                resume=resume,
                vary=vary,
                fire_control=fire_control,
                chunk_size=chunk_size,
                scenario_text=text,
                progress=show,
            )
    except BmdsimError as exc:
        fail(str(exc))
    finally:
        executor.close()
    if parquet is not None:
        assert res.run_id is not None
        try:
            store.export_parquet(res.run_id, parquet)
        except Exception as exc:  # duckdb.IOException and the like: a path that can't be written
            fail(f"--parquet {quote(parquet)}: cannot write the file: {str(exc).splitlines()[0]}")
    doc = montecarlo_doc(res, setup.name, db, executor.workers)
    if formats is not None:
        from bmdsim.cli.engagement_cmds import write_exports

        doc["files"] = write_exports(res, formats, out)
    if json_out:
        emit_json(doc)
    else:
        print_montecarlo(doc)
        for f in doc.get("files", []):
            sys.stdout.write(f"wrote {f}\n")
    if folder is not None:
        path = report_cmds.write_montecarlo_report("--report", folder, res, setup.name)
        report_cmds.say_report(path, json_out)


def register(app: typer.Typer) -> None:
    app.command()(montecarlo)
