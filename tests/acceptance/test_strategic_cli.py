"""End-to-end: ``bmdsim strategic`` (JSON contract, text mode, one-line errors)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bmdsim.engagement.results import REASONS

REQUIRED = {"trajectories", "engageable", "engageable_fraction", "details"}
OPTIONAL = {"site", "interceptor", "threat_set", "elapsed_s"}
DETAIL_REQUIRED = {
    "launch",
    "target",
    "engageable",
    "closest_approach_km",
    "intercept_alt_km",
    "reason",
}
DETAIL_OPTIONAL = {"site", "interceptor", "threat_set", "missile"}


def bmdsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmdsim.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def nk_doc():
    p = bmdsim(
        "strategic", "--site", "mutsumi", "--interceptor", "sm3-iia-class",
        "--threat-set", "nk-us", "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_json_contract(nk_doc):
    assert REQUIRED <= set(nk_doc) <= REQUIRED | OPTIONAL
    assert nk_doc["site"] == "mutsumi" and nk_doc["threat_set"] == "nk-us"
    details = nk_doc["details"]
    assert nk_doc["trajectories"] == len(details) > 0
    assert nk_doc["engageable"] == sum(d["engageable"] for d in details)
    assert nk_doc["engageable_fraction"] == pytest.approx(
        nk_doc["engageable"] / nk_doc["trajectories"], abs=1e-4
    )
    for d in details:
        assert DETAIL_REQUIRED <= set(d) <= DETAIL_REQUIRED | DETAIL_OPTIONAL
        assert isinstance(d["engageable"], bool)
        assert d["closest_approach_km"] >= 0.0
        if d["engageable"]:
            assert d["reason"] is None
            assert d["intercept_alt_km"] > 0.0
        else:
            assert d["reason"] in REASONS
            assert d["intercept_alt_km"] is None
    guam = [d for d in details if d["target"] == "andersen-guam" and d["launch"] == "sunan"]
    assert guam and min(d["closest_approach_km"] for d in guam) < 150.0


def test_text_mode_and_own_sensors_only():
    p = bmdsim(
        "strategic", "--site", "araya", "--interceptor", "sm3-iia-class",
        "--threat-set", "nk-us", "--own-sensors-only",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "own radar only" in p.stdout
    assert "summary:" in p.stdout and "trajectories engageable" in p.stdout
    assert "honolulu" in p.stdout


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--site", "arya", "--interceptor", "sm3-iia-class"], "--site"),
        (["--site", "araya", "--interceptor", "sm9-class"], "--interceptor"),
        (["--site", "95,140", "--interceptor", "sm3-iia-class"], "--site"),
        (
            ["--site", "araya", "--interceptor", "sm3-iia-class", "--threat-set", "x"],
            "--threat-set",
        ),
        (
            ["--site", "araya", "--interceptor", "sm3-iia-class", "--threat-set", "china-us"],
            "no Chinese ICBM class in the catalogue",
        ),
        (["--interceptor", "sm3-iia-class"], "--site"),
    ],
)
def test_errors_one_line_exit_2(args, needle):
    p = bmdsim("strategic", *args, "--json")
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in p.stderr
