"""Where the chunks of an analysis run: one interface, local processes or a Dask cluster.

An analysis cuts its work into chunks (a list of picklable items) and a pure, module-level
function of one item; the executor returns the results in the items' order. Results never
depend on the executor or the number of workers: every random draw comes from the item
itself (each trial carries its own child ``SeedSequence``).

* :class:`LocalExecutor` (default): in this process for one worker, else a pool of
  processes (``concurrent.futures``; the "spawn" start method, which numba and threads
  tolerate).
* :class:`DaskExecutor`: a running ``distributed`` scheduler (``tcp://HOST:PORT``) or a
  ``LocalCluster`` it starts and stops itself (``workers``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol

from bmdsim.errors import InputError

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "make_executor"]


class Executor(Protocol):
    """Runs ``fn`` over ``items``; yields ``(index, result)`` as chunks finish (any order)."""

    workers: int

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """In-process for one worker; a process pool otherwise."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise InputError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        if self.workers == 1:
            for i, item in enumerate(items):
                yield i, fn(item)
            return
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        futures = {self._pool.submit(fn, item): i for i, item in enumerate(items)}
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            yield futures[fut], fut.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask ``distributed`` client: to ``scheduler`` (an address), or to a LocalCluster of
    ``workers`` processes started here (loopback only, no dashboard)."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise InputError("the Dask executor needs the 'distributed' package") from exc
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        else:
            self._client = Client(scheduler)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        futures = self._client.map(fn, list(items), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures):
            yield index[fut.key], fut.result()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """``--scheduler ADDR`` -> Dask on that cluster; ``--workers N`` -> local processes (a
    Dask LocalCluster when ``dask=True`` is wanted, see :class:`DaskExecutor`); neither ->
    in this process."""
    if scheduler is not None:
        return DaskExecutor(scheduler=scheduler)
    return LocalExecutor(workers or 1)
