"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def kepler_earth():
    from bmdsim.flight.forces import KEPLER

    return KEPLER
