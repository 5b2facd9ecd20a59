"""Validation of bmdsim.earth.atmosphere against the U.S. Standard Atmosphere 1976.

Source of every reference value: NOAA/NASA/USAF, *U.S. Standard Atmosphere, 1976*,
NASA-TM-X-74335 (NOAA-S/T 76-1562), Table I (properties against geometric altitude, SI
units), as published (4-5 significant figures), and the layer-base pressures P_b of its
Part 1 (lower atmosphere, geopotential layers).

Tolerances (relative): 0.1 % below 86 km, 1 % from 86 km up, for density, temperature and
pressure; the speed of sound at sea level to the 5 published figures.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from bmdsim._core import us76_table
from bmdsim.earth.atmosphere import R0_M, density, pressure, speed_of_sound, temperature, us76

TOL_BELOW_86_KM = 1e-3
TOL_ABOVE_86_KM = 1e-2

# (geometric altitude km, density kg/m^3, kinetic temperature K), Table I.
PUBLISHED_ROWS = [
    (0.0, 1.2250, 288.15),
    (10.0, 0.41351, 223.25),
    (20.0, 8.891e-2, 216.65),
    (30.0, 1.841e-2, 226.51),
    (50.0, 1.027e-3, 270.65),
    (70.0, 8.283e-5, 219.58),
    (80.0, 1.846e-5, 198.64),
    (100.0, 5.60e-7, 195.08),
    (150.0, 2.08e-9, 634.4),
    (200.0, 2.54e-10, 854.6),
    (500.0, 5.21e-13, 999.2),
    (1000.0, 3.56e-15, 1000.0),
]

# More Table I rows (density, temperature), spanning each upper-atmosphere segment.
MORE_PUBLISHED_ROWS = [
    (25.0, 4.008e-2, 221.55),
    (86.0, 6.958e-6, 186.87),
    (90.0, 3.416e-6, 186.87),
    (110.0, 9.708e-8, 240.00),
    (120.0, 2.222e-8, 360.00),
    (130.0, 8.152e-9, 469.27),
    (300.0, 1.916e-11, 976.01),
    (400.0, 2.803e-12, 995.83),
    (700.0, 3.070e-14, 999.97),
    (900.0, 5.759e-15, 1000.00),
]

# Table I pressures (geometric altitude km, Pa).
PUBLISHED_PRESSURES = [
    (0.0, 101325.0),
    (11.0, 2.2700e4),
    (25.0, 2549.2),
    (86.0, 0.37338),
    (100.0, 3.2011e-2),
    (120.0, 2.5382e-3),
    (150.0, 4.5422e-4),
    (200.0, 8.4736e-5),
    (500.0, 3.0236e-7),
    (1000.0, 7.5138e-9),
]


def _tolerance(z_km: float) -> float:
    return TOL_BELOW_86_KM if z_km < 86.0 else TOL_ABOVE_86_KM


def _row_id(row: tuple[float, ...]) -> str:
    z_km = row[0]
    return f"Z={z_km:g}km-tol={100 * _tolerance(z_km):g}%"


@pytest.mark.parametrize("row", PUBLISHED_ROWS + MORE_PUBLISHED_ROWS, ids=_row_id)
def test_density_and_temperature_match_table_1(row: tuple[float, float, float]) -> None:
    """Density and kinetic temperature against U.S. Standard Atmosphere 1976, Table I."""
    z_km, rho_pub, t_pub = row
    rho, _, t, _ = us76(z_km * 1e3)
    tol = _tolerance(z_km)
    assert rho == pytest.approx(rho_pub, rel=tol)
    assert t == pytest.approx(t_pub, rel=tol)


@pytest.mark.parametrize("row", PUBLISHED_PRESSURES, ids=_row_id)
def test_pressure_matches_table_1(row: tuple[float, float]) -> None:
    """Pressure against U.S. Standard Atmosphere 1976, Table I."""
    z_km, p_pub = row
    assert pressure(z_km * 1e3) == pytest.approx(p_pub, rel=_tolerance(z_km))


def test_sea_level_is_exact() -> None:
    """Sea level: 101325 Pa, 288.15 K (defining values), 1.2250 kg/m^3, 340.29 m/s (Table I)."""
    rho, p, t, a = us76(0.0)
    assert p == 101325.0
    assert t == 288.15
    assert rho == pytest.approx(1.2250, rel=1e-5)
    assert a == pytest.approx(340.29, abs=0.005)
    assert speed_of_sound(0.0) == pytest.approx(340.29, abs=0.005)


def test_pressure_at_11_km_geopotential_tropopause() -> None:
    """22632 Pa at the tropopause, H = 11 km geopotential (Z = 11.019 km): layer-base P_b."""
    z_m = R0_M * 11000.0 / (R0_M - 11000.0)
    assert pressure(z_m) == pytest.approx(22632.06, rel=1e-5)
    assert temperature(z_m) == pytest.approx(216.65, abs=1e-9)


def test_layer_base_pressures_table_4() -> None:
    """Pressures P_b at the geopotential layer bases, U.S. Standard Atmosphere 1976 Part 1."""
    bases = [
        (20000.0, 5474.889),
        (32000.0, 868.0187),
        (47000.0, 110.9063),
        (51000.0, 66.93887),
        (71000.0, 3.956420),
    ]
    for h_geopotential_m, p_pub in bases:
        z_m = R0_M * h_geopotential_m / (R0_M - h_geopotential_m)
        assert pressure(z_m) == pytest.approx(p_pub, rel=1e-5)


def test_worst_errors_against_rows() -> None:
    """Summary over all rows: worst relative error per region within the tolerances."""
    worst_low = 0.0
    worst_high = 0.0
    for z_km, rho_pub, t_pub in PUBLISHED_ROWS + MORE_PUBLISHED_ROWS:
        z_m = z_km * 1e3
        err = max(abs(density(z_m) / rho_pub - 1.0), abs(temperature(z_m) / t_pub - 1.0))
        if z_km < 86.0:
            worst_low = max(worst_low, err)
        else:
            worst_high = max(worst_high, err)
    assert worst_low < TOL_BELOW_86_KM
    assert worst_high < TOL_ABOVE_86_KM


def _load_generator() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "gen_us76_table.py"
    spec = importlib.util.spec_from_file_location("gen_us76_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_table_is_reproducible_and_matches_table_1() -> None:
    """tools/gen_us76_table.py reproduces the stored table, and its integration matches
    every Table I density and pressure it checks (86-1000 km) to 0.2 %."""
    gen = _load_generator()
    z_m, rho, p = gen.upper_atmosphere()
    stride = int(round(us76_table.DZ_M / (z_m[1] - z_m[0])))
    np.testing.assert_allclose(np.log(rho[::stride]), us76_table.LN_DENSITY_KG_M3, atol=1e-8)
    np.testing.assert_allclose(np.log(p[::stride]), us76_table.LN_PRESSURE_PA, atol=1e-8)
    for z_km, (rho_pub, p_pub) in gen.PUBLISHED.items():
        i = int(np.argmin(np.abs(z_m - z_km * 1e3)))
        assert rho[i] == pytest.approx(rho_pub, rel=2e-3)
        if p_pub is not None:
            assert p[i] == pytest.approx(p_pub, rel=2e-3)
        # and the interpolated public model agrees with the published value too
        assert density(z_km * 1e3) == pytest.approx(rho_pub, rel=2e-3)


def test_speed_of_sound_below_86_km_is_ideal_gas() -> None:
    """a = sqrt(1.4 * 287.05287 * T_M), with T_M = P / (rho * 287.05287)."""
    for z_m in np.linspace(0.0, 85e3, 35):
        rho, p, _, a = us76(float(z_m))
        assert a == pytest.approx(math.sqrt(1.4 * p / rho), rel=1e-12)
