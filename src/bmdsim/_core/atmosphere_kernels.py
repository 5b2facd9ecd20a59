"""U.S. Standard Atmosphere 1976, 0-1000 km: the numba kernel and the constants it compiles in.

The theory, conventions and validity are described in :mod:`bmdsim.earth.atmosphere`, which
is the public face of this kernel. The table above 86 km (ln density, ln pressure every
1 km) is :mod:`bmdsim._core.us76_table`, written by ``tools/gen_us76_table.py``; numba
compiles it into :func:`us76` as constants, so after regenerating it the cache must be
refreshed (the generator touches this file).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bmdsim._core import us76_table
from bmdsim._core.jit import jit

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
    "us76",
    "us76_many",
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
_Z0_M = float(us76_table.Z0_M)
_DZ_M = float(us76_table.DZ_M)
_LN_RHO = np.ascontiguousarray(us76_table.LN_DENSITY_KG_M3, dtype=np.float64)
_LN_P = np.ascontiguousarray(us76_table.LN_PRESSURE_PA, dtype=np.float64)
_DLN_RHO = np.gradient(_LN_RHO, edge_order=2)
_DLN_P = np.gradient(_LN_P, edge_order=2)
_LAST_INTERVAL = _LN_RHO.size - 2
if _Z0_M + (_LN_RHO.size - 1) * _DZ_M != ALTITUDE_MAX_M or _LN_P.size != _LN_RHO.size:
    raise ImportError("bmdsim._core.us76_table does not span 86-1000 km; regenerate it")
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
def us76_many(h_m: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    """Fill out[0..3, i] with us76(h_m[i]) for a 1-D array."""
    for i in range(h_m.size):
        rho, p, t, a = us76(h_m[i])
        out[0, i] = rho
        out[1, i] = p
        out[2, i] = t
        out[3, i] = a
