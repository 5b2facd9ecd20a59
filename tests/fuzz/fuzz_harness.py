"""In-process harness of the command-line fuzz tests: run ``bmdsim`` through its console entry
point with stdout and stderr captured and a time limit, and check the contract of every
outcome.

The contract: exit 0, and with ``--json`` exactly one strict JSON document on stdout (no NaN
or Infinity); or exit 2 with exactly one non-empty line on stderr and nothing on stdout.
Never a traceback, never exit 1, never a Python warning, never past the time limit.

The number of examples scales with the environment variable ``BMDSIM_FUZZ_SCALE`` (``make
fuzz`` raises it); at scale 1 the examples are derandomised, so the normal test run is
reproducible. ``BMDSIM_FUZZ_LOG=FILE`` appends every case (exit code, argv, stderr) to FILE.
"""

from __future__ import annotations

import io
import json
import os
import signal
import string
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SCALE = max(1, int(os.environ.get("BMDSIM_FUZZ_SCALE", "1") or "1"))
#: cases run, by (kind, exit code) (printed at the end of the session)
CASES: Counter[tuple[str, int]] = Counter()


def fuzz_settings(examples: int) -> settings:
    """``examples`` cases in a normal test run, ``SCALE`` times as many under ``make fuzz``."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,  # the harness's own time limit interrupts a hang
        derandomize=SCALE == 1,
        database=None if SCALE == 1 else settings.default.database,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
        print_blob=True,
    )


class CaseTimeout(Exception):
    """A case ran past its time limit (a hang)."""


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float

    def describe(self) -> str:
        return (
            f"argv={list(self.argv)!r}\ncode={self.code} after {self.seconds:.1f} s\n"
            f"stdout={self.out[:600]!r}\nstderr={self.err[-1500:]!r}"
        )


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def _raise(signum: int, frame: object) -> None:
        raise CaseTimeout(f"past the {seconds:g} s limit")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def invoke(argv: Sequence[str], limit_s: float = 60.0, kind: str | None = None) -> Outcome:
    """Run ``bmdsim ARGV`` in this process; an exception that escapes ``main`` is reported
    as a traceback on stderr with code 1 (so the contract check fails on it). ``kind``
    (default: the command) labels the case in the session's count."""
    import traceback

    from bmdsim.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    t0 = time.perf_counter()
    sys.stdout, sys.stderr = out, err
    try:
        with _time_limit(limit_s):
            code = main(list(argv))
    except CaseTimeout as exc:
        code = -1
        err.write(f"[harness] {exc}\n")
    except BaseException:  # SystemExit, a bug...: the contract check reports it
        code = 1
        err.write(traceback.format_exc())
    finally:
        sys.stdout, sys.stderr = old
    CASES[kind or (argv[0] if argv else "(none)"), code] += 1
    log = os.environ.get("BMDSIM_FUZZ_LOG")
    if log:  # every case, for a look at what the strategies reach
        with open(log, "a", encoding="utf-8", errors="backslashreplace") as f:
            f.write(f"{code}\t{list(argv)!r}\t{err.getvalue().strip()[:300]!r}\n")
    return Outcome(tuple(argv), code, out.getvalue(), err.getvalue(), time.perf_counter() - t0)


def _no_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} in the JSON output")


def check(o: Outcome, json_out: bool | None = None) -> None:
    """Assert the command-line contract on one outcome."""
    assert o.code != -1, "hang\n" + o.describe()
    assert "Traceback" not in o.err, o.describe()
    assert "Warning" not in o.err, o.describe()
    assert o.code in (0, 2), o.describe()
    if o.code == 0:
        wants_json = ("--json" in o.argv) if json_out is None else json_out
        if wants_json and "--help" not in o.argv:
            doc = json.loads(o.out, parse_constant=_no_constant)  # one document, strict
            assert isinstance(doc, dict), o.describe()
        return
    assert o.out == "", o.describe()
    lines = o.err.splitlines()
    assert len(lines) == 1, o.describe()
    assert lines[0].startswith("bmdsim: error: ") and lines[0][15:].strip(), o.describe()
    assert len(lines[0]) <= 1100, o.describe()


# ---- value strategies --------------------------------------------------------------------------

#: odd text: control characters, line breaks of every kind, escape codes, bidi controls,
#: surrogates (what an undecodable argv byte becomes), very long
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.integers(300, 6000).map(lambda n: "x" * n),
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "a\nb",
            "x\r\n",
            "\t",
            "\x1b[31mred\x1b[0m",
            "\u2028",
            "\x85",
            "\u202eabc",
            "\udcff",
            "東京",
            "[red]x[/]",
            "%s%n",
            "{0}",
            "'",
            '"',
            "\\",
            "-",
            "NaN",
        ]
    ),
)

_NUMBER_WORDS = st.sampled_from(
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e300",
        "-1e300",
        "1e-300",
        "1e999",
        "0",
        "-0",
        "-1",
        "1_000",
        "0x10",
        "1,5",
        "",
        " 5 ",
        "abc",
        "١٢",
        "18446744073709551616",
        "9" * 400,
    ]
)


def mostly(good: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``good`` in five draws of six, else ``bad`` (so that a command line with several
    options still reaches the physics often)."""
    return st.integers(0, 5).flatmap(lambda i: good if i < 5 else bad)


def number(
    lo: float, hi: float, good: st.SearchStrategy[float] | None = None
) -> st.SearchStrategy[str]:
    """Text for a numeric option of range [lo, hi]: mostly inside (``good``, default the
    whole range), else at and past its edges, not finite, not a number."""
    span = hi - lo
    edge = max(1e-6, 1e-9 * span)
    return mostly(
        (good if good is not None else st.floats(lo, hi)).map(repr),
        st.one_of(
            st.sampled_from([lo, hi, lo - edge, hi + edge]).map(repr),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            _NUMBER_WORDS,
            ODD_TEXT,
        ),
    )


def integer(lo: int, hi: int, good: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[str]:
    return mostly(
        (good if good is not None else st.integers(lo, hi)).map(str),
        st.one_of(
            st.sampled_from([lo, hi, lo - 1, hi + 1, 2**63, -(2**63), 2**64]).map(str),
            st.integers().map(str),
            _NUMBER_WORDS,
            ODD_TEXT,
        ),
    )


def name(valid: Sequence[str]) -> st.SearchStrategy[str]:
    """A catalog name: mostly valid (now and then in another spelling), else misspelt or odd."""
    good = st.sampled_from(list(valid))
    return mostly(
        st.one_of(good, good, good.map(str.upper), good.map(lambda s: s.replace("-", " "))),
        st.one_of(
            good.map(lambda s: s + "\n"),
            good.map(lambda s: s[:-1]),
            good.map(lambda s: "\x1b[1m" + s),
            ODD_TEXT,
        ),
    )


def _coords(lat: float, lon: float, height: float | None) -> str:
    return f"{lat!r},{lon!r}" + ("" if height is None else f",{height!r}")


def place(
    valid: Sequence[str], good_coords: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    """A place: mostly a catalog name or good 'LAT,LON' (``good_coords``), else coordinates
    out of range, with a height (in range or not), or odd text."""
    coord = st.floats(-100.0, 400.0, allow_nan=False)
    good = st.sampled_from(list(valid))
    return mostly(
        good if good_coords is None else st.one_of(good, good, good_coords),
        st.one_of(
            name(valid),
            st.builds(
                _coords,
                st.floats(-90.0, 90.0),
                st.floats(-180.0, 180.0),
                st.floats(-500.0, 100_000.0),
            ),
            st.builds(
                _coords,
                coord,
                coord,
                st.none() | st.floats(allow_nan=True, allow_infinity=True),
            ),
            st.sampled_from(
                ["39,125,-1e6", "39,125,1e9", "1,2,3,4", ",", "nan,0", "0,inf", "1,", ""]
            ),
            ODD_TEXT,
        ),
    )


def path_text(tmp: str) -> st.SearchStrategy[str]:
    """An output or input path: writable, missing folder, a folder, a device, too long a
    name, odd characters."""
    base = st.text(string.ascii_letters + string.digits + "._- ", min_size=1, max_size=12)
    return st.one_of(
        base.map(lambda b: os.path.join(tmp, b + ".json")),
        st.sampled_from(
            [
                os.path.join(tmp, "missing", "dir", "x.geojson"),
                tmp,
                "/dev/full",
                "/dev/null",
                "/proc/version/x",
                os.path.join(tmp, "n" * 300),
                os.path.join(tmp, "a\nb.json"),
                os.path.join(tmp, "\udcff.json"),
                os.path.join(tmp, "d" * 300, "x"),
                "",
            ]
        ),
        ODD_TEXT,
    )


# ---- command lines -----------------------------------------------------------------------------

#: options no command knows, and tokens out of place
STRAY = st.sampled_from(["--bogus", "--json=1", "-x", "--", "extra", "--help=no", "---", "-"])


@st.composite
def command_line(
    draw: st.DrawFn,
    command: str,
    options: dict[str, st.SearchStrategy[str] | None],
    required: Sequence[str] = (),
    positional: st.SearchStrategy[str] | None = None,
) -> list[str]:
    """``bmdsim COMMAND`` with a random subset of ``options`` (None: a flag), usually with
    the ``required`` ones, in any order; now and then a repeated, unknown or dangling
    option."""
    names = list(options)
    chosen = [n for n in names if n not in required and draw(st.integers(0, 2)) == 0]
    for r in required:
        if draw(st.integers(0, 39)) > 0:
            chosen.append(r)
    pairs: list[list[str]] = []
    for opt in chosen:
        strategy = options[opt]
        pairs.append([opt] if strategy is None else [opt, draw(strategy)])
    pairs = draw(st.permutations(pairs))
    argv = [command]
    if positional is not None:
        argv.append(draw(positional))
    for pair in pairs:
        argv.extend(pair)
    mischief = draw(st.integers(0, 29))
    if mischief == 0 and pairs:  # an option given twice
        argv.extend(draw(st.sampled_from(pairs)))
    elif mischief == 1:  # an unknown option or stray token
        argv.insert(draw(st.integers(1, len(argv))), draw(STRAY))
    elif mischief == 2 and names:  # an option without its value
        argv.append(draw(st.sampled_from(names)))
    return argv
