"""Shared fixtures."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def kepler_earth():
    from bmdsim.flight.forces import KEPLER

    return KEPLER


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist's ``--dist loadgroup`` (``make test`` runs a worker per core):
    a module's tests run in one worker, so its module-scoped fixtures run once, and every
    browser test runs in the same worker, which installs the browser and the viewer once."""
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        group = "browser" if module.startswith("tests/browser/") else module
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_configure(config: pytest.Config) -> None:
    """In a pytest-xdist worker: the numba kernels of this worker, and of the commands its
    tests start, use this worker's share of the cores (``NUMBA_NUM_THREADS``, read when
    numba is first imported), so that the workers together do not ask for more threads
    than there are cores (the results do not depend on the number of threads)."""
    worker = getattr(config, "workerinput", None)
    if worker is None or "NUMBA_NUM_THREADS" in os.environ:
        return
    share = max(1, (os.cpu_count() or 1) // int(worker.get("workercount", 1)))
    os.environ["NUMBA_NUM_THREADS"] = str(share)
