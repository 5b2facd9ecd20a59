"""Fuzz every command's options in process: a bad value is one line on stderr and exit 2, a
good one exit 0 with one strict JSON document (see ``fuzz_harness`` for the contract).

Commands whose good input is slow (run, bench, demo, validate, strategic) are fuzzed only
with input that fails at the door, or with tiny sizes; the physics of the others is fast
enough for a few hundred cases in the normal test run.
"""

from __future__ import annotations

import math
import os

import pytest
from fuzz_harness import (
    ODD_TEXT,
    check,
    command_line,
    fuzz_settings,
    integer,
    invoke,
    mostly,
    name,
    number,
    path_text,
    place,
)
from hypothesis import given
from hypothesis import strategies as st

from bmdsim.scenario import limits as L

# short flights keep the good cases fast; every catalog name is still fair game for errors
MISSILES = ["scud-er-class", "nodong-class", "scud-b-class"]
NEAR = ["sunan", "wonsan", "sinpo", "musudan-ri", "tokyo", "fukuoka", "osaka", "araya", "seoul"]
RADARS = ["spy7-class", "tpy2-class", "fps5-class", "spy1d-class", "sbirs-class"]
INTERCEPTORS = ["sm3-iia-class", "sm3-ib-class", "pac3-class", "pac3-mse-class"]
PROFILES = ["min-energy", "standard", "lofted", "depressed"]
JSON = {"--json": None}
#: good coordinates around Korea and Japan, without a height / with a site's height
COORDS = st.builds(lambda a, o: f"{a:.3f},{o:.3f}", st.floats(30.0, 45.0), st.floats(124.0, 142.0))
SITE_COORDS = st.builds(
    lambda a, o, h: f"{a:.3f},{o:.3f},{h:.0f}",
    st.floats(30.0, 45.0),
    st.floats(124.0, 142.0),
    st.floats(-500.0, 100_000.0),
)


def _choice(values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), ODD_TEXT)


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("fuzz-out"))


@fuzz_settings(60)
@given(
    argv=command_line(
        "trajectory",
        {
            "--physics": mostly(st.just("kepler"), st.just("full") | ODD_TEXT),
            "--burnout-speed-m-s": number(*L.BURNOUT_SPEED_M_S, good=st.floats(150.0, 7500.0)),
            "--burnout-angle-deg": number(-89.9, 89.9, good=st.floats(-30.0, 89.0)),
            "--burnout-altitude-km": number(0.0, 5000.0, good=st.floats(0.0, 1000.0)),
            **JSON,
        },
        required=["--physics", "--burnout-speed-m-s", "--burnout-angle-deg"],
    )
)
def test_trajectory_kepler(argv: list[str]) -> None:
    check(invoke(argv, limit_s=30))


_FLIGHT = {
    "--missile": name(MISSILES),
    "--from": place(NEAR, COORDS),
    **JSON,
}
#: a profile, and for a lofted or depressed one its apogee or flight time (or both, or none)
_PROFILE = st.one_of(
    st.sampled_from([[], ["--profile", "min-energy"], ["--profile", "standard"]]),
    st.builds(
        lambda p, k, v: ["--profile", p, k, v],
        _choice(PROFILES),
        st.sampled_from(["--apogee-km", "--flight-time-s"]),
        number(*L.APOGEE_KM, good=st.floats(100.0, 1500.0)),
    ),
    st.builds(lambda v: ["--apogee-km", v, "--flight-time-s", v], number(300.0, 1000.0)),
)


@fuzz_settings(40)
@given(
    argv=st.one_of(
        command_line(
            "trajectory",
            {**_FLIGHT, "--to": place(NEAR, COORDS)},
            required=["--missile", "--to"],
        ),
        command_line(
            "trajectory",
            {
                **_FLIGHT,
                "--range-km": number(*L.RANGE_KM, good=st.floats(100.0, 1000.0)),
                "--azimuth-deg": number(*L.AZIMUTH_DEG),
            },
            required=["--missile", "--range-km", "--azimuth-deg"],
        ),
    ),
    profile=_PROFILE,
)
def test_trajectory_missile(argv: list[str], profile: list[str]) -> None:
    check(invoke(argv + profile, limit_s=60))


@fuzz_settings(30)
@given(
    argv=command_line(
        "reconstruct",
        {
            "--apogee-km": number(*L.APOGEE_KM, good=st.floats(200.0, 5000.0)),
            "--range-km": number(*L.RANGE_KM, good=st.floats(200.0, 10_000.0)),
            "--flight-time-s": number(*L.FLIGHT_TIME_S, good=st.floats(300.0, 3000.0)),
            "--from": place(NEAR, COORDS),
            "--azimuth-deg": number(*L.AZIMUTH_DEG),
            "--missile": name(MISSILES + ["hwasong-15-class"]),
            **JSON,
        },
        required=["--apogee-km", "--range-km"],
    )
)
def test_reconstruct(argv: list[str]) -> None:
    check(invoke(argv, limit_s=60))


@fuzz_settings(20)
@given(
    argv=command_line(
        "range",
        {"--missile": name(MISSILES), "--from": place(NEAR, COORDS), **JSON},
        ["--missile"],
    )
)
def test_range(argv: list[str]) -> None:
    check(invoke(argv, limit_s=60))


@fuzz_settings(25)
@given(
    argv=command_line(
        "observe",
        {
            "--sensor": name(RADARS),
            "--site": place(NEAR, SITE_COORDS),
            "--missile": name(MISSILES),
            "--from": place(NEAR, COORDS),
            "--to": place(NEAR, COORDS),
            "--rcs-m2": number(*L.RCS_M2, good=st.floats(0.001, 10.0)),
            **JSON,
        },
        required=["--sensor", "--site", "--missile", "--from", "--to"],
    ),
    profile=_PROFILE.filter(lambda p: "--flight-time-s" not in p),
)
def test_observe(argv: list[str], profile: list[str]) -> None:
    check(invoke(argv + profile, limit_s=60))


@fuzz_settings(40)
@given(
    data=st.data(),
)
def test_coverage(data: st.DataObject, tmp_dir: str) -> None:
    argv = data.draw(
        command_line(
            "coverage",
            {
                "--sensor": name(RADARS),
                "--site": place(NEAR, SITE_COORDS),
                "--altitude-km": number(*L.COVERAGE_ALTITUDE_KM, good=st.floats(10.0, 1000.0)),
                "--rcs-m2": number(*L.RCS_M2, good=st.floats(0.001, 10.0)),
                "--geojson": path_text(tmp_dir),
                **JSON,
            },
            required=["--sensor", "--site", "--altitude-km"],
        )
    )
    cwd = os.getcwd()
    os.chdir(tmp_dir)  # a relative output path lands in the scratch folder
    try:
        check(invoke(argv, limit_s=30))
    finally:
        os.chdir(cwd)


@fuzz_settings(25)
@given(
    argv=command_line(
        "reach",
        {
            "--interceptor": name(INTERCEPTORS),
            "--point-km": mostly(
                st.builds(lambda r, h: f"{r},{h}", st.floats(0.0, 2000.0), st.floats(0.0, 2000.0)),
                st.one_of(
                    st.builds(
                        lambda r, h: f"{r},{h}",
                        st.floats(-1e3, 3e4) | st.sampled_from([math.nan, math.inf]),
                        st.floats(-1e3, 2e4) | st.sampled_from([math.nan, -math.inf]),
                    ),
                    ODD_TEXT,
                ),
            ),
            **JSON,
        },
        required=["--interceptor"],
    )
)
def test_reach(argv: list[str]) -> None:
    check(invoke(argv, limit_s=60))


_BOOSTERS = {
    "--site": place(["araya", "mutsumi", "tokyo"], COORDS),
    "--interceptor": name(INTERCEPTORS),
    # good trial counts stay small; the others test the bounds
    "--trials": integer(1, 100_000, good=st.integers(1, 30)),
    "--site-radius-km": number(*L.BOOSTER_SITE_RADIUS_KM),
    "--seed": integer(*L.SEED),
    **JSON,
}


@fuzz_settings(30)
@given(
    argv=st.one_of(
        command_line(
            "boosters",
            {**_BOOSTERS, "--toward": place(NEAR, COORDS)},
            required=["--site", "--interceptor", "--toward", "--trials"],
        ),
        command_line(
            "boosters",
            {**_BOOSTERS, "--azimuth-deg": number(*L.AZIMUTH_DEG)},
            required=["--site", "--interceptor", "--azimuth-deg", "--trials"],
        ),
    ).filter(lambda a: not _many_trials(a))
)
def test_boosters(argv: list[str]) -> None:
    check(invoke(argv, limit_s=60))


def _many_trials(argv: list[str]) -> bool:
    """More than 1,000 trials (allowed, but minutes of Monte Carlo each)."""
    for i, a in enumerate(argv[:-1]):
        if a == "--trials":
            try:
                return 1000 < int(argv[i + 1]) <= 100_000
            except ValueError:
                return False
    return False


@fuzz_settings(20)
@given(
    argv=st.one_of(
        st.builds(
            lambda k, j: ["catalog", k, *j],
            _choice(["missiles", "places", "sensors", "interceptors"]),
            st.sampled_from([[], ["--json"]]),
        ),
        command_line("schema", {"--json": None, "--x": ODD_TEXT}),
        command_line("catalog", {"--json": None}, positional=ODD_TEXT),
    )
)
def test_catalog_and_schema(argv: list[str]) -> None:
    check(invoke(argv, limit_s=30), json_out="--json" in argv or argv[0] == "schema")


#: a scenario argument that fails at the door
_BAD_SCENARIO = st.one_of(
    st.sampled_from(
        ["aegis-ashore-japn", "no-such.yaml", "/dev/null", "/dev/zero", "/", "/proc/self/mem", ""]
    ),
    ODD_TEXT,
)


def _not_big(text: str) -> bool:
    """Not a good size past the tiny ones (those run for minutes)."""
    try:
        return not 20 < int(text) <= 200_000
    except ValueError:
        return True


def _door(options: dict[str, st.SearchStrategy[str] | None]) -> dict[str, st.SearchStrategy[str]]:
    return {k: v for k, v in options.items() if v is not None}


@fuzz_settings(50)
@given(
    argv=st.one_of(
        # run: never a good scenario (the physics takes seconds): bad paths and seeds
        command_line(
            "run",
            {
                "--seed": integer(*L.SEED).filter(lambda s: not s.isdigit()),
                "--export": ODD_TEXT | st.sampled_from(["geojson,kml", "czml", "csv,,parquet"]),
                "--out": ODD_TEXT,
                "--report": ODD_TEXT,
                **JSON,
            },
            positional=_BAD_SCENARIO,
        ),
        # view: never a good scenario or result (it would serve until stopped)
        command_line(
            "view",
            {
                "--port": integer(0, 65535).filter(lambda s: not s.isdigit()),
                "--seed": integer(*L.SEED),
                "--no-open": None,
            },
            positional=_BAD_SCENARIO,
        ),
        # sweep: bad scenarios, odd parameters and metrics
        command_line(
            "sweep",
            {
                "--param": ODD_TEXT
                | st.sampled_from(
                    [
                        "batteries[0].reaction_time_s=1:2:0",
                        "batteries[9].reaction_time_s=1,2",
                        "x=1",
                        "=",
                        "batteries=drop:nowhere",
                    ]
                ),
                "--metric": ODD_TEXT | st.sampled_from(["defended_fraction", "p_zero_leakers"]),
                "--grid-deg": number(0.01, 10.0),
                "--trials": integer(1, 1_000_000, good=st.integers(1, 3)),
                **JSON,
            },
            required=["--param"],
            positional=_BAD_SCENARIO,
        ),
        # bench: tiny sizes or sizes past the bounds
        command_line(
            "bench",
            {
                "--n": st.integers(1, 20).map(str) | integer(1, 200_000).filter(_not_big),
                "--reference-n": st.integers(1, 2).map(str) | integer(1, 1000).filter(_not_big),
                "--seed": integer(*L.SEED),
                **JSON,
            },
            required=["--n", "--reference-n"],
        ),
        # demo, validate, strategic: only what fails at the door
        st.builds(lambda t: ["demo", t], ODD_TEXT.filter(lambda t: t != "--help")),
        command_line("validate", {"--group": ODD_TEXT, **JSON}, required=["--group"]),
        # footprint, montecarlo: never a good scenario (minutes of physics)
        command_line(
            "footprint",
            {
                "--region": ODD_TEXT | st.sampled_from(["japan", "1,2,3,4", "90,0,-90,0"]),
                "--grid-deg": number(0.01, 10.0),
                "--burnout-speed-m-s": number(1000.0, 8000.0),
                "--profiles": ODD_TEXT
                | st.sampled_from(
                    ["standard", "lofted:600", "lofted", "depressed:-1", "lofted:nan,standard"]
                ),
                "--workers": integer(1, 64, good=st.integers(1, 2)),
                "--out": ODD_TEXT,
                **JSON,
            },
            positional=_BAD_SCENARIO,
        ),
        command_line(
            "montecarlo",
            {
                "--trials": integer(1, 1_000_000, good=st.integers(1, 3)),
                "--seed": integer(*L.SEED),
                "--launch-jitter-s": number(0.0, 3600.0),
                "--pk-band": number(0.0, 1.0),
                "--db": ODD_TEXT,
                **JSON,
            },
            positional=_BAD_SCENARIO,
        ),
        command_line(
            "strategic",
            _door(
                {
                    "--site": ODD_TEXT,
                    "--interceptor": ODD_TEXT,
                    "--threat-set": ODD_TEXT,
                    "--own-sensors-only": None,
                }
            ),
            required=["--site"],
        ),
    )
)
def test_slow_commands_at_the_door(argv: list[str], tmp_dir: str) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_dir)  # whatever a command might write lands in the scratch folder
    try:
        check(invoke(argv, limit_s=60))
    finally:
        os.chdir(cwd)


ALL_OPTIONS = [
    "--physics",
    "--burnout-speed-m-s",
    "--missile",
    "--from",
    "--to",
    "--apogee-km",
    "--sensor",
    "--site",
    "--altitude-km",
    "--rcs-m2",
    "--interceptor",
    "--point-km",
    "--trials",
    "--seed",
    "--json",
    "--help",
    "--n",
]


@fuzz_settings(40)
@given(
    argv=st.lists(
        st.one_of(
            st.sampled_from(
                ["trajectory", "reconstruct", "range", "observe", "coverage", "reach", "catalog"]
            ),
            st.sampled_from(ALL_OPTIONS),
            ODD_TEXT,
        ),
        max_size=6,
    )
)
def test_any_tokens(argv: list[str]) -> None:
    """Whatever the tokens, the contract holds (commands that would run long are left out)."""
    check(invoke(argv, limit_s=60, kind="any tokens"), json_out=False)


def _good(value: st.SearchStrategy[float], fmt: str = "{!r}") -> st.SearchStrategy[str]:
    return value.map(fmt.format)


_GOOD_PLACE = st.sampled_from(NEAR) | COORDS
GOOD_LINES = st.one_of(
    st.builds(
        lambda v, a, h: ["trajectory", "--physics", "kepler", "--burnout-speed-m-s", v,
                         "--burnout-angle-deg", a, "--burnout-altitude-km", h],
        _good(st.floats(400.0, 7000.0)),
        _good(st.floats(10.0, 80.0)),
        _good(st.floats(0.0, 500.0)),
    ),
    st.builds(
        lambda m, a, b: ["trajectory", "--missile", m, "--from", a, "--to", b],
        st.sampled_from(MISSILES),
        _GOOD_PLACE,
        _GOOD_PLACE,
    ),
    st.builds(
        lambda ap, r: ["reconstruct", "--apogee-km", ap, "--range-km", r],
        _good(st.floats(300.0, 4000.0)),
        _good(st.floats(300.0, 8000.0)),
    ),
    st.builds(
        lambda s, p, a, r: ["coverage", "--sensor", s, "--site", p, "--altitude-km", a,
                            "--rcs-m2", r],
        st.sampled_from(RADARS[:4]),
        st.sampled_from(NEAR) | SITE_COORDS,
        _good(st.floats(1.0, 1500.0)),
        _good(st.floats(1e-4, 1e3)),
    ),
    st.builds(
        lambda s, p, m, a, b: ["observe", "--sensor", s, "--site", p, "--missile", m,
                               "--from", a, "--to", b],
        st.sampled_from(RADARS),
        st.sampled_from(NEAR) | SITE_COORDS,
        st.sampled_from(MISSILES),
        _GOOD_PLACE,
        _GOOD_PLACE,
    ),
    st.builds(
        lambda i, r, h: ["reach", "--interceptor", i, "--point-km", f"{r},{h}"],
        st.sampled_from(INTERCEPTORS),
        st.floats(0.0, 20_000.0),
        st.floats(0.0, 10_000.0),
    ),
    st.builds(
        lambda s, i, a, n, k: ["boosters", "--site", s, "--interceptor", i, "--azimuth-deg",
                               a, "--trials", n, "--seed", k],
        st.sampled_from(["araya", "mutsumi"]) | COORDS,
        st.sampled_from(INTERCEPTORS),
        _good(st.floats(-360.0, 360.0)),
        st.integers(1, 20).map(str),
        st.integers(*L.SEED).map(str),
    ),
)  # fmt: skip


@fuzz_settings(30)
@given(argv=GOOD_LINES, json_out=st.booleans())
def test_good_command_lines(argv: list[str], json_out: bool) -> None:
    """Inputs inside every range: exit 0, or a one-line refusal of the physics (a target out
    of reach, a fit that does not converge); with --json one strict document."""
    check(invoke(argv + (["--json"] if json_out else []), limit_s=60, kind="good input"))
