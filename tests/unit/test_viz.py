"""Figures and reports: every figure drawn from a real run or analysis (small inputs), the
report self-contained and its numbers equal to the run's JSON."""

from __future__ import annotations

import io
import math
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import bmdsim
from bmdsim.analysis.footprint import footprint
from bmdsim.analysis.montecarlo import montecarlo
from bmdsim.analysis.strategic import strategic_reach
from bmdsim.analysis.threat_sets import StrategicFlight
from bmdsim.engagement.run import engage, prepare
from bmdsim.engagement.scene import scene_of
from bmdsim.interceptors.booster_mc import booster_dispersion
from bmdsim.scenario.loader import load_scenario
from bmdsim.viz import analysis_reports, run_figures
from bmdsim.viz.analysis_figures import (
    BatterySite,
    booster_dispersion_figure,
    footprint_figure,
    montecarlo_figure,
    strategic_figure,
    strategic_paths,
)
from bmdsim.viz.basemap import LocalMap, LonLatMap, _clip_box, format_lon, lon_span
from bmdsim.viz.report import ReportFigure, ReportTable, Section, render_html, write_report
from bmdsim.viz.run_report import fmt, write_run_report
from bmdsim.viz.style import DPI, PNG_SIGNATURE, new_figure, png_bytes

# ---- helpers ----------------------------------------------------------------------------------


def check_png(data: bytes, width_in: float | None = None) -> Image.Image:
    """A real, decodable PNG of a plausible size (and of the figure's width in pixels)."""
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 5_000
    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.format == "PNG"
    w, h = img.size
    assert w >= 500 and h >= 250
    if width_in is not None:
        assert w == round(width_in * DPI)
    # not one flat colour: something was drawn
    assert len(img.convert("L").getcolors(maxcolors=1_000_000) or ()) > 10
    return img


class _Tables(HTMLParser):
    """Every table's rows as {data-key: text}, the figures' ids, and every src/href."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.figures: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self._table: str | None = None
        self._row: dict[str, str] | None = None
        self._key: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        for k in ("src", "href"):
            if a.get(k):
                self.links.append(str(a[k]))
        if tag == "table":
            self._table = str(a["id"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = {}
        elif tag == "td" and self._row is not None:
            self._key = str(a["data-key"])
            self._row[self._key] = ""
        elif tag == "figure":
            self.figures.append(str(a["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._key = None
        elif tag == "tr" and self._table is not None and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._key is not None:
            self._row[self._key] += data


def parse_report(path: Path) -> _Tables:
    p = _Tables()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def assert_self_contained(page: _Tables) -> None:
    """Nothing is fetched at view time: images are data URIs; no script, link or frame."""
    assert all(x.startswith("data:image/png;base64,") for x in page.links), page.links
    assert not page.tags & {"script", "link", "iframe", "object", "embed"}


# ---- a real run -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run():
    g = prepare(load_scenario("aegis-ashore-japan"))
    r = engage(g)
    return g, r, scene_of(g, r)


@pytest.mark.parametrize(
    "name", ["run_map_figure", "profile_figure", "timeline_figure", "booster_falls_figure"]
)
def test_run_figures_render(run, name) -> None:
    _, r, sc = run
    make = getattr(run_figures, name)
    fig = make(r.to_dict() if name == "timeline_figure" else sc)
    check_png(png_bytes(fig), fig.get_figwidth())


def test_report_numbers_equal_the_run_json(run, tmp_path) -> None:
    g, r, sc = run
    doc = r.to_dict()
    path = write_run_report(tmp_path / "rep", g, r, sc)
    assert path == tmp_path / "rep" / "report.html"
    page = parse_report(path)
    assert_self_contained(page)
    assert page.figures == ["fig-map", "fig-profiles", "fig-timeline", "fig-boosters"]
    for fid in page.figures:
        check_png((tmp_path / "rep" / f"{fid}.png").read_bytes())
    rows = page.tables["threats"]
    assert [x["name"] for x in rows] == [t["name"] for t in doc["threats"]]
    for row, t in zip(rows, doc["threats"], strict=True):
        assert row["outcome"] == t["outcome"]
        assert row["reason"] == (t["reason"] or "-")
        assert int(row["shots"]) == t["shots"]
        assert row["launch_time_s"] == f"{t['launch_time_s']:.1f}"
        assert row["impact_time_s"] == f"{t['impact_time_s']:.1f}"
        assert row["apogee_km"] == f"{t['apogee_km']:.1f}"
    (summary,) = page.tables["summary"]
    for k, v in doc["summary"].items():
        assert int(summary[k]) == v
    assert int(summary["killed"]) == sum(x["outcome"] == "killed" for x in rows)
    for row, b in zip(page.tables["batteries"], doc["batteries"], strict=True):
        assert (row["name"], int(row["fired"]), int(row["remaining"])) == (
            b["name"],
            b["fired"],
            b["remaining"],
        )
        assert int(row["stages_fallen"]) == len(b["booster_impacts"])
    assert f"bmdsim {bmdsim.__version__}" in path.read_text(encoding="utf-8")


def test_report_escapes_text_and_checks_ids(tmp_path) -> None:
    fig = new_figure(6.0, 3.0)
    fig.add_subplot().plot([0, 1], [0, 1])
    bad = '<script>alert("x")</script> & co'
    sections = [
        Section(
            bad,
            (bad,),
            (
                ReportTable("t", (bad,), ((bad,),), bad, keys=("k",)),
                ReportFigure.of("fig-one", fig, bad),
            ),
        )
    ]
    text = render_html(bad, sections, bad)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in text
    path = write_report(tmp_path, bad, sections)
    assert (tmp_path / "fig-one.png").read_bytes()[:8] == PNG_SIGNATURE
    page = parse_report(path)
    assert page.tables["t"] == [{"k": bad}]
    with pytest.raises(ValueError):
        ReportFigure.of("../x", fig, "")


def test_fmt_follows_the_json() -> None:
    assert (fmt(None), fmt(3), fmt(2.25), fmt("sea"), fmt(True)) == ("-", "3", "2.2", "sea", "yes")


# ---- maps -------------------------------------------------------------------------------------


def test_lon_span_and_labels_across_the_antimeridian() -> None:
    assert lon_span([179.0, -179.0, 178.5]) == pytest.approx((178.5, 181.0))
    assert lon_span([10.0, 20.0]) == pytest.approx((10.0, 20.0))
    assert (format_lon(190.0), format_lon(-45.0), format_lon(180.0)) == ("170°W", "45°W", "180°")
    view = LonLatMap.around([50.0, 60.0], [170.0, -170.0])
    assert view.lon0_deg < 170.0 < 190.0 < view.lon1_deg
    x, _ = view.path_xy([50.0, 52.0, 54.0], [178.0, -179.0, -176.0])
    assert np.all(np.diff(x) > 0) and x[0] == pytest.approx(178.0)
    fig = new_figure(6.0, 4.0)
    ax = fig.add_subplot()
    view.frame(ax)
    view.draw_land(ax)
    # land on both sides of the line: Russia west of it, Alaska east of it (moved one turn)
    verts = np.concatenate([p.vertices for c in ax.collections for p in c.get_paths()])
    assert verts[:, 0].min() < 180.0 < verts[:, 0].max()
    check_png(png_bytes(fig))


def test_polygon_clip() -> None:
    square = np.array([[-2.0, -2.0], [2.0, -2.0], [2.0, 2.0], [-2.0, 2.0]])
    cut = _clip_box(square, -1.0, 1.0, -1.0, 3.0)
    x, y = cut[:, 0], cut[:, 1]
    area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    assert area == pytest.approx(2.0 * 3.0)
    assert _clip_box(square, 5.0, 6.0, 5.0, 6.0).size == 0


def test_local_map_distances_are_true() -> None:
    view = LocalMap(34.45, 131.62, 100.0)
    x, y = view.xy([34.45 + 0.5, 34.45], [131.62, 131.62 + 0.5])
    assert x[0] == pytest.approx(0.0, abs=1e-6) and 50.0 < y[0] < 60.0
    assert y[1] == pytest.approx(0.0, abs=0.2) and 40.0 < x[1] < 50.0
    assert math.hypot(x[0], y[0]) == pytest.approx(55.45, rel=2e-3)


# ---- analyses ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup():
    return load_scenario("aegis-ashore-japan")


def _report_ok(path: Path, figure: str) -> _Tables:
    page = parse_report(path)
    assert_self_contained(page)
    assert page.figures == [figure]
    check_png((path.parent / f"{figure}.png").read_bytes())
    return page


def test_footprint_figure_and_report(setup, tmp_path) -> None:
    fp = footprint(
        setup, "33,129,37,136", 1.0, launches=["sinpo", "wonsan"], missiles=["nodong-class"]
    )
    assert fp.cells > 0 and len(fp.launch_areas) == 2
    sites = [BatterySite(b.name, b.lat_deg, b.lon_deg) for b in setup.batteries]
    fig = footprint_figure(fp, sites)
    assert len(fig.axes) == 3  # every launch area, then one panel each
    check_png(png_bytes(fig), fig.get_figwidth())
    page = _report_ok(analysis_reports.write_footprint_report(tmp_path, fp, sites), "fig-footprint")
    (row,) = page.tables["summary"]
    assert int(row["cells"]) == fp.cells
    assert int(row["defended_cells"]) == int(fp.defended.sum())


def test_montecarlo_figure_and_report(setup, tmp_path) -> None:
    res = montecarlo(setup, 2, 7)
    check_png(png_bytes(montecarlo_figure(res, setup.name)), 10.0)
    page = _report_ok(
        analysis_reports.write_montecarlo_report(tmp_path, res, setup.name), "fig-montecarlo"
    )
    rows = {r["quantity"]: r for r in page.tables["summary"]}
    assert float(rows["leakers per raid"]["mean"]) == pytest.approx(
        res.summary["leakers_mean"], abs=5e-4
    )


def test_strategic_figure_and_report(tmp_path) -> None:
    flights = [
        StrategicFlight("sunan", "andersen-guam", "hwasong-12-class"),
        StrategicFlight("sea-of-okhotsk", "andersen-guam", "bulava-class"),
    ]
    reach = strategic_reach("araya", "sm3-iia-class", flights)
    paths = strategic_paths(reach, flights)
    assert len(paths) == 2
    assert any(np.isfinite(p.reach_lat_deg).any() for p in paths) == (
        reach.kinematically_reachable > 0
    )
    check_png(png_bytes(strategic_figure(reach, paths)))
    page = _report_ok(
        analysis_reports.write_strategic_report(tmp_path, reach, flights), "fig-strategic"
    )
    assert [r["engageable"] for r in page.tables["trajectories"]] == [
        "yes" if t.engageable else "no" for t in reach.trajectories
    ]


def test_booster_dispersion_figure_and_report(tmp_path) -> None:
    res = booster_dispersion("sm3-iia-class", 34.45, 131.62, 300.0, trials=60, seed=3)
    fig = booster_dispersion_figure(res, "mutsumi")
    # each panel: the 1- and 2-sigma ellipses of every stage drawn in it
    assert sum(len(ax.patches) for ax in fig.axes) >= 2 * len(res.stages)
    check_png(png_bytes(fig), 9.0)
    page = _report_ok(
        analysis_reports.write_booster_report(tmp_path, res, "mutsumi"), "fig-boosters"
    )
    assert [int(r["stage"]) for r in page.tables["stages"]] == [s.stage for s in res.stages]


def test_figures_never_touch_pyplot() -> None:
    import bmdsim.viz

    for f in Path(bmdsim.viz.__file__).parent.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        for banned in ("import matplotlib.pyplot", "from matplotlib import pyplot", ".use("):
            assert banned not in text, f.name
