"""The one numba decorator of bmdsim's kernels.

``cache=True`` keeps compiled machine code between processes; ``error_model="numpy"``
drops the ZeroDivisionError checks that numba otherwise puts on every division (the
kernels never divide by zero on purpose; IEEE inf/nan propagate instead).
"""

from __future__ import annotations

from typing import Any

import numba

__all__ = ["jit", "pjit"]


def jit(*args: Any, **kwargs: Any) -> Any:
    """``numba.njit`` with bmdsim's defaults."""
    kwargs.setdefault("cache", True)
    kwargs.setdefault("error_model", "numpy")
    return numba.njit(*args, **kwargs)


def pjit(*args: Any, **kwargs: Any) -> Any:
    """Parallel ``numba.njit`` (``prange`` loops) with bmdsim's defaults."""
    kwargs.setdefault("parallel", True)
    return jit(*args, **kwargs)
