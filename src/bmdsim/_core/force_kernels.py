"""The equations of motion as numba kernels: heights, drag curve, acceleration, dy/dt.

In bmdsim's ECI frame, for a vehicle of mass m(t) (one row ``ph`` of the phase table, layout
``PF_*``) steered along u (:mod:`bmdsim._core.steering_kernels`)::

    dr/dt = v
    dv/dt = g(r) + (F_thrust(t, h) * u - 1/2 rho(h) |v_rel| v_rel Cd(M) A) / m(t)

with v_rel = v - omega x r the velocity relative to the co-rotating atmosphere and h the
height above the Earth of the force model. The force model is the option row ``opts``
(layout ``O_*`` in :mod:`bmdsim._core.layouts`) packed by
:meth:`bmdsim.flight.forces.ForceModel.opts`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.atmosphere_kernels import us76
from bmdsim._core.constants import A_M, EP2
from bmdsim._core.geodetic_kernels import geodetic_height_s
from bmdsim._core.gravity_kernels import gravity_s
from bmdsim._core.jit import jit
from bmdsim._core.layouts import (
    O_DRAG,
    O_GRAVITY,
    O_MU,
    O_OMEGA,
    O_RADIUS,
    O_SHAPE,
    O_THRUST,
    PF_AEXIT,
    PF_AREF,
    PF_BETA,
    PF_M_START,
    PF_MDOT,
    PF_T_START,
    PF_THRUST,
    SHAPE_SPHERE,
)
from bmdsim._core.steering_kernels import thrust_direction

__all__ = [
    "acceleration",
    "cd_of_mach",
    "deriv",
    "deriv_call",
    "height_fast_s",
    "height_rate_s",
    "rhs",
    "state_height",
    "state_height_rate",
    "true_height",
]


@jit()
def height_fast_s(x: float, y: float, z: float, shape: int, radius: float) -> float:
    """Height above the Earth for the force model [m].

    On the ellipsoid: distance from the centre minus the ellipsoid radius at the same
    geocentric latitude, r - a / sqrt(1 + e'^2 sin^2 psi). It equals the geodetic height on the
    surface and differs from it by < 6 m at 1000 km (plenty for density). The kernel's events
    are located on it too: the impact where it crosses zero (exactly where the geodetic
    height does, both vanish on the surface) and the apogee where its rate vanishes; the
    apogee height then reported is the geodetic one.
    """
    r = math.sqrt(x * x + y * y + z * z)
    if shape == SHAPE_SPHERE:
        return r - radius
    s2 = z * z / (r * r)
    return r - A_M / math.sqrt(1.0 + EP2 * s2)


@jit(inline="always")
def cd_of_mach(tab: NDArray, x: float) -> float:
    """Drag coefficient at Mach ``x`` from a (3, K) table of Mach, Cd and slopes: a C1
    piecewise-cubic Hermite curve (no kinks for the integrator to stumble on)."""
    n = tab.shape[1]
    if x <= tab[0, 0]:
        return tab[1, 0]
    if x >= tab[0, n - 1]:
        return tab[1, n - 1]
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if tab[0, mid] <= x:
            lo = mid
        else:
            hi = mid
    h = tab[0, hi] - tab[0, lo]
    s = (x - tab[0, lo]) / h
    s2 = s * s
    s3 = s2 * s
    return (
        (2.0 * s3 - 3.0 * s2 + 1.0) * tab[1, lo]
        + (s3 - 2.0 * s2 + s) * h * tab[2, lo]
        + (-2.0 * s3 + 3.0 * s2) * tab[1, hi]
        + (s3 - s2) * h * tab[2, hi]
    )


@jit(inline="always")
def acceleration(
    t: float,
    x: float,
    y: float,
    z: float,
    vx: float,
    vy: float,
    vz: float,
    ph: NDArray,
    ux: float,
    uy: float,
    uz: float,
    opts: NDArray,
    cd_tab: NDArray,
) -> tuple[float, float, float]:
    """Total acceleration [m/s^2] in ECI for one phase row ``ph`` and thrust direction u."""
    ax, ay, az = gravity_s(x, y, z, int(opts[O_GRAVITY]), opts[O_MU])
    drag_on = opts[O_DRAG] != 0.0
    thrust = ph[PF_THRUST] if opts[O_THRUST] != 0.0 else 0.0
    if not drag_on and thrust == 0.0:
        return ax, ay, az
    m = ph[PF_M_START] - ph[PF_MDOT] * (t - ph[PF_T_START])
    h = height_fast_s(x, y, z, int(opts[O_SHAPE]), opts[O_RADIUS])
    rho = 0.0
    p = 0.0
    a_snd = 1.0
    if h < 1.0e6:
        rho, p, _, a_snd = us76(h)
    if thrust != 0.0:
        f = thrust - p * ph[PF_AEXIT]
        if f > 0.0:
            k = f / m
            ax += k * ux
            ay += k * uy
            az += k * uz
    if drag_on and rho > 0.0:
        om = opts[O_OMEGA]
        wx = vx + om * y
        wy = vy - om * x
        wz = vz
        w = math.sqrt(wx * wx + wy * wy + wz * wz)
        beta = ph[PF_BETA]
        if beta > 0.0:
            k = 0.5 * rho * w / beta
        else:
            cd = cd_of_mach(cd_tab, w / a_snd)
            k = 0.5 * rho * w * cd * ph[PF_AREF] / m
        ax -= k * wx
        ay -= k * wy
        az -= k * wz
    return ax, ay, az


@jit()
def height_rate_s(y: NDArray, shape: int) -> float:
    """d/dt of :func:`height_fast_s` along the motion (its gradient dotted with v)."""
    x, yy, z = y[0], y[1], y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    rdot = (x * y[3] + yy * y[4] + z * y[5]) / r
    if shape == SHAPE_SPHERE:
        return rdot
    s2 = z * z / r2
    q = (1.0 + EP2 * s2) ** -1.5
    return rdot + A_M * EP2 * q * z / (r2 * r2) * (
        -z * (x * y[3] + yy * y[4]) + (r2 - z * z) * y[5]
    )


@jit()
def true_height(y: NDArray, opts: NDArray) -> float:
    """Height above the Earth of the force model: geodetic on WGS84, r - R on the sphere."""
    if int(opts[O_SHAPE]) == SHAPE_SPHERE:
        return math.sqrt(y[0] ** 2 + y[1] ** 2 + y[2] ** 2) - opts[O_RADIUS]
    return geodetic_height_s(y[0], y[1], y[2])


@jit(inline="always")
def deriv(
    t: float,
    y: NDArray,
    out: NDArray,
    ph: NDArray,
    st: NDArray,
    mode: int,
    opts: NDArray,
    cd_tab: NDArray,
) -> None:
    """dy/dt for state y = (r, v) in ECI; writes into ``out``."""
    ux = uy = uz = 0.0
    if opts[O_THRUST] != 0.0 and ph[PF_THRUST] != 0.0:
        ux, uy, uz = thrust_direction(
            t, y[0], y[1], y[2], y[3], y[4], y[5], st, opts[O_OMEGA], mode
        )
    ax, ay, az = acceleration(t, y[0], y[1], y[2], y[3], y[4], y[5], ph, ux, uy, uz, opts, cd_tab)
    out[0] = y[3]
    out[1] = y[4]
    out[2] = y[5]
    out[3] = ax
    out[4] = ay
    out[5] = az


@jit()
def deriv_call(
    t: float,
    y: NDArray,
    out: NDArray,
    ph: NDArray,
    st: NDArray,
    mode: int,
    opts: NDArray,
    cd_tab: NDArray,
) -> None:
    """:func:`deriv` called, not inlined: for the integrator's rare evaluations (a flight's
    start, breakpoints, the impact), which need no copy of the force model compiled in."""
    deriv(t, y, out, ph, st, mode, opts, cd_tab)


# --- allocating wrappers for SciPy's solve_ivp (the reference integrator) ----------------
@jit()
def rhs(
    t: float,
    y: NDArray,
    ph: NDArray,
    st: NDArray,
    mode: int,
    opts: NDArray,
    cd_tab: NDArray,
) -> NDArray:
    """dy/dt as a new array (the signature ``solve_ivp`` calls with its ``args``)."""
    out = np.empty(6)
    deriv(t, y, out, ph, st, mode, opts, cd_tab)
    return out


@jit()
def state_height(y: NDArray, opts: NDArray) -> float:
    """:func:`height_fast_s` of a state vector y = (r, v)."""
    return height_fast_s(y[0], y[1], y[2], int(opts[O_SHAPE]), opts[O_RADIUS])


@jit()
def state_height_rate(y: NDArray, opts: NDArray) -> float:
    """:func:`height_rate_s` of a state vector for the Earth shape of ``opts``."""
    return height_rate_s(y, int(opts[O_SHAPE]))
