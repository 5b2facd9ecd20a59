"""Russian strategic missile classes of the catalog (for the strategic-reach analyses)."""

from __future__ import annotations

from bmdsim.flight.vehicle import ReentryVehicle, Stage, Vehicle
from bmdsim.threats.missile_class import MissileClass
from bmdsim.threats.sources import (
    _APS_2004,
    _CSIS,
    _KRISTENSEN_2023,
    _PODVIG_2001,
    _REGAN,
    _WILKENING_2004,
    _cite,
)

__all__ = ["BULAVA", "TOPOL_M"]

# --------------------------------------------------------------------------------------------
# Topol-M class: Russian three-stage solid ICBM (RT-2PM2 / SS-27 Mod 1 type): 47.2 t launch
# mass, 1.2 t throw weight, 11,000 km, boost ~3 min.
# --------------------------------------------------------------------------------------------
TOPOL_M = MissileClass(
    name="topol-m-class",
    vehicle=Vehicle(
        name="topol-m-class",
        stages=(
            Stage(
                propellant_mass_kg=26500.0,  # our split of the 47.2 t launch mass (Podvig 2001)
                dry_mass_kg=2200.0,  # composite case (our estimate)
                burn_time_s=60.0,  # ~3 min boost over three stages (Podvig; APS 2004)
                isp_vac_s=285.0,  # HTPB/AP class; Isp_sl ~257 s (APS 2004, notional solid ICBM)
                exit_area_m2=1.20,  # from the Isp gap: 442 kg/s * g0 * 28 s / p0
                diameter_m=1.86,  # 1.86 m (Podvig 2001)
            ),
            Stage(
                propellant_mass_kg=10500.0,  # our estimate
                dry_mass_kg=1000.0,  # our estimate
                burn_time_s=64.0,  # our estimate (APS 2004; Wilkening 2004)
                isp_vac_s=295.0,  # our estimate
                exit_area_m2=0.0,  # ignites above ~60 km
                diameter_m=1.61,  # our estimate
            ),
            Stage(
                propellant_mass_kg=5000.0,  # our estimate
                dry_mass_kg=800.0,  # our estimate
                burn_time_s=56.0,  # our estimate
                isp_vac_s=300.0,  # our estimate
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=1.58,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=1311.0,  # calibrated (tools/calibrate_missiles.py); source: throw weight 1.2 t, flown as one body (Podvig 2001)
            # modern high-beta RV class, ~3,000 lb/ft^2 (Regan & Anandakrishnan 1993)
            ballistic_coefficient_kg_m2=16392.0,  # calibrated: scaled with the mass; was:
        ),
    ),
    nominal_range_km=11000.0,  # 11,000 km (Podvig 2001; Kristensen & Korda 2023)
    nominal_range_bracket_km=(10500.0, 11000.0),
    propellant="solid",
    launch_area="tatishchevo",
    description="Russian three-stage solid ICBM class (silo or road-mobile), single warhead.",
    source=_cite(_PODVIG_2001, _KRISTENSEN_2023, _APS_2004, _WILKENING_2004, _REGAN),
)

# --------------------------------------------------------------------------------------------
# Bulava class: Russian SLBM (R-30 / SS-N-32 type): 36.8 t, 1.15 t throw weight, 8,000-9,300
# km. First two stages solid; the third (with the bus) is reported as liquid - modelled here
# as a solid-like stage with constant mass flow.
# --------------------------------------------------------------------------------------------
BULAVA = MissileClass(
    name="bulava-class",
    vehicle=Vehicle(
        name="bulava-class",
        stages=(
            Stage(
                propellant_mass_kg=20500.0,  # our split of the 36.8 t launch mass (russianforces)
                dry_mass_kg=1800.0,  # composite case (our estimate)
                burn_time_s=65.0,  # our estimate
                isp_vac_s=285.0,  # our estimate; Isp_sl ~257 s
                exit_area_m2=0.85,  # from the Isp gap: 315 kg/s * g0 * 28 s / p0
                diameter_m=2.00,  # 2.0 m (Podvig; CSIS)
            ),
            Stage(
                propellant_mass_kg=8500.0,  # our estimate
                dry_mass_kg=900.0,  # our estimate
                burn_time_s=60.0,  # our estimate
                isp_vac_s=295.0,  # our estimate
                exit_area_m2=0.0,  # ignites above ~60 km
                diameter_m=2.00,  # our estimate
            ),
            Stage(
                propellant_mass_kg=3400.0,  # our estimate
                dry_mass_kg=550.0,  # our estimate
                burn_time_s=55.0,  # our estimate
                isp_vac_s=300.0,  # our estimate
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=2.00,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=1172.0,  # calibrated (tools/calibrate_missiles.py); source: throw weight 1.15 t (Kristensen & Korda 2023; CSIS)
            # beta of one modern RV, ~2,500 lb/ft^2 (Regan & Anandakrishnan 1993)
            ballistic_coefficient_kg_m2=12227.0,  # calibrated: scaled with the mass; was:
        ),
    ),
    nominal_range_km=9000.0,  # 8,000-9,300 km (Kristensen & Korda 2023; CSIS)
    nominal_range_bracket_km=(8000.0, 9300.0),
    propellant="solid",
    launch_area="barents-sea",
    description="Russian submarine-launched three-stage ICBM class (Borei-class SSBN).",
    source=_cite(
        _PODVIG_2001 + " and russianforces.org",
        _KRISTENSEN_2023,
        _CSIS.format("Bulava"),
        _REGAN,
    ),
)
