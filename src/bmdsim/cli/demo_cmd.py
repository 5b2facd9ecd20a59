"""``bmdsim demo``: the built-in Aegis Ashore Japan scenario, end to end, with its report
in ``bmdsim-out/report.html`` (relative to the working directory)."""

from __future__ import annotations

from bmdsim.cli import report_cmds
from bmdsim.cli.engagement_cmds import print_run, simulate

DEMO_SCENARIO = "aegis-ashore-japan"


def run_demo(report_dir: str = report_cmds.DEFAULT_REPORT_DIR) -> None:
    """Run the demo scenario, print its table and write its report into ``report_dir``."""
    flag = "the demo's report folder"
    folder = report_cmds.check_report_dir(flag, report_dir)
    geometry, result = simulate(DEMO_SCENARIO)
    print_run(result.to_dict())
    path = report_cmds.write_run_report(flag, folder, geometry, result)
    report_cmds.say_report(path)
