"""bmdsim: open, physics-based simulator of ballistic-missile defence.

Threat trajectories on a rotating WGS84 Earth, sensors, command and control, interceptors,
engagements, and the analyses built on them. SI units inside; see ``docs/design.md``.

The public API (each name documented in :mod:`bmdsim.api`, imported on first use)::

    import bmdsim
    r = bmdsim.run("aegis-ashore-japan")
    print(r.summary)
    bmdsim.report(r, "bmdsim-out")            # bmdsim-out/report.html
    bmdsim.export(r, "geojson,czml", "bmdsim-out")
    t = bmdsim.fly("nodong-class", "sinpo", "tokyo")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmdsim.errors import (
    BmdsimError,
    ConvergenceError,
    InputError,
    ScenarioError,
    UnknownName,
    UnreachableTarget,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from bmdsim.api import (
        Run,
        export,
        fly,
        footprint,
        load_scenario,
        montecarlo,
        observe,
        reach,
        report,
        run,
        strategic,
        validate,
    )

__all__ = [
    "Run",
    "export",
    "fly",
    "footprint",
    "load_scenario",
    "montecarlo",
    "observe",
    "reach",
    "report",
    "run",
    "strategic",
    "validate",
    "BmdsimError",
    "ConvergenceError",
    "InputError",
    "ScenarioError",
    "UnknownName",
    "UnreachableTarget",
    "__version__",
]


def __getattr__(name: str) -> Any:
    # the public API's names (the rest of __all__ is defined above), imported on first use
    if name in __all__:
        from bmdsim import api

        return getattr(api, name)
    raise AttributeError(f"module 'bmdsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
