"""The offline Natural Earth country layer (bmdsim.earth.countries)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from numpy.typing import NDArray

from bmdsim.earth.countries import (
    DATA_FILE,
    Country,
    countries_overlapping,
    country_at,
    is_land,
    load_countries,
)
from bmdsim.errors import InputError

EARTH_RADIUS_KM = 6371.0
ARAYA = (39.70, 140.06)  # Araya, Akita, Japan


def circle(
    lat0: float, lon0: float, radius_km: float, n: int = 360
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vertices of a great-circle-radius circle; longitudes in (-180, 180]."""
    d = radius_km / EARTH_RADIUS_KM
    phi0 = np.radians(lat0)
    az = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    phi = np.arcsin(np.sin(phi0) * np.cos(d) + np.cos(phi0) * np.sin(d) * np.cos(az))
    dlam = np.arctan2(np.sin(az) * np.sin(d) * np.cos(phi0), np.cos(d) - np.sin(phi0) * np.sin(phi))
    lon = (lon0 + np.degrees(dlam) + 180.0) % 360.0 - 180.0
    return np.degrees(phi), lon


# -- the data ------------------------------------------------------------------------------


def test_data_file_is_packaged_and_small() -> None:
    data = resources.files("bmdsim.data").joinpath(DATA_FILE)
    assert data.is_file()
    assert len(data.read_bytes()) < 1_500_000


def test_load_countries_is_cached_and_sorted() -> None:
    countries = load_countries()
    assert countries is load_countries()
    assert len(countries) > 200
    names = [c.name for c in countries]
    assert names == sorted(names)
    assert len(set(names)) == len(names)


def test_country_names_and_codes() -> None:
    by_name = {c.name: c for c in load_countries()}
    expected = {
        "Japan": "JPN",
        "Russia": "RUS",
        "North Korea": "PRK",
        "South Korea": "KOR",
        "China": "CHN",
        "United States of America": "USA",
    }
    for name, iso in expected.items():
        assert by_name[name].iso_a3 == iso
    assert by_name["Kosovo"].iso_a3 is None  # no ISO 3166 code in Natural Earth


def test_rings_are_closed_and_within_the_antimeridian() -> None:
    for country in load_countries():
        assert isinstance(country, Country)
        assert country.polygons
        for ring in country.rings:
            assert ring.shape[1] == 2 and len(ring) >= 4
            assert np.array_equal(ring[0], ring[-1])
            assert np.all(np.abs(ring[:, 0]) <= 180.0)
            assert np.all(np.abs(ring[:, 1]) <= 90.0)
            # No edge jumps across the antimeridian; only Antarctica's closure along the
            # south pole spans the whole width.
            jumps = np.abs(np.diff(ring[:, 0])) > 180.0
            assert np.all(np.abs(ring[:-1, 1][jumps]) == 90.0)
            assert not ring.flags.writeable


def test_country_is_hashable_by_name() -> None:
    japan = next(c for c in load_countries() if c.name == "Japan")
    assert japan == Country("Japan", "JPN", "392")
    assert japan in {japan}


# -- points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [
        (35.68, 139.77, "Japan"),  # Tokyo
        (39.02, 125.75, "North Korea"),  # Pyongyang
        (37.57, 126.98, "South Korea"),  # Seoul
        (39.90, 116.40, "China"),  # Beijing
        (43.12, 131.90, "Russia"),  # Vladivostok
        (38.90, -77.04, "United States of America"),  # Washington
        (ARAYA[0], ARAYA[1], "Japan"),
        (38.00, 138.40, "Japan"),  # Sado
        (34.40, 129.30, "Japan"),  # Tsushima
        (26.50, 127.90, "Japan"),  # Okinawa
        (24.40, 124.20, "Japan"),  # Ishigaki
        (33.38, 126.55, "South Korea"),  # Jeju
        (66.50, 180.00, "Russia"),  # Chukotka, on the antimeridian
        (66.50, -180.00, "Russia"),
        (66.50, 540.00, "Russia"),  # longitudes wrap
        (52.90, 173.20, "United States of America"),  # Attu, west of the antimeridian
        (-89.99, 0.0, "Antarctica"),
        (40.0, 135.0, None),  # Sea of Japan
        (0.0, 0.0, None),  # Gulf of Guinea
    ],
)
def test_country_at(lat: float, lon: float, name: str | None) -> None:
    assert country_at(lat, lon) == name


def test_country_at_vectorised() -> None:
    names = country_at(np.array([35.68, 39.02, 40.0]), np.array([139.77, 125.75, 135.0]))
    assert names == ["Japan", "North Korea", None]


def test_is_land() -> None:
    assert is_land(35.68, 139.77) is True
    assert is_land(40.0, 135.0) is False
    mask = is_land(
        np.array([[35.68, 40.0], [39.02, 0.0]]), np.array([[139.77, 135.0], [125.75, 0.0]])
    )
    assert mask.shape == (2, 2) and mask.dtype == np.bool_
    assert mask.tolist() == [[True, False], [True, False]]


def test_land_fraction_of_the_globe() -> None:
    rng = np.random.default_rng(1)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, 20_000)))  # uniform on the sphere
    lon = rng.uniform(-180.0, 180.0, 20_000)
    assert 0.27 < is_land(lat, lon).mean() < 0.32  # land is ~29 % of the surface


def test_bad_points_are_rejected() -> None:
    with pytest.raises(InputError):
        country_at(91.0, 0.0)
    with pytest.raises(InputError):
        is_land(np.nan, 0.0)


# -- regions -------------------------------------------------------------------------------


def test_araya_coverage_reaches_the_neighbours() -> None:
    names = countries_overlapping(*circle(*ARAYA, 1000.0))
    assert {"Japan", "Russia", "North Korea"} <= set(names)
    assert names == sorted(names)
    wider = countries_overlapping(*circle(*ARAYA, 1300.0))
    assert {"China", "Japan", "North Korea", "Russia", "South Korea"} <= set(wider)


def test_open_pacific_overlaps_nothing() -> None:
    assert countries_overlapping(*circle(30.0, -150.0, 200.0)) == []
    assert countries_overlapping([10.0, 10.0, 11.0, 11.0], [-140.0, -139.0, -139.0, -140.0]) == []


def test_region_inside_one_country() -> None:
    assert countries_overlapping(*circle(35.68, 139.77, 5.0)) == ["Japan"]


def test_small_island_wholly_inside_a_region() -> None:
    # A box around Sado island only (no edge of it touches the coast).
    lat = [37.7, 37.7, 38.4, 38.4]
    lon = [138.15, 138.65, 138.65, 138.15]
    assert countries_overlapping(lat, lon) == ["Japan"]


@pytest.mark.parametrize("shift", [0.0, 360.0, -360.0])
def test_antimeridian_region(shift: float) -> None:
    lat, lon = circle(65.0, 180.0, 800.0)
    assert np.any(lon > 170.0) and np.any(lon < -170.0)  # really crosses the antimeridian
    assert countries_overlapping(lat, lon + shift) == ["Russia", "United States of America"]


def test_antimeridian_region_in_0_360_longitudes() -> None:
    lat, lon = circle(65.0, 180.0, 800.0)
    assert countries_overlapping(lat, lon % 360.0) == ["Russia", "United States of America"]


def test_small_region_each_side_of_the_antimeridian() -> None:
    # Chukotka only: a box from 175 E to 175 W at 66-68 N is Russian land throughout.
    lat = [66.0, 66.0, 68.0, 68.0]
    lon = [175.0, -175.0, -175.0, 175.0]
    assert countries_overlapping(lat, lon) == ["Russia"]


def test_region_around_the_north_pole() -> None:
    lon = np.arange(0.0, 360.0, 2.0)
    assert countries_overlapping(np.full_like(lon, 85.0), lon) == []  # Arctic Ocean
    assert set(countries_overlapping(np.full_like(lon, 81.0), lon)) == {
        "Canada",
        "Greenland",
        "Russia",
    }


def test_region_around_the_south_pole() -> None:
    assert countries_overlapping(*circle(-85.0, 30.0, 1000.0)) == ["Antarctica"]


def test_bad_regions_are_rejected() -> None:
    with pytest.raises(InputError):
        countries_overlapping([0.0, 1.0], [0.0, 1.0])
    with pytest.raises(InputError):
        countries_overlapping([0.0, 1.0, 2.0], [0.0, 1.0])
    with pytest.raises(InputError):
        countries_overlapping([0.0, 95.0, 2.0], [0.0, 1.0, 2.0])
