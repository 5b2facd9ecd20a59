"""``--report DIR`` of the commands: check the folder at the door, write the report after
the work, say where it is.

Figures are drawn by :mod:`bmdsim.viz`, imported only when a report is asked for (matplotlib
takes a noticeable part of a second to load). A folder that cannot be used is a one-line
error with exit code 2, before any work when it can be seen then (a file in the way, no
permission), else when writing fails (a full disk).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmdsim.cli._common import fail
from bmdsim.errors import quote

if TYPE_CHECKING:
    from bmdsim.analysis.footprint import Footprint
    from bmdsim.analysis.montecarlo import MonteCarloResult
    from bmdsim.analysis.strategic import StrategicReach
    from bmdsim.engagement.results import RunResult
    from bmdsim.engagement.run import Geometry
    from bmdsim.interceptors.booster_mc import BoosterDispersion

__all__ = [
    "DEFAULT_REPORT_DIR",
    "check_report_dir",
    "say_report",
    "write_booster_report",
    "write_footprint_report",
    "write_montecarlo_report",
    "write_run_report",
    "write_strategic_report",
]

#: where ``bmdsim demo`` writes its report (relative to the working directory)
DEFAULT_REPORT_DIR = "bmdsim-out"


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc).splitlines()[0]


def check_report_dir(flag: str, folder: str) -> Path:
    """The report folder, checked before the work: an existing one must be a writable
    folder; a missing one must be makeable (its nearest existing parent a writable folder).
    One-line errors naming ``flag``."""
    path = Path(folder)
    try:
        if path.exists():
            if not path.is_dir():
                fail(f"{flag} {quote(folder)}: is a file; give a folder")
            if not os.access(path, os.W_OK | os.X_OK):
                fail(f"{flag} {quote(folder)}: cannot write in this folder: permission denied")
            return path
        parent = path.absolute().parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            fail(f"{flag} {quote(folder)}: cannot make the folder: {quote(str(parent))} is a file")
        if not os.access(parent, os.W_OK | os.X_OK):
            fail(
                f"{flag} {quote(folder)}: cannot make the folder in {quote(str(parent))}: "
                "permission denied"
            )
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        fail(f"{flag} {quote(folder)}: not a usable folder name: {_reason(exc)}")
    return path


def _write(flag: str, folder: Path, write: Callable[[Path], Path]) -> Path:
    try:
        return write(folder)
    except (OSError, ValueError) as exc:
        fail(f"{flag} {quote(str(folder))}: cannot write the report: {_reason(exc)}")


def say_report(path: Path, json_out: bool = False) -> None:
    """Say where the report is: on stdout, or on stderr when stdout holds the JSON."""
    stream = sys.stderr if json_out else sys.stdout
    stream.write(f"report: {path}\n")


def write_run_report(flag: str, folder: Path, geometry: Geometry, result: RunResult) -> Path:
    """The report of a run (prepared ``geometry`` and its ``result``)."""
    from rich.console import Console

    with Console(stderr=True).status("drawing the report..."):
        from bmdsim.viz.run_report import write_run_report as write

        return _write(flag, folder, lambda f: write(f, geometry, result))


def write_footprint_report(flag: str, folder: Path, fp: Footprint, scenario: str) -> Path:
    """The footprint's report (its batteries marked where the scenario places them)."""
    from bmdsim.scenario.loader import load_scenario
    from bmdsim.viz.analysis_figures import BatterySite
    from bmdsim.viz.analysis_reports import write_footprint_report as write

    sites = [BatterySite(b.name, b.lat_deg, b.lon_deg) for b in load_scenario(scenario).batteries]
    return _write(flag, folder, lambda f: write(f, fp, sites))


def write_montecarlo_report(flag: str, folder: Path, res: MonteCarloResult, scenario: str) -> Path:
    from bmdsim.viz.analysis_reports import write_montecarlo_report as write

    return _write(flag, folder, lambda f: write(f, res, scenario))


def write_strategic_report(flag: str, folder: Path, res: StrategicReach) -> Path:
    from bmdsim.viz.analysis_reports import write_strategic_report as write

    return _write(flag, folder, lambda f: write(f, res))


def write_booster_report(flag: str, folder: Path, res: BoosterDispersion, site: str) -> Path:
    from bmdsim.viz.analysis_reports import write_booster_report as write

    return _write(flag, folder, lambda f: write(f, res, site))


def write_sweep_report(flag: str, folder: Path, doc: dict[str, Any]) -> Path:
    """The sweep's report, from its JSON document."""
    from bmdsim.viz.sweep_report import write_sweep_report as write

    return _write(flag, folder, lambda f: write(f, doc))
