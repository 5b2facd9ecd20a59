"""A small static file server for the globe viewer, on the loopback interface.

It serves exactly three things and nothing else:

* ``/`` (``/index.html``) and ``/viewer.js``: the viewer page shipped in ``static/``;
* ``/scene.czml``: the one CZML file it was given;
* ``/cesium/...``: files inside the CesiumJS build folder.

Every request path is percent-decoded once, refused (403) if any segment is ``..`` or ``.``
or holds a NUL or backslash, joined below its root with leading slashes removed, resolved
(symbolic links followed) and refused unless the result is a regular file inside the
resolved root. A request whose ``Host`` header names anything but a loopback address is
refused too, so that a web page cannot reach the server through a rebound DNS name.
Only GET and HEAD are answered.
"""

from __future__ import annotations

import mimetypes
import shutil
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["DEFAULT_HOST", "STATIC_DIR", "ViewerServer", "safe_file"]

DEFAULT_HOST = "127.0.0.1"
#: the viewer page and its script (package data)
STATIC_DIR = Path(__file__).resolve().parent / "static"
_STATIC_FILES = {"index.html", "viewer.js"}
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".czml": "application/json",
    ".xml": "application/xml",
    ".wasm": "application/wasm",
    ".glb": "model/gltf-binary",
    ".ktx2": "image/ktx2",
}


def safe_file(root: Path, relative: str) -> Path | None:
    """The regular file ``relative`` names inside ``root``, or None when it is outside
    ``root`` (``..``, an absolute path, a link that leads out), missing, or not a file.

    ``relative`` is already percent-decoded; a segment ``..`` or ``.``, a NUL byte or a
    backslash make it refused outright."""
    if "\0" in relative or "\\" in relative:
        return None
    parts = [p for p in relative.split("/") if p]
    if any(p in ("..", ".") for p in parts):
        return None
    try:
        base = root.resolve(strict=True)
        target = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # missing, a loop of links, a bad name
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def _leads_out(root: Path, relative: str) -> bool:
    """Whether ``relative`` names something that exists outside ``root`` (a link that leads
    out): refused with 403 rather than 404."""
    try:
        base = root.resolve()
        target = base.joinpath(*[p for p in relative.split("/") if p]).resolve()
        return target.exists() and not target.is_relative_to(base)
    except (OSError, RuntimeError, ValueError):
        return False


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "bmdsim-viewer"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        if self.server.log:
            sys.stderr.write("bmdsim view: " + (format % args) + "\n")

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):  # [::1]:port
            name = host.split("]", 1)[0] + "]"
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in _LOOPBACK_HOSTS

    def _resolve(self) -> tuple[HTTPStatus, Path | None]:
        """The status and file of the request path."""
        if not self._host_ok():
            return HTTPStatus.FORBIDDEN, None
        raw = urlsplit(self.path).path
        path = unquote(raw, errors="strict") if "%" in raw else raw
        if not path.startswith("/"):
            return HTTPStatus.BAD_REQUEST, None
        segments = path.split("/")
        if "\0" in path or "\\" in path or any(s in ("..", ".") for s in segments):
            return HTTPStatus.FORBIDDEN, None
        rel = path.lstrip("/")
        srv = self.server
        if rel in ("", "index.html"):
            return HTTPStatus.OK, STATIC_DIR / "index.html"
        if rel in _STATIC_FILES:
            return HTTPStatus.OK, STATIC_DIR / rel
        if rel == "scene.czml":
            return HTTPStatus.OK, srv.czml_path
        if rel.startswith("cesium/"):
            found = safe_file(srv.cesium_dir, rel[len("cesium/") :])
            if found is not None:
                return HTTPStatus.OK, found
            if _leads_out(srv.cesium_dir, rel[len("cesium/") :]):
                return HTTPStatus.FORBIDDEN, None
        return HTTPStatus.NOT_FOUND, None

    def _answer(self, body: bool) -> None:
        try:
            status, file = self._resolve()
        except UnicodeDecodeError:
            status, file = HTTPStatus.BAD_REQUEST, None
        if file is None or status != HTTPStatus.OK:
            self.send_error(status)
            return
        try:
            f = file.open("rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with f:
            size = file.stat().st_size
            ctype = _TYPES.get(file.suffix.lower()) or (
                mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            )
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(size))
            self.send_header("X-Content-Type-Options", "nosniff")
            cached = file.is_relative_to(self.server.cesium_dir.resolve())
            self.send_header("Cache-Control", "max-age=3600" if cached else "no-cache")
            self.end_headers()
            if body:
                try:
                    shutil.copyfileobj(f, self.wfile)
                except (BrokenPipeError, ConnectionResetError):  # the browser went away
                    pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    czml_path: Path
    cesium_dir: Path
    log: bool


class ViewerServer:
    """The viewer's HTTP server for one CZML file.

    ``port=0`` takes a free port (see :attr:`port` and :attr:`url`). Use
    :meth:`serve_forever` in the foreground, or :meth:`start` (a background thread) and
    :meth:`close`; the object is a context manager that closes it.

    Raises OSError when the address cannot be bound (a port in use)."""

    def __init__(
        self,
        czml_path: str | Path,
        cesium_dir: str | Path,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        log: bool = False,
    ) -> None:
        self._httpd = _Server((host, port), _Handler)
        self._httpd.czml_path = Path(czml_path).resolve()
        self._httpd.cesium_dir = Path(cesium_dir).resolve()
        self._httpd.log = log
        self._thread: threading.Thread | None = None
        self.host = host

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The viewer page's address."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def serve_forever(self) -> None:
        """Serve until :meth:`close` is called from another thread (or Ctrl-C)."""
        self._httpd.serve_forever(poll_interval=0.2)

    def start(self) -> ViewerServer:
        """Serve in a daemon thread; return self."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="bmdsim-viewer", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ViewerServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
