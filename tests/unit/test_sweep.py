"""Parameter sweeps: keys, value specs, document edits, points, the sweep driver with a
stand-in metric, and the metrics' refusal of unused or impossible values (nothing here
flies a threat)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest

from bmdsim.analysis.sweep import (
    ALL,
    MAX_POINTS,
    Add,
    Drop,
    FootprintMetric,
    Keep,
    Metric,
    MetricValue,
    MonteCarloMetric,
    PointError,
    Selector,
    Set,
    apply_edit,
    current_value,
    format_key,
    grid_points,
    oat_points,
    parse_key,
    parse_param,
    parse_spec,
    point_values,
    split_items,
    sweep,
)
from bmdsim.errors import InputError, ScenarioError
from bmdsim.scenario.edit import document_setup, parse_flow, read_document


@pytest.fixture(scope="module")
def doc():
    d, _, _ = read_document("aegis-ashore-japan")
    return d


# ---- keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("doctrine.pk", ("doctrine", "pk")),
        (
            "batteries[0].overrides.burnout_speed_m_s",
            ("batteries", 0, "overrides", "burnout_speed_m_s"),
        ),
        ("batteries[*].reaction_time_s", ("batteries", ALL, "reaction_time_s")),
        ("sensors[sbirs].link_latency_s", ("sensors", "sbirs", "link_latency_s")),
        ("places.pacific-impact-area.lat_deg", ("places", "pacific-impact-area", "lat_deg")),
        (" batteries[1] ", ("batteries", 1)),
    ],
)
def test_parse_key(key, path):
    got = parse_key(key)
    assert got == path
    assert parse_key(format_key(got)) == got


def test_bracketed_names_stay_bracketed():
    path = parse_key("sensors[sbirs].link_latency_s")
    assert isinstance(path[1], Selector)
    assert format_key(path) == "sensors[sbirs].link_latency_s"


@pytest.mark.parametrize("key", ["", "a..b", ".a", "a.", "[0]", "a[]", "a b", "a[0]b", "a]"])
def test_bad_keys_are_refused(key):
    with pytest.raises(InputError):
        parse_key(key)


# ---- values -------------------------------------------------------------------------------


def values(spec):
    return [e.value for e in parse_spec(spec)]


def test_lists_keep_their_types():
    assert values("1,2.5,true,null,'7',text") == [1, 2.5, True, None, "7", "text"]
    assert [type(v) for v in values("3000,3000.0")] == [int, float]


def test_ranges_include_a_stop_on_the_grid():
    assert values("3000:5000:500") == [3000, 3500, 4000, 4500, 5000]
    assert values("0.1:0.3:0.1") == [0.1, 0.2, 0.3]  # 0.1 + 2 * 0.1 != 0.3 in binary
    assert values("0:1:0.4") == [0.0, 0.4, 0.8]  # 1.2 is past the stop
    assert values("5:1:-2") == [5, 3, 1]
    assert values("2:2:1") == [2]


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("1:2:0", "zero"),
        ("1:2:-1", "away from"),
        ("0:1e6:1", "at most"),
        ("nan", "finite"),
        ("1,inf", "finite"),
        ("1e400", "finite"),
        ("9" * 5000, "digits"),
        ("drop:" + "9" * 5000, "too large"),
        ("1,,2", "empty"),
        ("", "no value"),
        ("1,1", "twice"),
        ("drop:", "what to drop"),
        ("add:", "item to add"),
        ("add:{a: 1", "unbalanced"),
        ("'open", "unclosed"),
    ],
)
def test_bad_specs_are_refused(spec, words):
    with pytest.raises(InputError, match=words):
        parse_spec(spec, parse_flow)


def test_edits_and_labels():
    p = parse_param("batteries=keep,drop:1,drop:mutsumi,add:{name: b3, site: tokyo}", parse_flow)
    assert p.edits == (
        Keep(),
        Drop(1),
        Drop("mutsumi"),
        Add({"name": "b3", "site": "tokyo"}, "{name: b3, site: tokyo}"),
    )
    assert p.labels == ["keep", "drop:1", "drop:mutsumi", "add:{name: b3, site: tokyo}"]
    assert parse_param("batteries[1]=drop").edits == (Drop(),)
    assert split_items("a,{b: 1, c: 2},[3,4],'5,6'") == ["a", "{b: 1, c: 2}", "[3,4]", "'5,6'"]


def test_drop_needs_one_entry():
    with pytest.raises(InputError, match="one entry"):
        parse_param("batteries[*]=drop")
    with pytest.raises(InputError, match="KEY=SPEC"):
        parse_param("doctrine.pk")


# ---- editing ------------------------------------------------------------------------------


def test_set_copies_and_creates_missing_mappings():
    d = {"batteries": [{"name": "a"}, {"name": "b", "overrides": None}]}
    before = copy.deepcopy(d)
    out = apply_edit(d, parse_key("batteries[*].overrides.burnout_speed_m_s"), Set(4000, 4000))
    assert d == before  # the input is not touched
    assert [b["overrides"] for b in out["batteries"]] == [{"burnout_speed_m_s": 4000}] * 2
    out = apply_edit(d, parse_key("doctrine.pk"), Set(0.5, 0.5))
    assert out["doctrine"] == {"pk": 0.5}
    out = apply_edit(d, parse_key("batteries[b].inventory"), Set(3, 3))
    assert "inventory" not in out["batteries"][0] and out["batteries"][1]["inventory"] == 3


def test_drop_and_add():
    d = {"batteries": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "doctrine": {"pk": 0.7}}
    names = lambda o: [b["name"] for b in o["batteries"]]  # noqa: E731
    assert names(apply_edit(d, ("batteries",), Drop(1))) == ["a", "c"]
    assert names(apply_edit(d, ("batteries",), Drop("c"))) == ["a", "b"]
    assert names(apply_edit(d, ("batteries", 0), Drop())) == ["b", "c"]
    assert apply_edit(d, ("doctrine",), Drop("pk"))["doctrine"] == {}
    assert names(apply_edit(d, ("batteries",), Add({"name": "d"}, "{name: d}")))[-1] == "d"
    assert apply_edit({}, ("sensors",), Add({"name": "s"}, ""))["sensors"] == [{"name": "s"}]
    assert apply_edit(d, ("batteries",), Keep()) == d


@pytest.mark.parametrize(
    ("key", "edit", "words"),
    [
        ("batteries[3].inventory", Set(1, 1), "3 entries"),
        ("batteries[z].inventory", Set(1, 1), "no entry named 'z'"),
        ("doctrine.pk.x", Set(1, 1), "is a value"),
        ("doctrine[0]", Set(1, 1), "not a list"),
        ("batteries", Drop(5), "3 entries"),
        ("doctrine.kind", Drop(), "no key 'kind'"),
        ("doctrine", Add(1, "1"), "not a list"),
        ("sensors[*].x", Set(1, 1), "empty list"),
    ],
)
def test_edits_that_do_not_fit_are_refused(key, edit, words):
    d = {"batteries": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "doctrine": {"pk": 0.7}}
    d["sensors"] = []
    with pytest.raises(InputError, match=words):
        apply_edit(d, parse_key(key), edit)


def test_current_value():
    d = {"batteries": [{"r": 1}, {"r": 1}], "b": [{"r": 1}, {"r": 2}]}
    assert current_value(d, parse_key("batteries[*].r")) == 1
    assert current_value(d, parse_key("b[*].r")) == [1, 2]
    assert current_value(d, parse_key("doctrine.pk")) is None


# ---- points -------------------------------------------------------------------------------


def test_grid_and_one_at_a_time_points():
    a = parse_param("doctrine.pk=0.5,0.9")
    b = parse_param("seed=1:3:1")
    grid = grid_points([a, b])
    assert len(grid) == 6 and [e.value for e in grid[1].edits] == [0.5, 2]
    oat = oat_points([a, b])
    assert len(oat) == 1 + 2 + 3 and oat[0].is_baseline
    assert all(sum(not isinstance(e, Keep) for e in p.edits) == 1 for p in oat[1:])
    big = [parse_param("seed=1:40:1"), parse_param("doctrine.pk=0.01:1:0.01")]
    assert 40 * 100 > MAX_POINTS
    with pytest.raises(InputError, match="at most"):
        grid_points(big)


def test_point_values_show_the_file_value_at_the_baseline():
    a = parse_param("doctrine.pk=0.5,0.9")
    b = parse_param("batteries=drop:0")
    vals = point_values([a, b], [0.7, [{"name": "x"}]], oat_points([a, b])[0])
    assert vals == {"doctrine.pk": 0.7, "batteries": "keep"}


# ---- the sweep, with a stand-in metric ------------------------------------------------------


@dataclass
class Defence(Metric):
    """A stand-in: the share of batteries quicker than 60 s (uses only reaction times)."""

    name = "defended_fraction"
    calls: int = 0

    @property
    def ignores(self) -> str:
        return "only reaction times count"

    def key(self, setup):
        return tuple(b.reaction_time_s for b in setup.batteries)

    def evaluate(self, setup, progress=None):
        self.calls += 1
        if progress is not None:
            progress(1, 1)
        quick = [b.reaction_time_s < 60.0 for b in setup.batteries]
        return MetricValue(sum(quick) / len(quick))


def test_sensitivity_sweep_and_tornado(doc):
    params = [
        parse_param("batteries[*].reaction_time_s=30,90"),
        parse_param("batteries[araya].reaction_time_s=10,120"),
        parse_param("batteries=drop:mutsumi"),
    ]
    m = Defence()
    seen = []
    res = sweep(
        doc, params, document_setup, m, sensitivity=True, progress=lambda d, n: seen.append(d)
    )
    got = [r.value.value for r in res.points]
    assert got == [1.0, 1.0, 0.0, 1.0, 0.5, 1.0]
    # Araya at 10 s is the file's value: the baseline's result, not computed again
    assert m.calls == 5 and [r.reused for r in res.points] == [False] * 3 + [True, False, False]
    assert seen[0] == 0 and seen[-1] == len(res.points)
    rows = {r["param"]: r for r in res.sensitivity}
    assert [r["param"] for r in res.sensitivity][0] == "batteries[*].reaction_time_s"
    star = rows["batteries[*].reaction_time_s"]
    assert star["by"] == "value" and star["low"]["value"] == 30 and star["high"]["delta"] == -1.0
    assert star["swing"] == 1.0
    assert rows["batteries"]["by"] == "metric" and rows["batteries"]["low"]["delta"] == 0.0
    assert res.baseline_values[0] == 10.0  # the file's (defaulted) reaction time


def test_grid_sweep_points(doc):
    params = [parse_param("batteries[0].reaction_time_s=10,90"), parse_param("batteries=keep")]
    res = sweep(doc, params, document_setup, Defence())
    assert [r.value.value for r in res.points] == [1.0, 0.5]
    assert res.sensitivity is None


def test_unused_parameter_is_refused(doc):
    with pytest.raises(PointError, match="no value changes what defended_fraction computes"):
        sweep(doc, [parse_param("doctrine.pk=0.5,0.9")], document_setup, Defence())
    # a value equal to the file's is a point like any other
    res = sweep(doc, [parse_param("batteries[0].reaction_time_s=10,20")], document_setup, Defence())
    assert len(res.points) == 2


@pytest.mark.parametrize(
    ("param", "words"),
    [
        ("batteries[0].overrides.burnout_speed=4000", "did you mean 'burnout_speed_m_s'"),
        ("batteries[0].inventory=2.5", "batteries[0].inventory: expected a valid integer"),
        ("batteries[0].reaction_time_s=-1", "greater than or equal to 0"),
        ("sensors=drop:araya-spy7", "no sensor named 'araya-spy7'"),
        ("batteries[5].inventory=3", "2 entries"),
    ],
)
def test_bad_values_name_the_parameter(doc, param, words):
    with pytest.raises(PointError) as info:
        sweep(doc, [parse_param(param)], document_setup, Defence())
    text = str(info.value)
    assert text.startswith(param.split("=")[0]) and words in text and "\n" not in text


def test_combinations_are_checked_before_any_point_is_computed(doc):
    m = Defence()
    params = [parse_param("batteries=drop:0"), parse_param("batteries[1].reaction_time_s=5")]
    with pytest.raises(PointError, match="batteries=drop:0, batteries\\[1\\]"):
        sweep(doc, params, document_setup, m)
    assert m.calls == 0
    with pytest.raises(PointError, match="given twice"):
        sweep(doc, [parse_param("seed=1"), parse_param("seed=2")], document_setup, m)


def test_document_errors_have_no_line():
    with pytest.raises(ScenarioError) as info:
        document_setup({"name": "x", "threats": []})
    assert str(info.value).startswith("threats: ")


# ---- the real metrics refuse before computing -------------------------------------------------


def test_footprint_metric_refuses_unused_and_impossible_values(doc):
    m = FootprintMetric(grid_deg=1.0)
    for param in ("doctrine.pk=0.5", "batteries[*].inventory=1,2", "threats[0].launch_time_s=9"):
        with pytest.raises(PointError, match="footprint fires"):
            sweep(doc, [parse_param(param)], document_setup, m)
    with pytest.raises(PointError, match="re-sizing"):
        sweep(
            doc, [parse_param("batteries[0].overrides.burnout_speed_m_s=1000")], document_setup, m
        )
    with pytest.raises(PointError, match="no battery left"):
        sweep(
            doc,
            [parse_param("batteries=drop:0"), parse_param("batteries[0]=drop")],
            document_setup,
            m,
        )


def test_montecarlo_metric_key_ignores_the_seed_only_when_one_is_given(doc):
    base = document_setup(doc)
    other = document_setup(apply_edit(doc, ("seed",), Set(5, 5)))
    assert MonteCarloMetric(seed=None).key(base) != MonteCarloMetric(seed=None).key(other)
    assert MonteCarloMetric(seed=3).key(base) == MonteCarloMetric(seed=3).key(other)
    renamed = document_setup(apply_edit(doc, ("name",), Set("other", "other")))
    assert MonteCarloMetric().key(base) == MonteCarloMetric().key(renamed)
