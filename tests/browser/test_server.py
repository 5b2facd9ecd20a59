"""The viewer's file server: what it serves, and every way out of its tree refused."""

from __future__ import annotations

import http.client
import os
from pathlib import Path

import pytest

from bmdsim.web.server import DEFAULT_HOST, STATIC_DIR, ViewerServer, safe_file


@pytest.fixture
def tree(tmp_path: Path) -> dict[str, Path]:
    """A fake CesiumJS build beside a secret file, with links that lead out of it."""
    build = tmp_path / "cesium"
    (build / "Assets" / "Textures").mkdir(parents=True)
    (build / "Cesium.js").write_text("var Cesium = {};\n", encoding="utf-8")
    (build / "Assets" / "a b.json").write_text("{}", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n", encoding="utf-8")
    (build / "out-link").symlink_to(secret)
    (build / "out-dir").symlink_to(tmp_path)
    (build / "in-link.js").symlink_to(build / "Cesium.js")
    (build / "loop").symlink_to(build / "loop")
    czml = tmp_path / "run.czml"
    czml.write_text('[{"id": "document", "name": "x", "version": "1.0"}]\n', encoding="utf-8")
    return {"build": build, "secret": secret, "czml": czml}


@pytest.fixture
def server(tree: dict[str, Path]):
    with ViewerServer(tree["czml"], tree["build"]).start() as srv:
        yield srv


def _request(
    srv: ViewerServer, target: str, method: str = "GET", host: str | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """One request with ``target`` sent exactly as written."""
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", f"{srv.host}:{srv.port}" if host is None else host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def test_serves_the_page_the_czml_and_the_build(server, tree) -> None:
    assert server.host == DEFAULT_HOST == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/" and server.port > 0
    status, body, headers = _request(server, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body == (STATIC_DIR / "index.html").read_bytes()
    assert _request(server, "/index.html")[1] == body
    status, body, headers = _request(server, "/viewer.js")
    assert status == 200 and "javascript" in headers["content-type"]
    status, body, headers = _request(server, "/scene.czml")
    assert status == 200 and body == tree["czml"].read_bytes()
    assert headers["content-type"] == "application/json"
    assert _request(server, "/cesium/Cesium.js")[:2] == (200, b"var Cesium = {};\n")
    assert _request(server, "/cesium/Assets/a%20b.json")[:2] == (200, b"{}")
    assert _request(server, "/cesium/in-link.js?v=1#x")[0] == 200  # a link inside the tree
    status, body, headers = _request(server, "/cesium/Cesium.js", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == "17"


@pytest.mark.parametrize(
    "target",
    [
        "/cesium/../secret.txt",
        "/cesium/../../secret.txt",
        "/../secret.txt",
        "/cesium/%2e%2e/secret.txt",
        "/cesium/%2E%2E/secret.txt",
        "/cesium/%2e%2e%2fsecret.txt",
        "/cesium/.%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/cesium/Assets/../../secret.txt",
        "/cesium/./Cesium.js",
        "/cesium/..%5csecret.txt",
        "/cesium/out-link",
        "/cesium/out-dir/secret.txt",
        "/cesium/Cesium.js%00.png",
    ],
)
def test_refuses_every_way_out(server, target) -> None:
    status, body, _ = _request(server, target)
    assert status == 403, (target, status)
    assert b"secret" not in body


@pytest.mark.parametrize(
    "target",
    [
        "/etc/passwd",
        "/cesium//etc/passwd",
        "/cesium/%2fetc%2fpasswd",
        "//etc/passwd",
        "/cesium/",
        "/cesium",
        "/cesium/Assets",
        "/cesium/loop",
        "/cesium/missing.js",
        "/secret.txt",
        "/run.czml",
        "/static/index.html",
        "/favicon.ico",
    ],
)
def test_serves_nothing_else(server, target) -> None:
    status, body, _ = _request(server, target)
    assert status == 404, (target, status)
    assert b"secret" not in body


def test_absolute_form_and_odd_requests(server, tree) -> None:
    # an absolute URL as the request target is read for its path only
    assert _request(server, f"http://127.0.0.1:{server.port}/cesium/Cesium.js")[0] == 200
    assert _request(server, f"http://127.0.0.1:{server.port}/cesium/../secret.txt")[0] == 403
    assert _request(server, "/cesium/%ff.js")[0] == 400  # not UTF-8
    assert _request(server, "/", method="POST")[0] == 501
    assert _request(server, "/", method="DELETE")[0] == 501


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "10.0.0.1", ""])
def test_refuses_other_host_names(server, host) -> None:
    """A page elsewhere cannot reach the server through a DNS name rebound to 127.0.0.1."""
    assert _request(server, "/scene.czml", host=host)[0] == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]:8000", "LOCALHOST:1"])
def test_accepts_loopback_host_names(server, host) -> None:
    assert _request(server, "/scene.czml", host=host)[0] == 200


def test_safe_file(tree) -> None:
    build = tree["build"]
    assert safe_file(build, "Cesium.js") == (build / "Cesium.js").resolve()
    assert safe_file(build, "/Cesium.js") == (build / "Cesium.js").resolve()
    assert safe_file(build, "in-link.js") == (build / "Cesium.js").resolve()
    for bad in (
        "../secret.txt",
        "a/../../secret.txt",
        "./Cesium.js",
        str(tree["secret"]),
        "out-link",
        "out-dir/secret.txt",
        "Assets",
        "loop",
        "nul\0l",
        "..\\secret.txt",
        "missing",
    ):
        assert safe_file(build, bad) is None, bad


def test_close_frees_the_port(tree) -> None:
    srv = ViewerServer(tree["czml"], tree["build"]).start()
    port = srv.port
    srv.close()
    again = ViewerServer(tree["czml"], tree["build"], port=port)
    again.close()
    with ViewerServer(tree["czml"], tree["build"], port=port) as first:
        with pytest.raises(OSError):
            ViewerServer(tree["czml"], tree["build"], port=first.port)


def test_server_reads_only_what_it_was_given(server, tree) -> None:
    """Rewriting the CZML file after the start serves the new text (nothing is cached)."""
    tree["czml"].write_text('[{"id": "document"}]', encoding="utf-8")
    assert _request(server, "/scene.czml")[1] == b'[{"id": "document"}]'
    os.remove(tree["czml"])
    assert _request(server, "/scene.czml")[0] == 404
