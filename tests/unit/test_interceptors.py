"""Unit tests of the interceptors layer: catalog, fly-out fans, booster drop, reach CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer

from bmdsim.errors import InputError, UnknownName
from bmdsim.interceptors.booster import booster_drop, tumbling_ballistic_coefficient
from bmdsim.interceptors.catalog import INTERCEPTORS, get_interceptor, interceptor_names
from bmdsim.interceptors.flyout import burnout_speed_m_s, flyout_fan

NAMES = (
    "sm3-ib-class",
    "sm3-iia-class",
    "sm3-iib-class",
    "gbi-class",
    "thaad-class",
    "pac3-class",
    "pac3-mse-class",
    "sm6-class",
)


def test_catalog_entries_and_lookup():
    assert tuple(interceptor_names()) == NAMES
    assert get_interceptor("SM3_IIA class").name == "sm3-iia-class"
    with pytest.raises(UnknownName, match="did you mean 'sm3-iia-class'"):
        get_interceptor("sm3-iia-clas")
    for ic in INTERCEPTORS.values():
        lo, hi = ic.burnout_speed_range_m_s
        assert lo <= ic.burnout_speed_m_s <= hi
        assert ic.source and ic.kill_vehicle_mass_kg > 0 and ic.divert_budget_m_s > 0
        assert hash(ic)  # frozen, usable as a cache key
    assert get_interceptor("sm3-iib-class").status.startswith("cancelled")
    # the Mk 72-like booster of the SM-3 classes: ~700 kg loaded, ~250 kg spent, ~6 s
    mk72 = get_interceptor("sm3-ib-class").vehicle.stages[0]
    assert mk72.mass_kg == pytest.approx(700.0, rel=0.05)
    assert mk72.dry_mass_kg == pytest.approx(250.0, rel=0.05)
    assert mk72.burn_time_s == pytest.approx(6.0, rel=0.2)


def test_catalog_validation():
    from dataclasses import replace

    ic = get_interceptor("thaad-class")
    with pytest.raises(InputError):
        replace(ic, burnout_speed_m_s=9000.0)
    with pytest.raises(InputError):
        replace(ic, min_intercept_altitude_m=200e3)


@pytest.mark.parametrize("name", NAMES)
def test_burnout_speed_calibrated(name):
    ic = get_interceptor(name)
    assert burnout_speed_m_s(ic) == pytest.approx(ic.burnout_speed_m_s, rel=0.03)
    assert flyout_fan(name).burnout_speed_m_s == pytest.approx(ic.burnout_speed_m_s, rel=0.03)


def test_fan_queries_limits_and_cache():
    fan = flyout_fan("sm3-ib-class")
    assert flyout_fan("SM3-IB-class") is fan  # cached per class
    t = fan.time_to([0.0, 100e3, 300e3], [247e3, 150e3, 250e3])
    assert t.shape == (3,) and np.all(np.isfinite(t))
    # below the minimum / above the maximum intercept altitude, and far beyond reach
    bad = fan.time_to([10e3, 10e3, 5000e3], [20e3, 900e3, 100e3])
    assert np.all(np.isnan(bad))
    assert list(fan.reachable([100e3, 10e3], [150e3, 20e3])) == [True, False]
    # farther or higher (on the ascent, same direction) takes longer
    assert fan.time_to(0.0, 300e3) > fan.time_to(0.0, 150e3)
    assert fan.time_to(200e3, 250e3) > fan.time_to(50e3, 250e3)
    # vectorised with broadcasting
    grid = fan.time_to(np.linspace(0, 300e3, 7)[:, None], np.array([100e3, 200e3])[None, :])
    assert grid.shape == (7, 2)
    assert fan.burnout_time_s == pytest.approx(get_interceptor("sm3-ib-class").vehicle.burn_time_s)
    assert 0 < fan.max_altitude_m <= 500e3 and fan.max_ground_range_m > 300e3
    many = fan.time_to(np.full(10_000, 100e3), np.full(10_000, 150e3))
    assert many.shape == (10_000,)
    assert np.all(many == fan.time_to(100e3, 150e3))


def test_fan_overrides_make_a_new_fan():
    short = flyout_fan("sm3-ib-class", max_time_of_flight_s=120.0)
    assert short is not flyout_fan("sm3-ib-class")
    assert np.isnan(short.time_to(0.0, 450e3))
    assert np.nanmax(short.time_grid_s) <= 120.0


def test_tumbling_beta():
    beta = tumbling_ballistic_coefficient(250.0, 0.53, 1.7)
    assert 300.0 < beta < 700.0


def test_booster_drop_lists_every_spent_stage():
    drops = booster_drop("sm3-iia-class", 34.45, 131.62, 15.0, kick_deg=35.0)
    assert [d.stage for d in drops] == [1, 2, 3]
    first = drops[0]
    assert first.separation_time_s == pytest.approx(6.0)
    assert first.impact_time_s > first.separation_time_s
    assert 0.0 < first.distance_km < drops[1].distance_km
    assert math.isfinite(first.lat_deg) and math.isfinite(first.lon_deg)
    assert set(first.as_dict()) >= {"lat_deg", "lon_deg", "distance_km"}


def _app() -> typer.Typer:
    from bmdsim.cli import interceptor_cmds

    app = typer.Typer()
    interceptor_cmds.register(app)

    @app.command()
    def _noop() -> None:  # a second command keeps 'reach' a named sub-command
        pass

    return app


def test_reach_cli_json(capsys):
    from bmdsim.cli._common import run_app

    rc = run_app(
        _app(), ["reach", "--interceptor", "thaad-class", "--point-km", "100,100", "--json"]
    )
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    for key in (
        "burnout_speed_m_s",
        "burnout_time_s",
        "max_altitude_km",
        "max_ground_range_km",
        "limit_altitude_km",
        "limit_range_km",
    ):
        assert isinstance(doc[key], float)
    # kinematic maxima (uncapped) beyond the THAAD-class limits (150 km, 200 km)
    assert doc["limit_altitude_km"] == 150.0 and doc["limit_range_km"] == 200.0
    assert doc["max_altitude_km"] > doc["limit_altitude_km"]
    assert doc["max_ground_range_km"] > doc["limit_range_km"]
    assert doc["fan"] and set(doc["fan"][0]) == {"ground_range_km", "altitude_km", "time_s"}
    assert doc["reachable"] is True and doc["time_s"] > 0
    rc = run_app(
        _app(), ["reach", "--interceptor", "thaad-class", "--point-km", "900,10", "--json"]
    )
    doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc["reachable"] is False and doc["time_s"] is None


def test_reach_cli_errors(capsys):
    from bmdsim.cli._common import run_app

    assert run_app(_app(), ["reach", "--interceptor", "thad-class"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'thaad-class'" in err and len(err.strip().splitlines()) == 1
    assert run_app(_app(), ["reach", "--interceptor", "thaad-class", "--point-km", "x"]) == 2
    assert "--point-km" in capsys.readouterr().err
    assert run_app(_app(), ["reach", "--interceptor", "pac3-mse-class"]) == 0
    assert "pac3-mse-class" in capsys.readouterr().out


def test_catalog_doc():
    from bmdsim.cli.interceptor_cmds import catalog_interceptors_doc

    doc = catalog_interceptors_doc()
    assert [d["name"] for d in doc["interceptors"]] == list(NAMES)
    json.dumps(doc)


@pytest.mark.parametrize("name", ["sm3-iia-class", "thaad-class", "pac3-class"])
def test_fan_time_of_flight_kernel_equals_the_numpy_reference(name: str) -> None:
    """The compiled time of flight equals the numpy one everywhere: inside and outside the
    grid, at its edges and nodes, past the limits, at non-finite points."""
    from bmdsim.interceptors.flyout import flyout_fan

    fan = flyout_fan(get_interceptor(name))
    rng = np.random.default_rng(2)
    rg, hg = fan.ground_range_grid_m, fan.altitude_grid_m
    r = rng.uniform(-0.1 * rg[-1], 1.2 * rg[-1], 20_000)
    h = rng.uniform(-0.1 * hg[-1], 1.2 * hg[-1], 20_000)
    rr, hh = np.meshgrid(rg, hg, indexing="ij")
    r = np.concatenate([r, rr.ravel(), [np.nan, np.inf, -np.inf, 0.0, rg[-1]]])
    h = np.concatenate([h, hh.ravel(), [0.0, 1e5, 1e5, np.nan, hg[-1]]])
    got, ref = fan.time_to(r, h), fan.time_to_reference(r, h)
    np.testing.assert_array_equal(got, ref)
    assert np.isfinite(got).sum() > 1000
    grid = fan.time_to(r[:20_000].reshape(-1, 5), h[:20_000].reshape(-1, 5))
    np.testing.assert_array_equal(grid.ravel(), ref[:20_000])
