"""What the kernels run on, for reports (``bmdsim bench``): numba's threads and version.

Modules above ``_core`` do not import numba (the import-linter contract in
``pyproject.toml``); they ask here.
"""

from __future__ import annotations

import numba

__all__ = ["kernel_threads", "numba_version", "set_kernel_threads"]


def kernel_threads() -> int:
    """Threads the parallel kernels (``prange`` loops) use."""
    return int(numba.get_num_threads())


def numba_version() -> str:
    """The numba version the kernels are compiled with."""
    return str(numba.__version__)


def set_kernel_threads(n: int) -> int:
    """Let the parallel kernels of this process use ``n`` threads (at most the cores
    numba found); returns the number set. Worker processes that share a machine's cores
    use fewer each, so that together they do not ask for more threads than there are
    cores."""
    n = max(1, min(int(n), int(numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    numba.set_num_threads(n)
    return n
