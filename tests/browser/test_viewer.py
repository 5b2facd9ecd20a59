"""The globe viewer in headless chromium: the demo scenario's CZML drawn on an offline
CesiumJS globe, and ``bmdsim view`` serving it until Ctrl-C."""

from __future__ import annotations

import html
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

from bmdsim.io.czml import COLOURS
from bmdsim.web.server import ViewerServer

#: the page's state, parsed from <pre id="bmdsim-status">
STATUS = "document.getElementById('bmdsim-status').textContent"
#: drawn: the CZML loaded, the camera on the scene, every wanted tile drawn (or an error)
DRAWN = (
    "(function () { var e = document.getElementById('bmdsim-status'); if (!e) return false;"
    " var s = JSON.parse(e.textContent);"
    " return s.error !== null || (s.ready && s.flown && s.tilesLoaded); })()"
)


def _status(dom: str) -> dict[str, Any]:
    m = re.search(r'<pre id="bmdsim-status"[^>]*>(.*?)</pre>', dom, re.S)
    assert m, "no status element in the page"
    return dict(json.loads(html.unescape(m.group(1))))


def _near(img: np.ndarray, rgb: list[int], tol: int = 40) -> int:
    """How many pixels are within ``tol`` of the colour on every channel."""
    diff = np.abs(img[..., :3].astype(int) - np.array(rgb[:3]))
    return int(np.count_nonzero(np.all(diff <= tol, axis=-1)))


def _png(path: Path) -> np.ndarray:
    from matplotlib.image import imread

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    return np.asarray(np.round(imread(path) * 255), dtype=np.uint8)


def test_viewer_draws_the_demo_scene(cesium_build, demo_scene, render_page) -> None:
    scene, czml = demo_scene
    mid = 0.5 * (scene.start_s + scene.end_s)
    with ViewerServer(czml, cesium_build).start() as server:
        dom, png = render_page(f"{server.url}?t={mid:.0f}", ready=DRAWN, status=STATUS)
    status = _status(dom)
    assert status["error"] is None
    assert status["ready"] and status["flown"] and status["tilesLoaded"]
    assert status["external"] == []  # nothing but 127.0.0.1 was asked for
    entities = set(status["entities"])
    threats = {f"threat/{t.name}" for t in scene.threat_tracks()}
    batteries = {f"battery/{s.name}" for s in scene.sites if s.kind == "battery"}
    assert threats and batteries
    assert threats <= entities, threats - entities
    assert batteries <= entities, batteries - entities
    assert {f"interceptor/{t.name}" for t in scene.interceptor_tracks()} <= entities

    img = _png(png)
    assert img.shape[:2] == (800, 1280)
    # the globe is drawn: most of the view is neither black space nor one flat colour
    centre = img[200:600, 300:1000, :3]
    assert np.mean(centre.max(axis=-1) > 40) > 0.8
    assert centre.reshape(-1, 3).std(axis=0).max() > 10
    # the tracks are drawn: pixels of the threats' colours at mid-engagement
    flying = [t for t in scene.threat_tracks() if t.start_s < mid < t.end_s]
    assert flying, "no threat in flight at mid-engagement"
    outcome = {f"threat/{t.properties['outcome']}" for t in flying}
    assert sum(_near(img, COLOURS[k]) for k in outcome) > 50
    assert _near(img, COLOURS["battery"]) > 10


def test_viewer_plays_the_clock(cesium_build, demo_scene, render_page) -> None:
    _, czml = demo_scene
    doc = json.loads(czml.read_text(encoding="utf-8"))[0]
    start = doc["clock"]["interval"].split("/")[0]
    # playing: the camera reaches the scene and the clock moves on from its start
    playing = (
        "(function () { var e = document.getElementById('bmdsim-status'); if (!e) return false;"
        " var s = JSON.parse(e.textContent);"
        f" return s.error !== null || (s.ready && s.flown && s.time > '{start}'); }})()"
    )
    with ViewerServer(czml, cesium_build).start() as server:
        dom, png = render_page(server.url, png_name="playing.png", ready=playing, status=STATUS)
    status = _status(dom)
    assert status["error"] is None and status["ready"] and status["flown"]
    assert status["time"] > start
    assert png.stat().st_size > 10_000


def _view(args: list[str], **kw: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bmdsim.cli.main", "view", *args, "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read()


def test_view_runs_a_scenario_and_stops_on_ctrl_c(cesium_build, demo_scene) -> None:
    scene, _ = demo_scene
    proc = _view(["aegis-ashore-japan", "--port", "0"])
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url), url
        status, body = _get(url + "scene.czml")
        assert status == 200
        ids = {p["id"] for p in json.loads(body)}
        assert {f"threat/{t.name}" for t in scene.threat_tracks()} <= ids
        assert _get(url)[0] == 200
        assert _get(url + "cesium/Cesium.js")[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert lines[-1] == "bmdsim: viewer stopped"
    assert "Traceback" not in err


def test_view_serves_a_czml_file_on_a_given_port(cesium_build, demo_scene, tmp_path) -> None:
    import socket

    _, czml = demo_scene
    with socket.socket() as s:  # a port that is free now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = _view([str(czml), "--port", str(port)])
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url == f"http://127.0.0.1:{port}/"
        assert _get(url + "scene.czml")[1] == czml.read_bytes()
        # a second viewer on the same port: one line, exit code 2
        second = _view([str(czml), "--port", str(port)])
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert err.count("\n") == 1 and f"--port {port}: cannot listen" in err
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_viewer_page_asks_for_no_network(cesium_build) -> None:
    """The page and script name nothing outside the server: no CDN, no ion, no Bing."""
    from bmdsim.web.server import STATIC_DIR

    for name in ("index.html", "viewer.js"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, name
        assert "//cdn" not in text and "bing" not in text.lower()
    assert (cesium_build / "Assets" / "Textures" / "NaturalEarthII").is_dir()


def test_install_is_not_repeated(cesium_build) -> None:
    from bmdsim.web.cesium import ensure_cesium

    t0 = time.monotonic()
    assert ensure_cesium(quiet=True) == cesium_build
    assert time.monotonic() - t0 < 1.0
