"""The built-in missile and place catalogs: completeness, citations, physics consistency."""

from __future__ import annotations

import math

import pytest

from bmdsim.earth.places import (
    PLACE_KINDS,
    PLACES,
    Place,
    get_place,
    japanese_prefectural_capitals,
    place_names,
)
from bmdsim.errors import BmdsimError, InputError, UnknownName
from bmdsim.threats.catalog import MISSILES, MissileClass, get_missile, missile_names

MU_M3_S2 = 3.986e14
RE_M = 6371e3


def min_energy_burnout_speed_m_s(range_km: float) -> float:
    """Minimum-energy burnout speed for a ground range on a spherical Earth (burnout at R_e)."""
    s = math.sin(range_km * 1e3 / RE_M / 2.0)
    return math.sqrt(MU_M3_S2 / RE_M * 2.0 * s / (1.0 + s))


# ---- missiles -------------------------------------------------------------------------------

REQUIRED_MISSILES = {
    "scud-b-class": 1,
    "scud-er-class": 1,
    "nodong-class": 1,
    "hwasong-12-class": 1,
    "hwasong-14-class": 2,
    "hwasong-15-class": 2,
    "hwasong-17-class": 2,
    "hwasong-18-class": 3,
    "topol-m-class": 3,
    "bulava-class": 3,
}


@pytest.mark.parametrize("name,n_stages", sorted(REQUIRED_MISSILES.items()))
def test_required_missiles_present_with_stage_count(name: str, n_stages: int) -> None:
    assert name in MISSILES
    assert len(MISSILES[name].vehicle.stages) == n_stages


@pytest.mark.parametrize("m", list(MISSILES.values()), ids=list(MISSILES))
def test_missile_entry_is_complete(m: MissileClass) -> None:
    assert m.source.strip()
    assert m.description.strip()
    assert m.name == m.name.lower() and m.name.endswith("-class")
    assert m.vehicle.name == m.name
    assert m.propellant in ("liquid", "solid")
    assert m.launch_area in PLACES
    lo, hi = m.nominal_range_bracket_km
    assert 0 < lo <= m.nominal_range_km <= hi
    assert m.vehicle.rv.mass_kg > 0
    assert m.vehicle.rv.ballistic_coefficient_kg_m2 > 0
    for s in m.vehicle.stages:
        assert s.propellant_mass_kg > 0
        assert s.dry_mass_kg > 0
        assert s.burn_time_s > 0
        assert 150.0 < s.isp_vac_s < 350.0
        assert s.exit_area_m2 >= 0.0
        assert s.diameter_m > 0
        # a nozzle exit cannot be wider than the body
        assert s.exit_area_m2 < math.pi / 4 * s.diameter_m**2


@pytest.mark.parametrize("m", list(MISSILES.values()), ids=list(MISSILES))
def test_ideal_delta_v_covers_min_energy_speed_plus_losses(m: MissileClass) -> None:
    needed = min_energy_burnout_speed_m_s(m.nominal_range_km)
    dv = m.vehicle.ideal_delta_v_m_s()
    loss = dv - needed
    # gravity + drag losses: positive, and below 2.5 km/s even for the low-thrust liquid
    # ICBM classes (T/W ~1.4 at lift-off: large gravity losses); the engine check below is
    # the calibration that counts
    assert 300.0 < loss < 2500.0, f"{m.name}: ideal {dv:.0f} m/s vs needed {needed:.0f} m/s"


@pytest.mark.parametrize("m", list(MISSILES.values()), ids=list(MISSILES))
def test_engine_flies_the_nominal_range(m: MissileClass) -> None:
    """Calibration (tools/calibrate_missiles.py): the full engine's maximum range on a
    non-rotating WGS84 Earth equals the class's nominal range within 1 %."""
    from bmdsim.threats.reach import max_range_km

    assert max_range_km(m) == pytest.approx(m.nominal_range_km, rel=0.01)


def test_min_energy_speed_reference_values() -> None:
    # circular-orbit speed at the surface is the limit for a half-way-round range
    assert min_energy_burnout_speed_m_s(math.pi * RE_M / 1e3) == pytest.approx(
        math.sqrt(MU_M3_S2 / RE_M)
    )
    assert min_energy_burnout_speed_m_s(300.0) == pytest.approx(1696.0, abs=2.0)


def test_missile_names() -> None:
    names = missile_names()
    assert names == list(MISSILES)
    assert set(REQUIRED_MISSILES) <= set(names)


@pytest.mark.parametrize("spec", ["NODONG-CLASS", "Nodong-Class", " nodong-class ", "nodong_class"])
def test_get_missile_case_insensitive(spec: str) -> None:
    assert get_missile(spec) is MISSILES["nodong-class"]


def test_get_missile_unknown_did_you_mean() -> None:
    with pytest.raises(UnknownName) as err:
        get_missile("nodong")
    assert "did you mean 'nodong-class'" in str(err.value)
    assert isinstance(err.value, BmdsimError)
    assert isinstance(err.value, KeyError)


def test_missile_bad_launch_area_rejected() -> None:
    m = MISSILES["scud-b-class"]
    with pytest.raises(InputError):
        MissileClass(m.name, m.vehicle, 300.0, (280.0, 330.0), "liquid", "atlantis", "x", "y")


# ---- places ---------------------------------------------------------------------------------

FIXED = {
    "sunan": (39.224, 125.670),
    "panghyon": (39.927, 125.207),
    "tongchang-ri": (39.660, 124.705),
    "musudan-ri": (40.850, 129.670),
    "araya": (39.70, 140.06),
    "mutsumi": (34.45, 131.62),
    "tokyo": (35.681, 139.767),
    "andersen-guam": (13.584, 144.930),
    "honolulu": (21.307, -157.858),
    "los-angeles": (34.052, -118.244),
    "washington": (38.895, -77.036),
    "cape-erimo": (41.93, 143.25),
}


@pytest.mark.parametrize("name,latlon", sorted(FIXED.items()))
def test_validation_coordinates_exact(name: str, latlon: tuple[float, float]) -> None:
    p = PLACES[name]
    assert (p.lat_deg, p.lon_deg) == latlon


@pytest.mark.parametrize("p", list(PLACES.values()), ids=list(PLACES))
def test_place_entry_is_valid(p: Place) -> None:
    assert p.source.strip()
    assert p.country.strip()
    assert -90.0 <= p.lat_deg <= 90.0
    assert -180.0 <= p.lon_deg <= 180.0
    assert p.kind in PLACE_KINDS
    assert p.name == p.name.lower() and " " not in p.name and "_" not in p.name
    assert get_place(p.name) is p


def test_required_places_present() -> None:
    required = {
        "sinpo", "wonsan", "kozelsk", "tatishchevo", "yoshkar-ola", "sea-of-okhotsk",
        "barents-sea", "shariki", "kyogamisaki", "deveselu", "redzikowo", "guam", "new-york",
        "chicago", "san-francisco", "seattle", "anchorage", "denver", "houston", "seoul",
        "beijing", "vladivostok", "moscow", "pyongyang", "oshima-peninsula", "oga-peninsula",
        "noto-peninsula",
    }  # fmt: skip
    assert required <= set(PLACES)
    assert PLACES["sea-of-okhotsk"].kind == "patrol"
    assert PLACES["barents-sea"].kind == "patrol"
    assert PLACES["araya"].kind == "defended"


def test_47_prefectural_capitals() -> None:
    caps = japanese_prefectural_capitals()
    assert len(caps) == 47
    assert len({p.name for p in caps}) == 47
    assert all(p.country == "Japan" and p.kind == "city" for p in caps)
    assert caps[0].name == "sapporo" and caps[-1].name == "naha"
    # all in Japan's bounding box
    assert all(24.0 < p.lat_deg < 46.0 and 122.0 < p.lon_deg < 146.0 for p in caps)


@pytest.mark.parametrize("spec", ["Tongchang-ri", "TONGCHANG RI", "tongchang_ri", " tongchang-ri "])
def test_get_place_name_forms(spec: str) -> None:
    assert get_place(spec) is PLACES["tongchang-ri"]


def test_get_place_unknown_did_you_mean() -> None:
    with pytest.raises(UnknownName) as err:
        get_place("tokio")
    assert "did you mean 'tokyo'" in str(err.value)


@pytest.mark.parametrize(
    "spec,lat,lon,h",
    [
        ("39.2,125.6", 39.2, 125.6, 0.0),
        (" -33.9 , 151.2 ", -33.9, 151.2, 0.0),
        ("90,180", 90.0, 180.0, 0.0),
        ("-90,-180", -90.0, -180.0, 0.0),
        ("21.3,202.142", 21.3, 202.142 - 360.0, 0.0),
        ("40,140,1500", 40.0, 140.0, 1500.0),
    ],
)
def test_get_place_coordinates(spec: str, lat: float, lon: float, h: float) -> None:
    p = get_place(spec)
    assert p.lat_deg == pytest.approx(lat)
    assert p.lon_deg == pytest.approx(lon)
    assert p.height_m == h
    assert p.kind == "point"


@pytest.mark.parametrize(
    "spec", ["", "   ", "91,0", "-90.5,10", "0,361", "0,-180.1", "a,b", "1,2,3,4", "nan,0", "1,"]
)
def test_get_place_bad_spec(spec: str) -> None:
    with pytest.raises(InputError) as err:
        get_place(spec)
    assert "\n" not in str(err.value)


def test_place_names_by_kind() -> None:
    assert set(place_names()) == set(PLACES)
    launch = place_names("launch")
    assert {"sunan", "panghyon", "tongchang-ri", "musudan-ri"} <= set(launch)
    assert set(place_names("patrol")) == {"sea-of-okhotsk", "barents-sea"}
    with pytest.raises(InputError):
        place_names("volcano")


def test_place_rejects_bad_latitude() -> None:
    with pytest.raises(InputError):
        Place("x", 95.0, 0.0)


def test_earth_package_imports_no_ui_libraries() -> None:
    import ast
    import pathlib

    import bmdsim.earth.places as mod

    tree = ast.parse(pathlib.Path(mod.__file__).read_text())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"yaml", "pydantic", "matplotlib", "typer", "rich"}
