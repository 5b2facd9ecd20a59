"""``bmdsim view`` input errors: one line on stderr, exit code 2, before anything is served
or installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmdsim.cli.main import main


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("bmdsim: error: "), err
    return err


def test_missing_czml_file(capsys, tmp_path: Path) -> None:
    err = _one_line_error(capsys, ["view", str(tmp_path / "nope.czml"), "--no-open"])
    assert "cannot read the CZML file" in err


def test_not_a_czml_file(capsys, tmp_path: Path) -> None:
    for text in ("{}", "not json", "[]", '[{"id": "x"}]', "\xff"):
        bad = tmp_path / "bad.czml"
        bad.write_text(text, encoding="latin-1")
        assert "not a CZML file" in _one_line_error(capsys, ["view", str(bad), "--no-open"])
    folder = tmp_path / "dir.czml"
    folder.mkdir()
    assert "is a folder" in _one_line_error(capsys, ["view", str(folder), "--no-open"])


def test_unknown_scenario(capsys) -> None:
    err = _one_line_error(capsys, ["view", "no-such-scenario", "--no-open"])
    assert "no such scenario file, nor a built-in scenario" in err


def test_bad_flags(capsys, tmp_path: Path) -> None:
    czml = tmp_path / "run.czml"
    czml.write_text('[{"id": "document", "name": "x", "version": "1.0"}]', encoding="utf-8")
    assert "--seed" in _one_line_error(capsys, ["view", str(czml), "--seed", "3"])
    for port in ("-1", "65536", "http"):
        assert "--port" in _one_line_error(capsys, ["view", str(czml), "--port", port])


def _fake_npm(folder: Path, script: str) -> Path:
    folder.mkdir()
    npm = folder / "npm"
    npm.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    npm.chmod(0o755)
    return folder


def test_cesium_install_failures(monkeypatch, tmp_path: Path) -> None:
    from bmdsim.web.cesium import CesiumInstallError, cesium_build_dir, install_cesium

    cache = tmp_path / "cache"
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(CesiumInstallError, match="npm is not on the PATH"):
        install_cesium(cache)
    bin_dir = _fake_npm(tmp_path / "bin", "echo 'npm ERR! code ENOTFOUND' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(CesiumInstallError, match="failed: npm ERR! code ENOTFOUND"):
        install_cesium(cache)
    assert not cesium_build_dir(cache).exists()
    assert list(cache.iterdir()) == []  # the temporary folder is gone


def test_view_says_when_cesium_cannot_be_installed(capsys, monkeypatch, tmp_path) -> None:
    czml = tmp_path / "run.czml"
    czml.write_text('[{"id": "document", "name": "x", "version": "1.0"}]', encoding="utf-8")
    monkeypatch.setenv("BMDSIM_VIEWER_DIR", str(tmp_path / "cache"))
    bin_dir = _fake_npm(tmp_path / "bin", "echo 'npm ERR! 503 Service Unavailable' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert main(["view", str(czml), "--no-open"]) == 2
    out, err = capsys.readouterr()
    announce, error = err.splitlines()
    assert out == ""
    assert announce.startswith("bmdsim: installing CesiumJS")
    assert error == (
        "bmdsim: error: cannot install CesiumJS: 'npm install cesium@1.140' failed: "
        "npm ERR! 503 Service Unavailable"
    )
