"""``bmdsim demo``: the built-in demonstration.

Until the engagement layer exists it flies the benchmark's generic ICBM-class vehicle from
Sunan, North Korea, eastward and prints its flight summary.
"""

from __future__ import annotations

import time

import typer

from bmdsim.earth.places import get_place
from bmdsim.flight.generic import GENERIC_ICBM, GENERIC_ICBM_PROGRAM
from bmdsim.flight.launch import powered_launch
from bmdsim.flight.propagator import Propagator


def run_demo() -> None:
    site = get_place("sunan")
    t = time.perf_counter()
    batch = powered_launch(
        GENERIC_ICBM, site.lat_deg, site.lon_deg, 60.0, GENERIC_ICBM_PROGRAM, kick_deg=20.0
    )
    res = Propagator().propagate(batch, record=True)
    traj = res.trajectory(0)
    lat, lon = res.impact_lat_lon_deg()
    dt = time.perf_counter() - t
    typer.echo(
        f"bmdsim demo: {GENERIC_ICBM.name} ({GENERIC_ICBM.launch_mass_kg / 1000:.1f} t, "
        f"{len(GENERIC_ICBM.stages)} stages) from Sunan ({site.lat_deg:.3f}N, "
        f"{site.lon_deg:.3f}E), azimuth 60 deg, pitch-over 20 deg\n"
        f"  burnout     {traj.burnout_time_s:8.1f} s after launch\n"
        f"  apogee      {res.apogee_m[0] / 1e3:8.1f} km at {res.apogee_time_s[0]:.1f} s\n"
        f"  impact      {res.flight_time_s[0]:8.1f} s after launch at "
        f"{lat[0]:.2f}N {lon[0] % 360:.2f}E\n"
        f"  ground range {res.ground_range_m()[0] / 1e3:7.1f} km on the rotating WGS84 Earth\n"
        f"  ({len(traj.t_s)} integrator steps, {dt:.2f} s wall with start-up)"
    )
