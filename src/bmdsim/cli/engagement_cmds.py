"""``bmdsim run``: one engagement simulation from a scenario file or built-in name."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from bmdsim.cli._common import emit_json

err_console = Console(stderr=True)


def run_scenario(scenario: str, seed: int | None = None) -> dict[str, Any]:
    """Load, simulate and return the run's JSON document."""
    from bmdsim.engagement.run import run_engagement
    from bmdsim.scenario.loader import load_scenario

    setup = load_scenario(scenario)
    if seed is not None:
        setup = replace(setup, seed=seed)
    with err_console.status(f"running {setup.name}..."):
        result = run_engagement(setup)
    return result.to_dict()


def print_run(doc: dict[str, Any]) -> None:
    """The readable table per threat and the summary line."""
    console = Console(width=max(132, Console().width))  # wide enough for the table
    table = Table(title=f"{doc['scenario']} (seed {doc['seed']})")
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
        "first intercept s",
    ):
        table.add_column(col)
    for t in doc["threats"]:
        hits = [e["t_s"] for e in t["events"] if e["kind"] == "intercept"]
        table.add_row(
            t["name"],
            t["missile"],
            t["launch_place"],
            t["target_place"],
            f"{t['launch_time_s']:.0f}",
            f"{t['impact_time_s']:.0f}",
            f"{t['apogee_km']:.0f}",
            str(t["shots"]),
            t["outcome"],
            f"{min(hits):.0f}" if hits else "-",
        )
    console.print(table)
    for b in doc["batteries"]:
        d = [x["distance_km"] for x in b["booster_impacts"] if x["distance_km"] is not None]
        drop = f"; first stages fell {min(d):.1f}-{max(d):.1f} km from the launcher" if d else ""
        console.print(f"battery {b['name']}: fired {b['fired']}, {b['remaining']} left{drop}")
    s = doc["summary"]
    console.print(
        f"summary: {s['threats']} threats, {s['killed']} killed, {s['leaked']} leaked, "
        f"{s['no_opportunity']} without an engagement opportunity; "
        f"{s['interceptors_fired']} interceptors fired"
    )


def run(
    scenario: Annotated[str, typer.Argument(help="scenario YAML file or built-in name")],
    seed: Annotated[int | None, typer.Option(help="random seed (overrides the file's)")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Simulate one engagement: threats, sensors, C2, interceptors, outcomes."""
    doc = run_scenario(scenario, seed)
    if json_out:
        emit_json(doc)
    else:
        print_run(doc)


def register(app: typer.Typer) -> None:
    app.command()(run)
