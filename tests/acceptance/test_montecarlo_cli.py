"""End-to-end: ``bmdsim montecarlo`` (JSON contract, a run killed with SIGKILL and resumed,
one-line errors with exit code 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bmdsim.cli.main import main

REQUIRED = {
    "trials",
    "leakers_mean",
    "p_zero_leakers",
    "p_zero_leakers_ci95",
    "interceptors_used_mean",
    "elapsed_s",
    "run_id",
}

# one threat, one radar, one battery of one round, a coin-toss kill: ~50 ms a trial
CHEAP = """\
name: cheap-mc
seed: 11
sensors:
  - {name: araya-spy7, sensor: spy7-class, site: araya, owner: own}
batteries:
  - {name: araya, interceptor: sm3-iia-class, site: araya, inventory: 1, radar: araya-spy7}
doctrine: {kind: salvo, salvo_size: 1, max_waves: 1, pk: 0.5}
threats:
  - {name: t0, missile: nodong-class, launch: sunan, target: tokyo, launch_time_s: 0}
"""

TRIALS = 40


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bmdsim.cli.main", "montecarlo", *args]


@pytest.fixture(scope="module")
def cheap(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mc") / "cheap.yaml"
    path.write_text(CHEAP, encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple]:
    """Every stored trial (all columns but the run id), by trial; opened read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql("SELECT * EXCLUDE (run_id) FROM trials ORDER BY trial").fetchall()
    finally:
        con.close()


def count_stored(db: Path) -> int:
    """Trials stored so far, or -1 while the writer holds the file (between two looks)."""
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return -1
    try:
        return int(con.sql("SELECT count(*) FROM trials").fetchall()[0][0])
    except duckdb.Error:  # the tables are not made yet
        return -1
    finally:
        con.close()


def test_sigkill_then_resume_equals_an_uninterrupted_run(cheap, tmp_path):
    whole, killed = tmp_path / "whole.duckdb", tmp_path / "killed.duckdb"
    args = (str(cheap), "--trials", str(TRIALS), "--seed", "5", "--json")
    reference = subprocess.Popen(
        command(*args, "--db", str(whole), "--chunk-size", "10"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    victim = subprocess.Popen(
        command(*args, "--db", str(killed), "--chunk-size", "4"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while count_stored(killed) < 4:  # a chunk or more committed
            assert victim.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
    finally:
        victim.kill()
        victim.wait()
    assert victim.returncode == -signal.SIGKILL
    before = count_stored(killed)
    assert 4 <= before < TRIALS
    out, err = reference.communicate(timeout=300)
    assert reference.returncode == 0, err
    ref_doc = json.loads(out)

    resumed = subprocess.run(
        command(*args, "--db", str(killed), "--resume", "--chunk-size", "7"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    doc = json.loads(resumed.stdout)
    assert doc["computed"] == TRIALS - before  # nothing repeated
    rows = stored(killed)
    assert len(rows) == TRIALS == len({r[0] for r in rows})  # nothing lost, no duplicate
    assert rows == stored(whole)
    for key in REQUIRED - {"elapsed_s", "run_id"}:
        assert doc[key] == ref_doc[key], key


def test_json_contract_and_parquet(cheap, tmp_path):
    import pyarrow.parquet as pq

    db, parquet = tmp_path / "r.duckdb", tmp_path / "t.parquet"
    p = subprocess.run(
        command(str(cheap), "--trials", "8", "--db", str(db), "--parquet", str(parquet),
                "--json"),
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert REQUIRED <= set(doc)
    assert doc["trials"] == 8 and doc["computed"] == 8 and doc["seed"] == 11
    lo, hi = doc["p_zero_leakers_ci95"]
    assert 0.0 <= lo <= doc["p_zero_leakers"] <= hi <= 1.0
    assert 0.0 <= doc["leakers_mean"] <= 1.0
    assert doc["interceptors_used_mean"] <= 1.0
    assert isinstance(doc["run_id"], str) and doc["elapsed_s"] > 0
    table = pq.read_table(parquet)
    assert table.num_rows == 8 and set(table.column("run_id").to_pylist()) == {doc["run_id"]}
    assert p.stderr == ""  # no progress bar, no log, when stderr is not a terminal


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--trials", "0"], "--trials"),
        (["--trials", "1000001"], "--trials"),
        (["--trials", "5", "--workers", "0"], "--workers"),
        (["--trials", "5", "--workers", "65"], "--workers"),
        (["--trials", "5", "--seed", "-1"], "--seed"),
        (["--trials", "5", "--pk-band", "1.5"], "--pk-band"),
        (["--trials", "5", "--launch-jitter-s", "nan"], "--launch-jitter-s"),
        (["--trials", "5", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers"),
        (["--trials", "5", "--scheduler", "somewhere"], "--scheduler"),
        (["--trials", "5", "--fire-control", "psychic"], "--fire-control"),
        (["--trials", "x"], "--trials"),
    ],
)
def test_bad_flags_exit_2_with_one_line(capsys, extra, words):
    assert main(["montecarlo", "aegis-ashore-japan", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bmdsim: error: ") and words in err


def test_bad_files_exit_2_with_one_line(capsys, cheap, tmp_path):
    notdb = tmp_path / "notes.duckdb"
    notdb.write_text("not a database\n", encoding="utf-8")
    cases = [
        (["no-such-scenario", "--trials", "3"], "no-such-scenario"),
        ([str(cheap), "--trials", "3", "--db", str(tmp_path)], "--db"),
        ([str(cheap), "--trials", "3", "--db", str(notdb)], "--db"),
    ]
    for args, words in cases:
        assert main(["montecarlo", *args]) == 2, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and words in err, err


def test_existing_run_id_needs_resume(capsys, cheap, tmp_path):
    from bmdsim.analysis.results_store import ResultsStore

    db = tmp_path / "r.duckdb"
    ResultsStore(db).create_run("mine", "cheap-mc", "other text", 11, 3, "{}")
    args = ["montecarlo", str(cheap), "--trials", "3", "--db", str(db), "--run-id", "mine"]
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--resume"]) == 2  # the stored run had other inputs
    assert "another scenario" in capsys.readouterr().err
