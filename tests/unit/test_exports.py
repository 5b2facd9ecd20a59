"""Exports of a run's scene and of the analyses, read back by independent parsers: shapely
for GeoJSON, ElementTree for KML, pyarrow and DuckDB for CSV and Parquet."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from shapely.geometry import shape

from bmdsim.analysis.montecarlo import MonteCarloResult
from bmdsim.analysis.strategic import StrategicReach, TrajectoryReach
from bmdsim.engagement.run import engage, prepare
from bmdsim.engagement.scene import Scene, SceneSite, SceneTrack, scene_of
from bmdsim.io.export import ExportError, export, out_folder, parse_formats
from bmdsim.io.footprint_files import footprint_geojson
from bmdsim.io.geojson import polygon_rings
from bmdsim.io.kml import KML_NS
from bmdsim.scenario.loader import load_scenario

K = f"{{{KML_NS}}}"
EPOCH = "2017-08-29T05:58:00+09:00"
EPOCH_UTC = datetime(2017, 8, 28, 20, 58, tzinfo=UTC)


def _no_nan(text: str) -> Any:
    """Parse strict JSON: a NaN or Infinity token fails."""

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in the JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def demo() -> Scene:
    g = prepare(load_scenario("aegis-ashore-japan"))
    return scene_of(g, engage(g))


@pytest.fixture(scope="module")
def written(demo: Scene, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    files = export(demo, "geojson,kml,csv,parquet", out)
    return {p.name: p for p in files}


def _ring_sample(lon0: float, lat0: float, radius_deg: float, n: int = 91) -> tuple[Any, Any]:
    az = np.linspace(0.0, 2.0 * np.pi, n)
    lon = lon0 + radius_deg * np.sin(az) / np.cos(np.radians(lat0))
    lat = lat0 + radius_deg * np.cos(az)
    return (lon + 180.0) % 360.0 - 180.0, lat


@pytest.fixture(scope="module")
def across() -> Scene:
    """A hand-made scene across the antimeridian: a threat flying east over 180 deg, an
    interceptor flying west over it, a radar whose coverage ring straddles it."""
    t = np.linspace(0.0, 600.0, 61)
    lon = (np.linspace(170.1, 195.1, 61) + 180.0) % 360.0 - 180.0
    lat = np.linspace(40.0, 45.0, 61)
    alt = 400e3 * np.sin(np.pi * t / 600.0)
    threat = SceneTrack(
        "t<1>&",
        "threat",
        t,
        lat,
        lon,
        alt,
        {"missile": "m", "outcome": "leaked", "apogee_km": 400.0},
    )
    ti = np.linspace(300.0, 420.0, 13)
    ilon = (np.linspace(-175.0, -185.0, 13) + 180.0) % 360.0 - 180.0
    shot = SceneTrack(
        "b>t#1.1", "interceptor", ti, np.full(13, 43.0), ilon, np.linspace(0, 2e5, 13),
        {"battery": "b", "threat": "t<1>&", "hit": False, "kill": False},
    )  # fmt: skip
    clon, clat = _ring_sample(179.0, 43.0, 8.0)
    radar = SceneSite(
        "r", "radar", "spy7-class", 43.0, 179.0, detection_range_km=900.0,
        coverage_alt_m=300e3, coverage_lat_deg=clat, coverage_lon_deg=clon,
    )  # fmt: skip
    battery = SceneSite("b", "battery", "sm3-iia-class", 43.0, -178.0)
    space = SceneSite("s", "space_sensor", "sbirs-class", math.nan, math.nan, "allied")
    x = {
        "threat": "t<1>&", "battery": "b", "wave": 1, "launch_t_s": 300.0,
        "intercept_t_s": 420.0, "lat_deg": math.nan, "lon_deg": math.nan, "alt_m": math.nan,
        "kill": False, "hit": False,
    }  # fmt: skip
    return Scene(
        "across <180>",
        EPOCH,
        (threat, shot),
        (radar, battery, space),
        (x,),
        (),
        ({"name": "a", "kind": "launch", "lat_deg": 40.0, "lon_deg": 170.0},),
    )


# ---- GeoJSON ------------------------------------------------------------------------------


def test_geojson_is_valid_and_complete(demo: Scene, written: dict[str, Path]) -> None:
    doc = _no_nan(written["aegis-ashore-japan.geojson"].read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["bmdsim"]["epoch"] == EPOCH
    feats = doc["features"]
    kinds = [f["properties"]["kind"] for f in feats]
    assert kinds.count("threat") == len(demo.threat_tracks())
    assert kinds.count("interceptor") == len(demo.interceptor_tracks())
    assert kinds.count("intercept") == len(demo.intercepts)
    assert kinds.count("booster_impact") == len(demo.booster_impacts)
    radars = [s for s in demo.sites if s.kind == "radar"]
    assert kinds.count("coverage") == len(radars)
    assert kinds.count("launch") + kinds.count("target") == len(demo.places)
    for f in feats:
        if f["properties"]["kind"] == "space_sensor":
            assert f["geometry"] is None
            continue
        g = shape(f["geometry"])
        assert g.is_valid, f["properties"]["name"]
        if f["geometry"]["type"] == "Polygon":
            ring = f["geometry"]["coordinates"][0]
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert g.exterior.is_ccw  # RFC 7946 right-hand rule
    # no key with a kilometre unit: lengths are in metres throughout
    assert not any(k.endswith("_km") for f in feats for k in f["properties"])


def test_geojson_tracks(demo: Scene, written: dict[str, Path]) -> None:
    doc = json.loads(written["aegis-ashore-japan.geojson"].read_text(encoding="utf-8"))
    lines = [f for f in doc["features"] if f["properties"]["kind"] in ("threat", "interceptor")]
    assert [f["properties"]["name"] for f in lines] == [t.name for t in demo.tracks]
    for f, tr in zip(lines, demo.tracks, strict=True):
        p, g = f["properties"], f["geometry"]
        assert g["type"] == "LineString"  # nothing here crosses 180 deg
        c = g["coordinates"]
        assert len(c) == len(tr.t_s) == p["samples"]
        # lon, lat, alt order
        assert c[0] == pytest.approx([tr.lon_deg[0], tr.lat_deg[0], tr.alt_m[0]], abs=1e-6 + 0.05)
        assert c[-1][2] == pytest.approx(tr.alt_m[-1], abs=0.05)
        assert p["start_t_s"] == pytest.approx(tr.start_s)
        assert p["end_time"] == (EPOCH_UTC + timedelta(seconds=tr.end_s)).isoformat(
            timespec="milliseconds"
        ).replace("+00:00", "Z")
        assert p["missile"] and p["outcome"]
        if tr.kind == "threat":
            assert p["apogee_m"] == pytest.approx(tr.properties["apogee_km"] * 1e3)


def test_antimeridian_track_is_split(across: Scene, tmp_path: Path) -> None:
    (path,) = export(across, ["geojson"], tmp_path)
    assert path.name == "across_180.geojson"
    doc = _no_nan(path.read_text(encoding="utf-8"))
    by_kind = {f["properties"]["kind"]: f for f in doc["features"]}
    for kind in ("threat", "interceptor"):
        g = by_kind[kind]["geometry"]
        assert g["type"] == "MultiLineString" and len(g["coordinates"]) == 2
        assert shape(g).is_valid
        for part in g["coordinates"]:
            lons = [p[0] for p in part]
            assert all(-180.0 <= x <= 180.0 for x in lons)
            assert max(abs(b - a) for a, b in zip(lons, lons[1:], strict=False)) < 180.0
        # the parts meet on the antimeridian at the same latitude and altitude
        a, b = g["coordinates"][0][-1], g["coordinates"][1][0]
        assert abs(a[0]) == abs(b[0]) == 180.0 and a[0] == -b[0] and a[1:] == b[1:]
    # east-bound threat: its first part ends on +180; the west-bound shot's on -180
    assert by_kind["threat"]["geometry"]["coordinates"][0][-1][0] == 180.0
    assert by_kind["interceptor"]["geometry"]["coordinates"][0][-1][0] == -180.0
    cov = by_kind["coverage"]["geometry"]
    assert cov["type"] == "MultiPolygon" and shape(cov).is_valid
    for (ring,) in cov["coordinates"]:
        assert (
            ring[0] == ring[-1]
            and shape({"type": "Polygon", "coordinates": [ring]}).exterior.is_ccw
        )
    # the two halves make up the whole ring's area (unwrapped, in the lon/lat plane)
    lon, lat = _ring_sample(179.0, 43.0, 8.0)
    whole = shape(
        {
            "type": "Polygon",
            "coordinates": [list(zip(np.unwrap(lon, period=360), lat, strict=True))],
        }
    )
    assert shape(cov).area == pytest.approx(whole.area, rel=1e-4)
    # an intercept without a point and a space sensor: no geometry, nulls not NaN
    assert by_kind["intercept"]["geometry"] is None
    assert by_kind["intercept"]["properties"]["alt_m"] is None
    assert by_kind["space_sensor"]["geometry"] is None


def test_ring_around_a_pole() -> None:
    lon = np.linspace(-180.0, 180.0, 73)[:-1] + 5.0
    for lat, sign in ((np.full(72, 75.0), 1), (np.full(72, -75.0), -1)):
        for direction in (1, -1):
            rings = polygon_rings(lon[::direction], lat)
            assert len(rings) == 1
            g = shape({"type": "Polygon", "coordinates": rings})
            assert g.is_valid and g.exterior.is_ccw
            assert g.area == pytest.approx(360.0 * 15.0, rel=1e-9)
            assert sign * max(sign * p[1] for p in rings[0]) == 90.0 * sign


# ---- KML ----------------------------------------------------------------------------------


def test_kml_structure(demo: Scene, written: dict[str, Path]) -> None:
    root = ET.parse(written["aegis-ashore-japan.kml"]).getroot()
    assert root.tag == f"{K}kml"
    doc = root.find(f"{K}Document")
    assert doc is not None and doc.findtext(f"{K}name") == demo.name
    folders = {f.findtext(f"{K}name"): f for f in doc.findall(f"{K}Folder")}
    assert {"Threats", "Interceptors", "Intercepts", "Booster impacts", "Sites", "Coverage"} <= set(
        folders
    )
    marks = folders["Threats"].findall(f"{K}Placemark") + folders["Interceptors"].findall(
        f"{K}Placemark"
    )
    by_name = {t.name: t for t in demo.tracks}
    assert len(marks) == len(demo.tracks)
    for pm in marks:
        tr = by_name[pm.findtext(f"{K}name") or ""]
        ls = pm.find(f"{K}LineString")
        assert ls is not None and ls.findtext(f"{K}altitudeMode") == "absolute"
        coords = (ls.findtext(f"{K}coordinates") or "").split()
        assert len(coords) == len(tr.t_s)
        lon, lat, alt = (float(v) for v in coords[-1].split(","))
        assert (lon, lat) == pytest.approx((tr.lon_deg[-1], tr.lat_deg[-1]), abs=2e-6)
        assert alt == pytest.approx(tr.alt_m[-1], abs=0.1)
        span = pm.find(f"{K}TimeSpan")
        assert span is not None
        begin = datetime.fromisoformat((span.findtext(f"{K}begin") or "").replace("Z", "+00:00"))
        assert (begin - EPOCH_UTC).total_seconds() == pytest.approx(tr.start_s, abs=1e-3)
    assert len(folders["Intercepts"].findall(f"{K}Placemark")) == len(demo.intercepts)
    cov = folders["Coverage"].findall(f"{K}Placemark")
    assert len(cov) == sum(s.kind == "radar" for s in demo.sites)
    assert all(pm.find(f"{K}Polygon") is not None for pm in cov)


def test_kml_escapes_and_splits(across: Scene, tmp_path: Path) -> None:
    (path,) = export(across, "kml", tmp_path)
    doc = ET.parse(path).getroot().find(f"{K}Document")
    assert doc is not None and doc.findtext(f"{K}name") == "across <180>"
    threat = doc.find(f"{K}Folder/{K}Placemark")
    assert threat is not None and threat.findtext(f"{K}name") == "t<1>&"
    lines = threat.findall(f"{K}MultiGeometry/{K}LineString")
    assert len(lines) == 2
    n = sum(len((ls.findtext(f"{K}coordinates") or "").split()) for ls in lines)
    assert n == len(across.tracks[0].t_s) + 2  # plus the two points on the antimeridian
    data = {d.get("name"): d.findtext(f"{K}value") for d in threat.iter(f"{K}Data")}
    assert data["apogee_m"] == "400000.0" and data["outcome"] == "leaked"


# ---- tables -------------------------------------------------------------------------------


def test_track_samples_csv_and_parquet(demo: Scene, written: dict[str, Path]) -> None:
    n = sum(len(t.t_s) for t in demo.tracks)
    t_s = np.concatenate([t.t_s for t in demo.tracks])
    alt = np.concatenate([t.alt_m for t in demo.tracks])
    lat = np.concatenate([t.lat_deg for t in demo.tracks])
    table = pq.read_table(written["aegis-ashore-japan-tracks.parquet"])
    assert table.column_names == ["track", "kind", "t_s", "time", "lat_deg", "lon_deg", "alt_m"]
    assert table.num_rows == n
    assert np.array_equal(table.column("t_s").to_numpy(), t_s)
    assert np.array_equal(table.column("alt_m").to_numpy(), alt)
    assert table.column("track").to_pylist()[0] == demo.tracks[0].name
    first = table.column("time")[0].as_py()
    assert first == EPOCH_UTC + timedelta(seconds=float(t_s[0]))
    with duckdb.connect() as con:
        csv = con.sql(
            f"SELECT * FROM read_csv('{written['aegis-ashore-japan-tracks.csv']}')"
        ).fetchnumpy()
        assert len(csv["t_s"]) == n
        assert np.array_equal(np.asarray(csv["t_s"], dtype=float), t_s)  # round-trip exact
        assert np.array_equal(np.asarray(csv["lat_deg"], dtype=float), lat)
        assert list(csv["kind"][:1]) == [demo.tracks[0].kind]
        got = con.sql(
            f"SELECT count(*), sum(alt_m) FROM '{written['aegis-ashore-japan-tracks.parquet']}'"
        ).fetchall()
        assert got[0][0] == n and got[0][1] == pytest.approx(float(alt.sum()))


def test_intercept_and_booster_tables(demo: Scene, written: dict[str, Path]) -> None:
    with duckdb.connect() as con:
        for stem, rows in (("intercepts", demo.intercepts), ("boosters", demo.booster_impacts)):
            for ext in ("csv", "parquet"):
                path = written[f"aegis-ashore-japan-{stem}.{ext}"]
                src = f"read_csv('{path}')" if ext == "csv" else f"'{path}'"
                got = con.sql(f"SELECT * FROM {src}").fetchnumpy()
                assert len(got["lat_deg"]) == len(rows)
                assert np.allclose(
                    np.asarray(got["lat_deg"], float), [r["lat_deg"] for r in rows], rtol=0, atol=0
                )
        b = con.sql(
            f"SELECT distance_m FROM '{written['aegis-ashore-japan-boosters.parquet']}'"
        ).fetchnumpy()
        km = [r["distance_km"] for r in demo.booster_impacts]
        assert np.allclose(np.asarray(b["distance_m"], float), np.asarray(km) * 1e3)


def test_montecarlo_and_strategic_tables(tmp_path: Path) -> None:
    mc = MonteCarloResult(
        run_id="r/1",
        seed=3,
        trials={
            "trial": np.array([1, 0, 2]),
            "leakers": np.array([0, 2, 1], dtype=np.int32),
            "zero_leakers": np.array([True, False, False]),
            "pk": np.array([0.8, 0.7, math.nan]),
            "burnout_speed_m_s": np.array([[4.5e3, 4.4e3], [4.6e3, 4.3e3], [4.5e3, math.nan]]),
        },
        summary={},
        params={},
        elapsed_s=1.0,
        computed=3,
        chunk_size=3,
    )
    files = export(mc, "csv,parquet", tmp_path)
    assert [p.name for p in files] == ["montecarlo-r_1-trials.csv", "montecarlo-r_1-trials.parquet"]
    with duckdb.connect() as con:
        for p in files:
            src = f"read_csv('{p}')" if p.suffix == ".csv" else f"'{p}'"
            got = con.sql(f"SELECT * FROM {src} ORDER BY trial").fetchnumpy()
            assert list(got["trial"]) == [0, 1, 2] and list(got["leakers"]) == [2, 0, 1]
            assert list(got["burnout_speed_b1_m_s"]) == [4.6e3, 4.5e3, 4.5e3]
            assert got["pk"].mask[2] and got["burnout_speed_b2_m_s"].mask[2]  # NULL, not NaN
    reach = TrajectoryReach(
        "a", "b", "m", True, True, None, 1e5, 10.0, 2e5, 300.0, 5e5, 40.0, 140.0, 1e6, 1800.0,
        "killed",
    )  # fmt: skip
    miss = replace(reach, engageable=False, reason="out_of_reach", intercept_alt_m=math.nan)
    sr = StrategicReach("araya", 39.7, 140.1, "sm3-iia-class", "nk-us", False, (reach, miss), 1.0)
    (path,) = export(sr, ["parquet"], tmp_path)
    assert path.name == "strategic-nk-us-araya-details.parquet"
    t = pq.read_table(path)
    assert t.num_rows == 2 and t.column("reason").to_pylist() == [None, "out_of_reach"]
    assert t.column("intercept_alt_m").to_pylist() == [5e5, None]
    assert t.column("closest_approach_m").to_pylist() == [1e5, 1e5]


# ---- the footprint's files ----------------------------------------------------------------


def test_footprint_geojson_cells() -> None:
    lat = np.array([35.0, 52.0])
    lon = np.array([139.0, 179.8])
    cols = {
        "lat_deg": lat, "lon_deg": lon, "country": ["Japan", "sea"], "prefecture": ["Tokyo", None],
        "island": ["Honshu", None], "area_weight": np.cos(np.radians(lat)),
        "threatened": np.array([True, False]), "defended": np.array([True, False]),
        "opportunities": np.array([3, -1]), "intercept_alt_km": np.array([120.0, math.nan]),
        "reason": np.array([None, None], dtype=object), "threats": np.array([1, 0]),
        "undefended_by": ["", ""],
    }  # fmt: skip
    fp = SimpleNamespace(
        scenario="s", region=SimpleNamespace(name="box"), grid_deg=0.5, own_sensors_only=False,
        lat_deg=lat, lon_deg=lon, cells=2, cell_columns=lambda: cols,
    )  # fmt: skip
    doc = _no_nan(json.dumps(footprint_geojson(fp), allow_nan=False))  # type: ignore[arg-type]
    a, b = (f["geometry"] for f in doc["features"])
    assert a["type"] == "Polygon" and len(a["coordinates"][0]) == 5
    assert shape(a).exterior.is_ccw and shape(a).area == pytest.approx(0.25)
    assert b["type"] == "MultiPolygon" and shape(b).is_valid  # the cell across 180 deg
    assert shape(b).area == pytest.approx(0.25)
    assert doc["features"][1]["properties"]["intercept_alt_km"] is None


# ---- the dispatcher -----------------------------------------------------------------------


def test_parse_formats() -> None:
    assert parse_formats(" GeoJSON, kml,geojson ,,csv") == ("geojson", "kml", "csv")
    with pytest.raises(ExportError, match="unknown format 'shp'"):
        parse_formats("geojson,shp")
    with pytest.raises(ExportError, match="kml is not available"):
        parse_formats("kml", ("csv", "parquet"))
    with pytest.raises(ExportError, match="no format"):
        parse_formats(" , ")


def test_out_folder_errors(tmp_path: Path, across: Scene) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        out_folder(f)
    with pytest.raises(ExportError, match="cannot write the files"):
        export(across, "csv", f / "sub")
    with pytest.raises(TypeError, match="cannot export"):
        export(SimpleNamespace(), "csv", tmp_path)


def test_czml_through_the_dispatcher(across: Scene, tmp_path: Path) -> None:
    pytest.importorskip("bmdsim.io.czml")
    (path,) = export(across, "czml", tmp_path)
    doc = _no_nan(path.read_text(encoding="utf-8"))
    assert path.suffix == ".czml" and isinstance(doc, list) and doc[0]["id"] == "document"
