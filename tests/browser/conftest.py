"""Browser test harness: Debian's chromium, headless, driven over its DevTools pipe.

* ``chromium`` (session): the browser executable; installed with apt-get when missing (the
  suite installs what it needs: CI runs ``make test`` on a fresh machine). An install that
  cannot be done fails the tests with the reason; it never skips them.
* ``cesium_build`` (session): the viewer's CesiumJS build, installed by the same code as
  ``make viewer`` when missing.
* ``render_page`` (function; :func:`render` underneath):
  ``render_page(path_or_url) -> (dom_text, png_path)`` loads a page (a file or an http
  URL) at 1280x800, waits until it is ready, saves a screenshot under the test's tmp dir
  and returns the DOM as HTML. "Ready" is, by default, the page loaded and every ``<img>``
  decoded (a broken image fails it: ``naturalWidth`` 0); or a JavaScript expression given
  as ``ready``.

Why the DevTools protocol and not ``--dump-dom``/``--screenshot`` with a virtual-time
budget: a CesiumJS globe under the software renderer needs tens of seconds of real work,
and with a virtual-time budget the run either hung in the screenshot step or expired
before the tiles were drawn (9 s to over 150 s for the same page on two busy cores). Over
the pipe (``--remote-debugging-pipe``: JSON messages on fds 3 and 4, standard library only)
the test waits for the page's own status and stops as soon as it is drawn.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: the headless flags that work on a machine without a GPU (see the design notes)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    # a request to anywhere but the loopback interface (always bypassed) fails at once
    "--proxy-server=http://127.0.0.1:9",
)
WINDOW = (1280, 800)
#: a page is ready when it has loaded and every image has been decoded
DEFAULT_READY = (
    "document.readyState === 'complete' && "
    "Array.from(document.images).every(function (i) { return i.complete; })"
)
BROKEN_IMAGES = (
    "Array.from(document.images).filter(function (i) { return i.naturalWidth === 0; })"
    ".map(function (i) { return (i.getAttribute('src') || '').slice(0, 80); })"
)

# ---------------------------------------------------------------------------------------
# installs


def _apt_install_chromium() -> str | None:
    """Install Debian's chromium quietly; the reason when it cannot be done."""
    apt = shutil.which("apt-get")
    if apt is None:
        return "apt-get is not available to install it"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return "installing it needs root (apt-get install chromium)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = [apt, "install", "-y", "-qq", "--no-install-recommends", "chromium"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if done.returncode != 0:  # the package lists may be missing or stale: update, retry
        upd = subprocess.run(
            [apt, "update", "-qq"], capture_output=True, text=True, env=env, timeout=600
        )
        if upd.returncode != 0:
            return "apt-get update failed: " + _last_line(upd.stderr or upd.stdout)
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if done.returncode != 0:
        return "apt-get install chromium failed: " + _last_line(done.stderr or done.stdout)
    return None


def _last_line(text: str) -> str:
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    return lines[-1] if lines else "(no output)"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed with apt-get if it is missing."""
    if not CHROMIUM.exists():
        t0 = time.monotonic()
        why = _apt_install_chromium()
        if why is not None or not CHROMIUM.exists():
            pytest.fail(f"the browser tests need chromium ({CHROMIUM}): {why}", pytrace=False)
        sys.stderr.write(f"installed chromium in {time.monotonic() - t0:.0f} s\n")
    return CHROMIUM


@pytest.fixture(scope="session")
def cesium_build() -> Path:
    """The viewer's CesiumJS build (``make viewer``'s installer)."""
    from bmdsim.web.cesium import CesiumInstallError, ensure_cesium

    try:
        return ensure_cesium(quiet=True)
    except CesiumInstallError as exc:
        pytest.fail(f"the viewer tests need CesiumJS: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def demo_scene(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The built-in demo scenario's scene and its CZML file."""
    from bmdsim.engagement.run import engage, prepare
    from bmdsim.engagement.scene import scene_of
    from bmdsim.io.czml import write_czml
    from bmdsim.scenario.loader import load_scenario

    geometry = prepare(load_scenario("aegis-ashore-japan"))
    scene = scene_of(geometry, engage(geometry))
    return scene, write_czml(scene, tmp_path_factory.mktemp("demo") / "scene.czml")


# ---------------------------------------------------------------------------------------
# DevTools over a pipe


class Browser:
    """A headless chromium driven over ``--remote-debugging-pipe``: one page."""

    def __init__(self, executable: Path, profile: Path, window: tuple[int, int] = WINDOW):
        # chromium reads commands on fd 3 and writes replies on fd 4; move the pipe ends
        # above 10 first so that placing them on 3 and 4 in the child clobbers nothing
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        launcher = (
            "import os, sys\n"
            "os.dup2(int(sys.argv[1]), 3)\n"
            "os.dup2(int(sys.argv[2]), 4)\n"
            "os.execv(sys.argv[3], sys.argv[3:])\n"
        )
        args = [
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={window[0]},{window[1]}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.log = profile.parent / f"{profile.name}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", launcher, str(hi_r), str(hi_w), str(executable), *args],
                pass_fds=(hi_r, hi_w),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        os.close(hi_r)
        os.close(hi_w)
        self._out = to_child_w
        self._in = from_child_r
        self._buf = b""
        self._next_id = 0
        self.session: str | None = None
        try:
            targets = self.call("Target.getTargets", timeout_s=30)["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            self.session = self.call(
                "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}
            )["sessionId"]
        except BaseException:
            self.close()
            raise

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        timeout_s: float = 30.0,
        *,
        browser: bool = False,
    ) -> dict[str, Any]:
        """Send one command (to the page's session unless ``browser``) and return its
        result; events and other replies are dropped."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session is not None and not browser:
            msg["sessionId"] = self.session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout_s
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return dict(reply.get("result", {}))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"chromium did not answer {method} in {timeout_s:.0f} s")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise RuntimeError(
                        f"chromium exited (code {self.proc.wait(timeout=10)}) during {method}: "
                        + self._last_log_line()
                    )
                self._buf += chunk

    def _last_log_line(self) -> str:
        """The last line chromium wrote that is not about the missing system bus."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        lines = [x.strip() for x in text.splitlines() if x.strip() and "dbus" not in x]
        return lines[-1] if lines else "(no log)"

    def evaluate(self, expression: str, timeout_s: float = 30.0) -> Any:
        """The JSON value of a JavaScript expression in the page (promises awaited)."""
        res = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout_s=timeout_s,
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"page script failed: {res['exceptionDetails'].get('text')}")
        return res.get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout_s=5, browser=True)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._out, self._in):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.unlink(missing_ok=True)


def render(
    path_or_url: str | os.PathLike[str],
    *,
    png_path: str | os.PathLike[str],
    executable: Path = CHROMIUM,
    ready: str | None = None,
    timeout_s: float = 90.0,
    status: str = "document.readyState",
) -> tuple[str, Path]:
    """Load a page in headless chromium; return its DOM (HTML) and a screenshot's path.

    Waits until the JavaScript expression ``ready`` is true (default: loaded and every
    image decoded; then a broken image fails it), at most ``timeout_s`` seconds; a timeout
    fails with the value of ``status``, evaluated in the page."""
    target = str(path_or_url)
    url = target if "://" in target else Path(target).resolve().as_uri()
    png = Path(png_path)
    profile = png.parent / f".chromium-profile-{png.stem}"
    browser = Browser(executable, profile)
    try:
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False},
        )
        browser.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + timeout_s
        while True:
            try:  # while the page is still loading, the expression may throw
                if browser.evaluate(
                    f"location.href !== 'about:blank' && !!({ready or DEFAULT_READY})"
                ):
                    break
            except RuntimeError:
                pass
            if time.monotonic() > deadline:
                try:
                    where = browser.evaluate(status)
                except RuntimeError as exc:
                    where = str(exc)
                pytest.fail(f"{url} not ready after {timeout_s:.0f} s: {where}", pytrace=False)
            time.sleep(0.25)
        if ready is None:
            broken = browser.evaluate(BROKEN_IMAGES)
            assert not broken, f"images that did not load in {url}: {broken}"
        # two more frames, so that the screenshot holds what the page drew last
        browser.evaluate(
            "new Promise(function (r) { requestAnimationFrame(function () {"
            " requestAnimationFrame(function () { r(true); }); }); })",
            timeout_s=30,
        )
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, timeout_s=60)
        png.write_bytes(base64.b64decode(shot["data"]))
        dom = str(browser.evaluate("document.documentElement.outerHTML"))
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    return dom, png


@pytest.fixture
def render_page(chromium: Path, tmp_path: Path) -> Callable[..., tuple[str, Path]]:
    """``render_page(path_or_url, **options) -> (dom_text, png_path)`` with the screenshot
    saved as ``page.png`` (or ``png_name``) in the test's tmp dir."""

    def render_page(
        path_or_url: str | os.PathLike[str], png_name: str = "page.png", **options: Any
    ) -> tuple[str, Path]:
        return render(path_or_url, png_path=tmp_path / png_name, executable=chromium, **options)

    return render_page
