"""One benchmark per process (see run_all.py); prints its result as JSON on stdout."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def engine() -> dict[str, Any]:
    from bmdsim.analysis.bench import run_bench

    t = time.perf_counter()
    run_bench(n=50, reference_n=1)
    warm = time.perf_counter() - t
    return {**run_bench(n=10_000, reference_n=20).as_dict(), "warmup_s": warm}


def aiming() -> dict[str, Any]:
    """1,000 targets of the hwasong-12-class, min-energy (kick and cut-off jointly) and the
    standard profile; the min-energy cost split into the reach/kick search, the envelope
    table and the Newton iterations."""
    import bmdsim.threats.aiming as aiming_mod
    import bmdsim.threats.min_energy as me_mod
    from bmdsim.earth.geodesics import destination
    from bmdsim.earth.places import get_place

    s = get_place("sunan")
    rng = np.random.default_rng(0)
    # targets inside the class's reach: bearings 0-360, 600-3,800 km
    brg = rng.uniform(0.0, 360.0, 1000)
    dist = rng.uniform(600e3, 3_800e3, 1000)
    lat, lon = destination(s.lat_deg, s.lon_deg, brg, dist)
    lat, lon = np.asarray(lat), np.asarray(lon)
    t = time.perf_counter()
    aiming_mod.aim("hwasong-12-class", s.lat_deg, s.lon_deg, lat[:5], lon[:5])
    warm = time.perf_counter() - t
    spent: dict[str, float] = {}
    calls = spent

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            out = fn(*a, **k)
            calls[name] = calls.get(name, 0.0) + time.perf_counter() - t0
            return out

        return wrapper

    aiming_mod._check_reach = timed("reach_and_kick_search_s", aiming_mod._check_reach)
    aiming_mod.solve_min_energy = timed("joint_solve_s", aiming_mod.solve_min_energy)
    me_mod._start = timed("envelope_table_s", me_mod._start)
    t = time.perf_counter()
    res = aiming_mod.aim("hwasong-12-class", s.lat_deg, s.lon_deg, lat, lon)
    dt = time.perf_counter() - t
    spent["newton_and_fallback_s"] = spent["joint_solve_s"] - spent["envelope_table_s"]
    spent = dict(spent)  # the min-energy call only
    t = time.perf_counter()
    std = aiming_mod.aim("hwasong-12-class", s.lat_deg, s.lon_deg, lat, lon, profile="standard")
    dt_std = time.perf_counter() - t
    return {
        "targets": int(lat.size),
        "min_energy_s": dt,
        "min_energy_max_miss_m": float(res.miss_m.max()),
        "min_energy_iterations": res.iterations,
        "cost_split": spent,
        "standard_s": dt_std,
        "standard_max_miss_m": float(std.miss_m.max()),
        "cutoff_saved_s_median": float(np.median(std.cutoff_time_s - res.cutoff_time_s)),
        "warmup_s": warm,
        "peak_mb": _peak_mb(),
    }


def reconstruct() -> dict[str, Any]:
    from bmdsim.threats.reconstruct import reconstruct as rec

    t = time.perf_counter()
    rec(3724.9, 998.0, 2832.0, missile="hwasong-14-class")
    warm = time.perf_counter() - t
    t = time.perf_counter()
    res = rec(3724.9, 998.0, 2832.0, missile="hwasong-14-class")
    return {
        "seconds": time.perf_counter() - t,
        "flight_time_s": res.flight_time_s,
        "warmup_s": warm,
    }


def observe() -> dict[str, Any]:
    from bmdsim.earth.places import get_place
    from bmdsim.flight.launch import powered_launch
    from bmdsim.flight.propagator import Propagator
    from bmdsim.sensors.c2 import C2Config
    from bmdsim.sensors.c2 import observe as obs
    from bmdsim.sensors.catalog import get_sensor
    from bmdsim.threats.aiming import _PROGRAM
    from bmdsim.threats.catalog import get_missile
    from bmdsim.threats.reach import best_kick

    n = 1000
    s = get_place("sunan")
    rng = np.random.default_rng(1)
    az = rng.uniform(70.0, 150.0, n)
    veh = get_missile("nodong-class").vehicle
    kick = best_kick(veh, s.lat_deg, s.lon_deg, 100.0).kick_deg[0]
    batch = powered_launch(
        veh, s.lat_deg, s.lon_deg, az, _PROGRAM, kick_deg=kick, t_launch_s=rng.uniform(0, 300, n)
    )
    fb = Propagator().propagate(batch, record=True)
    trajs = [fb.trajectory(i) for i in range(n)]
    sensors = [get_sensor("sbirs-class")]
    for name, place in (
        ("spy7-class", "araya"),
        ("spy7-class", "mutsumi"),
        ("tpy2-class", "shariki"),
        ("tpy2-class", "kyogamisaki"),
    ):
        p = get_place(place)
        sensors.append(get_sensor(name).at(p.lat_deg, p.lon_deg, boresight_az_deg=270.0))
    obs(trajs[:5], sensors, 0.1, rng=np.random.default_rng(0))
    out: dict[str, Any] = {"threats": n, "sensors": len(sensors)}
    for mode in ("end", "fire_control"):
        t = time.perf_counter()
        ob = obs(trajs, sensors, 0.1, C2Config(track_until=mode), rng=np.random.default_rng(0))
        out[f"seconds_track_until_{mode}"] = time.perf_counter() - t
        out[f"fire_control_tracks_{mode}"] = int(np.isfinite(ob.fire_control_track_s).sum())
    return out


def run() -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bmdsim.cli.main", "run", "aegis-ashore-japan", "--json"]
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    first = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    second = time.perf_counter() - t
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return {"first_process_s": first, "cached_process_s": second, "child_peak_rss_mb": child_mb}


def raid() -> dict[str, Any]:
    """Nodong-class raids on Japan's prefectural capitals (three launch areas, every capital
    within reach) of 100, 1,000 and 10,000 threats, launched within ten minutes and over
    two days: time and peak memory of each run (its own process each)."""
    sizes = [int(x) for x in os.environ.get("BMDSIM_RAID_SIZES", "100,1000,10000").split(",")]
    out: dict[str, Any] = {}
    for n in sizes:
        for span in (600.0, 172_800.0):
            cmd = [sys.executable, __file__, "_raid_one", str(n), str(span)]
            res = subprocess.run(cmd, capture_output=True, text=True, check=True)
            out[f"n{n}_span{int(span)}s"] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def _raid_one() -> dict[str, Any]:
    from bmdsim.earth.geodesics import inverse
    from bmdsim.earth.places import get_place, japanese_prefectural_capitals
    from bmdsim.engagement.run import run_engagement
    from bmdsim.engagement.setup import Battery, Doctrine, SensorSite, Setup, ThreatSpec

    n, span = int(sys.argv[2]), float(sys.argv[3])

    def p(name: str) -> tuple[float, float]:
        q = get_place(name)
        return q.lat_deg, q.lon_deg

    launch = ["musudan-ri", "wonsan", "sinpo"]
    capitals = [
        c.name
        for c in japanese_prefectural_capitals()
        if all(inverse(*p(a), *p(c.name))[2] < 1250e3 for a in launch)
    ]
    threats = tuple(
        ThreatSpec(
            f"t{i}",
            "nodong-class",
            launch[i % 3],
            *p(launch[i % 3]),
            capitals[i % len(capitals)],
            *p(capitals[i % len(capitals)]),
            launch_time_s=span * i / max(n - 1, 1),
        )
        for i in range(n)
    )
    sensors = (
        SensorSite("araya-spy7", "spy7-class", *p("araya")),
        SensorSite("mutsumi-spy7", "spy7-class", *p("mutsumi")),
        SensorSite("sbirs", "sbirs-class", owner="allied", link_latency_s=5.0),
    )
    batteries = tuple(
        Battery(s, "sm3-iia-class", *p(s), radar=f"{s}-spy7", inventory=100_000)
        for s in ("araya", "mutsumi")
    )
    setup = Setup("raid", sensors, batteries, threats, Doctrine(), seed=1)
    t = time.perf_counter()
    res = run_engagement(setup)
    return {
        "threats": n,
        "span_s": span,
        "seconds": time.perf_counter() - t,
        "killed": res.summary["killed"],
        "interceptors_fired": res.summary["interceptors_fired"],
    }


def footprint() -> dict[str, Any]:
    """The Japan footprint of the built-in scenario (its three launch areas and three
    classes) at 0.25 and 0.1 deg: in one process, with two local workers and on a Dask
    LocalCluster of two; and in one process from four launch areas (the scenario's and
    Musudan-ri), the scenario's classes (each run its own process;
    ``BMDSIM_FOOTPRINT_GRIDS`` picks the grids)."""
    grids = [float(x) for x in os.environ.get("BMDSIM_FOOTPRINT_GRIDS", "0.25,0.1").split(",")]
    out: dict[str, Any] = {}
    for g in grids:
        for mode in ("1", "2", "local", "1x4"):
            cmd = [sys.executable, __file__, "_footprint_one", str(g), mode]
            res = subprocess.run(cmd, capture_output=True, text=True, check=True)
            name = {"local": "dask2", "1x4": "workers1_four_areas"}.get(mode, "workers" + mode)
            out[f"grid{g}_{name}"] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def _footprint_one() -> dict[str, Any]:
    from bmdsim.analysis.executor import make_executor
    from bmdsim.analysis.footprint import footprint as run_footprint
    from bmdsim.scenario.loader import load_scenario

    grid, mode = float(sys.argv[2]), sys.argv[3]
    setup = load_scenario("aegis-ashore-japan")
    launches = None
    if mode == "1x4":
        mode, launches = "1", [*dict.fromkeys(t.launch_place for t in setup.threats), "musudan-ri"]
    started = time.perf_counter()
    ex = make_executor(None if mode == "local" else int(mode), "local" if mode == "local" else None)
    try:
        fp = run_footprint(setup, "japan", grid, launches=launches, executor=ex)
    finally:
        ex.close()
    wall = time.perf_counter() - started
    return {
        "grid_deg": grid,
        "workers": ex.workers,
        "cells": fp.cells,
        "kinds": len(fp.kinds),
        "threats_flown": fp.threats_flown,
        "seconds": fp.elapsed_s,
        "seconds_with_workers_start": wall,
        "threats_per_s": fp.threats_flown / fp.elapsed_s,
        "defended_fraction": fp.defended_fraction,
        "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
    }


if __name__ == "__main__":
    cases = (engine, aiming, reconstruct, observe, run, raid, _raid_one, footprint, _footprint_one)
    fn = {f.__name__: f for f in cases}[sys.argv[1]]
    result = fn()
    result["peak_rss_mb"] = _peak_mb()
    print(json.dumps(result))
