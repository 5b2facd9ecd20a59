"""``bmdsim demo``: the built-in Aegis Ashore Japan scenario, end to end."""

from __future__ import annotations

from bmdsim.cli.engagement_cmds import print_run, run_scenario

DEMO_SCENARIO = "aegis-ashore-japan"


def run_demo() -> None:
    print_run(run_scenario(DEMO_SCENARIO))
