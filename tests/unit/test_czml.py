"""CZML of a run's scene: valid against czml3's models, and faithful to the scene."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from czml3 import Document, Packet

from bmdsim.engagement.run import engage, prepare
from bmdsim.engagement.scene import Scene, SceneSite, SceneTrack, scene_of
from bmdsim.io.czml import CLOCK_MULTIPLIER, COLOURS, scene_czml, write_czml
from bmdsim.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def demo() -> tuple[Scene, list[dict]]:
    g = prepare(load_scenario("aegis-ashore-japan"))
    scene = scene_of(g, engage(g))
    return scene, scene_czml(scene)


def _time(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _by_id(packets: list[dict]) -> dict[str, dict]:
    ids = [p["id"] for p in packets]
    assert len(ids) == len(set(ids)), "packet ids must be unique"
    return {p["id"]: p for p in packets}


def test_every_packet_validates_against_czml3(demo) -> None:
    _, packets = demo
    for p in packets:
        Packet.model_validate(p)
    doc = Document.model_validate(packets)
    assert doc.packets[0].id == "document"
    # and the JSON text as written
    for p in json.loads(json.dumps(packets, allow_nan=False)):
        Packet.model_validate_json(json.dumps(p))


def test_document_clock_spans_the_scene(demo) -> None:
    scene, packets = demo
    doc = packets[0]
    assert doc["id"] == "document" and doc["version"] == "1.0" and doc["name"] == scene.name
    epoch = datetime.fromisoformat(scene.epoch).astimezone(UTC)
    start, end = (_time(x) for x in doc["clock"]["interval"].split("/"))
    assert start == epoch + timedelta(seconds=scene.start_s)
    assert abs((end - (epoch + timedelta(seconds=scene.end_s))).total_seconds()) < 1e-3
    assert _time(doc["clock"]["currentTime"]) == start
    assert doc["clock"]["multiplier"] == CLOCK_MULTIPLIER == 10.0


def test_tracks_are_time_tagged_from_the_epoch(demo) -> None:
    scene, packets = demo
    by_id = _by_id(packets)
    epoch = datetime.fromisoformat(scene.epoch).astimezone(UTC)
    for track in scene.tracks:
        p = by_id[f"{track.kind}/{track.name}"]
        pos = p["position"]
        assert _time(pos["epoch"]) == epoch
        v = np.asarray(pos["cartographicDegrees"], dtype=float).reshape(-1, 4)
        assert len(v) == len(track.t_s)
        np.testing.assert_allclose(v[:, 0], track.t_s, atol=1e-3)
        np.testing.assert_allclose(v[:, 1], track.lon_deg, atol=1e-6)
        np.testing.assert_allclose(v[:, 2], track.lat_deg, atol=1e-6)
        np.testing.assert_allclose(v[:, 3], track.alt_m, atol=0.5)
        a, b = (_time(x) for x in p["availability"].split("/"))
        assert abs((a - epoch).total_seconds() - track.start_s) < 1e-3
        assert abs((b - epoch).total_seconds() - track.end_s) < 1e-3
        assert p["path"]["leadTime"] == 0 and p["path"]["trailTime"] > 0
        assert "point" in p


def test_colours_follow_outcomes(demo) -> None:
    scene, packets = demo
    by_id = _by_id(packets)
    for t in scene.threat_tracks():
        colour = by_id[f"threat/{t.name}"]["point"]["color"]["rgba"]
        assert colour == COLOURS[f"threat/{t.properties['outcome']}"]
    for t in scene.interceptor_tracks():
        colour = by_id[f"interceptor/{t.name}"]["path"]["material"]["solidColor"]["color"]
        key = "kill" if t.properties["kill"] else ("hit" if t.properties["hit"] else "miss")
        assert colour["rgba"] == COLOURS[f"interceptor/{key}"]


def test_sites_intercepts_and_booster_points(demo) -> None:
    scene, packets = demo
    by_id = _by_id(packets)
    epoch = datetime.fromisoformat(scene.epoch).astimezone(UTC)
    for s in scene.sites:
        if s.kind == "battery":
            lon, lat, h = by_id[f"battery/{s.name}"]["position"]["cartographicDegrees"]
            assert (lon, lat, h) == (pytest.approx(s.lon_deg), pytest.approx(s.lat_deg), 0.0)
        elif s.kind == "radar":
            ring = by_id[f"radar/{s.name}/coverage"]["polyline"]["positions"]
            assert len(ring["cartographicDegrees"]) == 3 * len(s.coverage_lon_deg)
            assert by_id[f"radar/{s.name}/coverage"]["parent"] == f"radar/{s.name}"
        else:
            assert "position" not in by_id[f"sensor/{s.name}"]
    intercepts = [p for p in packets if p["id"].startswith("intercept/")]
    assert len(intercepts) == len(scene.intercepts)
    # each intercept point carries the name of its interceptor's fly-out
    interceptors = {t.name for t in scene.interceptor_tracks()}
    assert {p["id"].split("/", 1)[1] for p in intercepts} == interceptors
    for p, row in zip(intercepts, scene.intercepts, strict=True):
        start = _time(p["availability"].split("/")[0])
        assert abs((start - epoch).total_seconds() - row["intercept_t_s"]) < 1e-3
    boosters = [p for p in packets if p["id"].startswith("booster/")]
    assert len(boosters) == len(scene.booster_impacts) > 0
    for p in boosters:
        start = _time(p["availability"].split("/")[0])
        assert scene.start_s <= (start - epoch).total_seconds() <= scene.end_s + 1e-3
    places = {p["id"] for p in packets if p["id"].startswith("place/")}
    assert places == {f"place/{x['kind']}/{x['name']}" for x in scene.places}


def test_write_czml_is_strict_json(demo, tmp_path) -> None:
    scene, packets = demo
    path = write_czml(scene, tmp_path / "run.czml")
    assert path == tmp_path / "run.czml"

    def no_constants(name: str) -> float:
        raise AssertionError(f"{name} in the CZML")

    assert json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constants) == packets


def _track(name: str, kind: str, t, lat, lon, h, **props) -> SceneTrack:
    f = lambda x: np.asarray(x, dtype=float)  # noqa: E731
    return SceneTrack(name, kind, f(t), f(lat), f(lon), f(h), props)


def test_odd_scenes() -> None:
    """A naive epoch is UTC; non-finite samples and places are left out; no tracks at all
    still gives a valid document."""
    nan = math.nan
    scene = Scene(
        name="odd",
        epoch="2020-01-01T00:00:00",
        tracks=(
            _track(
                "a",
                "threat",
                [0, 10, 20, 30],
                [1, nan, 2, 3],
                [4, 5, 6, 7],
                [0, 1e5, 2e5, 0],
                outcome="leaked",
            ),
            _track("b", "threat", [5], [1], [2], [0], outcome="killed"),  # one sample: dropped
            _track("c", "interceptor", [10, 20], [1, 2], [3, 4], [0, 1e5], hit=False, kill=False),
        ),
        sites=(SceneSite("s", "space_sensor", "sbirs-class", nan, nan),),
        intercepts=(
            {
                "threat": "a",
                "battery": "x",
                "wave": 1,
                "intercept_t_s": nan,
                "lat_deg": 1.0,
                "lon_deg": 2.0,
                "alt_m": 3.0,
                "kill": False,
            },
        ),
        booster_impacts=({"battery": "x", "stage": 1, "lat_deg": nan, "lon_deg": 1.0},),
        places=({"name": "p", "kind": "target", "lat_deg": nan, "lon_deg": 0.0},),
    )
    packets = scene_czml(scene)
    Document.model_validate(packets)
    by_id = _by_id(packets)
    assert set(by_id) == {"document", "sensor/s", "threat/a", "interceptor/c"}
    assert by_id["document"]["clock"]["interval"] == "2020-01-01T00:00:00Z/2020-01-01T00:00:30Z"
    assert len(by_id["threat/a"]["position"]["cartographicDegrees"]) == 12
    assert by_id["interceptor/c"]["point"]["color"]["rgba"] == COLOURS["interceptor/miss"]
    json.dumps(packets, allow_nan=False)

    empty = Scene("empty", "2020-01-01T09:00:00+09:00", (), (), (), (), ())
    packets = scene_czml(empty)
    Document.model_validate(packets)
    assert packets[0]["clock"]["interval"] == "2020-01-01T00:00:00Z/2020-01-01T00:00:01Z"


def test_the_package_does_not_import_czml3() -> None:
    code = "import sys, bmdsim.io.czml; sys.exit('czml3' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
