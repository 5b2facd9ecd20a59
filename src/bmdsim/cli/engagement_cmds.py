"""``bmdsim run``: one engagement simulation from a scenario file or built-in name."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bmdsim.cli._common import emit_json, stdout_console
from bmdsim.scenario import limits as L

err_console = Console(stderr=True)


def run_scenario(
    scenario: str, seed: int | None = None, own_sensors_only: bool = False
) -> dict[str, Any]:
    """Load, simulate and return the run's JSON document."""
    from bmdsim.engagement.run import run_engagement
    from bmdsim.scenario.loader import load_scenario

    setup = load_scenario(scenario)
    if own_sensors_only:
        setup = setup.without_allied_sensors()
    if seed is not None:
        setup = replace(setup, seed=seed)
    with err_console.status(f"running {setup.name}..."):
        result = run_engagement(setup)
    return result.to_dict()


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
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Simulate one engagement: threats, sensors, C2, interceptors, outcomes.

    A scenario holds at most 1,000 threats (count included), 100 sensors and 100
    batteries; YAML aliases may expand it to at most 100,000 nodes."""
    doc = run_scenario(scenario, seed, own_sensors_only)
    if json_out:
        emit_json(doc)
    else:
        print_run(doc)


def register(app: typer.Typer) -> None:
    app.command()(run)
