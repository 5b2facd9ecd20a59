"""U.S. Standard Atmosphere 1976: density, pressure, temperature and speed of sound, 0-1000 km.

Reference: NOAA, NASA, USAF, *U.S. Standard Atmosphere, 1976*, NASA-TM-X-74335 /
NOAA-S/T 76-1562, Washington DC, October 1976 (Part 1: equations and constants; Table I:
the tabulated properties against geometric altitude).

Units: SI throughout. Input is the *geometric* altitude ``h_m`` in metres above the
reference sea level; outputs are density kg/m^3, pressure Pa, temperature K, speed of
sound m/s.

Theory in brief
---------------
Below 86 km (geometric) the air is a well-mixed perfect gas of constant molecular weight
M0 = 28.9644 kg/kmol, in hydrostatic equilibrium. The standard works in geopotential
altitude H = r0 h / (r0 + h) (r0 = 6 356 766 m, g0 = 9.80665 m/s^2), in which the
*molecular-scale* temperature T_M is piecewise linear in seven layers with bases at
H = 0, 11, 20, 32, 47, 51, 71 km (top 84.852 km) and lapse rates -6.5, 0, +1, +2.8, 0,
-2.8, -2 K/km. With R* = 8314.32 J/(kmol K), each layer integrates in closed form:

    P = P_b (T_b / T_M)^(g0 M0 / (R* L_b))       (L_b != 0)
    P = P_b exp(-g0 M0 (H - H_b) / (R* T_b))     (L_b == 0)
    rho = P M0 / (R* T_M),   a = sqrt(1.4 R* T_M / M0)

The kinetic temperature is T = T_M (M/M0), where M/M0 falls from 1 at 80 km to 0.999579 at
86 km (Table 8 of the standard, interpolated linearly in geometric altitude).

From 86 to 1000 km the kinetic temperature is analytic in geometric altitude Z: isothermal
186.8673 K to 91 km, an elliptical arc to 240 K at 110 km, +12 K/km to 360 K at 120 km, and
T = 1000 - 640 exp(-0.01875/km * xi), xi = (Z - 120 km)(r0 + 120 km)/(r0 + Z), above. The
composition changes (diffusive separation of N2, O, O2, Ar, He, H), so density and pressure
come from the standard's number-density integrals; ``tools/gen_us76_table.py`` integrates
them (agreeing with the published Table I to < 0.1 %) and writes ln(density) and
ln(pressure) every 1 km to :mod:`bmdsim._core.us76_table`; here they are interpolated by
cubic Hermite polynomials (nodal slopes by finite differences), which adds < 0.1 % error
and keeps the profiles continuously differentiable.

Approximations and conventions
------------------------------
* Speed of sound above 86 km: the continuum concept is loose there (mean free path of
  metres to kilometres). We return sqrt(1.4 P / rho) = sqrt(1.4 R* T / M) with the local
  mean molecular weight M, which joins the lower-atmosphere value continuously at 86 km
  (about 1.7 km/s at 1000 km, where He and H dominate).
* Below 0 m the first layer (-6.5 K/km) is extrapolated down to -5 km; below -5 km the
  -5 km values are returned.
* Above 1000 km: density 0, pressure 0, temperature 1000 K, speed of sound its 1000 km value.
* NaN altitude gives NaN for all four quantities.

Validity: 0-1000 km geometric altitude, mid-latitude, moderate solar activity
(exospheric temperature 1000 K), steady state. Real densities above ~150 km vary by a factor
of ten with solar and geomagnetic activity; use a thermosphere model (e.g. NRLMSISE-00)
where that matters.

Numba: :func:`us76` is the kernel of :mod:`bmdsim._core.atmosphere_kernels` (``njit``, cached),
re-exported here and callable from other numba code; the table is compiled into it as
constants, so after regenerating the table the cache must be refreshed (the generator
touches that file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, NamedTuple, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.atmosphere_kernels import (
    ALTITUDE_MAX_M,
    ALTITUDE_MIN_M,
    ALTITUDE_UPPER_BASE_M,
    G0_M_S2,
    GAMMA_AIR,
    M0_KG_KMOL,
    P0_PA,
    R0_M,
    R_AIR_J_KG_K,
    RSTAR_J_KMOL_K,
    T0_K,
    us76,
    us76_many,
)

__all__ = [
    "ALTITUDE_MAX_M",
    "ALTITUDE_MIN_M",
    "ALTITUDE_UPPER_BASE_M",
    "G0_M_S2",
    "GAMMA_AIR",
    "M0_KG_KMOL",
    "P0_PA",
    "R0_M",
    "RSTAR_J_KMOL_K",
    "R_AIR_J_KG_K",
    "T0_K",
    "AtmosphereState",
    "density",
    "pressure",
    "speed_of_sound",
    "state",
    "temperature",
    "us76",
]

_T = TypeVar("_T", float, NDArray[np.float64])
ArrayInput = NDArray[Any] | Sequence[float]


class AtmosphereState(NamedTuple, Generic[_T]):
    """Atmospheric state at one or many altitudes (fields are floats or arrays)."""

    density_kg_m3: _T
    pressure_pa: _T
    temperature_k: _T
    speed_of_sound_m_s: _T


def _evaluate(h_m: float | ArrayInput) -> tuple[NDArray[np.float64], tuple[int, ...]]:
    h = np.asarray(h_m, dtype=np.float64)
    flat = np.ascontiguousarray(h.reshape(-1))
    out = np.empty((4, flat.size), dtype=np.float64)
    us76_many(flat, out)
    return out, h.shape


def _is_scalar(h_m: float | ArrayInput) -> bool:
    return not isinstance(h_m, np.ndarray) and np.ndim(h_m) == 0


@overload
def state(h_m: float) -> AtmosphereState[float]: ...
@overload
def state(h_m: ArrayInput) -> AtmosphereState[NDArray[np.float64]]: ...
def state(h_m: float | ArrayInput) -> AtmosphereState[Any]:
    """All four quantities at geometric altitude(s) ``h_m`` [m].

    A Python/numpy scalar gives floats; an array (any shape, 0-d included) or a sequence
    gives arrays of its shape.
    """
    if _is_scalar(h_m):
        rho, p, t, a = us76(float(h_m))  # type: ignore[arg-type]
        return AtmosphereState(rho, p, t, a)
    out, shape = _evaluate(h_m)
    return AtmosphereState(
        out[0].reshape(shape), out[1].reshape(shape), out[2].reshape(shape), out[3].reshape(shape)
    )


def _component(h_m: float | ArrayInput, index: int) -> Any:
    if _is_scalar(h_m):
        return float(us76(float(h_m))[index])  # type: ignore[arg-type]
    out, shape = _evaluate(h_m)
    return out[index].reshape(shape)


@overload
def density(h_m: float) -> float: ...
@overload
def density(h_m: ArrayInput) -> NDArray[np.float64]: ...
def density(h_m: float | ArrayInput) -> float | NDArray[np.float64]:
    """Mass density [kg/m^3] at geometric altitude(s) ``h_m`` [m]."""
    return _component(h_m, 0)  # type: ignore[no-any-return]


@overload
def pressure(h_m: float) -> float: ...
@overload
def pressure(h_m: ArrayInput) -> NDArray[np.float64]: ...
def pressure(h_m: float | ArrayInput) -> float | NDArray[np.float64]:
    """Pressure [Pa] at geometric altitude(s) ``h_m`` [m]."""
    return _component(h_m, 1)  # type: ignore[no-any-return]


@overload
def temperature(h_m: float) -> float: ...
@overload
def temperature(h_m: ArrayInput) -> NDArray[np.float64]: ...
def temperature(h_m: float | ArrayInput) -> float | NDArray[np.float64]:
    """Kinetic temperature [K] at geometric altitude(s) ``h_m`` [m]."""
    return _component(h_m, 2)  # type: ignore[no-any-return]


@overload
def speed_of_sound(h_m: float) -> float: ...
@overload
def speed_of_sound(h_m: ArrayInput) -> NDArray[np.float64]: ...
def speed_of_sound(h_m: float | ArrayInput) -> float | NDArray[np.float64]:
    """Speed of sound [m/s] at geometric altitude(s) ``h_m`` [m] (see module notes > 86 km)."""
    return _component(h_m, 3)  # type: ignore[no-any-return]
