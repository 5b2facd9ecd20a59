"""Generic, documented vehicles for benchmarks and tests (not any real missile).

``GENERIC_ICBM`` is a notional two-stage liquid ICBM-class rocket of 33.9 t with an ideal
vacuum delta-v of 8.4 km/s, which flies about 10,000 km on a minimum-energy-like gravity
turn. Its figures are round numbers of the size that open analyses give for first-generation
two-stage liquid ICBMs (e.g. Schiller & Schmucker, *Flashback to the Past: North Korea's
"New" Extended-Range Scud*, 2016; Wright, UCS, 2017); they describe no particular missile.
"""

from __future__ import annotations

from bmdsim.flight.steering import PitchProgram
from bmdsim.flight.vehicle import ReentryVehicle, Stage, Vehicle

__all__ = ["GENERIC_ICBM", "GENERIC_ICBM_PROGRAM"]

GENERIC_ICBM = Vehicle(
    name="generic-2-stage-icbm",
    stages=(
        # first stage: 24 t of propellant over 110 s at Isp 290 s (vacuum): 620 kN, T/W 1.9
        Stage(
            propellant_mass_kg=24_000.0,
            dry_mass_kg=2_400.0,
            burn_time_s=110.0,
            isp_vac_s=290.0,
            exit_area_m2=0.8,
            diameter_m=1.7,
        ),
        # second stage: 6 t over 130 s at Isp 310 s (vacuum)
        Stage(
            propellant_mass_kg=6_000.0,
            dry_mass_kg=800.0,
            burn_time_s=130.0,
            isp_vac_s=310.0,
            exit_area_m2=0.5,
            diameter_m=1.3,
        ),
    ),
    # reentry vehicle of 700 kg with beta = m/(Cd A) = 20,000 kg/m^2
    rv=ReentryVehicle(mass_kg=700.0, ballistic_coefficient_kg_m2=20_000.0),
)

#: vertical rise 10 s, pitch-over 6 deg over 10 s, then gravity turn
GENERIC_ICBM_PROGRAM = PitchProgram(kick_deg=6.0, vertical_time_s=10.0, kick_duration_s=10.0)
