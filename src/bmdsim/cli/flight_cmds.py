"""Commands of the flight engine: ``trajectory``, ``bench``, ``demo``."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bmdsim.cli._common import emit_json, fail, stdout_console, write_output
from bmdsim.errors import quote
from bmdsim.scenario import limits as L

if TYPE_CHECKING:
    from bmdsim.analysis.validation import CaseResult

err_console = Console(stderr=True)


#: the shortest textbook flight flown [s]: shorter ones are a hop, not a trajectory (and the
#: propagator's impact event only arms once a flight has climbed 10 m)
KEPLER_MIN_FLIGHT_S = 10.0
#: bounds of the kepler mode's other inputs
BURNOUT_ANGLE_DEG = (-89.9, 89.9)
BURNOUT_ALTITUDE_KM = (0.0, 5000.0)
#: bench sizes: 200,000 flights (~1 min on two cores, ~0.4 GB) and 1,000 reference flights
#: (~30 s): memory and time stay bounded
BENCH_N = (1, 200_000)
BENCH_REFERENCE_N = (1, 1000)


def _kepler_flight_time_s(speed_m_s: float, angle_deg: float, altitude_m: float) -> float:
    """Burnout-to-impact time of the two-body orbit through the burnout state, on the kepler
    mode's sphere (a door check, so that a flight that never comes back down, or one too
    short or too long for the propagator, is refused before it is flown).

    Refuses (one line) a speed at or above escape and an orbit whose perigee clears the Earth.
    """
    from bmdsim.flight.forces import KEPLER

    mu, radius = KEPLER.mu_m3_s2, KEPLER.earth.radius_m
    r0 = radius + altitude_m
    gamma = math.radians(angle_deg)
    energy = 0.5 * speed_m_s**2 - mu / r0  # specific orbital energy [J/kg]
    if energy >= 0.0:
        fail(
            f"--burnout-speed-m-s {speed_m_s:g} is at or above the escape speed at "
            f"{altitude_m / 1e3:g} km ({math.sqrt(2.0 * mu / r0):,.0f} m/s): the flight "
            "never comes back down"
        )
    h2 = (r0 * speed_m_s * math.cos(gamma)) ** 2  # squared specific angular momentum
    p = h2 / mu  # semi-latus rectum
    e = math.sqrt(max(0.0, 1.0 + 2.0 * energy * h2 / mu**2))
    if p / (1.0 + e) >= radius:
        fail(
            f"--burnout-speed-m-s {speed_m_s:g} at {angle_deg:g} deg is orbital: the perigee "
            f"lies {(p / (1.0 + e) - radius) / 1e3:,.0f} km above the Earth, no impact"
        )

    def anomaly(r: float) -> float:  # true anomaly in [0, pi] where the orbit has radius r
        return math.acos(min(1.0, max(-1.0, (p / r - 1.0) / e)))

    def mean(nu: float) -> float:  # mean anomaly of the true anomaly nu in [0, 2 pi)
        ea = 2.0 * math.atan2(
            math.sqrt(1.0 - e) * math.sin(nu / 2), math.sqrt(1.0 + e) * math.cos(nu / 2)
        )
        return ea - e * math.sin(ea)

    nu0 = anomaly(r0) if gamma >= 0.0 else 2.0 * math.pi - anomaly(r0)
    nu1 = 2.0 * math.pi - anomaly(radius)  # impact, on the way down
    a = -mu / (2.0 * energy)
    return max(0.0, (mean(nu1) - mean(nu0)) / math.sqrt(mu / a**3))


def _check_kepler(speed_m_s: float, angle_deg: float, altitude_km: float) -> None:
    from bmdsim.flight.propagator import Tolerances

    t = _kepler_flight_time_s(speed_m_s, angle_deg, altitude_km * 1e3)
    longest = Tolerances().max_duration_s
    if t < KEPLER_MIN_FLIGHT_S:
        fail(
            f"a burnout at {speed_m_s:g} m/s and {angle_deg:g} deg flies {t:.1f} s, shorter "
            f"than the {KEPLER_MIN_FLIGHT_S:g} s of a ballistic flight: raise the speed or "
            "the angle"
        )
    if t > longest:
        fail(
            f"a burnout at {speed_m_s:g} m/s and {angle_deg:g} deg would fly {t:,.0f} s, "
            f"longer than the {longest:,.0f} s the propagator flies"
        )


def trajectory(
    physics: Annotated[
        str, typer.Option(help="'full' (rotating WGS84, J2, drag, boost) or 'kepler' (textbook)")
    ] = "full",
    burnout_speed_m_s: Annotated[
        float | None,
        typer.Option(
            "--burnout-speed-m-s",
            min=L.BURNOUT_SPEED_M_S[0],
            max=L.BURNOUT_SPEED_M_S[1],
            help="kepler: burnout speed [m/s]; the flight must come back down (below escape, "
            f"perigee inside the Earth) after {KEPLER_MIN_FLIGHT_S:g} s to 20,000 s",
        ),
    ] = None,
    burnout_angle_deg: Annotated[
        float | None,
        typer.Option(
            "--burnout-angle-deg",
            min=BURNOUT_ANGLE_DEG[0],
            max=BURNOUT_ANGLE_DEG[1],
            help="kepler: flight-path angle at burnout [deg]",
        ),
    ] = None,
    burnout_altitude_km: Annotated[
        float,
        typer.Option(
            "--burnout-altitude-km",
            min=BURNOUT_ALTITUDE_KM[0],
            max=BURNOUT_ALTITUDE_KM[1],
            help="kepler: burnout altitude [km]",
        ),
    ] = 0.0,
    missile: Annotated[str | None, typer.Option(help="missile class (catalog name)")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="launch PLACE or LAT,LON (no height)")
    ] = None,
    to: Annotated[str | None, typer.Option(help="target PLACE or LAT,LON (no height)")] = None,
    range_km: Annotated[
        float | None,
        typer.Option("--range-km", min=L.RANGE_KM[0], max=L.RANGE_KM[1], help="ground range [km]"),
    ] = None,
    azimuth_deg: Annotated[
        float | None,
        typer.Option(
            "--azimuth-deg",
            min=L.AZIMUTH_DEG[0],
            max=L.AZIMUTH_DEG[1],
            help="launch azimuth [deg clockwise from north]",
        ),
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
        typer.Option(
            "--apogee-km",
            min=L.APOGEE_KM[0],
            max=L.APOGEE_KM[1],
            help="lofted/depressed: apogee [km]",
        ),
    ] = None,
    flight_time_s: Annotated[
        float | None,
        typer.Option(
            "--flight-time-s",
            min=L.FLIGHT_TIME_S[0],
            max=L.FLIGHT_TIME_S[1],
            help="lofted/depressed: flight time [s] instead of the apogee",
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
        _check_kepler(burnout_speed_m_s, burnout_angle_deg, burnout_altitude_km)
        res = kepler_flight(burnout_speed_m_s, burnout_angle_deg, burnout_altitude_km * 1e3)
        doc = res.as_dict()
        if json_out:
            emit_json(doc)
        elif doc["impacts"]:
            typer.echo(
                f"kepler: range {doc['ground_range_km']:.1f} km, apogee {doc['apogee_km']:.1f} km,"
                f" flight time {doc['flight_time_s']:.1f} s"
            )
        else:
            typer.echo(f"kepler: apogee {doc['apogee_km']:.1f} km; no impact within the time limit")
        return
    if physics != "full":
        fail(f"--physics must be 'full' or 'kepler', got {quote(physics)}")
    from bmdsim.cli.threat_cmds import trajectory_missile

    trajectory_missile(
        missile, from_, to, range_km, azimuth_deg, profile, apogee_km, flight_time_s, json_out
    )


def bench(
    n: Annotated[
        int, typer.Option(min=BENCH_N[0], max=BENCH_N[1], help="number of trajectories")
    ] = 10_000,
    reference_n: Annotated[
        int,
        typer.Option(
            "--reference-n",
            min=BENCH_REFERENCE_N[0],
            max=BENCH_REFERENCE_N[1],
            help="flights re-flown with the reference",
        ),
    ] = 20,
    seed: Annotated[
        int, typer.Option(min=L.SEED[0], max=L.SEED[1], help="random seed of the launch points")
    ] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Batched engine vs SciPy DOP853 reference on a generic two-stage ICBM-class vehicle."""
    from bmdsim.analysis.bench import run_bench

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
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="also write the results as Markdown to FILE (a table per group)",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Recompute the built-in validation cases against public data; exit 1 if any fails."""
    from rich.table import Table

    from bmdsim.analysis.validation import GROUPS, run_validation, summary

    for g in group or []:
        if g not in GROUPS:
            fail(f"--group must be one of {', '.join(GROUPS)}, got {quote(g)}")
    report_path = _check_report_file(report) if report is not None else None
    selected = [g for g in GROUPS if not group or g in group]  # each group once, in order
    by_group: dict[str, list[CaseResult]] = {}
    with err_console.status("running the validation cases..."):
        for g in selected:
            by_group[g] = run_validation([g])
    results = [r for g in selected for r in by_group[g]]
    s = summary(results)
    if report_path is not None:
        write_output("--report", report_path, _validation_markdown(by_group, s))
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
        stdout_console(160).print(table)
        typer.echo(f"{s['passed']} passed, {s['failed']} failed")
    if report_path is not None:  # on stderr when stdout holds the JSON document
        (sys.stderr if json_out else sys.stdout).write(f"report: {report_path}\n")
    if s["failed"]:
        raise typer.Exit(1)


def _check_report_file(name: str) -> Path:
    """The ``--report`` file, checked before the work (every case is recomputed): not a folder,
    in an existing folder that can be written. One-line errors; a failure when writing (a
    full disk) is caught by :func:`write_output`."""
    path = Path(name)
    try:
        if path.is_dir():
            fail(f"--report {quote(name)}: is a folder; give a file name")
        folder = path.absolute().parent
        if not folder.is_dir():
            fail(f"--report {quote(name)}: no such folder {quote(str(folder))}")
        if not os.access(folder, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            fail(f"--report {quote(name)}: cannot write the file: permission denied")
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        fail(f"--report {quote(name)}: not a usable file name: {exc}")
    return path


def _md_cell(text: str) -> str:
    """Text for one cell of a Markdown table (no line breaks, pipes escaped)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _validation_markdown(by_group: dict[str, list[CaseResult]], s: dict[str, int]) -> str:
    """The validation results as a Markdown page: the summary, then a table per group."""
    from bmdsim import __version__

    lines = [
        "# bmdsim validation against public data",
        "",
        f"Written by `bmdsim validate --report` (bmdsim {__version__}). Each case is recomputed "
        "with the library and compared with the public figure of its source, within the "
        "tolerance of its row (relative, absolute, a bracket, or a one-sided bound `>=`); "
        "the tolerances are the sources', never loosened to pass.",
        "",
        f"**Summary: {s['cases']} case{'' if s['cases'] == 1 else 's'}, {s['passed']} passed, "
        f"{s['failed']} failed.**",
        "",
        "| group | cases | passed | failed |",
        "|---|---:|---:|---:|",
    ]
    for g, rs in by_group.items():
        ok = sum(r.passed for r in rs)
        lines.append(f"| {g} | {len(rs)} | {ok} | {len(rs) - ok} |")
    for g, rs in by_group.items():
        lines += [
            "",
            f"## {g}",
            "",
            "| case | source | expected | got | tolerance | pass |",
            "|---|---|---:|---:|---|---|",
        ]
        for r in rs:
            cells = (
                r.case,
                r.source,
                f"{r.expected:.6g}",
                f"{r.got:.6g}",
                r.tolerance,
                "pass" if r.passed else "**FAIL**",
            )
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
