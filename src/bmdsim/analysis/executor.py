"""Where the chunks of an analysis run: one interface, local processes or a Dask cluster.

An analysis cuts its work into chunks (a list of picklable items) and a pure, module-level
function of one item; the executor returns the results in the items' order. Results never
depend on the executor or the number of workers: every random draw comes from the item
itself (each trial carries its own child ``SeedSequence``).

* :class:`LocalExecutor` (default): in this process for one worker, else a pool of
  processes (``concurrent.futures``; the "spawn" start method, which numba and threads
  tolerate). A pool worker ends itself when the process that made the pool is gone.
  Workers on this machine share its cores: the kernels of each use its share of them.
* :class:`DaskExecutor`: a running ``distributed`` scheduler (``tcp://HOST:PORT``) or a
  ``LocalCluster`` it starts and stops itself (``workers``).

An abandoned ``imap`` (an error or an interrupt in the caller) cancels the chunks not yet
started.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol

from bmdsim.errors import InputError, one_line, quote

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "make_executor"]


class Executor(Protocol):
    """Runs ``fn`` over ``items``; yields ``(index, result)`` as chunks finish (any order)."""

    workers: int

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]: ...

    def warm(self, module: str) -> None: ...

    def close(self) -> None: ...


def _kernel_threads_each(workers: int) -> int:
    """Kernel threads for each of ``workers`` processes sharing this machine's cores."""
    return max(1, (os.cpu_count() or 1) // workers)


def _init_worker(parent_pid: int, threads: int) -> None:
    """A pool worker's start: its share of the cores for the kernels, and an end with its
    parent (:func:`_exit_with_parent`)."""
    from bmdsim._core.runtime import set_kernel_threads

    set_kernel_threads(threads)
    _exit_with_parent(parent_pid)


def _exit_with_parent(parent_pid: int, every_s: float = 1.0) -> None:
    """In a pool worker: end this process when the process that made the pool is gone (a
    SIGKILL gives it no time to stop its workers, which would otherwise wait forever)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="bmdsim-parent-watch", daemon=True).start()


class LocalExecutor:
    """In-process for one worker; a process pool otherwise."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise InputError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(os.getpid(), _kernel_threads_each(self.workers)),
            )
        return self._pool

    def warm(self, module: str) -> None:
        """Start the workers now and have each import ``module`` (what the chunks will
        need), while this process prepares the work; nothing for one worker."""
        if self.workers == 1:
            return
        pool = self._started()
        for _ in range(self.workers):
            pool.submit(importlib.import_module, module)

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        if self.workers == 1:
            for i, item in enumerate(items):
                yield i, fn(item)
            return
        pool = self._started()
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        finally:  # abandoned (an error, an interrupt): drop the chunks not yet started
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """A Dask ``distributed`` client: to ``scheduler`` (an address), or to a LocalCluster of
    ``workers`` processes started here (loopback only, no dashboard, quiet logs).

    Every worker of a remote cluster needs the same bmdsim installed: the function and the
    items travel pickled, by reference to bmdsim's modules. A LocalCluster starts its
    workers with the "spawn" method: a script that makes one needs an
    ``if __name__ == "__main__":`` guard."""

    def __init__(
        self, scheduler: str | None = None, workers: int = 2, timeout_s: float = 30.0
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise InputError("the Dask executor needs the 'distributed' package") from exc
        if workers < 1:
            raise InputError(f"workers must be >= 1, got {workers}")
        self._cluster: Any = None
        if scheduler is None:
            # the workers inherit an ignored SIGINT: a Ctrl-C stops this process, which
            # closes the cluster, instead of printing a traceback from every worker
            main = threading.current_thread() is threading.main_thread()
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
            try:
                self._cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    # the kernels of each worker: its share of this machine's cores
                    env={"NUMBA_NUM_THREADS": str(_kernel_threads_each(workers))},
                )
            finally:
                if main:
                    signal.signal(signal.SIGINT, previous)
            self._client = Client(self._cluster, timeout=timeout_s)
        else:
            try:
                self._client = Client(scheduler, timeout=timeout_s)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(
                    f"cannot reach the Dask scheduler at {quote(scheduler)}: {one_line(reason, 300)}"
                ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def warm(self, module: str) -> None:
        """Nothing: the cluster's workers are started already and import on first use."""

    def imap(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed as dask_completed

        futures = self._client.map(fn, list(items), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in dask_completed(futures):
                result = fut.result()
                fut.release()
                yield index[fut.key], result
        finally:  # abandoned: the cluster drops what is left
            self._client.cancel(futures)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(workers: int | None = None, scheduler: str | None = None) -> Executor:
    """``scheduler`` an address (``tcp://HOST:PORT``) -> Dask on that cluster; ``"local"``
    -> a Dask LocalCluster of ``workers`` processes (default 2) on this machine; else
    ``workers`` local processes (default: in this process)."""
    if scheduler == "local":
        return DaskExecutor(workers=workers or 2)
    if scheduler is not None:
        return DaskExecutor(scheduler=scheduler)
    return LocalExecutor(workers or 1)
