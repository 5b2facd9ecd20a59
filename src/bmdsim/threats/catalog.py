"""The built-in catalog of threat missile classes.

Every entry is a *notional class* ("nodong-class", not "the Nodong"): a staged rocket built
from open-literature estimates of launch mass, stage masses, vacuum specific impulse, burn
times, diameters and payload. No entry describes a real missile's design data; the public
record is a spread of outside estimates (RAND / Schmucker Technologie, UCS, 38 North, CSIS
Missile Threat, IISS, Podvig, the Bulletin of the Atomic Scientists...) that disagree by
10-30 %. Where the sources leave a value open, it was chosen (and the comment says so) so
that the class closes its quoted range.

Calibration. The payload (RV mass, with its ballistic coefficient scaled in proportion: same
shape) of every class was then solved with the full engine so that its maximum range on a
non-rotating WGS84 Earth, at the range-optimal pitch-over, equals ``nominal_range_km``
(``tools/calibrate_missiles.py``; the comments keep the source's figure). The payload is the
least certain figure and the one analysts trade against range. Before that, the numbers were
checked only with the rocket equation: the ideal vacuum
delta-v (:meth:`Vehicle.ideal_delta_v_m_s`) exceeds the minimum-energy burnout speed for the
nominal range on a spherical, non-rotating Earth by a typical gravity + drag loss (about
0.6-1.2 km/s for single-stage liquids, 1.0-1.5 km/s for ICBMs). Ranges computed with the full
trajectory engine (Earth rotation, WGS84, atmosphere, thrust back-pressure) will differ by
several percent; the propellant loads or payloads are expected to be fine-tuned against it.

Derived values, used below:

* nozzle exit area from the sea-level / vacuum Isp gap (Sutton & Biblarz eq. 3-21):
  ``A_exit = mdot * g0 * (Isp_vac - Isp_sl) / p0`` with p0 = 101 325 Pa; upper stages that
  ignite near vacuum get ``A_exit = 0`` (back-pressure negligible there);
* RV ballistic coefficient from an assumed geometry, ``beta = m / (Cd * pi d^2 / 4)``
  (hypersonic Cd of blunted cones after Regan & Anandakrishnan, *Dynamics of Atmospheric
  Re-Entry*, AIAA 1993).

All masses in kg, times in s, Isp in s, lengths in m, ranges in km (ground range).
"""

from __future__ import annotations

from bmdsim.errors import lookup
from bmdsim.flight.vehicle import ReentryVehicle, Stage, Vehicle
from bmdsim.threats.catalog_russia import BULAVA, TOPOL_M
from bmdsim.threats.missile_class import MissileClass
from bmdsim.threats.sources import (
    _38N,
    _CSIS,
    _ENGINE_80TF,
    _FORDEN_2007,
    _IISS,
    _JMOD,
    _POSTOL_1991,
    _REGAN,
    _SCHILLER_2012,
    _SCHMUCKER_1999,
    _UCS_WRIGHT,
    _WRIGHT_KADYSHEV_1994,
    _ZALOGA_2006,
    _cite,
)

__all__ = ["MISSILES", "MissileClass", "get_missile", "missile_names"]


# --------------------------------------------------------------------------------------------
# Scud-B class: Soviet R-17 / 8K14 type, single-stage liquid (TM-185 + AK-27I), ~300 km.
# --------------------------------------------------------------------------------------------
SCUD_B = MissileClass(
    name="scud-b-class",
    vehicle=Vehicle(
        name="scud-b-class",
        stages=(
            Stage(
                propellant_mass_kg=3770.0,  # 3,700-3,800 kg (Schiller 2012; Zaloga 2006)
                dry_mass_kg=1105.0,  # airframe + engine; closes 5,860 kg launch mass (ibid.)
                burn_time_s=62.0,  # 60-65 s (Schiller 2012; Forden 2007)
                isp_vac_s=250.0,  # 9D21 engine; Isp_sl ~226 s, vac ~250 s (Schiller 2012)
                exit_area_m2=0.14,  # from the Isp gap: 60.8 kg/s * g0 * 24 s / p0
                diameter_m=0.88,  # 0.88 m (all sources)
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=1207.0,  # calibrated (tools/calibrate_missiles.py); source: warhead section ~985-1,000 kg (Zaloga 2006; Schiller 2012)
            # The R-17 warhead does not separate in service; modelled as the warhead section
            # alone: 985 kg / (Cd 0.32 * 0.61 m^2) ~ 5,000 kg/m^2 (our estimate).
            ballistic_coefficient_kg_m2=6129.0,  # calibrated: scaled with the mass; was:
        ),
    ),
    nominal_range_km=300.0,  # 300 km with ~1,000 kg (all sources)
    nominal_range_bracket_km=(280.0, 330.0),
    propellant="liquid",
    launch_area="musudan-ri",
    description="Single-stage liquid SRBM of the Soviet R-17 (Scud-B) type; 1,000 kg warhead.",
    source=_cite(_SCHILLER_2012, _ZALOGA_2006, _FORDEN_2007, _POSTOL_1991, _REGAN),
)

# --------------------------------------------------------------------------------------------
# Scud-ER class: stretched Scud (Hwasong-9 / "Scud-D" in some sources), ~1,000 km, with a
# lighter separating warhead; flown ~1,000 km into the Sea of Japan on 6 March 2017.
# --------------------------------------------------------------------------------------------
SCUD_ER = MissileClass(
    name="scud-er-class",
    vehicle=Vehicle(
        name="scud-er-class",
        stages=(
            Stage(
                propellant_mass_kg=5000.0,  # stretched tanks, ~+1,200 kg vs Scud-B (Schiller 2012)
                dry_mass_kg=850.0,  # lightened airframe assumed so the 1,000 km range closes
                burn_time_s=84.0,  # same Scud engine flow (~60 kg/s) over the longer load
                isp_vac_s=250.0,  # Scud engine (Schiller 2012)
                exit_area_m2=0.14,  # as Scud-B (same engine)
                diameter_m=0.88,  # Scud body (all sources)
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=507.0,  # calibrated (tools/calibrate_missiles.py); source: ~500 kg separating warhead (Schiller 2012; CSIS)
            ballistic_coefficient_kg_m2=2836.0,  # scaled with the calibrated mass; was: 500 kg / (Cd 0.29 * 0.61 m^2), our estimate
        ),
    ),
    nominal_range_km=1000.0,  # ~1,000 km (Schiller 2012; CSIS; Japan MOD, 6 March 2017)
    nominal_range_bracket_km=(800.0, 1000.0),
    propellant="liquid",
    launch_area="tongchang-ri",
    description="Extended-range Scud: longer tanks, lighter separating warhead (~500 kg).",
    source=_cite(
        _SCHILLER_2012, _CSIS.format("Scud-ER / Hwasong-9"), _JMOD.format("6 March 2017"), _REGAN
    ),
)

# --------------------------------------------------------------------------------------------
# Nodong class: scaled-up Scud technology, 1.36 m diameter, single stage, ~1,300 km.
# --------------------------------------------------------------------------------------------
NODONG = MissileClass(
    name="nodong-class",
    vehicle=Vehicle(
        name="nodong-class",
        stages=(
            Stage(
                propellant_mass_kg=13100.0,  # ~12,900-13,300 kg (Schiller 2012; Schmucker 1999)
                dry_mass_kg=1900.0,  # closes a ~16,000 kg launch mass (Schiller 2012; CSIS)
                burn_time_s=115.0,  # ~110-115 s (Wright & Kadyshev 1994; Schiller 2012)
                isp_vac_s=255.0,  # Isp_sl ~230 s, vac ~255 s (Wright & Kadyshev 1994)
                exit_area_m2=0.28,  # from the Isp gap: 113.9 kg/s * g0 * 25 s / p0
                diameter_m=1.36,  # 1.32-1.36 m (Schiller 2012; CSIS)
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=921.0,  # calibrated (tools/calibrate_missiles.py); source: 700-1,200 kg quoted; 1,000 kg here (Schiller 2012; CSIS)
            ballistic_coefficient_kg_m2=2763.0,  # scaled with the calibrated mass; was: 1,000 kg / (Cd 0.23 * 1.45 m^2), our estimate
        ),
    ),
    nominal_range_km=1300.0,  # 1,300 km (CSIS; IISS); ~1,000 km with 1,000 kg (Schiller 2012)
    nominal_range_bracket_km=(1000.0, 1500.0),
    propellant="liquid",
    launch_area="musudan-ri",
    description="Single-stage liquid MRBM of scaled-up Scud technology; ~1,000 kg payload.",
    source=_cite(
        _WRIGHT_KADYSHEV_1994, _SCHILLER_2012, _SCHMUCKER_1999, _CSIS.format("No-dong 1"), _REGAN
    ),
)

# --------------------------------------------------------------------------------------------
# Hwasong-12 class: single-stage IRBM, one RD-250-type chamber (UDMH/NTO) with four verniers.
# Lofted test 14 May 2017 (apogee 2,111 km, 787 km) -> ~4,500 km on a standard trajectory.
# --------------------------------------------------------------------------------------------
HWASONG_12 = MissileClass(
    name="hwasong-12-class",
    vehicle=Vehicle(
        name="hwasong-12-class",
        stages=(
            Stage(
                propellant_mass_kg=21900.0,  # our estimate for a ~24.5 t missile (CSIS; 38 North)
                dry_mass_kg=2000.0,  # airframe + engine, ~9 % of propellant (our estimate)
                # one main chamber at ~219 kg/s: ~66 tf in vacuum, ~59 tf at sea level, between
                # the ~40 tf of half an RD-250 (38 North, 2017) and the 80 tf KCNA stated for
                # the engine's 2016 ground test; chosen within that bracket so the 29 Aug 2017
                # over-flight times fit (Japan MoD): a 145 s burn (~45 tf) flew it in 932 s
                burn_time_s=100.0,
                isp_vac_s=300.0,  # UDMH/NTO, Isp_sl ~270 s, vac ~300 s (38 North, 2017)
                exit_area_m2=0.64,  # from the Isp gap: 219 kg/s * g0 * 30 s / p0
                diameter_m=1.65,  # 1.5-1.65 m (CSIS; IISS)
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=702.0,  # calibrated (tools/calibrate_missiles.py); source: 500-650 kg for ~4,500 km (Wright, UCS, May 2017)
            ballistic_coefficient_kg_m2=5944.0,  # scaled with the calibrated mass; was: 650 kg / (Cd 0.15 * 0.79 m^2), our estimate
        ),
    ),
    nominal_range_km=4500.0,  # ~4,500 km (Wright, UCS, 14 May 2017 test; CSIS)
    nominal_range_bracket_km=(3700.0, 6000.0),
    propellant="liquid",
    launch_area="sunan",
    description="Single-stage liquid IRBM, RD-250-type main chamber plus verniers.",
    source=_cite(
        _UCS_WRIGHT.format("of the 14 May 2017 lofted test"),
        _38N.format("Hwasong-12, 2017"),
        _ENGINE_80TF,
        _CSIS.format("Hwasong-12"),
        _IISS,
        _JMOD.format("29 Aug and 15 Sep 2017"),
        _REGAN,
    ),
)

# --------------------------------------------------------------------------------------------
# Hwasong-14 class: Hwasong-12 first stage + small second stage. Lofted test 28 July 2017
# (apogee ~3,700 km, ~1,000 km, 47 min) -> ~10,000-10,400 km on a standard trajectory.
# --------------------------------------------------------------------------------------------
HWASONG_14 = MissileClass(
    name="hwasong-14-class",
    vehicle=Vehicle(
        name="hwasong-14-class",
        stages=(
            Stage(
                propellant_mass_kg=25000.0,  # stretched H-12 stage, our estimate (38 North)
                dry_mass_kg=2300.0,  # airframe + engine (our estimate)
                burn_time_s=114.0,  # same engine as H-12 at ~219 kg/s
                isp_vac_s=300.0,  # RD-250-type chamber (38 North, 2017)
                exit_area_m2=0.64,  # as H-12
                diameter_m=1.70,  # ~1.7-1.85 m (CSIS; IISS)
            ),
            Stage(
                propellant_mass_kg=3300.0,  # small upper stage (Wright, UCS, July 2017)
                dry_mass_kg=700.0,  # our estimate
                burn_time_s=240.0,  # low-thrust vernier-type engines (38 North, 2017)
                isp_vac_s=300.0,  # UDMH/NTO vacuum (our estimate)
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=1.50,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=469.0,  # calibrated (tools/calibrate_missiles.py); source: 500 kg for ~10,000 km (Wright, UCS, July 2017)
            ballistic_coefficient_kg_m2=6093.0,  # scaled with the calibrated mass; was: 500 kg / (Cd 0.12 * 0.64 m^2), our estimate
        ),
    ),
    nominal_range_km=10000.0,  # ~10,000-10,400 km (Wright, UCS, 28 July 2017)
    nominal_range_bracket_km=(6700.0, 10400.0),
    propellant="liquid",
    launch_area="panghyon",
    description="Two-stage liquid ICBM: Hwasong-12-type first stage, small second stage.",
    source=_cite(
        _UCS_WRIGHT.format("'North Korean ICBM Appears Able to Reach Major US Cities', July 2017"),
        _38N.format("Hwasong-14, 2017"),
        _ENGINE_80TF,
        _CSIS.format("Hwasong-14"),
        _IISS,
        _REGAN,
    ),
)

# --------------------------------------------------------------------------------------------
# Hwasong-15 class: two-chamber first stage, larger second stage. Lofted test 29 Nov 2017
# (apogee 4,475 km, 950 km, 53 min) -> >13,000 km with a light payload.
# --------------------------------------------------------------------------------------------
HWASONG_15 = MissileClass(
    name="hwasong-15-class",
    vehicle=Vehicle(
        name="hwasong-15-class",
        stages=(
            Stage(
                propellant_mass_kg=48000.0,  # our estimate for a ~65 t missile (38 North; CSIS)
                dry_mass_kg=4500.0,  # airframe + twin engine (our estimate)
                # two chambers of the H-12 engine at ~438 kg/s (Elleman, 38 North, Nov 2017:
                # two engines; Wright, UCS, Nov 2017); the 145-160 s burn of the slower
                # engine estimate could not fly the 2023-02-18 apogee of 5,768.5 km at any size
                burn_time_s=110.0,
                isp_vac_s=300.0,  # UDMH/NTO (38 North, 2017)
                exit_area_m2=1.27,  # from the Isp gap: 438 kg/s * g0 * 30 s / p0
                diameter_m=2.40,  # 2.0-2.4 m (CSIS; IISS)
            ),
            Stage(
                propellant_mass_kg=10000.0,  # our estimate (38 North, 2017)
                dry_mass_kg=1500.0,  # our estimate
                burn_time_s=250.0,  # our estimate
                isp_vac_s=310.0,  # vacuum-expanded UDMH/NTO (our estimate)
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=2.00,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=948.0,  # calibrated (tools/calibrate_missiles.py); source: heavier RV than H-14 (Elleman, 38 North, Nov 2017)
            ballistic_coefficient_kg_m2=5967.0,  # scaled with the calibrated mass; was: 1,000 kg / (Cd 0.12 * 1.33 m^2), our estimate
        ),
    ),
    nominal_range_km=13000.0,  # >13,000 km (Wright, UCS, 28 Nov 2017)
    nominal_range_bracket_km=(8500.0, 13000.0),
    propellant="liquid",
    launch_area="sunan",
    description="Two-stage liquid ICBM with a two-chamber first stage; range covers the US.",
    source=_cite(
        _UCS_WRIGHT.format("'North Korea's Longest Missile Test Yet', Nov 2017"),
        "M. Elleman, 'The New Hwasong-15 ICBM: A Significantly Improved Threat to the United "
        "States', 38 North (2017)",
        _ENGINE_80TF,
        _CSIS.format("Hwasong-15"),
        _IISS,
        _JMOD.format("18 Feb 2023 (66 min; 'could fly over 14,000 km')"),
        _REGAN,
    ),
)

# --------------------------------------------------------------------------------------------
# Hwasong-17 class: very large two-stage liquid ICBM, four-chamber first stage. Lofted test
# 18 Nov 2022 (apogee ~6,000 km, ~1,000 km, 69 min) -> ~15,000 km (Japan MOD).
# --------------------------------------------------------------------------------------------
HWASONG_17 = MissileClass(
    name="hwasong-17-class",
    vehicle=Vehicle(
        name="hwasong-17-class",
        stages=(
            Stage(
                propellant_mass_kg=85000.0,  # our estimate; 80-150 t missile quoted (CSIS; IISS)
                dry_mass_kg=8000.0,  # our estimate
                burn_time_s=142.0,  # four RD-250-type chambers at ~600 kg/s (our estimate)
                isp_vac_s=300.0,  # UDMH/NTO
                exit_area_m2=1.74,  # from the Isp gap: 599 kg/s * g0 * 30 s / p0
                diameter_m=2.70,  # 2.5-2.9 m (CSIS; IISS)
            ),
            Stage(
                propellant_mass_kg=20000.0,  # our estimate
                dry_mass_kg=2500.0,  # our estimate
                burn_time_s=240.0,  # our estimate
                isp_vac_s=310.0,  # vacuum-expanded UDMH/NTO (our estimate)
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=2.40,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=1533.0,  # calibrated (tools/calibrate_missiles.py); source: heavy payload (single large RV or a bus) (CSIS; IISS)
            ballistic_coefficient_kg_m2=6360.0,  # scaled with the calibrated mass; was: 2,000 kg / (Cd 0.12 * 2.0 m^2), our estimate
        ),
    ),
    nominal_range_km=15000.0,  # ~15,000 km (Japan MOD, 18 Nov 2022; CSIS)
    nominal_range_bracket_km=(13000.0, 15000.0),
    propellant="liquid",
    launch_area="sunan",
    description="Large two-stage liquid ICBM, four-chamber first stage, heavy payload.",
    source=_cite(
        _JMOD.format("18 Nov 2022"), _CSIS.format("Hwasong-17"), _IISS, _38N.format("2022"), _REGAN
    ),
)

# --------------------------------------------------------------------------------------------
# Hwasong-18 class: three-stage solid ICBM. Lofted test 12 July 2023 (apogee ~6,000 km,
# ~1,000 km, 74 min); 140 tf solid motor ground test reported by KCNA, Dec 2022.
# --------------------------------------------------------------------------------------------
HWASONG_18 = MissileClass(
    name="hwasong-18-class",
    vehicle=Vehicle(
        name="hwasong-18-class",
        stages=(
            Stage(
                propellant_mass_kg=32000.0,  # our estimate for a ~55 t missile (CSIS; IISS)
                dry_mass_kg=3500.0,  # steel-case motor (our estimate)
                burn_time_s=60.0,  # ~140 tf vacuum at 533 kg/s (KCNA Dec 2022 motor test)
                isp_vac_s=265.0,  # composite propellant; Isp_sl ~240 s (our estimate)
                exit_area_m2=1.29,  # from the Isp gap: 533 kg/s * g0 * 25 s / p0
                diameter_m=2.00,  # ~1.8-2.1 m (CSIS; IISS)
            ),
            Stage(
                propellant_mass_kg=12000.0,  # our estimate
                dry_mass_kg=1500.0,  # our estimate
                burn_time_s=65.0,  # our estimate
                isp_vac_s=275.0,  # composite propellant, high-expansion nozzle (our estimate)
                exit_area_m2=0.0,  # ignites above ~60 km
                diameter_m=2.00,  # our estimate
            ),
            Stage(
                propellant_mass_kg=4000.0,  # our estimate
                dry_mass_kg=600.0,  # our estimate
                burn_time_s=60.0,  # our estimate
                isp_vac_s=280.0,  # our estimate
                exit_area_m2=0.0,  # ignites near vacuum
                diameter_m=1.60,  # our estimate
            ),
        ),
        rv=ReentryVehicle(
            mass_kg=850.0,  # calibrated (tools/calibrate_missiles.py); source: our estimate
            ballistic_coefficient_kg_m2=10771.0,  # scaled with the calibrated mass; was: 600 kg / (Cd 0.10 * 0.79 m^2), our estimate
        ),
    ),
    nominal_range_km=15000.0,  # ~15,000 km (CSIS; Japan MOD, 12 July 2023)
    nominal_range_bracket_km=(12000.0, 15000.0),
    propellant="solid",
    launch_area="pyongyang",
    description="Three-stage solid-propellant road-mobile ICBM.",
    source=_cite(
        _JMOD.format("13 April and 12 July 2023"),
        _CSIS.format("Hwasong-18"),
        _IISS,
        "KCNA report of a 140 tf solid motor ground test (16 Dec 2022)",
        _REGAN,
    ),
)

#: The catalog, keyed by lower-case class name.
MISSILES: dict[str, MissileClass] = {
    m.name: m
    for m in (
        SCUD_B,
        SCUD_ER,
        NODONG,
        HWASONG_12,
        HWASONG_14,
        HWASONG_15,
        HWASONG_17,
        HWASONG_18,
        TOPOL_M,
        BULAVA,
    )
}


def missile_names() -> list[str]:
    """The catalog's missile class names in catalog order (North Korean by range, then Russian)."""
    return list(MISSILES)


def get_missile(name: str) -> MissileClass:
    """A missile class by name (any case; spaces or underscores for hyphens).

    Raises :class:`~bmdsim.errors.UnknownName` with a did-you-mean for an unknown name.
    """
    return lookup("missile", name, MISSILES)
