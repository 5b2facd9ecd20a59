"""Rasterising a quad mesh of (x, y, value) samples onto a regular grid, keeping minima.

Used for the interceptors' fly-out fans: the mesh is (fan member, time sample) of ground
range, altitude and time of flight, and each grid node keeps the earliest time at which any
triangle of the mesh covers it (a min-z-buffer).
"""

from __future__ import annotations

import math

from numpy.typing import NDArray

from bmdsim._core.jit import jit

__all__ = ["raster_min"]


@jit()
def raster_min(
    r: NDArray, h: NDArray, t: NDArray, r0: float, dr: float, h0: float, dh: float, grid: NDArray
) -> None:
    """Rasterise the (kick, sample) quad mesh (r, h, t of shape (K, S)) onto ``grid`` (nr, nh),
    keeping at each node the smallest linearly interpolated time."""
    nk, ns = r.shape
    nr, nh = grid.shape
    for j in range(nk - 1):
        for i in range(ns - 1):
            for tri in range(2):
                if tri == 0:
                    ax, ay, at = r[j, i], h[j, i], t[j, i]
                    bx, by, bt = r[j + 1, i], h[j + 1, i], t[j + 1, i]
                    cx, cy, ct = r[j, i + 1], h[j, i + 1], t[j, i + 1]
                else:
                    ax, ay, at = r[j + 1, i], h[j + 1, i], t[j + 1, i]
                    bx, by, bt = r[j + 1, i + 1], h[j + 1, i + 1], t[j + 1, i + 1]
                    cx, cy, ct = r[j, i + 1], h[j, i + 1], t[j, i + 1]
                if not (at == at and bt == bt and ct == ct):
                    continue
                det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
                xmin = min(ax, bx, cx)
                xmax = max(ax, bx, cx)
                ymin = min(ay, by, cy)
                ymax = max(ay, by, cy)
                i0 = max(0, int(math.ceil((xmin - r0) / dr)))
                i1 = min(nr - 1, int(math.floor((xmax - r0) / dr)))
                k0 = max(0, int(math.ceil((ymin - h0) / dh)))
                k1 = min(nh - 1, int(math.floor((ymax - h0) / dh)))
                if abs(det) < 1e-12:
                    continue
                for ii in range(i0, i1 + 1):
                    x = r0 + ii * dr
                    for kk in range(k0, k1 + 1):
                        y = h0 + kk * dh
                        w1 = ((by - cy) * (x - cx) + (cx - bx) * (y - cy)) / det
                        w2 = ((cy - ay) * (x - cx) + (ax - cx) * (y - cy)) / det
                        w3 = 1.0 - w1 - w2
                        eps = -1e-9
                        if w1 >= eps and w2 >= eps and w3 >= eps:
                            tv = w1 * at + w2 * bt + w3 * ct
                            if not (grid[ii, kk] <= tv):
                                grid[ii, kk] = tv
