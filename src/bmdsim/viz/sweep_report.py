"""The report of a parameter sweep: the metric against each swept value (curves), the
tornado chart of a one-at-a-time sensitivity, and the table of points.

It reads the sweep's JSON document (what ``bmdsim sweep --json`` prints), so the report's
numbers are the document's."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from bmdsim.viz.report import ReportFigure, ReportTable, Section, write_report
from bmdsim.viz.style import new_figure

__all__ = ["sensitivity_figure", "sweep_figure", "write_sweep_report"]


def _num(x: Any) -> float:
    """A value as a number (NaN for text such as 'drop' or a catalog name)."""
    if isinstance(x, bool):
        return math.nan
    if isinstance(x, int | float):
        return float(x)
    try:
        return float(str(x))
    except ValueError:
        return math.nan


def _cell(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _panel(ax: Any, metric: str, key: str, groups: dict[str, list[dict[str, Any]]]) -> None:
    """The metric against the values of ``key``, one curve per group (bars of categories
    when the values are not numbers), with a Monte Carlo metric's 95 % interval."""
    rows_all = [r for rows in groups.values() for r in rows]
    numeric = all(math.isfinite(_num(r.get(key))) for r in rows_all)
    labels = list(dict.fromkeys(_cell(r.get(key)) for r in rows_all))
    for name, rows in groups.items():
        if numeric:
            rows = sorted(rows, key=lambda r: _num(r.get(key)))
        y = [float(r[metric]) if r.get(metric) is not None else math.nan for r in rows]
        x = [_num(r.get(key)) if numeric else labels.index(_cell(r.get(key))) for r in rows]
        bounds = [r.get(f"{metric}_ci95") for r in rows]
        err = None
        if all(c is not None for c in bounds):
            err = [
                [yy - c[0] for yy, c in zip(y, bounds, strict=True) if c is not None],
                [c[1] - yy for yy, c in zip(y, bounds, strict=True) if c is not None],
            ]
        ax.errorbar(x, y, yerr=err, marker="o", ms=4, lw=1.4, capsize=3, label=name)
    if not numeric:
        ax.set_xticks(range(len(labels)), labels, rotation=20, fontsize=7)
    ax.set_xlabel(key, fontsize=8)
    ax.set_ylabel(metric, fontsize=8)
    if metric in ("defended_fraction", "p_zero_leakers"):
        ax.set_ylim(-0.03, 1.03)
    ax.grid(True, color="#dddddd", lw=0.5)
    ax.tick_params(labelsize=7)
    if len(groups) > 1:
        ax.legend(fontsize=7)


def sweep_figure(doc: dict[str, Any]) -> Figure:
    """The metric against the swept values. A grid sweep: against the first parameter, one
    curve per combination of the others. A sensitivity sweep: one panel per parameter, its
    values with the others as written (the first point)."""
    metric = str(doc["metric"])
    keys = [p["key"] for p in doc["params"]]
    points = list(doc["points"])
    if doc.get("mode") == "sensitivity":
        base = points[0]
        fig = new_figure(4.2 * len(keys), 3.8)
        for n, key in enumerate(keys):
            ax = fig.add_subplot(1, len(keys), n + 1)
            rows = [
                r
                for r in points
                if all(_cell(r.get(k)) == _cell(base.get(k)) for k in keys if k != key)
            ]
            _panel(ax, metric, key, {metric: rows})
        fig.suptitle(f"{doc.get('scenario', '')}: {metric}, one parameter at a time", fontsize=9)
    else:
        fig = new_figure(8.0, 4.2)
        ax = fig.add_subplot(1, 1, 1)
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in points:
            name = ", ".join(f"{k}={_cell(r.get(k))}" for k in keys[1:]) or metric
            groups.setdefault(name, []).append(r)
        _panel(ax, metric, keys[0], groups)
        ax.set_title(f"{doc.get('scenario', '')}: {metric} against {keys[0]}", fontsize=9)
    fig.tight_layout()
    return fig


def sensitivity_figure(doc: dict[str, Any]) -> Figure:
    """The tornado chart: per parameter the change of the metric from the scenario as
    written at its low and high value, widest swing on top."""
    rows = sorted(doc["sensitivity"], key=lambda r: abs(r.get("swing") or 0.0))
    fig = new_figure(8.0, 0.6 + 0.45 * max(len(rows), 1))
    ax = fig.add_subplot(1, 1, 1)
    for i, r in enumerate(rows):
        for side, colour in (("low", "#4c6ef5"), ("high", "#f08c00")):
            d = r[side].get("delta")
            if d is not None:
                ax.barh(i, d, color=colour, height=0.6, label=side if i == 0 else None)
    ax.axvline(0.0, color="#333333", lw=0.8)
    ax.set_yticks(range(len(rows)), [str(r["param"]) for r in rows], fontsize=7)
    ax.set_xlabel(f"change of {doc['metric']} from the scenario as written", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, axis="x", color="#dddddd", lw=0.5)
    if rows:
        ax.legend(fontsize=7, loc="lower right")
    ax.set_title("one-at-a-time sensitivity", fontsize=9)
    fig.tight_layout()
    return fig


def write_sweep_report(folder: str | Path, doc: dict[str, Any]) -> Path:
    """The sweep's report from its JSON document: curves, tornado (with a sensitivity) and
    the table of points."""
    metric = str(doc["metric"])
    keys: Sequence[str] = [p["key"] for p in doc["params"]]
    cols = [*keys, metric]
    has_ci = any(p.get(f"{metric}_ci95") is not None for p in doc["points"])
    header = [*keys, metric] + (["95 % CI"] if has_ci else [])
    rows = []
    for p in doc["points"]:
        row = [_cell(p.get(k)) for k in cols]
        if has_ci:
            c = p.get(f"{metric}_ci95")
            row.append("-" if c is None else f"[{c[0]:.4g}, {c[1]:.4g}]")
        rows.append(tuple(row))
    table = ReportTable(
        "points",
        tuple(header),
        tuple(rows),
        "One row per point, in the order computed.",
        keys=tuple(cols) + (("ci95",) if has_ci else ()),
        text_keys=frozenset(keys),
    )
    items: list[ReportTable | ReportFigure] = [
        ReportFigure.of("fig-sweep", sweep_figure(doc), f"{metric} against the swept values."),
    ]
    if doc.get("sensitivity"):
        items.append(
            ReportFigure.of(
                "fig-sensitivity",
                sensitivity_figure(doc),
                "Change of the metric at each parameter's low and high value.",
            )
        )
    items.append(table)
    text = (
        f"Scenario {doc.get('scenario')}: {len(doc['points'])} points, mode {doc.get('mode')}, "
        f"{doc.get('elapsed_s')} s."
    )
    return write_report(
        folder, f"bmdsim sweep: {doc.get('scenario')}", [Section("Sweep", (text,), tuple(items))]
    )
