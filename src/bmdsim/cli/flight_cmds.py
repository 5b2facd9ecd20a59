"""Commands of the flight engine: ``trajectory``, ``bench``, ``demo``."""

from __future__ import annotations

import math
from typing import Annotated

import typer
from rich.console import Console

from bmdsim.cli._common import emit_json, fail

err_console = Console(stderr=True)


def _check_positive(name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and value > 0):
        fail(f"--{name} must be a positive number, got {value}")


def trajectory(
    physics: Annotated[
        str, typer.Option(help="'full' (rotating WGS84, J2, drag, boost) or 'kepler' (textbook)")
    ] = "full",
    burnout_speed_m_s: Annotated[
        float | None, typer.Option("--burnout-speed-m-s", help="kepler: burnout speed [m/s]")
    ] = None,
    burnout_angle_deg: Annotated[
        float | None,
        typer.Option("--burnout-angle-deg", help="kepler: flight-path angle at burnout [deg]"),
    ] = None,
    burnout_altitude_km: Annotated[
        float, typer.Option("--burnout-altitude-km", help="kepler: burnout altitude [km]")
    ] = 0.0,
    missile: Annotated[str | None, typer.Option(help="missile class (catalog name)")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="launch PLACE or LAT,LON")] = None,
    to: Annotated[str | None, typer.Option(help="target PLACE or LAT,LON")] = None,
    range_km: Annotated[float | None, typer.Option("--range-km", help="ground range [km]")] = None,
    azimuth_deg: Annotated[
        float | None, typer.Option("--azimuth-deg", help="launch azimuth [deg]")
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            help="min-energy (least propellant) | standard (full-burn range-optimal kick, "
            "range set by cut-off) | lofted | depressed"
        ),
    ] = "min-energy",
    apogee_km: Annotated[
        float | None,
        typer.Option("--apogee-km", help="lofted/depressed: apogee [km], (0, 100000]"),
    ] = None,
    flight_time_s: Annotated[
        float | None,
        typer.Option(
            "--flight-time-s", help="lofted/depressed: flight time [s] instead of the apogee"
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Fly one trajectory: a textbook impulsive launch, or a missile at a target."""
    if physics == "kepler":
        from bmdsim.flight.textbook import kepler_flight

        if burnout_speed_m_s is None or burnout_angle_deg is None:
            fail("--physics kepler needs --burnout-speed-m-s and --burnout-angle-deg")
        assert burnout_speed_m_s is not None and burnout_angle_deg is not None
        _check_positive("burnout-speed-m-s", burnout_speed_m_s)
        if not -90.0 < burnout_angle_deg < 90.0:
            fail(f"--burnout-angle-deg must lie in (-90, 90), got {burnout_angle_deg}")
        if not (math.isfinite(burnout_altitude_km) and -1.0 <= burnout_altitude_km < 1e5):
            fail(f"--burnout-altitude-km must be >= -1, got {burnout_altitude_km}")
        res = kepler_flight(burnout_speed_m_s, burnout_angle_deg, burnout_altitude_km * 1e3)
        doc = res.as_dict()
        if json_out:
            emit_json(doc)
        else:
            typer.echo(
                f"kepler: range {doc['ground_range_km']:.1f} km, apogee {doc['apogee_km']:.1f} km,"
                f" flight time {doc['flight_time_s']:.1f} s"
                + ("" if doc["impacts"] else " (orbital: no impact within the time limit)")
            )
        return
    if physics != "full":
        fail(f"--physics must be 'full' or 'kepler', got '{physics}'")
    from bmdsim.cli.threat_cmds import trajectory_missile

    trajectory_missile(
        missile, from_, to, range_km, azimuth_deg, profile, apogee_km, flight_time_s, json_out
    )


def bench(
    n: Annotated[int, typer.Option(help="number of trajectories")] = 10_000,
    reference_n: Annotated[
        int, typer.Option("--reference-n", help="flights re-flown with the reference")
    ] = 20,
    seed: Annotated[int, typer.Option(help="random seed of the launch points")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Batched engine vs SciPy DOP853 reference on a generic two-stage ICBM-class vehicle."""
    from bmdsim.analysis.bench import run_bench

    if n < 1:
        fail(f"--n must be at least 1, got {n}")
    if reference_n < 1:
        fail(f"--reference-n must be at least 1, got {reference_n}")
    with err_console.status(f"flying {n} trajectories and {min(n, reference_n)} references..."):
        res = run_bench(n=n, reference_n=reference_n, seed=seed)
    if json_out:
        emit_json(res.as_dict())
        return
    typer.echo(
        f"{res.n} ICBM-class trajectories in {res.seconds:.2f} s: "
        f"{res.trajectories_per_s:,.0f} /s on {res.threads} threads ({res.cores} cores)\n"
        f"reference (solve_ivp DOP853, rtol 1e-13): {res.reference_trajectories_per_s:.1f} /s"
        f" -> speedup {res.speedup:,.0f}x\n"
        f"impact-point difference vs reference: median {res.median_impact_error_m:.2f} m,"
        f" max {res.max_impact_error_m:.2f} m (over {res.reference_n} flights)"
    )


def demo() -> None:
    """Run the built-in Aegis Ashore Japan scenario and print its summary."""
    from bmdsim.cli.demo_cmd import run_demo

    run_demo()


def register(app: typer.Typer) -> None:
    app.command()(trajectory)
    app.command()(bench)
    app.command()(demo)
    app.command()(validate)


def validate(
    group: Annotated[
        list[str] | None,
        typer.Option(help="textbook | earth | sensors | flight-tests | interceptors (repeat)"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Recompute the built-in validation cases against public data; exit 1 if any fails."""
    from rich.console import Console
    from rich.table import Table

    from bmdsim.analysis.validation import GROUPS, run_validation, summary

    for g in group or []:
        if g not in GROUPS:
            fail(f"--group must be one of {', '.join(GROUPS)}, got '{g}'")
    with err_console.status("running the validation cases..."):
        results = run_validation(group or None)
    s = summary(results)
    if json_out:
        emit_json({"cases": [r.as_dict() for r in results], "summary": s})
    else:
        table = Table(title="bmdsim validation against public data")
        for col in ("case", "source", "expected", "got", "tolerance", "pass"):
            table.add_column(col)
        for r in results:
            table.add_row(
                r.case,
                r.source[:60],
                f"{r.expected:.6g}",
                f"{r.got:.6g}",
                r.tolerance,
                "pass" if r.passed else "FAIL",
            )
        Console(width=max(160, Console().width)).print(table)
        typer.echo(f"{s['passed']} passed, {s['failed']} failed")
    if s["failed"]:
        raise typer.Exit(1)
