"""WGS84 geodesy against the public cases.

Sources: NGA TR8350.2 (WGS84 constants) for the surface speeds, omega * N(lat) * cos(lat),
tolerance 0.05 %; WGS84 geodesics (GeographicLib as oracle) between approximate site
coordinates, tolerance 5 km (public-cases.yaml: geodesy, closed_form.earth_rotation).
"""

from __future__ import annotations

import pytest

from bmdsim.analysis.public_cases import DISTANCES_KM, SITES_UNDER_PATHS, SURFACE_SPEEDS_M_S
from bmdsim.earth.geodesics import distance_m
from bmdsim.earth.places import get_place
from bmdsim.earth.wgs84 import surface_speed_m_s

SURFACE_SPEEDS = SURFACE_SPEEDS_M_S


@pytest.mark.parametrize("lat_deg", sorted(SURFACE_SPEEDS))
def test_surface_speed(lat_deg):
    assert surface_speed_m_s(lat_deg) == pytest.approx(SURFACE_SPEEDS[lat_deg], rel=5e-4)


@pytest.mark.parametrize("a,b,km", DISTANCES_KM, ids=[f"{a}-{b}" for a, b, _ in DISTANCES_KM])
def test_geodesic_distances(a, b, km):
    pa, pb = get_place(a), get_place(b)
    d = distance_m(pa.lat_deg, pa.lon_deg, pb.lat_deg, pb.lon_deg) / 1e3
    assert d == pytest.approx(km, abs=5.0)


@pytest.mark.parametrize("launch,target,site,km", SITES_UNDER_PATHS)
def test_sites_under_paths(launch, target, site, km):
    """Closest approach of WGS84 geodesics to the sites (calc; public-cases.yaml
    analyses.sites_under_paths), tolerance 20 km: the Araya site lies almost under the
    great circle from North Korea to Hawaii."""
    from bmdsim.earth.geodesics import closest_approach_m

    a, b, s = get_place(launch), get_place(target), get_place(site)
    d = closest_approach_m(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s.lat_deg, s.lon_deg)
    assert d / 1e3 == pytest.approx(km, abs=20.0)
