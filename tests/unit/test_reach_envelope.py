"""Kinematic envelope of the interceptor classes and its report in ``bmdsim reach``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import typer

from bmdsim.interceptors.catalog import INTERCEPTORS, get_interceptor
from bmdsim.interceptors.flyout import flyout_fan, kinematic_envelope

#: GM of the Earth [m^3/s^2] (WGS84) and the mean Earth radius [m] (IUGG), for the energy check
MU_M3_S2 = 3.986004418e14
R_MEAN_M = 6_371_008.8

KEYS = ("max_altitude_km", "max_ground_range_km", "limit_altitude_km", "limit_range_km")


def _app() -> typer.Typer:
    from bmdsim.cli import interceptor_cmds

    app = typer.Typer()
    interceptor_cmds.register(app)

    @app.command()
    def _noop() -> None:  # a second command keeps 'reach' a named sub-command
        pass

    return app


def _reach_json(capsys: pytest.CaptureFixture[str], name: str) -> dict:
    from bmdsim.cli._common import run_app

    assert run_app(_app(), ["reach", "--interceptor", name, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def vertical_apogee_km(speed_m_s: float, burnout_altitude_m: float) -> float:
    """Apogee of a vertical coast by energy with inverse-square gravity (no drag):
    v^2 / 2 - mu / r_bo = -mu / r_apo."""
    r_bo = R_MEAN_M + burnout_altitude_m
    return (1.0 / (1.0 / r_bo - speed_m_s**2 / (2.0 * MU_M3_S2)) - R_MEAN_M) / 1e3


@pytest.mark.parametrize("name", list(INTERCEPTORS))
def test_reach_json_has_the_four_keys(capsys, name):
    doc = _reach_json(capsys, name)
    assert set(KEYS) <= set(doc)
    ic = get_interceptor(name)
    assert isinstance(doc["max_altitude_km"], float) and doc["max_altitude_km"] > 0.0
    assert isinstance(doc["max_ground_range_km"], float) and doc["max_ground_range_km"] > 0.0
    assert doc["limit_altitude_km"] == pytest.approx(ic.max_intercept_altitude_m / 1e3)
    if math.isfinite(ic.max_intercept_range_m):
        assert doc["limit_range_km"] == pytest.approx(ic.max_intercept_range_m / 1e3)
    else:
        assert doc["limit_range_km"] is None
    # what can be intercepted lies inside both the kinematics and the limits
    assert doc["intercept_max_altitude_km"] <= doc["max_altitude_km"] + 1e-6
    assert doc["intercept_max_altitude_km"] <= doc["limit_altitude_km"] + 1e-6
    assert doc["intercept_max_ground_range_km"] <= doc["max_ground_range_km"] + 1e-6
    assert doc["max_altitude_time_s"] <= ic.max_time_of_flight_s + 1e-6
    assert doc["max_ground_range_time_s"] <= ic.max_time_of_flight_s + 1e-6


def test_sm3_iia_kinematic_altitude_beyond_its_limit(capsys):
    """The SM-3 IIA-class's vertical apogee exceeds its 1,200 km engagement limit.

    Independent check by energy (inverse-square gravity, no drag above the burnout): a
    4.5 km/s burnout (Wilkening 2012, the class's nominal speed) at 50-150 km altitude coasts
    straight up to ~1,300-1,445 km (v^2 / 2g alone, without the gravity falloff, would say
    ~1,030 km). The model's own vertical burnout state gives the same apogee by energy.
    """
    doc = _reach_json(capsys, "sm3-iia-class")
    alt = doc["max_altitude_km"]
    assert alt > doc["limit_altitude_km"] == 1200.0
    assert 1200.0 < alt < 1500.0
    assert doc["max_altitude_is_apogee"] is True
    low, high = vertical_apogee_km(4500.0, 50e3), vertical_apogee_km(4500.0, 150e3)
    assert 1290.0 < low < high < 1450.0
    assert low <= alt <= high

    from bmdsim.interceptors.flyout import FLYOUT_FORCE, fly_fan

    fb = fly_fan(get_interceptor("sm3-iia-class"), [0.0])
    y = fb.burnout_state_eci[0]
    h_bo = float(np.linalg.norm(y[:3])) - FLYOUT_FORCE.earth.radius_m
    v_bo = float(np.linalg.norm(y[3:6]))
    assert alt == pytest.approx(vertical_apogee_km(v_bo, h_bo), rel=0.005)


def test_pac3_mse_limits_larger_than_pac3():
    """PAC-3 MSE vs PAC-3 (CRI) engagement limits.

    PAC-3 (CRI): ~20 km altitude, ~20 km defended radius (Japan MoD). PAC-3 MSE: 40 km
    altitude, about twice the CRI's ("altitude almost twice", Japan MoD officials via Sankei,
    26 Oct 2016; "from ten-odd km to several tens of km", ASDF Chief of Staff); 30 km range,
    ~1.5 x the CRI's ("~50 % more range", Lockheed Martin; a defended area "about twice"
    gives sqrt(2) x 20 ~ 28 km).
    """
    cri, mse = get_interceptor("pac3-class"), get_interceptor("pac3-mse-class")
    assert (cri.max_intercept_altitude_m, cri.max_intercept_range_m) == (20e3, 20e3)
    assert (mse.max_intercept_altitude_m, mse.max_intercept_range_m) == (40e3, 30e3)
    assert mse.max_intercept_altitude_m > cri.max_intercept_altitude_m
    assert mse.max_intercept_range_m > cri.max_intercept_range_m
    # the larger 11-inch motor: a wider and heavier missile than the 10-inch CRI
    assert mse.vehicle.stages[0].diameter_m > cri.vehicle.stages[0].diameter_m
    assert mse.launch_mass_kg > cri.launch_mass_kg
    # the kinematics support the MSE envelope: its corner is reached inside the time of flight
    fan = flyout_fan(mse)
    assert fan.max_altitude_m == pytest.approx(40e3, rel=0.02)
    assert fan.max_ground_range_m == pytest.approx(30e3, rel=0.02)
    assert np.all(np.isfinite(fan.time_to([0.0, 28e3, 28e3], [38e3, 38e3, 10e3])))
    kin_cri, kin_mse = kinematic_envelope(cri), kinematic_envelope(mse)
    assert kin_mse.max_altitude_m > 40e3 and kin_mse.max_ground_range_m > 30e3
    assert kin_mse.max_altitude_m >= kin_cri.max_altitude_m


def test_pac3_cri_within_japan_mod_figures():
    """Japan MoD: PAC-3 intercepts at ~10-20 km altitude, defended radius ~20 km (+20 %)."""
    fan = flyout_fan("pac3-class")
    assert 10e3 <= fan.max_altitude_m <= 1.2 * 20e3
    assert 0.5 * 20e3 <= fan.max_ground_range_m <= 1.2 * 20e3
    assert 5.0 < float(fan.time_to(10e3, 15e3)) < 40.0


@pytest.mark.parametrize("name", list(INTERCEPTORS))
def test_kinematic_envelope_covers_the_intercept_envelope(name):
    ic = get_interceptor(name)
    kin = kinematic_envelope(name)
    fan = flyout_fan(name)
    assert kin is kinematic_envelope(ic)  # cached per class
    assert kin.max_altitude_m >= fan.max_altitude_m
    assert kin.max_ground_range_m >= fan.max_ground_range_m * (1.0 - 1e-3)
    assert kin.min_altitude_m == ic.min_intercept_altitude_m
    assert 0.0 < kin.max_altitude_time_s <= ic.max_time_of_flight_s
    assert 0.0 < kin.max_ground_range_time_s <= ic.max_time_of_flight_s
    assert 0.0 <= kin.max_ground_range_kick_deg < 90.0


def test_kinematic_envelope_follows_the_time_of_flight():
    """Cut at 120 s the SM-3 IB-class is still climbing (apogee ~560 km after ~380 s)."""
    full = kinematic_envelope("sm3-ib-class")
    short = kinematic_envelope("sm3-ib-class", max_time_of_flight_s=120.0)
    assert full.max_altitude_is_apogee and not short.max_altitude_is_apogee
    assert short.max_altitude_m < full.max_altitude_m
    assert short.max_altitude_time_s == pytest.approx(120.0)
    assert short.max_ground_range_m < full.max_ground_range_m


def test_reach_text_labels(capsys):
    from bmdsim.cli._common import run_app

    assert run_app(_app(), ["reach", "--interceptor", "sm3-iia-class"]) == 0
    out = capsys.readouterr().out
    assert "kinematic max altitude" in out and "engagement limit" in out
    assert "1,200 km" in out and "ground range unlimited" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--interceptor", "pac3-msee-class"], "did you mean 'pac3-mse-class'"),
        (["--interceptor", "pac3-class", "--point-km", "10"], "--point-km"),
        (["--interceptor", "pac3-class", "--point-km", "-1,5"], "--point-km"),
    ],
)
def test_reach_errors_exit_2_with_one_line(capsys, argv, needle):
    from bmdsim.cli._common import run_app

    assert run_app(_app(), ["reach", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert needle in err and len(err.splitlines()) == 1
