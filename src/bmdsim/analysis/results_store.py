"""Results of raid Monte Carlo runs in an embedded DuckDB database (one file).

Tables:

* ``runs``: one row a run: ``run_id``, ``created``, ``bmdsim_version``, ``scenario_name``,
  ``scenario_text``, ``seed``, ``trials``, ``params`` (JSON: what varies, fire control, a
  digest of the engagement input), ``status`` (``running`` or ``complete``).
* ``trials``: one row a trial (primary key ``run_id, trial``): the trial's seed entropy and
  spawn key (its random streams are ``SeedSequence(seed_entropy, spawn_key=spawn_key)``),
  the engagement seed drawn from it, and the outcome (:data:`TRIAL_COLUMNS`).
* ``summaries``: one row a completed run: means, probabilities and their 95 % intervals.

Every chunk of trials is written in one transaction (:meth:`ResultsStore.add_trials`), so a
run killed at any moment keeps every chunk it finished and nothing half-written; a trial
stored twice (two processes resuming the same run) is kept once. The database is opened only
while something is read or written: between two chunks another process may open it (a
read-only look at a run in progress); a write that meets such a reader waits for it (up to
``lock_timeout_s``). A Ctrl-C during a database statement takes effect when it is done.

DuckDB 2.x: statements go through ``con.sql`` (reads are lazy relations, read with
``fetchnumpy`` / ``to_arrow_table``), and every connection is closed when done.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bmdsim.errors import InputError, quote

__all__ = ["DEFAULT_DB", "TRIAL_COLUMNS", "ResultsStore", "RunRecord", "bmdsim_version"]

#: the database file when none is given (in the working folder)
DEFAULT_DB = "bmdsim-results.duckdb"

#: per-trial outputs and their SQL types, in table order (after ``run_id``)
TRIAL_COLUMNS: dict[str, str] = {
    "trial": "INTEGER NOT NULL",
    "seed_entropy": "UBIGINT NOT NULL",
    "spawn_key": "UINTEGER[] NOT NULL",
    "engage_seed": "UBIGINT NOT NULL",
    "leakers": "INTEGER NOT NULL",  # threats not killed (leaked or never engaged)
    "killed": "INTEGER NOT NULL",
    "no_opportunity": "INTEGER NOT NULL",
    "interceptors_used": "INTEGER NOT NULL",
    "inventory_exhausted": "BOOLEAN NOT NULL",  # a battery fired its last round
    "zero_leakers": "BOOLEAN NOT NULL",
    "pk": "DOUBLE NOT NULL",  # the single-shot Pk of the trial
    "burnout_speed_m_s": "DOUBLE[]",  # per battery, when drawn (else NULL)
}

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY,
        created TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
        bmdsim_version VARCHAR NOT NULL,
        scenario_name VARCHAR NOT NULL,
        scenario_text VARCHAR NOT NULL,
        seed UBIGINT NOT NULL,
        trials INTEGER NOT NULL,
        params VARCHAR NOT NULL,
        status VARCHAR NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS trials (run_id VARCHAR NOT NULL, "
    + ", ".join(f"{k} {v}" for k, v in TRIAL_COLUMNS.items())
    + ", PRIMARY KEY (run_id, trial))",
    """CREATE TABLE IF NOT EXISTS summaries (
        run_id VARCHAR PRIMARY KEY,
        computed TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
        summary VARCHAR NOT NULL)""",
)

#: the numpy type of each scalar column when loaded (as the workers make them)
_NUMPY_TYPES: dict[str, Any] = {
    "trial": np.int64,
    "seed_entropy": np.uint64,
    "engage_seed": np.uint64,
    "leakers": np.int32,
    "killed": np.int32,
    "no_opportunity": np.int32,
    "interceptors_used": np.int32,
    "inventory_exhausted": np.bool_,
    "zero_leakers": np.bool_,
    "pk": np.float64,
}

_LOCK_WORDS = ("could not set lock", "conflicting lock")


def bmdsim_version() -> str:
    """The installed bmdsim version (``unknown`` when run from a source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bmdsim")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class RunRecord:
    """One row of ``runs``."""

    run_id: str
    scenario_name: str
    scenario_text: str
    seed: int
    trials: int
    params: str
    status: str
    bmdsim_version: str


class ResultsStore:
    """A DuckDB file of Monte Carlo runs (created with its tables on first use)."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, lock_timeout_s: float = 60.0):
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        with self._connect() as con:
            for statement in _SCHEMA:
                con.sql(statement)

    # ---- connections ------------------------------------------------------------------------

    @contextmanager
    def _connect(self, read_only: bool = False) -> Iterator[Any]:
        """A connection for one piece of work, closed after it; a lock held by another
        process (a reader between two chunks) is waited for."""
        import duckdb

        if self.path.is_dir():
            raise InputError(f"{quote(str(self.path))}: is a folder, not a database file")
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                text = str(exc).lower()
                if any(w in text for w in _LOCK_WORDS) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise InputError(
                    f"{quote(str(self.path))}: cannot open the results database: "
                    f"{str(exc).splitlines()[0]}"
                ) from None
            except duckdb.Error as exc:
                raise InputError(
                    f"{quote(str(self.path))}: not a usable results database: "
                    f"{str(exc).splitlines()[0]}"
                ) from None
        try:
            with _sigint_deferred():
                yield con
        finally:
            con.close()

    # ---- runs -------------------------------------------------------------------------------

    def create_run(
        self,
        run_id: str,
        scenario_name: str,
        scenario_text: str,
        seed: int,
        trials: int,
        params: str,
    ) -> RunRecord:
        """A new run (``status`` running); ``params`` is canonical JSON text."""
        version = bmdsim_version()
        with self._connect() as con:
            if _rows(con, "SELECT 1 FROM runs WHERE run_id = ?", [run_id]):
                raise InputError(f"run {quote(run_id)} is already in {quote(str(self.path))}")
            con.sql(
                "INSERT INTO runs (run_id, bmdsim_version, scenario_name, scenario_text, seed, "
                "trials, params, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'running')",
                params=[run_id, version, scenario_name, scenario_text, seed, trials, params],
            )
        return RunRecord(
            run_id, scenario_name, scenario_text, seed, trials, params, "running", version
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        with self._connect() as con:
            rows = _rows(con, f"SELECT {_RUN_FIELDS} FROM runs WHERE run_id = ?", [run_id])
        return RunRecord(*rows[0]) if rows else None

    def find_run(self, scenario_text: str, seed: int, trials: int, params: str) -> RunRecord | None:
        """The latest run of the same scenario text, seed, trial count and parameters."""
        with self._connect() as con:
            rows = _rows(
                con,
                f"SELECT {_RUN_FIELDS} FROM runs WHERE scenario_text = ? AND seed = ? "
                "AND trials = ? AND params = ? ORDER BY created DESC, run_id LIMIT 1",
                [scenario_text, seed, trials, params],
            )
        return RunRecord(*rows[0]) if rows else None

    def runs(self) -> list[RunRecord]:
        """Every run, oldest first."""
        with self._connect(read_only=True) as con:
            rows = _rows(con, f"SELECT {_RUN_FIELDS} FROM runs ORDER BY created, run_id", [])
        return [RunRecord(*r) for r in rows]

    # ---- trials -----------------------------------------------------------------------------

    def stored_trials(self, run_id: str) -> np.ndarray:
        """The trial indices already stored for a run, ascending."""
        with self._connect() as con:
            got = con.sql(
                "SELECT trial FROM trials WHERE run_id = ? ORDER BY trial", params=[run_id]
            ).fetchnumpy()
        return np.asarray(got["trial"], dtype=np.int64)

    def add_trials(self, run_id: str, columns: Mapping[str, np.ndarray]) -> None:
        """Store one chunk of trials in one transaction (a trial already stored is kept as
        it was: results do not depend on who computed them)."""
        import pyarrow as pa

        n = len(columns["trial"])
        speeds = np.asarray(columns["burnout_speed_m_s"], dtype=np.float64).reshape(n, -1)
        data: dict[str, Any] = {}
        for name in TRIAL_COLUMNS:
            if name == "spawn_key":
                data[name] = pa.array(
                    [[int(t)] for t in columns["trial"]], type=pa.list_(pa.uint32())
                )
            elif name == "burnout_speed_m_s":
                data[name] = pa.array(
                    [
                        list(map(float, r)) if r.size and np.isfinite(r).all() else None
                        for r in speeds
                    ],
                    type=pa.list_(pa.float64()),
                )
            else:
                data[name] = np.asarray(columns[name])
        table = pa.table(data)
        names = ", ".join(TRIAL_COLUMNS)
        with self._connect() as con:
            con.register("bmdsim_chunk", table)
            try:
                con.begin()
                con.sql(
                    f"INSERT OR IGNORE INTO trials (run_id, {names}) "
                    f"SELECT ?, {names} FROM bmdsim_chunk",
                    params=[run_id],
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise
            finally:
                con.unregister("bmdsim_chunk")

    def load_trials(self, run_id: str) -> dict[str, np.ndarray]:
        """Every stored trial of a run, by trial index (``burnout_speed_m_s`` as a
        trials x batteries array, NaN where not drawn)."""
        scalars = [c for c in TRIAL_COLUMNS if c not in ("spawn_key", "burnout_speed_m_s")]
        with self._connect(read_only=True) as con:
            got = con.sql(
                f"SELECT {', '.join(scalars)} FROM trials WHERE run_id = ? ORDER BY trial",
                params=[run_id],
            ).fetchnumpy()
            lists = con.sql(
                "SELECT burnout_speed_m_s FROM trials WHERE run_id = ? ORDER BY trial",
                params=[run_id],
            ).to_arrow_table()
        out = {k: np.asarray(v, dtype=_NUMPY_TYPES[k]) for k, v in got.items()}
        rows = lists.column("burnout_speed_m_s").to_pylist()
        width = max((len(r) for r in rows if r is not None), default=0)
        speeds = np.full((len(rows), width), np.nan)
        for i, r in enumerate(rows):
            if r is not None:
                speeds[i] = r
        out["burnout_speed_m_s"] = speeds
        return out

    # ---- summaries and export ---------------------------------------------------------------

    def complete(self, run_id: str, summary: Mapping[str, Any]) -> None:
        """Store a run's summary and mark it complete (one transaction)."""
        text = json.dumps(dict(summary), sort_keys=True, allow_nan=True)
        with self._connect() as con:
            con.begin()
            try:
                con.sql("DELETE FROM summaries WHERE run_id = ?", params=[run_id])
                con.sql(
                    "INSERT INTO summaries (run_id, summary) VALUES (?, ?)",
                    params=[run_id, text],
                )
                con.sql("UPDATE runs SET status = 'complete' WHERE run_id = ?", params=[run_id])
                con.commit()
            except BaseException:
                con.rollback()
                raise

    def summary(self, run_id: str) -> dict[str, Any] | None:
        with self._connect(read_only=True) as con:
            rows = _rows(con, "SELECT summary FROM summaries WHERE run_id = ?", [run_id])
        return json.loads(rows[0][0]) if rows else None

    def export_parquet(self, run_id: str, path: str | os.PathLike[str]) -> None:
        """Write a run's trials, by trial index, to a Parquet file."""
        target = os.fspath(path)
        with self._connect(read_only=True) as con:
            con.sql(
                f"COPY (SELECT * FROM trials WHERE run_id = {_literal(run_id)} ORDER BY trial) "
                f"TO {_literal(target)} (FORMAT PARQUET)"
            )


_RUN_FIELDS = "run_id, scenario_name, scenario_text, seed, trials, params, status, bmdsim_version"


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold a Ctrl-C until the block is done: DuckDB would turn it into an error in the
    middle of a statement; the interrupt is raised after the block (its transaction
    committed or rolled back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: got.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if got and previous is not signal.SIG_IGN:
            if callable(previous):
                previous(signal.SIGINT, None)
            else:
                raise KeyboardInterrupt


def _rows(con: Any, query: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return list(con.sql(query, params=params).fetchall())


def _literal(text: str) -> str:
    """A SQL string literal (COPY takes no bound parameters)."""
    if "\0" in text:
        raise InputError(f"{quote(text)}: a NUL character in a name")
    return "'" + text.replace("'", "''") + "'"
