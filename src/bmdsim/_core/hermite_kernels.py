"""Dense output of a recorded flight: the quintic Hermite interpolant of position, velocity
and acceleration between the integrator's nodes, evaluated at many times at once (used by
:meth:`bmdsim.flight.trajectory.Trajectory.sample`)."""

from __future__ import annotations

import numpy as np
from numba import prange
from numpy.typing import NDArray

from bmdsim._core.jit import jit, pjit

__all__ = ["hermite_sample", "hermite_sample_many"]


@jit()
def hermite_sample(
    t_nodes: NDArray,
    y: NDArray,
    accel_before: NDArray,
    accel_after: NDArray,
    t: NDArray,
    pos: NDArray,
    vel: NDArray,
) -> None:
    """Positions and velocities at times ``t`` (inside the nodes) into ``pos``, ``vel``.

    Between nodes k and k + 1 (``t_nodes[k] <= t < t_nodes[k + 1]``; the last interval
    includes its end) the quintic Hermite polynomial matching position, velocity and the
    acceleration just after node k and just before node k + 1."""
    n = t_nodes.shape[0]
    for m in range(t.shape[0]):
        tm = t[m]
        k = np.searchsorted(t_nodes, tm, side="right") - 1
        if k < 0:
            k = 0
        if k > n - 2:
            k = n - 2
        h = t_nodes[k + 1] - t_nodes[k]
        if h > 0.0:
            s = (tm - t_nodes[k]) / h
        else:
            s = 0.0
            h = 1.0
        s2 = s * s
        s3 = s2 * s
        s4 = s3 * s
        s5 = s4 * s
        h0 = 1.0 - 10.0 * s3 + 15.0 * s4 - 6.0 * s5
        h1 = s - 6.0 * s3 + 8.0 * s4 - 3.0 * s5
        h2 = 0.5 * (s2 - 3.0 * s3 + 3.0 * s4 - s5)
        h3 = 0.5 * (s3 - 2.0 * s4 + s5)
        h4 = -4.0 * s3 + 7.0 * s4 - 3.0 * s5
        d0 = -30.0 * s2 + 60.0 * s3 - 30.0 * s4
        d1 = 1.0 - 18.0 * s2 + 32.0 * s3 - 15.0 * s4
        d2 = 0.5 * (2.0 * s - 9.0 * s2 + 12.0 * s3 - 5.0 * s4)
        d3 = 0.5 * (3.0 * s2 - 8.0 * s3 + 5.0 * s4)
        d4 = -12.0 * s2 + 28.0 * s3 - 15.0 * s4
        hh = h * h
        for c in range(3):
            p0 = y[k, c]
            v0 = y[k, 3 + c]
            p1 = y[k + 1, c]
            v1 = y[k + 1, 3 + c]
            a0 = accel_after[k, c]
            a1 = accel_before[k + 1, c]
            pos[m, c] = (
                h0 * p0 + h1 * h * v0 + h2 * hh * a0 + h3 * hh * a1 + h4 * h * v1 + (1.0 - h0) * p1
            )
            vel[m, c] = (
                d0 * (p0 - p1) + d1 * h * v0 + d2 * hh * a0 + d3 * hh * a1 + d4 * h * v1
            ) / h


@pjit()
def hermite_sample_many(
    t_nodes: NDArray,
    y: NDArray,
    accel_before: NDArray,
    accel_after: NDArray,
    node_start: NDArray,
    t: NDArray,
    t_start: NDArray,
    pos: NDArray,
    vel: NDArray,
) -> None:
    """:func:`hermite_sample` of many flights at once, flights over the cores: flight ``i``
    has the nodes ``node_start[i]:node_start[i + 1]`` of the concatenated node arrays and
    the times ``t_start[i]:t_start[i + 1]`` of ``t`` (rows of ``pos``, ``vel``)."""
    for i in prange(node_start.shape[0] - 1):
        a = node_start[i]
        b = node_start[i + 1]
        c = t_start[i]
        d = t_start[i + 1]
        if d > c:
            hermite_sample(
                t_nodes[a:b],
                y[a:b],
                accel_before[a:b],
                accel_after[a:b],
                t[c:d],
                pos[c:d],
                vel[c:d],
            )
