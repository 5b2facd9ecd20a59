"""End-to-end: ``--export FORMATS --out DIR`` of ``bmdsim run`` (and of montecarlo,
strategic and footprint): the files written and listed, the run's JSON otherwise unchanged,
one-line errors for an unknown format or an unusable folder."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from shapely.geometry import shape

from bmdsim.cli.main import main

KML = "{http://www.opengis.net/kml/2.2}"


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``bmdsim ARGV`` in process: exit 2, nothing on stdout, one line on stderr."""
    assert main(list(argv)) == 2, argv
    out, err = capsys.readouterr()
    assert out == "", out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bmdsim: error: "), err
    return lines[0]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0, argv
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_run_exports(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir"  # made with its parents
    argv = ["run", "aegis-ashore-japan", "--json"]
    doc = run_json(capsys, *argv, "--export", "geojson,kml,csv,parquet", "--out", str(out))
    names = [Path(f).name for f in doc.pop("files")]
    stem = "aegis-ashore-japan"
    assert names == [
        f"{stem}.geojson",
        f"{stem}.kml",
        *(f"{stem}-{t}.csv" for t in ("tracks", "intercepts", "boosters")),
        *(f"{stem}-{t}.parquet" for t in ("tracks", "intercepts", "boosters")),
    ]
    assert all((out / n).is_file() for n in names)
    # the run's own JSON is the same as without --export
    assert doc == run_json(capsys, *argv)

    gj = json.loads((out / f"{stem}.geojson").read_text(encoding="utf-8"))
    tracks = [f for f in gj["features"] if f["properties"]["kind"] in ("threat", "interceptor")]
    assert len(tracks) == len(doc["threats"]) + sum(t["shots"] for t in doc["threats"])
    assert all(shape(f["geometry"]).is_valid for f in tracks)
    samples = sum(f["properties"]["samples"] for f in tracks)
    kml = ET.parse(out / f"{stem}.kml").getroot()
    coords = [c.text or "" for c in kml.iter(f"{KML}coordinates")]
    line_coords = [ls.findtext(f"{KML}coordinates") or "" for ls in kml.iter(f"{KML}LineString")]
    assert len(coords) > len(line_coords) == len(tracks)
    assert sum(len(c.split()) for c in line_coords) == samples
    assert pq.read_table(out / f"{stem}-tracks.parquet").num_rows == samples
    with duckdb.connect() as con:
        got = con.sql(f"SELECT count(*) FROM read_csv('{out / f'{stem}-tracks.csv'}')").fetchall()
        assert got[0][0] == samples
        shots = con.sql(f"SELECT count(*) FROM '{out / f'{stem}-intercepts.parquet'}'").fetchall()
        assert shots[0][0] == sum(t["shots"] for t in doc["threats"])


def test_text_mode_lists_the_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "aegis-ashore-japan", "--export", "csv", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "summary:" in text
    for t in ("tracks", "intercepts", "boosters"):
        assert f"wrote {tmp_path / f'aegis-ashore-japan-{t}.csv'}" in text


def test_montecarlo_trials_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = run_json(
        capsys, "montecarlo", "aegis-ashore-japan", "--trials", "2", "--db",
        str(tmp_path / "r.duckdb"), "--run-id", "x", "--export", "parquet,csv", "--out",
        str(tmp_path), "--json",
    )  # fmt: skip
    assert [Path(f).name for f in doc["files"]] == [
        "montecarlo-x-trials.parquet",
        "montecarlo-x-trials.csv",
    ]
    t = pq.read_table(doc["files"][0])
    assert t.column("trial").to_pylist() == [0, 1]
    assert sum(t.column("leakers").to_pylist()) == pytest.approx(2 * doc["leakers_mean"])


@pytest.mark.parametrize(
    ("argv", "flag", "reason"),
    [
        (
            ["run", "aegis-ashore-japan", "--export", "geojson,shp"],
            "--export",
            "unknown format 'shp'",
        ),
        (["run", "aegis-ashore-japan", "--export", ","], "--export", "no format"),
        (
            ["footprint", "aegis-ashore-japan", "--export", "kml"],
            "--export",
            "kml is not available here",
        ),
        (
            ["strategic", "--site", "araya", "--interceptor", "sm3-iia-class", "--export", "kml"],
            "--export",
            "give some of csv, parquet",
        ),
        (
            ["montecarlo", "aegis-ashore-japan", "--trials", "1", "--export", "geojson"],
            "--export",
            "not available",
        ),
    ],
)
def test_bad_formats_are_refused_before_the_work(
    capsys: pytest.CaptureFixture[str], argv: list[str], flag: str, reason: str
) -> None:
    line = refused(capsys, *argv)
    assert flag in line and reason in line


def test_unusable_out_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "a-file"
    f.write_text("x", encoding="utf-8")
    argv = ["run", "aegis-ashore-japan", "--export", "geojson", "--out"]
    line = refused(capsys, *argv, str(f))
    assert "--out" in line and "is a file" in line
    line = refused(capsys, *argv, str(f / "sub"))
    assert "--out" in line and "cannot write the files" in line
    line = refused(
        capsys, "strategic", "--site", "araya", "--interceptor", "sm3-iia-class", "--export",
        "csv", "--out", str(f),
    )  # fmt: skip
    assert "--out" in line and "is a file" in line
