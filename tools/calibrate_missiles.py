"""Calibrate each catalog missile's payload so the engine flies its nominal range.

For every class, the reentry-vehicle mass (its ballistic coefficient scaled with it: same
shape) is solved by bisection so that the full engine's maximum range on a non-rotating
WGS84 Earth (range-optimal pitch-over) equals the class's ``nominal_range_km``. The payload
is the figure the open sources are least sure of and the one analysts trade against range
("X km with a Y kg warhead"). Prints the values to copy into ``threats/catalog.py``.

    .venv/bin/python tools/calibrate_missiles.py [CLASS ...]
"""

from __future__ import annotations

import sys
from dataclasses import replace

from bmdsim.threats.catalog import MISSILES
from bmdsim.threats.reach import max_range_km


def main() -> None:
    for name in sys.argv[1:] or list(MISSILES):
        m = MISSILES[name]
        v0 = m.vehicle

        def rng(mass: float, v0=v0) -> float:
            rv = replace(
                v0.rv,
                mass_kg=mass,
                ballistic_coefficient_kg_m2=v0.rv.ballistic_coefficient_kg_m2
                * mass
                / v0.rv.mass_kg,
            )
            return max_range_km(replace(v0, rv=rv))

        # walk down from a heavy payload to the first one that reaches the nominal range: a
        # very light payload pushes the burnout past the ballistic cap, where the reach is
        # not monotonic in the payload
        hi = 4.0 * v0.rv.mass_kg
        lo = hi
        while rng(lo) < m.nominal_range_km and lo > 20.0:
            hi, lo = lo, 0.85 * lo
        if lo <= 20.0:
            print(f"{name}: nominal {m.nominal_range_km:.0f} km not reached with any payload")
            continue
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            if rng(mid) > m.nominal_range_km:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1.0:
                break
        mass = 0.5 * (lo + hi)
        beta = v0.rv.ballistic_coefficient_kg_m2 * mass / v0.rv.mass_kg
        print(
            f"{name}: payload {v0.rv.mass_kg:.0f} -> {mass:.0f} kg, beta {beta:.0f} kg/m^2,"
            f" range {rng(mass):.0f} km (nominal {m.nominal_range_km:.0f})"
        )


if __name__ == "__main__":
    main()
