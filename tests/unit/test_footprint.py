"""The defended footprint: regions and prefectures, land weighting, threat reach, chunks.

Coarse grids and few cells: the physics is exercised by tests/validation/test_japan_coverage.py.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from bmdsim.analysis import footprint as F
from bmdsim.analysis.regions import (
    ISLAND_OF_PREFECTURE,
    ISLANDS,
    PREFECTURES,
    Region,
    cell_weights,
    island_of,
    make_grid,
    parse_region,
    prefecture_of,
)
from bmdsim.earth.geodesics import destination, inverse
from bmdsim.earth.places import get_place, japanese_prefectural_capitals
from bmdsim.engagement.results import REASONS
from bmdsim.engagement.run import engage, prepare
from bmdsim.errors import InputError, UnknownName
from bmdsim.scenario.loader import load_scenario
from bmdsim.threats.catalog import get_missile
from bmdsim.threats.reach import range_toward


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("aegis-ashore-japan")


# --------------------------------------------------------------------------------------------
# Regions


def test_parse_region_forms():
    jp = parse_region("japan")
    assert (jp.lat0_deg, jp.lon0_deg, jp.lat1_deg, jp.lon1_deg) == (24.0, 122.0, 46.0, 146.0)
    assert jp.country == "Japan"
    assert parse_region(" JAPAN ").country == "Japan"
    kr = parse_region("south korea")
    assert kr.country == "South Korea" and kr.lat0_deg < 37.5 < kr.lat1_deg
    assert parse_region("KOR").country == "South Korea"  # ISO A3
    box = parse_region("30,130,35,135")
    assert box.country is None and (box.lat0_deg, box.lon1_deg) == (30.0, 135.0)
    wrap = parse_region("-20,170,-10,-170")  # across the antimeridian
    assert wrap.lon1_deg == pytest.approx(190.0)


@pytest.mark.parametrize(
    "spec", ["", "30,130,35", "35,130,30,135", "a,b,c,d", "nan,1,2,3", "0,0,10,400", "-91,0,0,1"]
)
def test_parse_region_refuses(spec):
    with pytest.raises(InputError):
        parse_region(spec)


def test_unknown_country_suggests():
    with pytest.raises(UnknownName, match="did you mean 'Japan'"):
        parse_region("Japn")


def test_grid_cells_are_land_of_the_country():
    g = make_grid(parse_region("japan"), 1.0)
    assert g.box_cells == 22 * 24
    assert 25 <= g.size <= 50 and set(g.country) == {"Japan"}
    # centres on the 0.5 deg lattice of the box
    assert np.allclose((g.lat_deg - 24.5) % 1.0, 0.0) and np.allclose(
        (g.lon_deg - 122.5) % 1.0, 0.0
    )
    box = make_grid(parse_region("33,124,39,132"), 1.0)  # Korea and Kyushu: any land counts
    assert {"South Korea", "Japan"} <= set(box.country)


def test_grid_refuses_bad_steps_and_huge_grids():
    for step in (0.0, -1.0, math.nan, 11.0):
        with pytest.raises(InputError):
            make_grid(parse_region("japan"), step)
    with pytest.raises(InputError, match="cells"):
        make_grid(Region("world", -90, -180, 90, 180), 0.01)


def test_land_weight_is_cos_latitude():
    w = cell_weights(np.array([0.0, 60.0, 89.9]))
    assert w[0] == pytest.approx(1.0) and w[1] == pytest.approx(0.5)
    assert 0.0 < w[2] < 0.01


# --------------------------------------------------------------------------------------------
# Prefectures (nearest capital) and main islands


def test_each_capital_lies_in_its_own_prefecture():
    caps = japanese_prefectural_capitals()
    got = prefecture_of(np.array([c.lat_deg for c in caps]), np.array([c.lon_deg for c in caps]))
    assert got == list(PREFECTURES)


def test_island_table():
    count = Counter(ISLAND_OF_PREFECTURE.values())
    assert count == {"Honshu": 34, "Hokkaido": 1, "Kyushu": 7, "Shikoku": 4, "Okinawa": 1}
    assert set(ISLANDS) == set(count)
    assert island_of(["Aomori", "Yamaguchi", "Kagawa", "Kagoshima", "Okinawa", "Hokkaido"]) == [
        "Honshu",
        "Honshu",
        "Shikoku",
        "Kyushu",
        "Okinawa",
        "Hokkaido",
    ]


@pytest.mark.parametrize(
    "lat,lon,prefecture",
    [
        (43.77, 142.37, "Hokkaido"),  # Asahikawa
        (38.02, 138.37, "Niigata"),  # Sado
        (34.32, 133.86, "Kagawa"),  # Sakaide
        (33.88, 130.88, "Fukuoka"),  # Kitakyushu
        (24.34, 124.16, "Okinawa"),  # Ishigaki
        (30.35, 130.53, "Kagoshima"),  # Yakushima
        # the Voronoi approximation's known departure (see bmdsim.analysis.regions): Hakodate
        # (Hokkaido) is nearer to Aomori's capital than to Sapporo
        (41.77, 140.73, "Aomori"),
    ],
)
def test_prefecture_by_nearest_capital(lat, lon, prefecture):
    assert prefecture_of(np.array([lat]), np.array([lon])) == [prefecture]


# --------------------------------------------------------------------------------------------
# The summary of a footprint (synthetic: no flight)


def _footprint(opp, lat, prefs, kinds=None, alt=None, reason=None):
    opp = np.asarray(opp, dtype=np.int64)
    n_kinds, n = opp.shape
    kinds = kinds or tuple(
        F.ThreatKind(f"area{k}", 40.0, 127.0, "nodong-class") for k in range(n_kinds)
    )
    return F.Footprint(
        scenario="test",
        region=parse_region("japan"),
        grid_deg=1.0,
        own_sensors_only=False,
        kinds=kinds,
        lat_deg=np.asarray(lat, dtype=float),
        lon_deg=np.full(n, 135.0),
        country=("Japan",) * n,
        prefecture=tuple(prefs),
        island=tuple(island_of(list(prefs))),
        weight=cell_weights(np.asarray(lat, dtype=float)),
        kind_opportunities=opp,
        kind_intercept_t_s=np.full((n_kinds, n), np.nan),
        kind_intercept_alt_m=np.full((n_kinds, n), np.nan) if alt is None else np.asarray(alt),
        kind_reason=np.full((n_kinds, n), "", dtype=object) if reason is None else reason,
        threats_flown=int((opp >= 0).sum()),
        elapsed_s=1.0,
    )


def test_fractions_weigh_land_by_area():
    # cells at 0 and 60 deg (weights 1 and 0.5); one launch area; a third cell unthreatened
    fp = _footprint([[1, 0, -1]], [0.0, 60.0, 0.0], ["Tokyo", "Tokyo", "Osaka"])
    assert fp.threatened.tolist() == [True, True, False]
    assert fp.defended.tolist() == [True, False, False]
    assert fp.defended_fraction == pytest.approx(1.0 / 1.5)
    assert fp.threatened_fraction == pytest.approx(1.5 / 2.5)
    assert fp.by_prefecture["Tokyo"] == pytest.approx(1.0 / 1.5)
    assert math.isnan(fp.by_prefecture["Osaka"])  # nothing threatened there
    assert fp.by_island["Honshu"] == pytest.approx(1.0 / 1.5)
    assert math.isnan(fp.by_region["Kyushu"])


def test_every_threat_must_have_an_opportunity():
    reason = np.array([["", "", ""], ["", "too_late", ""]], dtype=object)
    alt = np.array([[150e3, 300e3, np.nan], [120e3, np.nan, np.nan]])
    fp = _footprint(
        [[2, 1, -1], [1, 0, -1]], [35.0, 35.0, 35.0], ["Tokyo"] * 3, alt=alt, reason=reason
    )
    assert fp.defended.tolist() == [True, False, False]
    assert fp.opportunities.tolist() == [1, 0, -1]  # fewest batteries over the cell's threats
    assert fp.reason == [None, "too_late", None]
    assert fp.undefended_by == [[], ["area1/nodong-class"], []]
    assert fp.intercept_alt_m[0] == pytest.approx(120e3)  # the lowest of the earliest
    assert fp.intercept_alt_m[1] == pytest.approx(300e3)
    assert math.isnan(fp.intercept_alt_m[2])
    # by launch area: each area's own threats
    assert fp.by_launch_area == {"area0": pytest.approx(1.0), "area1": pytest.approx(0.5)}
    cols = fp.cell_columns()
    assert len({len(v) for v in cols.values()}) == 1


# --------------------------------------------------------------------------------------------
# Threats: kinds, reach, the footprint's engagement


def test_threat_kinds_default_to_the_scenario(scenario):
    kinds = F.threat_kinds(scenario)
    areas = list(dict.fromkeys(t.launch_place for t in scenario.threats))
    classes = list(dict.fromkeys(t.missile for t in scenario.threats))
    assert [(k.launch, k.missile) for k in kinds] == [(a, m) for a in areas for m in classes]
    h12 = [k for k in kinds if k.missile == "hwasong-12-class" and k.launch == "sunan"]
    assert h12[0].rcs_m2 == pytest.approx(0.2)  # the scenario's radar cross-section
    chosen = F.threat_kinds(scenario, ["musudan-ri", "wonsan"], ["Nodong-Class"])
    assert [(k.launch, k.missile) for k in chosen] == [
        ("musudan-ri", "nodong-class"),
        ("wonsan", "nodong-class"),
    ]
    with pytest.raises(UnknownName):
        F.threat_kinds(scenario, ["atlantis"], None)
    with pytest.raises(UnknownName):
        F.threat_kinds(scenario, None, ["no-such-class"])


def test_footprint_setup(scenario):
    kinds = F.threat_kinds(scenario)
    base = F.footprint_setup(scenario, kinds)
    assert base.threats == () and base.doctrine.pk == 1.0
    assert all(b.inventory == F.INVENTORY for b in base.batteries)
    assert all(b.launch_interval_s == F.LAUNCH_INTERVAL_S for b in base.batteries)
    # every ground sensor has a boresight: a chunk's threats cannot turn the radars
    for s in base.sensors:
        assert (s.boresight_az_deg is not None) == math.isfinite(s.lat_deg)
    kept = {s.name: s.boresight_az_deg for s in scenario.sensors if s.boresight_az_deg}
    assert all(
        s.boresight_az_deg == kept[s.name] for s in base.sensors if s.name in kept
    )  # given ones are kept
    own = F.footprint_setup(scenario, kinds, own_sensors_only=True, burnout_speed_m_s=4200.0)
    assert all(s.owner != "allied" for s in own.sensors)
    assert all(b.burnout_speed_m_s == 4200.0 for b in own.batteries)
    with pytest.raises(InputError, match="burnout speed"):  # beyond the class's re-sizing
        F.footprint_setup(scenario, kinds, burnout_speed_m_s=2000.0)


def test_threatened_mask_follows_the_reach():
    wonsan = get_place("wonsan")
    kind = F.ThreatKind("wonsan", wonsan.lat_deg, wonsan.lon_deg, "scud-er-class")
    bearing = 120.0
    reach = float(
        range_toward(
            get_missile("scud-er-class").vehicle, wonsan.lat_deg, wonsan.lon_deg, bearing
        ).range_m[0]
    )
    lat, lon = destination(
        wonsan.lat_deg, wonsan.lon_deg, bearing, np.array([0.5, 0.995, 1.005, 1.5]) * reach
    )
    # the bearings of the points as the mask computes them
    assert np.allclose(inverse(wonsan.lat_deg, wonsan.lon_deg, lat, lon)[0] % 360.0, bearing)
    mask = F.threatened_mask([kind], lat, lon)
    assert mask.tolist() == [[True, True, False, False]]


# a handful of cells: near Mutsumi, northern Honshu, northern and eastern Hokkaido, Kyushu,
# Seoul and Busan (short flights, low: below the interceptor's lowest intercept altitude)
_LAT = np.array([34.5, 39.5, 45.0, 43.5, 32.5, 37.5, 35.2])
_LON = np.array([131.5, 140.5, 142.0, 144.5, 130.5, 127.0, 129.0])
_KEYS = F.cell_key(np.zeros(7, np.int64), np.arange(7))  # a cell each


def _chunk(scenario, draws=True, lat=_LAT, lon=_LON, keys=_KEYS):
    """Two launch areas and two classes, own sensors only, a slower interceptor."""
    kinds = F.threat_kinds(scenario, ["wonsan", "musudan-ri"], ["nodong-class", "scud-er-class"])
    base = F.footprint_setup(scenario, kinds, own_sensors_only=True, burnout_speed_m_s=3500.0)
    return F.Chunk(base, kinds, lat, lon, F.threatened_mask(kinds, lat, lon), keys, draws)


@pytest.fixture(scope="module")
def small(scenario):
    chunk = _chunk(scenario)
    return chunk, F.evaluate_chunk(chunk)


def test_chunk_result_shapes_and_reasons(small):
    chunk, res = small
    assert res.opportunities.shape == chunk.mask.shape
    assert ((res.opportunities >= 0) == chunk.mask).all()
    assert res.threats_flown == int(chunk.mask.sum())
    none = res.opportunities == 0
    assert none.any() and (res.opportunities > 0).any()  # both kinds of cell
    assert all(r in REASONS for r in res.reason[none])
    assert (res.reason[~none] == "").all()
    ok = res.opportunities > 0
    assert np.isfinite(res.intercept_alt_m[ok]).all() and (res.intercept_alt_m[ok] > 0).all()
    assert np.isnan(res.intercept_alt_m[~ok]).all()


@pytest.mark.parametrize("draws", [True, False])
def test_chunks_do_not_change_the_cells(scenario, small, draws):
    chunk, whole = small if draws else (c := _chunk(scenario, False), F.evaluate_chunk(c))
    parts = []
    for sl in (slice(0, 2), slice(2, 3), slice(3, 7)):
        c = _chunk(scenario, draws, _LAT[sl], _LON[sl], _KEYS[sl])
        parts.append(F.evaluate_chunk(c))
    opp = np.concatenate([p.opportunities for p in parts], axis=1)
    reason = np.concatenate([p.reason for p in parts], axis=1)
    t_i = np.concatenate([p.intercept_t_s for p in parts], axis=1)
    alt = np.concatenate([p.intercept_alt_m for p in parts], axis=1)
    assert (opp == whole.opportunities).all()
    assert (reason == whole.reason).all()
    assert np.array_equal(t_i, whole.intercept_t_s, equal_nan=True)
    # the aimer converges to within 50 m of each cell whatever its batch: the same flights
    assert np.allclose(alt, whole.intercept_alt_m, equal_nan=True, atol=2e3)


def test_footprint_independent_of_chunk_size(scenario):
    region = Region("box", 33.0, 130.0, 35.0, 134.0)  # western Honshu, Kyushu, Shikoku
    kw = dict(launches=["wonsan"], missiles=["scud-er-class"], own_sensors_only=True)
    a = F.footprint(scenario, region, 0.25, **kw)
    b = F.footprint(scenario, region, 0.25, chunk_cells=2, **kw)  # a tile per chunk
    assert a.cells == b.cells >= 20
    assert (a.kind_opportunities == b.kind_opportunities).all()
    assert np.array_equal(a.kind_intercept_t_s, b.kind_intercept_t_s, equal_nan=True)
    # the aiming tables are built once for all cells: every chunk flies the same flights
    assert np.array_equal(a.kind_intercept_alt_m, b.kind_intercept_alt_m, equal_nan=True)
    assert a.reason == b.reason
    assert a.defended_fraction == b.defended_fraction


def test_tiles_gather_into_chunks():
    g = make_grid(parse_region("japan"), 0.25)
    kinds = (F.ThreatKind("x", 40.0, 128.0, "nodong-class"),)
    mask = np.ones((1, g.size), dtype=bool)
    chunks, cells = F._chunks(None, kinds, g, mask, 100, True)  # type: ignore[arg-type]
    assert sorted(np.concatenate(cells).tolist()) == list(range(g.size))  # each cell once
    assert F.tile_side(0.25) == 8 and F.tile_side(0.1) == 20 and F.tile_side(5.0) == 1
    side = F.tile_side(0.25)
    tiles = [
        {(int(k) >> 20) // side * 10_000 + (int(k) & 0xFFFFF) // side for k in c.cell_key}
        for c in chunks
    ]
    assert all(not (a & b) for i, a in enumerate(tiles) for b in tiles[i + 1 :])  # whole
    assert all(c.lat_deg.size >= 100 for c in chunks[:-1])
    for c, idx in zip(chunks, cells, strict=True):
        assert np.array_equal(c.lat_deg, g.lat_deg[idx])
        assert (c.cell_key == F.cell_key(g.row[idx], g.col[idx])).all()


def test_chunk_agrees_with_the_engagement_run(small):
    """The chunk's opportunities are those of engage(prepare(setup)) itself. Both draw the
    radars' detections at random, with different keys: the earliest intercepts may
    differ by some looks, and a window that is a matter of seconds may open in one only."""
    chunk, res = small
    pairs = [(int(k), int(j)) for k, j in zip(*np.nonzero(chunk.mask), strict=True)]
    setup = replace(chunk.setup, threats=tuple(F._specs(chunk, pairs)))
    run = engage(prepare(setup))
    same = 0
    reasons = set()
    for (k, j), t in zip(pairs, run.threats, strict=True):
        has = t.outcome != "no_opportunity"
        assert has == math.isfinite(t.earliest_intercept_s)
        mine = bool(res.opportunities[k, j] > 0)
        if has == mine:
            same += 1
            if has:
                assert t.earliest_intercept_s == pytest.approx(res.intercept_t_s[k, j], abs=30.0)
            else:
                assert t.reason == res.reason[k, j]
                reasons.add(t.reason)
        else:  # a late window that the random detections opened or closed
            assert "too_late" in (t.reason, res.reason[k, j])
    assert same >= 0.9 * len(pairs)
    assert {"too_late", "below_min_altitude"} <= reasons


def test_design_pd_sensors_are_later(scenario, small):
    """Deterministic sensors (a look detects only at the design Pd) never give an earlier
    intercept than the random draws here, and sometimes a much later one."""
    _, drawn = small
    fixed = F.evaluate_chunk(_chunk(scenario, draws=False))
    both = (drawn.opportunities > 0) & (fixed.opportunities > 0)
    late = fixed.intercept_t_s[both] - drawn.intercept_t_s[both]
    assert late.min() >= -15.0 and late.max() > 30.0
    assert (fixed.opportunities[drawn.opportunities == 0] == 0).all()


def test_a_cell_the_aimer_refuses_is_not_threatened(scenario):
    """A cell beyond the reach that slipped into the mask does not abort its chunk."""
    wonsan = get_place("wonsan")
    kinds = (F.ThreatKind("wonsan", wonsan.lat_deg, wonsan.lon_deg, "scud-er-class"),)
    base = F.footprint_setup(scenario, kinds)
    lat, lon = np.array([34.5, 45.0]), np.array([131.5, 142.0])  # Yamaguchi; 1,400 km
    assert F.threatened_mask(kinds, lat, lon).tolist() == [[True, False]]
    forced = np.ones((1, 2), dtype=bool)
    res = F.evaluate_chunk(F.Chunk(base, kinds, lat, lon, forced, _KEYS[:2]))
    assert res.opportunities[0, 0] >= 1 and res.opportunities[0, 1] == -1
    assert res.threats_flown == 1


def test_profile_forms():
    assert F.parse_profile("min-energy") == ("min-energy", None)
    assert F.parse_profile("standard") == ("standard", None)
    assert F.parse_profile("lofted:600") == ("lofted", 600.0)
    assert F.parse_profile(" depressed:150.5 ") == ("depressed", 150.5)
    for bad in ("lofted", "lofted:", "lofted:-5", "lofted:nan", "depressed:1e9", "standard:5", "x"):
        with pytest.raises(InputError):
            F.parse_profile(bad)


def test_profiles_add_threat_kinds(scenario):
    kinds = F.threat_kinds(scenario, ["wonsan"], ["nodong-class"], ["depressed:150", "standard"])
    assert [k.label for k in kinds] == [
        "wonsan/nodong-class",
        "wonsan/nodong-class/depressed:150",
        "wonsan/nodong-class/standard",
    ]


def test_a_profile_threatens_only_where_it_can_be_flown(scenario):
    """A 220-km-apogee depressed flight (below the minimum-energy apogee only at the far
    cells) and a lofted one beyond the class's energy threaten only the cells they can be
    flown to; adding threats never defends a cell the minimum-energy threats left
    undefended."""
    region = Region("box", 33.0, 130.0, 36.0, 136.0)
    kw = dict(launches=["wonsan"], missiles=["nodong-class"])
    plain = F.footprint(scenario, region, 0.5, **kw)
    more = F.footprint(scenario, region, 0.5, profiles=["depressed:220", "lofted:5000"], **kw)
    assert [k.profile_label for k in more.kinds] == ["min-energy", "depressed:220", "lofted:5000"]
    me, dep, lof = more.kind_threatened
    assert (me == plain.kind_threatened[0]).all()
    assert dep.any() and not (dep & ~me).any() and (me & ~dep).any()  # not the near cells
    assert not lof.any()  # far beyond what a Nodong-class missile can loft to
    both = plain.threatened & more.threatened
    assert not (more.defended & both & ~plain.defended).any()
