"""``bmdsim boosters``: where an interceptor's spent stages fall, as a Monte Carlo."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmdsim.cli._common import emit_json, fail, place, stdout_console
from bmdsim.errors import BmdsimError, quote
from bmdsim.scenario import limits as L

if TYPE_CHECKING:
    from bmdsim.interceptors.booster_mc import BoosterDispersion

#: Monte Carlo trials (the upper bound is booster_mc.MAX_TRIALS, kept out of the import so that
#: the command line starts fast; a test keeps the two equal)
TRIALS = (1, 100_000)
#: the spent stages are flown from the ellipsoid: a site's height is not used
_NO_HEIGHT = "the interceptor is launched from the ellipsoid"


def _place(flag: str, spec: str) -> Any:
    """A catalog place or 'LAT,LON'; a bad one is a one-line error naming the flag."""
    return place(flag, spec, height=_NO_HEIGHT)


def boosters_doc(
    site: str,
    interceptor: str,
    toward: str | None = None,
    azimuth_deg: float | None = None,
    trials: int = 1000,
    site_radius_km: float = 1.0,
    seed: int = 0,
) -> dict[str, Any]:
    """Check the arguments, run the Monte Carlo and return the JSON document."""
    return boosters_run(site, interceptor, toward, azimuth_deg, trials, site_radius_km, seed)[0]


def boosters_run(
    site: str,
    interceptor: str,
    toward: str | None = None,
    azimuth_deg: float | None = None,
    trials: int = 1000,
    site_radius_km: float = 1.0,
    seed: int = 0,
) -> tuple[dict[str, Any], BoosterDispersion]:
    """Check the arguments, run the Monte Carlo; the JSON document and the dispersion."""
    from bmdsim.earth.geodesics import inverse
    from bmdsim.interceptors.booster_mc import MAX_TRIALS, booster_dispersion
    from bmdsim.interceptors.catalog import get_interceptor

    if (toward is None) == (azimuth_deg is None):
        fail("give exactly one of --toward PLACE and --azimuth-deg A")
    if not 1 <= trials <= MAX_TRIALS:
        fail(f"--trials must be within [1, {MAX_TRIALS}], not {trials}")
    lo, hi = L.BOOSTER_SITE_RADIUS_KM
    if not (math.isfinite(site_radius_km) and lo <= site_radius_km <= hi):
        fail(f"--site-radius-km must lie in [{lo:g}, {hi:g}], not {site_radius_km}")
    if not L.SEED[0] <= seed <= L.SEED[1]:
        fail(f"--seed must lie in [{L.SEED[0]}, {L.SEED[1]}], not {seed}")
    try:
        ic = get_interceptor(interceptor)
    except BmdsimError as exc:
        fail(f"--interceptor: {exc}")
    launcher = _place("--site", site)
    if azimuth_deg is not None:
        a0, a1 = L.AZIMUTH_DEG
        if not (math.isfinite(azimuth_deg) and a0 <= azimuth_deg <= a1):
            fail(f"--azimuth-deg must lie in [{a0:g}, {a1:g}], not {azimuth_deg}")
        az = azimuth_deg % 360.0
    else:
        assert toward is not None
        target = _place("--toward", toward)
        fwd, _, dist = inverse(launcher.lat_deg, launcher.lon_deg, target.lat_deg, target.lon_deg)
        if float(dist) < 1.0:
            fail(f"--toward {quote(toward)} is the site itself: no direction to fly")
        az = float(fwd) % 360.0
    res = booster_dispersion(
        ic,
        launcher.lat_deg,
        launcher.lon_deg,
        az,
        trials=trials,
        seed=seed,
        site_radius_m=site_radius_km * 1e3,
    )
    doc = {
        "site": launcher.name,
        "interceptor": ic.name,
        "azimuth_deg": az,
        "trials": trials,
        "site_radius_km": site_radius_km,
        "stages": [
            {
                "stage": s.stage,
                "mean_lat_deg": s.mean_lat_deg,
                "mean_lon_deg": s.mean_lon_deg,
                "distance_km": s.mean_distance_m / 1e3,
                "ellipse_95": {
                    "major_km": s.ellipse_major_m / 1e3,
                    "minor_km": s.ellipse_minor_m / 1e3,
                    "orientation_deg": s.ellipse_orientation_deg,
                },
                "inside_site": s.inside_site,
                "country": s.country,
            }
            for s in res.stages
        ],
    }
    return doc, res


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None or not math.isfinite(x) else format(x, fmt)


def print_boosters(doc: dict[str, Any], seed: int) -> None:
    """The readable table: one row per spent stage."""
    from rich.table import Table

    from bmdsim.interceptors import booster_mc as mc

    console = stdout_console(120)
    n = doc["trials"]
    table = Table(
        title=(
            f"{doc['interceptor']} from {doc['site']}, azimuth {doc['azimuth_deg']:.1f} deg: "
            f"spent stages over {n} trial{'' if n == 1 else 's'} (seed {seed})"
        )
    )
    for col in (
        "stage",
        "mean lat deg",
        "mean lon deg",
        "distance km",
        "95% ellipse km",
        "major axis deg",
        f"within {doc['site_radius_km']:g} km",
        "falls in",
    ):
        table.add_column(col, justify="left" if col == "falls in" else "right")
    for s in doc["stages"]:
        e = s["ellipse_95"]
        table.add_row(
            str(s["stage"]),
            _num(s["mean_lat_deg"], ".4f"),
            _num(s["mean_lon_deg"], ".4f"),
            _num(s["distance_km"], ",.2f"),
            f"{_num(e['major_km'], ',.2f')} x {_num(e['minor_km'], ',.2f')}",
            _num(e["orientation_deg"], ".0f"),
            f"{100.0 * s['inside_site']:.1f} %",
            s["country"] or "-",
        )
    console.print(table)
    console.print(
        f"bounds: kick +-{100 * mc.KICK_FRACTION:g} %, burn time +-"
        f"{100 * mc.BURN_TIME_FRACTION:g} %, tumbling beta x 1/{mc.BALLISTIC_FACTOR:g} to "
        f"{mc.BALLISTIC_FACTOR:g}, wind 0-{mc.WIND_MAX_M_S:g} m/s below "
        f"{mc.WIND_CEILING_M / 1e3:g} km"
    )
    console.print("ellipse: 95 % semi-axes (major x minor), major axis clockwise from north")


def boosters(
    site: Annotated[str, typer.Option(help="launch site: catalog place or 'LAT,LON' (no height)")],
    interceptor: Annotated[str, typer.Option(help="interceptor class (catalog name)")],
    toward: Annotated[
        str | None, typer.Option(help="place the interceptor flies toward (sets the azimuth)")
    ] = None,
    azimuth_deg: Annotated[
        float | None,
        typer.Option(
            "--azimuth-deg",
            min=L.AZIMUTH_DEG[0],
            max=L.AZIMUTH_DEG[1],
            help="fly-out azimuth [deg clockwise from north]",
        ),
    ] = None,
    trials: Annotated[
        int, typer.Option(min=TRIALS[0], max=TRIALS[1], help="Monte Carlo trials")
    ] = 1000,
    site_radius_km: Annotated[
        float,
        typer.Option(
            "--site-radius-km",
            min=L.BOOSTER_SITE_RADIUS_KM[0],
            max=L.BOOSTER_SITE_RADIUS_KM[1],
            help="radius around the launcher that counts as inside [km]",
        ),
    ] = 1.0,
    seed: Annotated[int, typer.Option(min=L.SEED[0], max=L.SEED[1], help="random seed")] = 0,
    report: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="also write DIR/report.html (fall points with 1- and 2-sigma ellipses over "
            "the site, self-contained) and its PNG",
        ),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Where the spent stages fall: mean point, 95 % ellipse and the share inside the site."""
    from rich.console import Console

    from bmdsim.cli import report_cmds

    folder = None if report is None else report_cmds.check_report_dir("--report", report)
    with Console(stderr=True).status(f"flying {trials} trials..."):
        doc, res = boosters_run(
            site, interceptor, toward, azimuth_deg, trials, site_radius_km, seed
        )
    path = None
    if folder is not None:
        path = report_cmds.write_booster_report("--report", folder, res, doc["site"])
    if json_out:
        emit_json(doc)
    else:
        print_boosters(doc, seed)
    if path is not None:
        report_cmds.say_report(path, json_out)


def register(app: typer.Typer) -> None:
    app.command()(boosters)
