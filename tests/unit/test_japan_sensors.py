"""Japan's own early-warning radars (fps5-class, fps3-upgrade-class), their sites and JADGE.

Calibration figures (see the docstring of ``bmdsim.sensors.catalog``): J/FPS-5 'more than
1,000 km' for a boosting missile (NHK, 7 Dec 2012) and 'several thousand km' (imidas, 2009),
put on the 0.1 m^2 reference target as 1,000 km; J/FPS-3 Kai at half that, the FPS-5 having
'a detection range nearly twice that of the FPS-3' (Sankei Shimbun, 13 Aug 2005).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmdsim.earth.geodetic import geodetic_to_ecef
from bmdsim.earth.places import PLACES, get_place
from bmdsim.scenario.loader import load_scenario
from bmdsim.sensors.catalog import (
    CALIBRATION_RANGE_KM,
    JADGE_LINK_LATENCY_S,
    NATIONAL_RADARS,
    REFERENCE_RCS_M2,
    SENSORS,
    get_sensor,
)
from bmdsim.sensors.radar import Radar, required_snr_swerling1

FPS5_SITES = ("shimokoshiki", "sado", "ominato", "yozadake")


def _radar(name: str) -> Radar:
    r = get_sensor(name)
    assert isinstance(r, Radar)
    return r


# ---- catalog entries --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NATIONAL_RADARS)
def test_national_radars_are_own_sensors_on_jadge_with_sources(name: str) -> None:
    r = _radar(name)
    assert name in SENSORS and r.name == name
    assert r.owner == "own"
    assert r.link_latency_s == JADGE_LINK_LATENCY_S
    assert "JADGE" in r.source and "notional" in r.source
    assert f"{REFERENCE_RCS_M2} m^2" in r.source
    assert r.describe()["detection_range_km"] == pytest.approx(CALIBRATION_RANGE_KM[name])


def test_jadge_latency_is_a_few_seconds_below_the_allied_links() -> None:
    allied = [
        float(getattr(s, "link_latency_s", math.nan))
        for s in SENSORS.values()
        if getattr(s, "owner", "") == "allied"
    ]
    assert 0.0 < JADGE_LINK_LATENCY_S < min(allied)


def test_fps5_sources_cite_the_published_figures() -> None:
    src = _radar("fps5-class").source
    for cite in ("NHK (7 Dec 2012)", "1,000 km", "imidas", "several thousand km", "18 m"):
        assert cite in src
    src3 = _radar("fps3-upgrade-class").source
    assert "Sankei Shimbun, 13 Aug 2005" in src3 and "nearly twice" in src3


def test_detection_ranges_as_documented() -> None:
    fps5, fps3 = _radar("fps5-class"), _radar("fps3-upgrade-class")
    r5 = fps5.detection_range_m(REFERENCE_RCS_M2) / 1e3
    r3 = fps3.detection_range_m(REFERENCE_RCS_M2) / 1e3
    assert r5 == pytest.approx(1000.0, rel=1e-9)
    assert r3 == pytest.approx(500.0, rel=1e-9)
    assert r5 / r3 == pytest.approx(2.0)  # FPS-5 'nearly twice' FPS-3 (Sankei 2005)
    # the published figures are for larger bodies: 1 m^2 -> ~1,780 km, 10 m^2 -> ~3,160 km
    assert fps5.detection_range_m(1.0) / 1e3 == pytest.approx(1778.3, abs=0.5)
    assert fps5.detection_range_m(10.0) / 1e3 == pytest.approx(3162.3, abs=0.5)
    # the reference target is not seen beyond the instrumented range of either radar
    assert r5 * 1e3 < fps5.max_range_m and r3 * 1e3 <= fps3.max_range_m


def test_fps5_is_its_18_m_main_face_and_fps3_rotates() -> None:
    fps5, fps3 = _radar("fps5-class"), _radar("fps3-upgrade-class")
    assert len(fps5.faces) == 1 and fps5.faces[0].scan_limit_deg == 60.0
    assert fps5.aperture_m2 == pytest.approx(math.pi * 9.0**2)
    assert fps3.faces == ()  # 360 deg: a rotating antenna
    assert fps3.track_revisit_s == fps3.search_revisit_s  # one look per turn


# ---- the R^4 law (property) -------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(NATIONAL_RADARS),
    rcs_m2=st.floats(1e-3, 100.0),
    pd=st.floats(0.5, 0.99),
)
def test_detection_range_follows_the_r4_law(name: str, rcs_m2: float, pd: float) -> None:
    r = _radar(name)
    cal_m = CALIBRATION_RANGE_KM[name] * 1e3
    # at the design Pd the range scales as the fourth root of the RCS
    assert r.detection_range_m(rcs_m2) == pytest.approx(cal_m * (rcs_m2 / 0.1) ** 0.25, rel=1e-9)
    # at any Pd: the SNR needed for that Pd is reached exactly at the returned range
    rng_m = r.detection_range_m(rcs_m2, pd=pd)
    need = required_snr_swerling1(pd, r.pfa)
    assert float(r.snr(rng_m, rcs_m2)) == pytest.approx(need, rel=1e-9)
    # halving the range gives 16x the SNR
    assert float(r.snr(rng_m / 2, rcs_m2)) == pytest.approx(16.0 * need, rel=1e-9)
    # an uncued (search) look loses search_loss_db: range x 10^(-loss/40)
    uncued = r.detection_range_m(rcs_m2, cued=False) / r.detection_range_m(rcs_m2)
    assert uncued == pytest.approx(10 ** (-r.search_loss_db / 40.0), rel=1e-9)


# ---- sites ------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", FPS5_SITES)
def test_fps5_sites_are_catalog_places(site: str) -> None:
    p = get_place(site)
    assert p is PLACES[site]
    assert p.country == "Japan" and p.kind == "defended"
    assert "J/FPS-5" in p.source
    assert 24.0 < p.lat_deg < 46.0 and 122.0 < p.lon_deg < 146.0
    assert 100.0 < p.height_m < 1100.0  # on summits


def test_fps5_site_coordinates() -> None:
    # summits as given by Wikipedia (ja): Mt. Kamafuse 41.2786 N 141.1200 E; Mt. Yoza
    # 26.1264 N 127.7058 E (rounded to 0.01 deg in the catalog)
    assert (PLACES["ominato"].lat_deg, PLACES["ominato"].lon_deg) == pytest.approx(
        (41.2786, 141.12), abs=0.01
    )
    assert (PLACES["yozadake"].lat_deg, PLACES["yozadake"].lon_deg) == pytest.approx(
        (26.1264, 127.7058), abs=0.01
    )
    assert PLACES["sado"].height_m == 1042.0  # Mt. Myoken (JASDF Sado sub-base)


def test_fps5_at_sado_tracks_a_missile_over_the_korean_east_coast() -> None:
    """Wonsan is ~950 km from Sado. A 0.1 m^2 target 150 km above it is above the radar's
    horizon and inside the 1,000 km detection range; 20 km up it is below the horizon, and
    300 km up (slant range ~1,020 km) only a larger body is detected."""
    sado, wonsan = get_place("sado"), get_place("wonsan")
    fps5 = _radar("fps5-class").at(sado.lat_deg, sado.lon_deg, sado.height_m, boresight_az_deg=281)
    alts = np.array([150e3, 20e3, 300e3])
    lat, lon = np.radians(wonsan.lat_deg), np.radians(wonsan.lon_deg)
    pts = geodetic_to_ecef(np.full(3, lat), np.full(3, lon), alts)
    hit, g = fps5.detect(pts, REFERENCE_RCS_M2)
    assert hit.tolist() == [True, False, False]
    assert 950e3 < g["range_m"][0] < 1000e3 < g["range_m"][2]
    assert fps5.detect(pts, 1.0)[0].tolist() == [True, False, True]


# ---- scenarios --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aegis-ashore-japan", "aegis-ashore-japan-own-sensors"])
def test_builtin_scenarios_include_the_fps5_radars(name: str) -> None:
    setup = load_scenario(name)
    fps5 = [s for s in setup.sensors if s.sensor == "fps5-class"]
    assert len(fps5) == 4
    for s in fps5:
        assert s.owner == "own"
        assert s.link_latency_s == JADGE_LINK_LATENCY_S
    got = {(round(s.lat_deg, 2), round(s.lon_deg, 2)) for s in fps5}
    want = {(round(PLACES[n].lat_deg, 2), round(PLACES[n].lon_deg, 2)) for n in FPS5_SITES}
    assert got == want
    assert not any(s.sensor == "fps3-upgrade-class" for s in setup.sensors)  # no cited sites


def test_own_sensors_scenario_keeps_japans_radars() -> None:
    full = load_scenario("aegis-ashore-japan")
    own = load_scenario("aegis-ashore-japan-own-sensors")
    national = [s for s in full.sensors if s.sensor in NATIONAL_RADARS]
    assert national and all(s in own.sensors for s in national)
    assert all(s.owner == "own" for s in own.sensors)
