"""The sensor catalog: notional radar and infrared classes calibrated to public figures.

Radars are not described by their (classified) parameters but by plausible open values for
band, aperture and noise, with one free parameter (the coherent dwell of a cued look)
calibrated so that the free-space detection range of a reference target matches a public
figure. The reference target is a Swerling 1 body of RCS ``REFERENCE_RCS_M2`` = 0.1 m^2
(an assumption: none of the public figures states an RCS; 0.1 m^2 is between the
0.01 m^2 of a cone-shaped warhead nose-on and the ~1 m^2 of a missile body, cf. G. Lewis &
T. Postol, 'The European missile defense folly', Bull. At. Sci. 64(2), 2008) detected with
Pd 0.9 at Pfa 1e-6 on one look.

Calibration figures (../shared/validation/public-cases.yaml):
- AN/TPY-2: terminal mode ~600 km, forward-based mode ~2,000 km (U.S.-China Economic and
  Security Review Commission, 2016 Annual Report to Congress).
- LMSSR / AN/SPY-7: detection range 'well over 1,000 km, more than twice SPY-1' (Japan
  Ministry of Defense via Yomiuri / Sankei, July 2018): we use 1,150 km, 2.56x SPY-1D.
- AN/SPY-1D: 450 km for the reference target (our assumption, chosen below half of SPY-7).
- AN/SPY-6: ~30x the sensitivity of SPY-1 (CSIS Missile Threat, 2020) -> 30^(1/4) = 2.34x
  the SPY-1D range by the R^4 law.

Japan's own radars (figures not in that file):
- J/FPS-5 (ASDF early-warning radar, four sites): it "can catch a missile launched
  more than 1,000 km away from early in its ascent" (NHK, 7 Dec 2012); "detection range of
  several thousand km" (imidas, Shueisha, 2009). Both describe boosting missiles or large
  bodies, not a 0.1 m^2 warhead, so we put the *lower* figure on the reference target:
  1,000 km for 0.1 m^2, which by the R^4 law is ~1,780 km for a 1 m^2 missile body and
  ~3,160 km for a 10 m^2 booster, the span of the published figures.
- J/FPS-3 Kai (the upgraded, BMD-capable J/FPS-3): the FPS-5 (then FPS-XX) was to have "a
  detection range nearly twice that of the FPS-3" (Sankei Shimbun, 13 Aug 2005); we keep
  the upgraded radar at half the FPS-5 range, 500 km, conservatively ignoring the upgrade.

Japan's national radars report through JADGE, the Japan Aerospace Defense Ground Environment,
which links the sensors with the Aegis and PAC-3 units (Japan Ministry of Defense, Defense of
Japan 2008 and 2011, ch. 'Japan's BMD'). ``JADGE_LINK_LATENCY_S`` is the delay of such a
report on its way to the Aegis Ashore C2 node.
"""

from __future__ import annotations

import math
from dataclasses import replace

from bmdsim.errors import lookup
from bmdsim.sensors.base import Sensor
from bmdsim.sensors.infrared import InfraredConstellation
from bmdsim.sensors.radar import BOLTZMANN_J_K, Face, Radar, required_snr_swerling1

__all__ = [
    "CALIBRATION_RANGE_KM",
    "JADGE_LINK_LATENCY_S",
    "NATIONAL_RADARS",
    "REFERENCE_RCS_M2",
    "SENSORS",
    "get_sensor",
    "sensor_names",
]

REFERENCE_RCS_M2 = 0.1

#: The free-space detection range [km] each radar class is calibrated to (reference target).
CALIBRATION_RANGE_KM: dict[str, float] = {
    "tpy2-class": 2000.0,  # forward-based mode (USCC 2016)
    "tpy2-terminal-class": 600.0,  # terminal mode (USCC 2016)
    "spy7-class": 1150.0,  # "well over 1,000 km, more than twice SPY-1" (Japan MoD 2018)
    "spy1d-class": 450.0,  # assumption consistent with the SPY-7 statement
    "spy6-class": 450.0 * 30.0**0.25,  # 30x SPY-1 sensitivity (CSIS 2020) -> 2.34x range
    "fps5-class": 1000.0,  # "more than 1,000 km" for a boosting missile (NHK 2012)
    "fps3-upgrade-class": 500.0,  # FPS-5 range "nearly twice" FPS-3 (Sankei 2005)
}

#: Japan's national early-warning radars (owner 'own', reporting through JADGE).
NATIONAL_RADARS: tuple[str, ...] = ("fps5-class", "fps3-upgrade-class")

#: Delay [s] of a national radar's report through JADGE to the Aegis Ashore C2 node.
#: Notional: no public figure exists. JADGE is one national network (no gateway between
#: allies), so we take less than the 5 s assumed for allied links, but not zero: a remote
#: radar's track is correlated at an air-defence direction centre before it reaches the node.
JADGE_LINK_LATENCY_S = 3.0

_SRC_TPY2 = (
    "AN/TPY-2 class (notional). X-band (lambda 3 cm), 9.2 m^2 array of 25,344 T/R modules "
    "(Missile Defense Advocacy Alliance, 'AN/TPY-2'); average power 80 kW, 500 K, 10 dB "
    "losses assumed; dwell calibrated to {mode} {km:.0f} km for a {rcs} m^2 Swerling 1 "
    "target, Pd 0.9, Pfa 1e-6 (USCC 2016 Annual Report: terminal ~600 km, forward-based "
    "~2,000 km). One face, +-60 deg scan."
)
_SRC_SPY = (
    "{what} (notional). S-band (lambda 10 cm), four faces of {area} m^2 with +-60 deg scan; "
    "average power {pw:.0f} kW, 500 K, 8 dB losses assumed; dwell calibrated to {km:.0f} km "
    "for a {rcs} m^2 Swerling 1 target, Pd 0.9, Pfa 1e-6. {why}"
)


_SRC_FPS5 = (
    "J/FPS-5 class (notional; ASDF 'Gamera' radar at Shimokoshiki, Sado, Ominato and "
    "Yozadake). Fixed active phased arrays on the faces of a ~30 m high triangular-prism "
    "building: one ~18 m diameter face mainly for ballistic missiles and two ~12 m faces "
    "mainly for aircraft; the whole building turns on a circular rail to follow the target "
    "(Minami-Nippon Shimbun, early 2009, the Shimokoshiki radar nearing completion; Asahi "
    "Shimbun, 13 Feb 2008 and 28 Mar 2012). Modelled as the 18 m face alone ({area:.0f} m^2, "
    "+-60 deg scan) turned toward the threat area; the small faces are left out "
    "(conservative). L band (lambda 0.23 m) assumed: open descriptions place the radar in L "
    "or S band, and only the beam width and measurement noise depend on it. Average power "
    "{pw:.0f} kW, 500 K, 10 dB losses assumed; dwell calibrated to {km:.0f} km for a {rcs} m^2 "
    "Swerling 1 target, Pd 0.9, Pfa 1e-6: NHK (7 Dec 2012) 'catches a missile launched more "
    "than 1,000 km away early in its ascent', imidas (Shueisha, 2009) 'a detection range of "
    "several thousand km'; both are for boosting missiles or large bodies, so the lower "
    "figure is put on the reference target (R^4 law: ~1,780 km for 1 m^2). Own sensor "
    "reporting through JADGE ({lat:.0f} s, notional)."
)
_SRC_FPS3 = (
    "J/FPS-3 Kai class (notional): the ASDF J/FPS-3 fixed-site 3-D air-surveillance radar "
    "(Mitsubishi Electric active phased array with long- and short-range antennas; Asian "
    "Defence Directory, Oct 2022), upgraded for ballistic-missile tracking at seven sites "
    "(Minami-Nippon Shimbun, 1 Sep 2005; Asahi Shimbun, 13 Feb 2008). Rotating antenna: "
    "360 deg, one look per 10 s turn in search and in track (assumed). L band (lambda "
    "0.23 m), {area:.0f} m^2, average power {pw:.0f} kW, 500 K, 10 dB losses assumed; dwell "
    "calibrated to {km:.0f} km for a {rcs} m^2 Swerling 1 target, Pd 0.9, Pfa 1e-6: half the "
    "fps5-class range, since the FPS-5 was to have 'a detection range nearly twice that of "
    "the FPS-3' (Sankei Shimbun, 13 Aug 2005); the gain of the upgrade is not counted "
    "(conservative). Own sensor reporting through JADGE ({lat:.0f} s, notional)."
)


def _calibrated(radar: Radar, range_km: float) -> Radar:
    """Solve the radar equation for the dwell that gives ``range_km`` on the reference."""
    need = required_snr_swerling1(radar.pd_design, radar.pfa)
    den = (
        4
        * math.pi
        * radar.wavelength_m**2
        * BOLTZMANN_J_K
        * radar.noise_temp_k
        * 10 ** (radar.losses_db / 10)
    )
    dwell = (
        need
        * den
        * (range_km * 1e3) ** 4
        / (radar.avg_power_w * radar.aperture_m2**2 * REFERENCE_RCS_M2)
    )
    return replace(radar, dwell_s=dwell, reference_rcs_m2=REFERENCE_RCS_M2)


def _four_faces(tilt: float = 20.0) -> tuple[Face, ...]:
    return tuple(Face(a, tilt, 60.0) for a in (45.0, 135.0, 225.0, 315.0))


def _tpy2(name: str, mode: str) -> Radar:
    km = CALIBRATION_RANGE_KM[name]
    base = Radar(
        name=name,
        avg_power_w=80e3,
        aperture_m2=9.2,
        wavelength_m=0.03,
        noise_temp_k=500.0,
        losses_db=10.0,
        dwell_s=1.0,
        faces=(Face(270.0, 10.0, 60.0),),
        min_elevation_deg=0.0,
        max_range_m=3000e3 if mode == "forward-based" else 1000e3,
        range_resolution_m=2.0,
        min_sigma_range_m=1.0,
        search_revisit_s=10.0,
        track_revisit_s=2.0,
        owner="allied",
        link_latency_s=5.0,
        source=_SRC_TPY2.format(mode=mode, km=km, rcs=REFERENCE_RCS_M2),
    )
    return _calibrated(base, km)


def _spy(name: str, what: str, area: float, pw_kw: float, why: str) -> Radar:
    km = CALIBRATION_RANGE_KM[name]
    base = Radar(
        name=name,
        avg_power_w=pw_kw * 1e3,
        aperture_m2=area,
        wavelength_m=0.10,
        noise_temp_k=500.0,
        losses_db=8.0,
        dwell_s=1.0,
        faces=_four_faces(),
        max_range_m=2500e3,
        range_resolution_m=15.0,
        search_revisit_s=10.0,
        track_revisit_s=2.0,
        owner="own",
        link_latency_s=0.0,
        source=_SRC_SPY.format(
            what=what, area=area, pw=pw_kw, km=km, rcs=REFERENCE_RCS_M2, why=why
        ),
    )
    return _calibrated(base, km)


def _fps5() -> Radar:
    """The J/FPS-5 main face (18 m diameter), turned toward the threat area when placed."""
    name, pw_kw = "fps5-class", 50.0
    km, area = CALIBRATION_RANGE_KM[name], math.pi * 9.0**2
    base = Radar(
        name=name,
        avg_power_w=pw_kw * 1e3,
        aperture_m2=area,
        wavelength_m=0.23,
        noise_temp_k=500.0,
        losses_db=10.0,
        dwell_s=1.0,
        # one face: boresight turned toward the threat area when placed, tilted 10 deg up,
        # +-60 deg electronic scan; instrumented to 3,000 km ('several thousand km')
        faces=(Face(0.0, 10.0, 60.0),),
        max_range_m=3000e3,
        range_resolution_m=30.0,  # ~5 MHz bandwidth at L band (assumed)
        search_revisit_s=10.0,
        track_revisit_s=2.0,
        owner="own",
        link_latency_s=JADGE_LINK_LATENCY_S,
        source=_SRC_FPS5.format(
            area=area, pw=pw_kw, km=km, rcs=REFERENCE_RCS_M2, lat=JADGE_LINK_LATENCY_S
        ),
    )
    return _calibrated(base, km)


def _fps3_upgrade() -> Radar:
    """The upgraded J/FPS-3: a rotating array, so one look per turn in search and track."""
    name, pw_kw, area = "fps3-upgrade-class", 20.0, 40.0
    km = CALIBRATION_RANGE_KM[name]
    base = Radar(
        name=name,
        avg_power_w=pw_kw * 1e3,
        aperture_m2=area,
        wavelength_m=0.23,
        noise_temp_k=500.0,
        losses_db=10.0,
        dwell_s=1.0,
        faces=(),  # rotating antenna: all azimuths
        max_range_m=1000e3,
        range_resolution_m=30.0,  # ~5 MHz bandwidth at L band (assumed)
        search_revisit_s=10.0,
        track_revisit_s=10.0,
        owner="own",
        link_latency_s=JADGE_LINK_LATENCY_S,
        source=_SRC_FPS3.format(
            area=area, pw=pw_kw, km=km, rcs=REFERENCE_RCS_M2, lat=JADGE_LINK_LATENCY_S
        ),
    )
    return _calibrated(base, km)


SENSORS: dict[str, Sensor] = {
    "tpy2-class": _tpy2("tpy2-class", "forward-based"),
    "tpy2-terminal-class": _tpy2("tpy2-terminal-class", "terminal"),
    "spy7-class": _spy(
        "spy7-class",
        "LMSSR / AN/SPY-7 class (Aegis Ashore Japan)",
        12.0,
        60.0,
        "Japan MoD via Yomiuri/Sankei, Jul 2018: 'well over 1,000 km, more than twice SPY-1'.",
    ),
    "spy1d-class": _spy(
        "spy1d-class",
        "AN/SPY-1D class",
        12.0,
        58.0,
        "Range for the reference target is our assumption, kept below half of SPY-7 "
        "(Japan MoD 2018); 58 kW average power after open descriptions (Wikipedia "
        "'AN/SPY-1').",
    ),
}
# SPY-6: same band and losses as SPY-1D with 30x its sensitivity (CSIS Missile Threat 2020)
_spy1 = SENSORS["spy1d-class"]
assert isinstance(_spy1, Radar)
SENSORS["spy6-class"] = replace(
    _spy1,
    name="spy6-class",
    avg_power_w=_spy1.avg_power_w * 30.0,
    source=(
        "AN/SPY-6 class (notional): SPY-1D class with 30x the sensitivity (CSIS Missile "
        "Threat, 'AN/SPY-6', 2020; carried as 30x power-aperture-dwell) -> detection range "
        "30^(1/4) = 2.34x that of spy1d-class by the R^4 law."
    ),
)
SENSORS["fps5-class"] = _fps5()
SENSORS["fps3-upgrade-class"] = _fps3_upgrade()
SENSORS["sbirs-class"] = InfraredConstellation(
    name="sbirs-class",
    cloud_top_m=10_000.0,
    revisit_s=10.0,
    latency_s=20.0,
    owner="allied",
    link_latency_s=5.0,
    source=(
        "SBIRS / DSP class IR early warning (notional). Revisit 10 s: the DSP satellite spins "
        "at 6 rpm (J. Richelson, America's Space Sentinels, Univ. Press of Kansas, 1999); "
        "detection once the plume is above a 10 km cloud deck (assumed); 20 s processing "
        "and 5 s link latency assumed; continuous theatre coverage from GEO + HEO (USAF "
        "SBIRS fact sheet, 2017). No detection after burnout."
    ),
)


def sensor_names() -> list[str]:
    return list(SENSORS)


def get_sensor(name: str) -> Sensor:
    """A catalog sensor by name (any case; underscores or spaces for hyphens)."""
    return lookup("sensor", name, SENSORS, short_ok=True)
