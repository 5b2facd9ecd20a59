"""Commands of the threats layer (missile flights); filled in by the threats issue."""

from __future__ import annotations

from bmdsim.cli._common import fail


def trajectory_missile(
    missile: str | None,
    from_: str | None,
    to: str | None,
    range_km: float | None,
    azimuth_deg: float | None,
    profile: str,
    apogee_km: float | None,
    json_out: bool,
) -> None:
    """Fly a catalog missile from a place to a target (not available yet)."""
    fail("missile trajectories are not available yet; use --physics kepler")
