"""Force models that add up, and the option array that configures the acceleration kernel.

Forces are stateless values::

    model = Gravity("j2") + Drag() + Thrust()          # the full model on WGS84
    KEPLER                                             # point mass, spherical, no rotation

Adding them gives a :class:`ForceModel`, which packs into the small float array (``opts``,
layout ``O_*`` in :mod:`bmdsim._core.layouts`) that the kernels of
:mod:`bmdsim._core.force_kernels` read. The equations of motion, in bmdsim's ECI frame (see
:mod:`bmdsim.earth.frames`), for a vehicle of mass m(t) are

    dr/dt = v
    dv/dt = g(r) + (F_thrust(t, h) * u_thrust - 1/2 rho(h) |v_rel| v_rel Cd(M) A) / m(t)

with v_rel = v - omega x r the velocity relative to the co-rotating atmosphere, h the height
above the ellipsoid, and u_thrust the steering direction (:mod:`bmdsim.flight.steering`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.layouts import (
    GRAVITY_J2,
    GRAVITY_J4,
    GRAVITY_POINT_MASS,
    N_OPTS,
    O_DRAG,
    O_GRAVITY,
    O_MU,
    O_OMEGA,
    O_RADIUS,
    O_SHAPE,
    O_THRUST,
    SHAPE_SPHERE,
    SHAPE_WGS84,
)
from bmdsim.earth.wgs84 import GM_M3_S2, OMEGA_RAD_S, R_MEAN_M
from bmdsim.errors import InputError

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
