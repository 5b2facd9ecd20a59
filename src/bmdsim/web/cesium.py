"""The CesiumJS build the globe viewer serves, installed once from the npm registry.

CesiumJS (Apache-2.0) is not shipped with bmdsim: ``npm install cesium@1.140`` (the last
series that runs on node 20) fetches it into a temporary folder, and only its browser build
(``Build/Cesium``, ~23 MB, with the NaturalEarthII imagery the viewer uses offline) is kept,
in the viewer cache:

* ``$BMDSIM_VIEWER_DIR`` when set, else
* ``$XDG_CACHE_HOME/bmdsim/viewer``, else ``~/.cache/bmdsim/viewer``.

The build lands in ``cesium-1.140/`` there by an atomic rename, so a broken or interrupted
install is never taken for a complete one. ``make viewer`` (``python -m bmdsim.web``)
installs it ahead of time; ``bmdsim view`` installs it on first use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bmdsim.errors import BmdsimError

__all__ = [
    "CESIUM_SPEC",
    "CesiumInstallError",
    "cesium_build_dir",
    "ensure_cesium",
    "install_cesium",
    "viewer_cache_dir",
]

#: the npm package and version range installed (1.141 and later want node 22)
CESIUM_SPEC = "cesium@1.140"
_DIR_NAME = "cesium-1.140"
#: a file every complete build holds
_MARKER = "Cesium.js"
#: the longest an install may take (seconds)
INSTALL_TIMEOUT_S = 600


class CesiumInstallError(BmdsimError):
    """CesiumJS could not be installed (no npm, no registry, no disk space)."""


def viewer_cache_dir() -> Path:
    """The folder that holds the viewer's CesiumJS build (see the module's notes)."""
    env = os.environ.get("BMDSIM_VIEWER_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "bmdsim" / "viewer"


def cesium_build_dir(cache: Path | None = None) -> Path:
    """Where the CesiumJS build is (or would be) installed: ``cesium-1.140`` in the cache."""
    return (cache if cache is not None else viewer_cache_dir()) / _DIR_NAME


def _installed(build: Path) -> bool:
    return (build / _MARKER).is_file() and (build / "Assets" / "Textures").is_dir()


def install_cesium(cache: Path | None = None) -> Path:
    """Install the CesiumJS build into the viewer cache with npm; return its folder.

    Raises :class:`CesiumInstallError` (one line) when npm is missing or fails."""
    build = cesium_build_dir(cache)
    npm = shutil.which("npm")
    if npm is None:
        raise CesiumInstallError(
            "cannot install CesiumJS for the globe viewer: npm is not on the PATH "
            "(install Node.js 20 or later)"
        )
    try:
        build.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".cesium-", dir=build.parent) as tmp:
            work = Path(tmp)
            # a package.json of its own, so that npm never climbs to a project above
            (work / "package.json").write_text('{"private": true}\n', encoding="utf-8")
            cmd = [
                npm,
                "install",
                "--prefix",
                str(work),
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--no-package-lock",
                "--loglevel=error",
                CESIUM_SPEC,
            ]
            try:
                done = subprocess.run(
                    cmd,
                    cwd=work,
                    capture_output=True,
                    text=True,
                    timeout=INSTALL_TIMEOUT_S,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise CesiumInstallError(
                    f"cannot install CesiumJS: 'npm install {CESIUM_SPEC}' took more than "
                    f"{INSTALL_TIMEOUT_S} s"
                ) from None
            source = work / "node_modules" / "cesium" / "Build" / "Cesium"
            if done.returncode != 0 or not _installed(source):
                lines = [x for x in (done.stderr or done.stdout or "").splitlines() if x.strip()]
                why = lines[-1].strip() if lines else f"exit code {done.returncode}"
                raise CesiumInstallError(
                    f"cannot install CesiumJS: 'npm install {CESIUM_SPEC}' failed: {why}"
                )
            staged = work / _DIR_NAME
            source.rename(staged)
            for name in ("LICENSE.md", "package.json"):
                f = work / "node_modules" / "cesium" / name
                if f.is_file():
                    shutil.copy2(f, staged / f"cesium-{name}")
            if _installed(build):  # another process finished first
                return build
            if build.exists():  # a broken earlier install
                shutil.rmtree(build)
            staged.rename(build)
    except OSError as exc:
        if _installed(build):
            return build
        raise CesiumInstallError(
            f"cannot install CesiumJS into {build.parent}: {exc.strerror or exc}"
        ) from None
    return build


def ensure_cesium(cache: Path | None = None, *, quiet: bool = False) -> Path:
    """The CesiumJS build folder, installing it first if it is missing (one line on stderr
    says so unless ``quiet``)."""
    build = cesium_build_dir(cache)
    if _installed(build):
        return build
    if not quiet:
        sys.stderr.write(
            f"bmdsim: installing CesiumJS ({CESIUM_SPEC}, ~25 MB) for the globe viewer "
            f"into {build}\n"
        )
        sys.stderr.flush()
    return install_cesium(cache)


def main() -> int:
    """``python -m bmdsim.web``: install the build if needed, print its folder."""
    try:
        print(ensure_cesium())
    except CesiumInstallError as exc:
        sys.stderr.write(f"bmdsim: error: {exc}\n")
        return 2
    return 0
