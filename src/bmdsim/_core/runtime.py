"""What the kernels run on, for reports (``bmdsim bench``): numba's threads and version.

Modules above ``_core`` do not import numba (the import-linter contract in
``pyproject.toml``); they ask here.
"""

from __future__ import annotations

import numba

__all__ = ["kernel_threads", "numba_version"]


def kernel_threads() -> int:
    """Threads the parallel kernels (``prange`` loops) use."""
    return int(numba.get_num_threads())


def numba_version() -> str:
    """The numba version the kernels are compiled with."""
    return str(numba.__version__)
