"""A fly-out fan's time of flight to many points: bilinear over the fan's (ground range,
altitude) grid, over the finite corners, with the fan's limits (used by
:meth:`bmdsim.interceptors.flyout.FlyoutFan.time_to`)."""

from __future__ import annotations

import math

import numpy as np
from numba import prange
from numpy.typing import NDArray

from bmdsim._core.jit import pjit

__all__ = ["fan_time_to"]


@pjit()
def fan_time_to(
    r: NDArray,
    h: NDArray,
    range_grid: NDArray,
    alt_grid: NDArray,
    time_grid: NDArray,
    limits: NDArray,
    out: NDArray,
) -> None:
    """Time of flight [s] to each point (ground range ``r`` [m], altitude ``h`` [m], flat
    arrays) into ``out``; NaN outside the grid, where the nearest node is NaN or no corner is
    finite, or past ``limits`` = (min altitude, max altitude, max ground range, max time of
    flight)."""
    nr = range_grid.shape[0]
    nh = alt_grid.shape[0]
    dr = range_grid[1] - range_grid[0]
    dh = alt_grid[1] - alt_grid[0]
    h_min, h_max, r_max, t_max = limits[0], limits[1], limits[2], limits[3]
    for p in prange(r.shape[0]):
        fx = (r[p] - range_grid[0]) / dr
        fy = (h[p] - alt_grid[0]) / dh
        if not (fx >= 0.0 and fx <= nr - 1 and fy >= 0.0 and fy <= nh - 1):
            out[p] = math.nan
            continue
        if not (h[p] >= h_min and h[p] <= h_max and r[p] <= r_max + 1e-6):
            out[p] = math.nan
            continue
        fx = min(fx, nr - 1.000001)
        fy = min(fy, nh - 1.000001)
        i = int(fx)
        k = int(fy)
        sx = fx - i
        sy = fy - k
        num = 0.0
        den = 0.0
        v = time_grid[i, k]
        w = (1 - sx) * (1 - sy)
        if math.isfinite(v):
            num += v * w
            den += w
        v = time_grid[i + 1, k]
        w = sx * (1 - sy)
        if math.isfinite(v):
            num += v * w
            den += w
        v = time_grid[i, k + 1]
        w = (1 - sx) * sy
        if math.isfinite(v):
            num += v * w
            den += w
        v = time_grid[i + 1, k + 1]
        w = sx * sy
        if math.isfinite(v):
            num += v * w
            den += w
        nearest = time_grid[int(np.rint(fx)), int(np.rint(fy))]
        if not (math.isfinite(nearest) and den > 0.0):
            out[p] = math.nan
            continue
        t = num / den
        out[p] = t if t <= t_max else math.nan
