"""End-to-end: ``--report DIR`` and the demo's report, through the command line."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bmdsim.cli.main import main

PNG = b"\x89PNG\r\n\x1a\n"


class _Page(HTMLParser):
    """The figures' ids, every src, and each table's cells as {data-key: text} per row."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[str] = []
        self.srcs: list[str] = []
        self.tables: dict[str, list[dict[str, str]]] = {}
        self._table = ""
        self._key: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "figure":
            self.figures.append(str(a["id"]))
        elif tag == "img":
            self.srcs.append(str(a["src"]))
        elif tag == "table":
            self._table = str(a["id"])
            self.tables[self._table] = []
        elif tag == "tr":
            self.tables[self._table].append({})
        elif tag == "td":
            self._key = str(a["data-key"])
            self.tables[self._table][-1][self._key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._key is not None:
            self.tables[self._table][-1][self._key] += data


def read_report(folder: Path) -> _Page:
    page = _Page()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    assert page.srcs and all(s.startswith("data:image/png;base64,") for s in page.srcs)
    for fid in page.figures:
        assert (folder / f"{fid}.png").read_bytes()[:8] == PNG
    return page


def rows(page: _Page, table: str) -> list[dict[str, str]]:
    return [r for r in page.tables[table] if r]  # the header row has no cells


def test_run_report_equals_the_run_json(tmp_path, capsys) -> None:
    folder = tmp_path / "out" / "run"
    assert main(["run", "aegis-ashore-japan", "--report", str(folder), "--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)  # stdout is the JSON alone
    assert out.err.strip().splitlines()[-1] == f"report: {folder / 'report.html'}"
    page = read_report(folder)
    assert page.figures == ["fig-map", "fig-profiles", "fig-timeline", "fig-boosters"]
    threats = rows(page, "threats")
    assert [(r["name"], r["outcome"]) for r in threats] == [
        (t["name"], t["outcome"]) for t in doc["threats"]
    ]
    (summary,) = rows(page, "summary")
    assert int(summary["killed"]) == doc["summary"]["killed"]
    assert int(summary["killed"]) == sum(r["outcome"] == "killed" for r in threats)
    assert int(summary["interceptors_fired"]) == doc["summary"]["interceptors_fired"]
    assert [int(r["fired"]) for r in rows(page, "batteries")] == [
        b["fired"] for b in doc["batteries"]
    ]


def test_demo_writes_its_report_in_the_working_directory(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "summary: 11 threats" in out
    assert out.strip().splitlines()[-1] == "report: bmdsim-out/report.html"
    page = read_report(tmp_path / "bmdsim-out")
    assert len(page.figures) == 4
    assert len(rows(page, "threats")) == 11


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_unusable_report_folder_is_one_line_before_the_work(tmp_path, capsys, where) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = str(tmp_path / where)
    assert main(["run", "aegis-ashore-japan", "--report", target]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("bmdsim: error: --report") and "a-file" in err
    args = ["boosters", "--site", "mutsumi", "--interceptor", "sm3-iia-class"]
    assert main([*args, "--azimuth-deg", "300", "--report", target]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_analysis_reports(tmp_path, capsys) -> None:
    boosters = ["boosters", "--site", "mutsumi", "--interceptor", "sm3-iia-class"]
    assert (
        main([*boosters, "--toward", "sunan", "--trials", "50", "--report", str(tmp_path / "b")])
        == 0
    )
    assert read_report(tmp_path / "b").figures == ["fig-boosters"]
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("report: ")
    footprint = [
        "footprint",
        "aegis-ashore-japan",
        "--region",
        "33,129,37,136",
        "--grid-deg",
        "1.0",
        "--launch",
        "sinpo",
        "--missile",
        "nodong-class",
        "--out",
        str(tmp_path / "files"),
        "--json",
    ]
    assert main([*footprint, "--report", str(tmp_path / "f")]) == 0
    doc = json.loads(capsys.readouterr().out)
    page = read_report(tmp_path / "f")
    assert page.figures == ["fig-footprint"]
    (summary,) = rows(page, "summary")
    assert int(summary["cells"]) == doc["cells"]
    assert int(summary["defended_cells"]) == doc["defended_cells"]
    mc = ["montecarlo", "aegis-ashore-japan", "--trials", "2", "--db", str(tmp_path / "mc.duckdb")]
    assert main([*mc, "--report", str(tmp_path / "m")]) == 0
    assert read_report(tmp_path / "m").figures == ["fig-montecarlo"]
    assert "report: " in capsys.readouterr().out


def test_sweep_report_draws_the_curve_and_the_tornado(tmp_path: Path, capsys) -> None:
    """A real sensitivity sweep (coarse grid): the curve and tornado figures render, and
    the table's values are the JSON's."""
    folder = tmp_path / "sweep"
    rc = main(
        [
            "sweep",
            "aegis-ashore-japan",
            "--param",
            "batteries[*].reaction_time_s=0,600",
            "--param",
            "batteries=drop:mutsumi",
            "--sensitivity",
            "--grid-deg",
            "2",
            "--report",
            str(folder),
            "--json",
        ]
    )
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    page = _Page()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    assert page.figures == ["fig-sweep", "fig-sensitivity"]
    for name in page.figures:
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(PNG) and len(png) > 5_000
    points = rows(page, "points")
    assert len(points) == len(doc["points"])
    for row, point in zip(points, doc["points"], strict=True):
        assert float(row["defended_fraction"]) == pytest.approx(point["defended_fraction"], 1e-3)
    # dropping a battery or a 600 s reaction time lowers the defended fraction
    assert all(r["low"]["delta"] is not None for r in doc["sensitivity"])
    assert (
        min(p["defended_fraction"] for p in doc["points"]) < doc["points"][0]["defended_fraction"]
    )
