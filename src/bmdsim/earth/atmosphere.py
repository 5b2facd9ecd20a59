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
ln(pressure) every 1 km to :mod:`bmdsim.earth._us76_upper`; here they are interpolated by
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

Numba: :func:`us76` is ``njit(cache=True)``; the table is compiled into it as constants, so
after regenerating the table the cache must be refreshed (the generator touches this file).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Generic, NamedTuple, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.jit import jit
from bmdsim.earth import _us76_upper

__all__ = [
    "AtmosphereState",
    "density",
    "pressure",
    "speed_of_sound",
    "state",
    "temperature",
    "us76",
]

# --- constants of the standard ---------------------------------------------------------
G0_M_S2 = 9.80665
R0_M = 6356766.0
RSTAR_J_KMOL_K = 8314.32
M0_KG_KMOL = 28.9644
R_AIR_J_KG_K = RSTAR_J_KMOL_K / M0_KG_KMOL  # 287.05287
GAMMA_AIR = 1.4
P0_PA = 101325.0
T0_K = 288.15

ALTITUDE_MIN_M = -5000.0
ALTITUDE_UPPER_BASE_M = 86000.0
ALTITUDE_MAX_M = 1_000_000.0

# Seven layers in geopotential altitude: bases and lapse rates.
_H_BASE_M = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0])
_LAPSE_K_M = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])


def _layer_bases() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Base temperatures, base pressures and hydrostatic exponents of the seven layers."""
    t_base = np.empty(7)
    p_base = np.empty(7)
    expo = np.empty(7)  # g0 M0 / (R* L) for L != 0; g0 M0 / (R* T_b) per metre for L == 0
    t_base[0], p_base[0] = T0_K, P0_PA
    gmr = G0_M_S2 * M0_KG_KMOL / RSTAR_J_KMOL_K
    for i in range(7):
        lapse = _LAPSE_K_M[i]
        expo[i] = gmr / lapse if lapse != 0.0 else gmr / t_base[i]
        if i == 6:
            break
        dh = _H_BASE_M[i + 1] - _H_BASE_M[i]
        t_base[i + 1] = t_base[i] + lapse * dh
        if lapse != 0.0:
            p_base[i + 1] = p_base[i] * (t_base[i] / t_base[i + 1]) ** expo[i]
        else:
            p_base[i + 1] = p_base[i] * math.exp(-expo[i] * dh)
    return t_base, p_base, expo


_T_BASE_K, _P_BASE_PA, _EXPONENT = _layer_bases()

# Table 8: M/M0 from 80 to 86 km geometric, every 0.5 km.
_M_RATIO_Z0_M = 80000.0
_M_RATIO_DZ_M = 500.0
_M_RATIO = np.array(
    [
        1.000000,
        0.999996,
        0.999989,
        0.999971,
        0.999941,
        0.999909,
        0.999870,
        0.999829,
        0.999786,
        0.999741,
        0.999694,
        0.999641,
        0.999579,
    ]
)

# Upper-atmosphere segments (geometric altitude).
_Z8_M, _Z9_M, _Z10_M = 91000.0, 110000.0, 120000.0
_T7_K, _T9_K, _T10_K, _TINF_K = 186.8673, 240.0, 360.0, 1000.0
_TC_K, _ELLIPSE_A_K, _ELLIPSE_A_M = 263.1905, -76.3232, -19942.9
_LAPSE9_K_M = 12.0e-3
_LAMBDA_PER_M = _LAPSE9_K_M / (_TINF_K - _T10_K)

# Table of ln(rho), ln(P) at 1 km nodes with finite-difference slopes (per node step).
_Z0_M = float(_us76_upper.Z0_M)
_DZ_M = float(_us76_upper.DZ_M)
_LN_RHO = np.ascontiguousarray(_us76_upper.LN_DENSITY_KG_M3, dtype=np.float64)
_LN_P = np.ascontiguousarray(_us76_upper.LN_PRESSURE_PA, dtype=np.float64)
_DLN_RHO = np.gradient(_LN_RHO, edge_order=2)
_DLN_P = np.gradient(_LN_P, edge_order=2)
_LAST_INTERVAL = _LN_RHO.size - 2
if _Z0_M + (_LN_RHO.size - 1) * _DZ_M != ALTITUDE_MAX_M or _LN_P.size != _LN_RHO.size:
    raise ImportError("bmdsim.earth._us76_upper does not span 86-1000 km; regenerate it")
_SOUND_TOP_M_S = math.sqrt(GAMMA_AIR * math.exp(_LN_P[-1] - _LN_RHO[-1]))


@jit()
def _upper_temperature_k(z_m: float) -> float:
    """Kinetic temperature of the four segments above 86 km."""
    if z_m <= _Z8_M:
        return _T7_K
    if z_m <= _Z9_M:
        x = (z_m - _Z8_M) / _ELLIPSE_A_M
        return _TC_K + _ELLIPSE_A_K * math.sqrt(1.0 - x * x)
    if z_m <= _Z10_M:
        return _T9_K + _LAPSE9_K_M * (z_m - _Z9_M)
    xi = (z_m - _Z10_M) * (R0_M + _Z10_M) / (R0_M + z_m)
    return _TINF_K - (_TINF_K - _T10_K) * math.exp(-_LAMBDA_PER_M * xi)


@jit()
def us76(h_m: float) -> tuple[float, float, float, float]:
    """U.S. Standard Atmosphere 1976 at geometric altitude ``h_m`` [m].

    Returns ``(density kg/m^3, pressure Pa, temperature K, speed_of_sound m/s)``; the
    temperature is the kinetic temperature. Allocation-free; callable from other numba code.
    """
    if math.isnan(h_m):
        return math.nan, math.nan, math.nan, math.nan
    if h_m >= ALTITUDE_UPPER_BASE_M:
        if h_m > ALTITUDE_MAX_M:
            return 0.0, 0.0, _TINF_K, _SOUND_TOP_M_S
        x = (h_m - _Z0_M) / _DZ_M
        i = int(x)
        if i > _LAST_INTERVAL:
            i = _LAST_INTERVAL
        t = x - i
        # cubic Hermite basis
        tm1 = 1.0 - t
        h00 = (1.0 + 2.0 * t) * tm1 * tm1
        h10 = t * tm1 * tm1
        h01 = t * t * (3.0 - 2.0 * t)
        h11 = -t * t * tm1
        ln_rho = h00 * _LN_RHO[i] + h10 * _DLN_RHO[i] + h01 * _LN_RHO[i + 1] + h11 * _DLN_RHO[i + 1]
        ln_p = h00 * _LN_P[i] + h10 * _DLN_P[i] + h01 * _LN_P[i + 1] + h11 * _DLN_P[i + 1]
        rho = math.exp(ln_rho)
        p = math.exp(ln_p)
        return rho, p, _upper_temperature_k(h_m), math.sqrt(GAMMA_AIR * p / rho)

    z_m = h_m if h_m > ALTITUDE_MIN_M else ALTITUDE_MIN_M
    hp_m = R0_M * z_m / (R0_M + z_m)  # geopotential altitude
    k = 0
    while k < 6 and hp_m >= _H_BASE_M[k + 1]:
        k += 1
    dh = hp_m - _H_BASE_M[k]
    lapse = _LAPSE_K_M[k]
    if lapse == 0.0:
        t_mol = _T_BASE_K[k]
        p = _P_BASE_PA[k] * math.exp(-_EXPONENT[k] * dh)
    else:
        t_mol = _T_BASE_K[k] + lapse * dh
        p = _P_BASE_PA[k] * math.exp(_EXPONENT[k] * math.log(_T_BASE_K[k] / t_mol))
    rho = p / (R_AIR_J_KG_K * t_mol)
    sound = math.sqrt(GAMMA_AIR * R_AIR_J_KG_K * t_mol)
    t_kin = t_mol
    if z_m > _M_RATIO_Z0_M:
        y = (z_m - _M_RATIO_Z0_M) / _M_RATIO_DZ_M
        j = int(y)
        if j > 11:
            j = 11
        f = y - j
        t_kin = t_mol * (_M_RATIO[j] + f * (_M_RATIO[j + 1] - _M_RATIO[j]))
    return rho, p, t_kin, sound


@jit()
def _us76_many(h_m: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    """Fill out[0..3, i] with us76(h_m[i]) for a 1-D array."""
    for i in range(h_m.size):
        rho, p, t, a = us76(h_m[i])
        out[0, i] = rho
        out[1, i] = p
        out[2, i] = t
        out[3, i] = a


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
    _us76_many(flat, out)
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
