"""bmdsim: open, physics-based simulator of ballistic-missile defence.

Threat trajectories on a rotating WGS84 Earth, sensors, command and control, interceptors,
engagements, and the analyses built on them. SI units inside; see ``docs/design.md``.
"""

from bmdsim.errors import (
    BmdsimError,
    ConvergenceError,
    InputError,
    ScenarioError,
    UnknownName,
    UnreachableTarget,
)

__version__ = "0.1.0"

__all__ = [
    "BmdsimError",
    "ConvergenceError",
    "InputError",
    "ScenarioError",
    "UnknownName",
    "UnreachableTarget",
    "__version__",
]
