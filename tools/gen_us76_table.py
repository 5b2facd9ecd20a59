"""Generate ``src/bmdsim/_core/us76_table.py``: the U.S. Standard Atmosphere 1976 above 86 km.

Usage (from the repository root; needs only numpy)::

    .venv/bin/python tools/gen_us76_table.py            # write the module
    .venv/bin/python tools/gen_us76_table.py --check    # compare with published values only

Above 86 km the standard (NOAA/NASA/USAF, *U.S. Standard Atmosphere, 1976*, NASA-TM-X-74335,
Part 1 sections 1.3-1.4, eqs. 23-40 and Tables 5-7) defines the kinetic temperature T(Z)
analytically and obtains the number densities of N2, O, O2, Ar, He and H by integrating
the diffusion equations upward from their 86 km values:

    n_i(Z) = n_i(86 km) * (T7 / T) * exp(-integral_86km^Z (f_i + v_i/(D_i + K)) dZ)

    f_i = g / (R* T) * D_i / (D_i + K) * (M_i + M K / D_i + alpha_i R* (dT/dZ) / g)

with g = g0 (r0 / (r0 + Z))^2, the eddy diffusion coefficient K (120 m^2/s to 95 km, decaying
to 0 at 115 km), the molecular diffusion coefficient D_i = a_i (T/273.15)^b_i / n (n the
number density of N2 for O and O2, of N2+O+O2 for Ar and He), the vertical-flux term
v_i/(D_i+K) = Q_i (Z-U_i)^2 exp(-W_i (Z-U_i)^3) [+ q_i (u_i-Z)^2 exp(-w_i (u_i-Z)^3) for O
below 97 km] (neglected above 150 km), and M the mean molecular weight of the mixture,
taken as M0 = 28.9644 up to 100 km and as M(N2) = 28.0134 above, for every species.
N2 itself follows the hydrostatic form with the same M. Atomic hydrogen (150-1000 km)
follows the escape-flux solution (eqs. 39-40) anchored at n_H(500 km) = 8.0e10 m^-3 with
flux 7.2e11 m^-2 s^-1.

Note: the pip package ``ussa1976`` (0.3.4) uses M(N2) in the eddy term of *atomic oxygen*
from 86 km; that raises n(O) by ~7 % and the density at 150-600 km by 2-7 % against the
published tables. With M = M0 below 100 km for all species, this integration reproduces
the published densities and pressures to better than 0.1 % from 86 to 1000 km (checked
below against Table I values), so this script uses no third-party model.

Integration: trapezoidal rule in log(n) on a uniform 5 m grid (halving the step changes
the results by ~1e-5 relative). The module written holds ln(density) and ln(pressure) at
1 km nodes from 86 to 1000 km; ``bmdsim._core.atmosphere_kernels`` interpolates them with
cubic Hermite polynomials (interpolation error < 0.1 %).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# --- constants of the standard (Part 1, Tables 1-7) -------------------------------------
G0_M_S2 = 9.80665
R0_M = 6356766.0
RSTAR_J_KMOL_K = 8314.32
BOLTZMANN_J_K = 1.380622e-23
AVOGADRO_PER_KMOL = 6.022169e26
M0_KG_KMOL = 28.9644
MOLAR_MASS_KG_KMOL = {
    "N2": 28.0134,
    "O": 15.9994,
    "O2": 31.9988,
    "Ar": 39.948,
    "He": 4.0026,
    "H": 1.00797,
}
Z7_M, Z8_M, Z9_M, Z10_M, Z12_M = 86e3, 91e3, 110e3, 120e3, 1000e3
T7_K, T9_K, T10_K, TINF_K = 186.8673, 240.0, 360.0, 1000.0
TC_K, ELLIPSE_A_K, ELLIPSE_A_M = 263.1905, -76.3232, -19942.9
LAPSE9_K_M = 12.0e-3
LAMBDA_PER_M = LAPSE9_K_M / (TINF_K - T10_K)  # 0.01875 /km
Z_MIXED_TOP_M = 100e3  # M = M0 up to here, M(N2) above
N7_PER_M3 = {"N2": 1.129794e20, "O": 8.6e16, "O2": 3.030898e19, "Ar": 1.351400e18, "He": 7.5817e14}
# Table 6: alpha (thermal diffusion), a [m^-1 s^-1], b
DIFFUSION = {
    "O": (0.0, 6.986e20, 0.750),
    "O2": (0.0, 4.863e20, 0.750),
    "Ar": (0.0, 4.487e20, 0.870),
    "He": (-0.40, 1.700e21, 0.691),
    "H": (-0.25, 3.305e21, 0.500),
}
# Table 7: Q [km^-3], U [km], W [km^-3], q [km^-3], u [km], w [km^-3]
FLUX = {
    "O": (-5.809644e-4, 56.90311, 2.706240e-5, -3.416248e-3, 97.0, 5.008765e-4),
    "O2": (1.366212e-4, 86.0, 8.333333e-5, 0.0, 0.0, 0.0),
    "Ar": (9.434079e-5, 86.0, 8.333333e-5, 0.0, 0.0, 0.0),
    "He": (-2.457369e-4, 86.0, 6.666667e-4, 0.0, 0.0, 0.0),
}
Z_H_BOTTOM_M, Z11_M = 150e3, 500e3
N_H_500_PER_M3 = 8.0e10
H_FLUX_PER_M2_S = 7.2e11
K7_M2_S = 120.0

# Published values, U.S. Standard Atmosphere 1976, Table I (geometric altitude):
# altitude km -> (density kg/m^3, pressure Pa or None)
PUBLISHED = {
    86: (6.958e-6, 3.7338e-1),
    90: (3.416e-6, None),
    91: (2.860e-6, None),
    100: (5.604e-7, 3.2011e-2),
    110: (9.708e-8, 7.1042e-3),
    115: (4.289e-8, None),
    120: (2.222e-8, 2.5382e-3),
    130: (8.152e-9, None),
    150: (2.076e-9, 4.5422e-4),
    175: (6.339e-10, None),
    180: (5.194e-10, None),
    200: (2.541e-10, 8.4736e-5),
    250: (6.073e-11, None),
    300: (1.916e-11, 8.7704e-6),
    350: (7.014e-12, None),
    400: (2.803e-12, 1.4518e-6),
    450: (1.184e-12, None),
    500: (5.215e-13, 3.0236e-7),
    600: (1.137e-13, 8.2130e-8),
    700: (3.070e-14, 3.1908e-8),
    800: (1.136e-14, 1.7036e-8),
    900: (5.759e-15, 1.0873e-8),
    1000: (3.561e-15, 7.5138e-9),
}

STEP_M = 5.0
NODE_STEP_M = 1000.0
ROOT = Path(__file__).resolve().parents[1]
OUT_PATH = ROOT / "src" / "bmdsim" / "_core" / "us76_table.py"


def kinetic_temperature_k(z_m: FloatArray) -> FloatArray:
    """Kinetic temperature of the standard's four segments above 86 km."""
    t = np.full_like(z_m, T7_K)
    m = (z_m > Z8_M) & (z_m <= Z9_M)
    x = (z_m[m] - Z8_M) / ELLIPSE_A_M
    t[m] = TC_K + ELLIPSE_A_K * np.sqrt(1.0 - x * x)
    m = (z_m > Z9_M) & (z_m <= Z10_M)
    t[m] = T9_K + LAPSE9_K_M * (z_m[m] - Z9_M)
    m = z_m > Z10_M
    xi = (z_m[m] - Z10_M) * (R0_M + Z10_M) / (R0_M + z_m[m])
    t[m] = TINF_K - (TINF_K - T10_K) * np.exp(-LAMBDA_PER_M * xi)
    return t


def temperature_gradient_k_m(z_m: FloatArray) -> FloatArray:
    """dT/dZ of :func:`kinetic_temperature_k`."""
    d = np.zeros_like(z_m)
    m = (z_m > Z8_M) & (z_m <= Z9_M)
    x = (z_m[m] - Z8_M) / ELLIPSE_A_M
    d[m] = -ELLIPSE_A_K / ELLIPSE_A_M * x / np.sqrt(1.0 - x * x)
    m = (z_m > Z9_M) & (z_m <= Z10_M)
    d[m] = LAPSE9_K_M
    m = z_m > Z10_M
    ratio = (R0_M + Z10_M) / (R0_M + z_m[m])
    xi = (z_m[m] - Z10_M) * ratio
    d[m] = LAMBDA_PER_M * (TINF_K - T10_K) * ratio**2 * np.exp(-LAMBDA_PER_M * xi)
    return d


def eddy_diffusion_m2_s(z_m: FloatArray) -> FloatArray:
    """Eddy diffusion coefficient K (eqs. 7a-7c)."""
    k = np.zeros_like(z_m)
    k[z_m < 95e3] = K7_M2_S
    m = (z_m >= 95e3) & (z_m < 115e3)
    z_km = z_m[m] / 1e3
    k[m] = K7_M2_S * np.exp(1.0 - 400.0 / (400.0 - (z_km - 95.0) ** 2))
    return k


def cumulative_trapezoid(y: FloatArray, x: FloatArray) -> FloatArray:
    """Running trapezoidal integral of y(x), 0 at x[0]."""
    out = np.zeros_like(y)
    out[1:] = np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(x))
    return out


def flux_term_per_m(species: str, z_m: FloatArray) -> FloatArray:
    """v_i / (D_i + K) of eq. 37, zero above 150 km."""
    q_big, u_big, w_big, q_small, u_small, w_small = FLUX[species]
    z_km = z_m / 1e3
    term = q_big * (z_km - u_big) ** 2 * np.exp(-w_big * (z_km - u_big) ** 3)
    if q_small != 0.0:
        m = z_km < u_small
        gap = u_small - z_km[m]
        term[m] += q_small * gap**2 * np.exp(-w_small * gap**3)
    term[z_km > 150.0] = 0.0
    return term / 1e3  # km^-1 -> m^-1


def number_densities_per_m3(z_m: FloatArray) -> dict[str, FloatArray]:
    """Number densities of N2, O, O2, Ar, He, H on the ascending uniform grid z_m (from 86 km)."""
    t = kinetic_temperature_k(z_m)
    dt = temperature_gradient_k_m(z_m)
    g = G0_M_S2 * (R0_M / (R0_M + z_m)) ** 2
    k = eddy_diffusion_m2_s(z_m)
    ln_t_ratio = np.log(t / T7_K)
    m_mix = np.where(z_m <= Z_MIXED_TOP_M, M0_KG_KMOL, MOLAR_MASS_KG_KMOL["N2"])

    n: dict[str, FloatArray] = {}
    integrand = g * m_mix / (RSTAR_J_KMOL_K * t)
    n["N2"] = N7_PER_M3["N2"] * np.exp(-ln_t_ratio - cumulative_trapezoid(integrand, z_m))

    def diffuse(species: str, background: FloatArray) -> FloatArray:
        alpha, a, b = DIFFUSION[species]
        d = a / background * (t / 273.15) ** b
        f = (
            g
            / (RSTAR_J_KMOL_K * t)
            * d
            / (d + k)
            * (MOLAR_MASS_KG_KMOL[species] + m_mix * k / d + alpha * RSTAR_J_KMOL_K * dt / g)
        )
        f = f + flux_term_per_m(species, z_m)
        return N7_PER_M3[species] * np.exp(-ln_t_ratio - cumulative_trapezoid(f, z_m))

    n["O"] = diffuse("O", n["N2"])
    n["O2"] = diffuse("O2", n["N2"])
    background = n["N2"] + n["O"] + n["O2"]
    n["Ar"] = diffuse("Ar", background)
    n["He"] = diffuse("He", background)

    # Atomic hydrogen, eqs. 39-40, from 150 km up, anchored at 500 km.
    above = z_m >= Z_H_BOTTOM_M
    zh, th, gh = z_m[above], t[above], g[above]
    i11 = int(np.argmin(np.abs(zh - Z11_M)))
    if abs(zh[i11] - Z11_M) > 1e-6:
        raise ValueError("the grid must contain 500 km exactly")
    t11 = th[i11]
    tau = cumulative_trapezoid(MOLAR_MASS_KG_KMOL["H"] * gh / (RSTAR_J_KMOL_K * th), zh)
    tau -= tau[i11]
    alpha_h, a_h, b_h = DIFFUSION["H"]
    others = (n["N2"] + n["O"] + n["O2"] + n["Ar"] + n["He"])[above]
    d_h = a_h / others * (th / 273.15) ** b_h
    flux_integrand = H_FLUX_PER_M2_S / d_h * (th / t11) ** (1.0 + alpha_h) * np.exp(tau)
    flux_integral = cumulative_trapezoid(flux_integrand, zh)
    flux_integral -= flux_integral[i11]
    flux_integral[i11:] = 0.0  # the standard neglects the flux term above 500 km
    n["H"] = np.zeros_like(z_m)
    n["H"][above] = (N_H_500_PER_M3 - flux_integral) * (t11 / th) ** (1.0 + alpha_h) * np.exp(-tau)
    return n


def upper_atmosphere(step_m: float = STEP_M) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(altitude m, density kg/m^3, pressure Pa) from 86 to 1000 km on a step_m grid."""
    count = int(round((Z12_M - Z7_M) / step_m)) + 1
    z_m = Z7_M + step_m * np.arange(count, dtype=np.float64)
    n = number_densities_per_m3(z_m)
    total = sum(n.values(), np.zeros_like(z_m))
    density = sum((n[s] * MOLAR_MASS_KG_KMOL[s] for s in n), np.zeros_like(z_m))
    density = density / AVOGADRO_PER_KMOL
    pressure = total * BOLTZMANN_J_K * kinetic_temperature_k(z_m)
    return z_m, density, pressure


def compare_with_published(z_m: FloatArray, rho: FloatArray, p: FloatArray) -> float:
    """Print the deviations from Table I; return the worst relative one."""
    worst = 0.0
    for z_km, (rho_pub, p_pub) in PUBLISHED.items():
        i = int(np.argmin(np.abs(z_m - z_km * 1e3)))
        err_rho = rho[i] / rho_pub - 1.0
        line = f"{z_km:5d} km  rho {rho[i]:.5e} ({100 * err_rho:+.3f} %)"
        worst = max(worst, abs(err_rho))
        if p_pub is not None:
            err_p = p[i] / p_pub - 1.0
            worst = max(worst, abs(err_p))
            line += f"  p {p[i]:.5e} ({100 * err_p:+.3f} %)"
        print(line)
    print(f"worst relative deviation from the published table: {100 * worst:.3f} %")
    return worst


def _format_array(name: str, values: FloatArray, comment: str) -> str:
    lines = [f"# {comment}", f"{name} = np.array(["]
    per_line = 5
    for start in range(0, values.size, per_line):
        chunk = ", ".join(f"{v:.10e}" for v in values[start : start + per_line])
        lines.append(f"    {chunk},")
    lines.append("], dtype=np.float64)")
    return "\n".join(lines)


def write_module(z_m: FloatArray, rho: FloatArray, p: FloatArray, worst: float) -> None:
    stride = int(round(NODE_STEP_M / (z_m[1] - z_m[0])))
    nodes = slice(None, None, stride)
    z_nodes = z_m[nodes]
    if z_nodes[-1] != Z12_M:
        raise ValueError("node grid must end at 1000 km")
    header = f'''"""U.S. Standard Atmosphere 1976 from 86 to 1000 km: ln(density) and ln(pressure) at 1 km nodes.

GENERATED FILE - do not edit. Regenerate with::

    .venv/bin/python tools/gen_us76_table.py

Generated by integrating the standard's diffusion equations for N2, O, O2, Ar, He and H
(NASA-TM-X-74335, 1976, Part 1 eqs. 23-40, Tables 5-7) with the trapezoidal rule on a
{STEP_M:g} m grid from the 86 km number densities, then sampling every {NODE_STEP_M / 1e3:g} km.
Worst deviation from the published Table I densities and pressures (86-1000 km):
{100 * worst:.3f} %. Node i is at Z = Z0_M + i * DZ_M (geometric altitude).
"""

import numpy as np

Z0_M = {Z7_M:.1f}
DZ_M = {NODE_STEP_M:.1f}
NODE_COUNT = {z_nodes.size}

# fmt: off
'''
    body = "\n\n".join(
        [
            _format_array("LN_DENSITY_KG_M3", np.log(rho[nodes]), "ln(density / (kg/m^3))"),
            _format_array("LN_PRESSURE_PA", np.log(p[nodes]), "ln(pressure / Pa)"),
        ]
    )
    OUT_PATH.write_text(header + body + "\n# fmt: on\n")
    # Numba's on-disk cache keys on the source file of the jitted function, not on this
    # table: bump the kernel's mtime so cached machine code with the old table is dropped.
    atmosphere = OUT_PATH.parent / "atmosphere_kernels.py"
    if atmosphere.exists():
        os.utime(atmosphere)
    print(f"wrote {OUT_PATH.relative_to(ROOT)} ({z_nodes.size} nodes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with Table I")
    args = parser.parse_args(argv)
    z_m, rho, p = upper_atmosphere()
    worst = compare_with_published(z_m, rho, p)
    if worst > 2e-3:
        print("deviation above 0.2 %: refusing to write the table", file=sys.stderr)
        return 1
    if not args.check:
        write_module(z_m, rho, p, worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
