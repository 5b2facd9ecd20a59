"""The tables aiming keeps per process: taken out of one process, put into another.

As it aims, a process keeps per launch point what it computed once and may need again
(:mod:`bmdsim.threats.reach`: the exact reach per bearing and at the 15-deg nodes;
:mod:`bmdsim.threats.min_energy`: the envelope rows; :mod:`bmdsim.threats.min_energy_nodes`:
the exact minimum-energy solutions at the polar nodes). An analysis that spreads its work
over worker processes builds them once where it starts (:func:`bmdsim.threats.aiming.prime`)
and sends them with the work: :func:`export_tables` there, :func:`install_tables` in the
worker, which then builds nothing that was sent. The tables hold only what a worker would
compute itself (entries are a pure function of their keys, the nodes of the batch that
first asked for them), so installing them moves work, not results.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bmdsim.threats import min_energy, min_energy_nodes, reach

__all__ = ["AimTables", "clear_tables", "export_tables", "install_tables"]

#: the tables this process installed, by digest (a worker receives the same tables with
#: every chunk: installed once)
_INSTALLED: set[str] = set()


@dataclass(frozen=True)
class AimTables:
    """A copy of a process's aiming tables (picklable; ``digest`` names its content)."""

    reach: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    reach_nodes: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    envelopes: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    nodes: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    digest: str = ""

    @property
    def entries(self) -> int:
        return (
            len(self.reach)
            + len(self.reach_nodes)
            + len(self.envelopes)
            + sum(len(t) for t in self.nodes.values())
        )


def export_tables() -> AimTables:
    """A copy of this process's aiming tables."""
    parts: dict[str, dict[tuple[Any, ...], Any]] = {
        "reach": {k: v.copy() for k, v in reach._REACH_CACHE.items()},
        "reach_nodes": {k: v.copy() for k, v in reach._NODE_REACH.items()},
        "envelopes": {k: tuple(a.copy() for a in v) for k, v in min_energy._ENVELOPES.items()},
        "nodes": {
            k: {n: row.copy() for n, row in t.items()} for k, t in min_energy_nodes._NODES.items()
        },
    }
    digest = hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()[:16]
    return AimTables(
        parts["reach"], parts["reach_nodes"], parts["envelopes"], parts["nodes"], digest
    )


def install_tables(tables: AimTables) -> None:
    """Put a copy of another process's tables into this one's (entries present here are
    kept; partly filled rows are completed from the copy)."""
    if tables.digest and tables.digest in _INSTALLED:
        return
    for k, v in tables.reach.items():
        reach._REACH_CACHE.setdefault(k, v.copy())
    for k, v in tables.reach_nodes.items():
        mine = reach._NODE_REACH.setdefault(k, v.copy())
        _fill(mine, v)
    for k, v in tables.envelopes.items():
        mine_env = min_energy._ENVELOPES.setdefault(k, tuple(a.copy() for a in v))
        _fill(mine_env[1], v[1])
        _fill(mine_env[2], v[2])
    for k, t in tables.nodes.items():
        mine_nodes = min_energy_nodes._NODES.setdefault(k, {})
        for n, row in t.items():
            mine_nodes.setdefault(n, row.copy())
    if tables.digest:
        _INSTALLED.add(tables.digest)


def clear_tables() -> None:
    """Forget every aiming table of this process (they are built again as needed)."""
    reach._REACH_CACHE.clear()
    reach._NODE_REACH.clear()
    min_energy._ENVELOPES.clear()
    min_energy_nodes._NODES.clear()
    _INSTALLED.clear()


def _fill(mine: NDArray[np.float64], theirs: NDArray[np.float64]) -> None:
    """Entries still NaN here (not computed yet) taken from the copy."""
    empty = np.isnan(mine)
    mine[empty] = theirs[empty]
