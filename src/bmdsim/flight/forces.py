"""Force models that add up, and the numba acceleration kernel they configure.

Forces are stateless values::

    model = Gravity("j2") + Drag() + Thrust()          # the full model on WGS84
    KEPLER                                             # point mass, spherical, no rotation

Adding them gives a :class:`ForceModel`, which packs into the small float array (``opts``)
that the kernels read. The equations of motion, in bmdsim's ECI frame (see
:mod:`bmdsim.earth.frames`), for a vehicle of mass m(t) are

    dr/dt = v
    dv/dt = g(r) + (F_thrust(t, h) * u_thrust - 1/2 rho(h) |v_rel| v_rel Cd(M) A) / m(t)

with v_rel = v - omega x r the velocity relative to the co-rotating atmosphere, h the height
above the ellipsoid, and u_thrust the steering direction (:mod:`bmdsim.flight.steering`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.jit import jit
from bmdsim.earth.atmosphere import us76
from bmdsim.earth.gravity import GRAVITY_J2, GRAVITY_J4, GRAVITY_POINT_MASS, gravity_s
from bmdsim.earth.wgs84 import A_M, EP2, GM_M3_S2, OMEGA_RAD_S, R_MEAN_M
from bmdsim.errors import InputError
from bmdsim.flight.vehicle import (
    PF_AEXIT,
    PF_AREF,
    PF_BETA,
    PF_M_START,
    PF_MDOT,
    PF_T_START,
    PF_THRUST,
)

__all__ = [
    "FULL",
    "KEPLER",
    "Drag",
    "EarthShape",
    "ForceModel",
    "Gravity",
    "Thrust",
]

_GRAVITY_CODES = {"point-mass": GRAVITY_POINT_MASS, "j2": GRAVITY_J2, "j4": GRAVITY_J4}

# Layout of the ``opts`` array read by the kernels.
O_GRAVITY, O_MU, O_OMEGA, O_SHAPE, O_RADIUS, O_DRAG, O_THRUST = range(7)
N_OPTS = 7
SHAPE_SPHERE, SHAPE_WGS84 = 0, 1


@dataclass(frozen=True)
class EarthShape:
    """The Earth the flight happens on: WGS84 and rotating, or a non-rotating sphere."""

    ellipsoid: bool = True
    rotating: bool = True
    radius_m: float = R_MEAN_M  # used when ``ellipsoid`` is False


@dataclass(frozen=True)
class ForceModel:
    """A set of force terms on a given Earth; immutable, add more with ``+``.

    ``gravity`` is ``"point-mass"``, ``"j2"``, ``"j4"`` or ``"none"`` (a model of drag and/or
    thrust alone, such as ``Drag() + Thrust()``); ``mu_m3_s2`` belongs to the gravity term.

    The sum of two models holds the terms of both, each once (``Drag() + Drag()`` is one drag
    term), so it does not depend on the order of the operands. Terms that cannot act together
    are refused with :class:`~bmdsim.errors.InputError`: two different gravity fields (model
    or mu) and models on different Earths (put a sum on another Earth with :meth:`on`).
    """

    gravity: str = "j2"
    mu_m3_s2: float = GM_M3_S2
    drag: bool = False
    thrust: bool = False
    earth: EarthShape = field(default_factory=EarthShape)

    def __add__(self, other: object) -> ForceModel:
        if not isinstance(other, ForceModel):
            return NotImplemented
        if self.earth != other.earth:
            raise InputError(
                f"cannot add force models on different Earths ({self.earth} and {other.earth}); "
                "add the terms first, then put the sum on one Earth with .on(earth)"
            )
        with_gravity = [m for m in (self, other) if m.gravity != "none"]
        if len(with_gravity) != 1 and (self.gravity, self.mu_m3_s2) != (
            other.gravity,
            other.mu_m3_s2,
        ):
            raise InputError(
                f"cannot add force models with different gravity: {self.gravity!r} "
                f"(mu {self.mu_m3_s2:.10g} m^3/s^2) and {other.gravity!r} "
                f"(mu {other.mu_m3_s2:.10g} m^3/s^2)"
            )
        grav = with_gravity[0] if with_gravity else self
        return ForceModel(
            gravity=grav.gravity,
            mu_m3_s2=grav.mu_m3_s2,
            drag=self.drag or other.drag,
            thrust=self.thrust or other.thrust,
            earth=self.earth,
        )

    def on(self, earth: EarthShape) -> ForceModel:
        """The same forces on another Earth."""
        return replace(self, earth=earth)

    @property
    def omega_rad_s(self) -> float:
        return OMEGA_RAD_S if self.earth.rotating else 0.0

    def opts(self) -> NDArray[np.float64]:
        """Pack into the kernels' option array."""
        o = np.zeros(N_OPTS)
        if self.gravity == "none":
            # drag and/or thrust alone: packed as a point mass of zero mass (no gravity)
            o[O_GRAVITY], o[O_MU] = GRAVITY_POINT_MASS, 0.0
        else:
            o[O_GRAVITY], o[O_MU] = _GRAVITY_CODES[self.gravity], self.mu_m3_s2
        o[O_OMEGA] = self.omega_rad_s
        o[O_SHAPE] = SHAPE_WGS84 if self.earth.ellipsoid else SHAPE_SPHERE
        o[O_RADIUS] = self.earth.radius_m
        o[O_DRAG] = 1.0 if self.drag else 0.0
        o[O_THRUST] = 1.0 if self.thrust else 0.0
        return o


def Gravity(model: str = "j2", mu_m3_s2: float = GM_M3_S2) -> ForceModel:  # noqa: N802
    """Gravity: ``"point-mass"``, ``"j2"`` or ``"j4"`` (J2-J4 zonal harmonics)."""
    if model not in _GRAVITY_CODES:
        raise ValueError(f"gravity model must be one of {sorted(_GRAVITY_CODES)}, not {model!r}")
    return ForceModel(gravity=model, mu_m3_s2=mu_m3_s2)


def Drag() -> ForceModel:  # noqa: N802
    """Aerodynamic drag in the US76 atmosphere (vehicle's Cd(Mach) curve, or RV's beta)."""
    return ForceModel(gravity="none", drag=True)


def Thrust() -> ForceModel:  # noqa: N802
    """Rocket thrust of the burning stage, steered by the pitch program."""
    return ForceModel(gravity="none", thrust=True)


#: Full physics: J2 gravity, drag and thrust on the rotating WGS84 Earth.
FULL = Gravity("j2") + Drag() + Thrust()
#: Textbook mode: point-mass gravity (mu = 398600.4418 km^3/s^2) on a non-rotating sphere of
#: radius 6371 km, no drag, impulsive launch (Bate, Mueller & White 1971, ch. 6).
KEPLER = ForceModel(
    gravity="point-mass",
    mu_m3_s2=3.986004418e14,
    earth=EarthShape(ellipsoid=False, rotating=False, radius_m=R_MEAN_M),
)


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
