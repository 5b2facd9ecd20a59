"""Self-contained HTML reports: sections of text, tables and figures in one file.

A report is one ``report.html`` whose figures are PNG images embedded as base64 data URIs
and whose style sheet is inline: it opens offline, fetches nothing and can be mailed as it
is. Each figure is also written beside it as ``<id>.png``. Every text that reaches the page
(scenario and place names included) is escaped. Each figure is a ``<figure id="fig-...">``
and each table a ``<table id="...">`` whose cells carry ``data-key`` attributes, so that
tests and scripts can read the numbers back.
"""

from __future__ import annotations

import base64
import html
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matplotlib.figure import Figure

from bmdsim.viz.style import png_bytes

__all__ = [
    "REPORT_NAME",
    "ReportFigure",
    "ReportTable",
    "Section",
    "bmdsim_version",
    "render_html",
    "write_report",
]

REPORT_NAME = "report.html"

_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2em auto; max-width: 1150px; padding: 0 1em; color: #1d1d1f; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #d0d4d9; padding-bottom: 0.2em;
     margin-top: 1.8em; }
p.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.88em; }
caption { text-align: left; color: #555; padding-bottom: 0.3em; }
th, td { border: 1px solid #d0d4d9; padding: 0.25em 0.6em; text-align: right; }
th { background: #f1f3f5; }
td.text, th.text { text-align: left; }
tr.killed td.outcome { color: #2a7d34; font-weight: 600; }
tr.leaked td.outcome { color: #c92a2a; font-weight: 600; }
tr.no_opportunity td.outcome { color: #d9480f; font-weight: 600; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e6ea; }
figcaption { color: #444; font-size: 0.9em; margin-top: 0.3em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; border-top: 1px solid #d0d4d9;
         padding-top: 0.5em; }
"""


def bmdsim_version() -> str:
    """``bmdsim.__version__``, read at run time (a static import of the root package would
    tie this layer to every layer the root's public API reaches)."""
    return str(importlib.import_module("bmdsim").__version__)


def _check_id(name: str) -> str:
    if not _ID.match(name):
        raise ValueError(f"bad report id {name!r}: lower-case letters, digits and '-'")
    return name


@dataclass(frozen=True)
class ReportFigure:
    """A figure of a report: its id (``fig-...``, also the PNG's file name), caption and PNG."""

    id: str
    caption: str
    png: bytes
    alt: str = ""

    @classmethod
    def of(cls, id: str, fig: Figure, caption: str, alt: str = "") -> ReportFigure:
        """Render a matplotlib figure (at the report's resolution)."""
        return cls(_check_id(id), caption, png_bytes(fig), alt or caption)


@dataclass(frozen=True)
class ReportTable:
    """A table: header, rows of text, and a machine-readable key per column (``keys``;
    the header's text when not given). Columns whose key is in ``text_keys`` are left
    aligned; ``row_classes`` gives each row a CSS class (for example its outcome)."""

    id: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    keys: tuple[str, ...] = ()
    text_keys: frozenset[str] = frozenset()
    row_classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A titled part of a report: paragraphs of plain text, then tables and figures."""

    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[ReportTable | ReportFigure, ...] = ()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _css_class(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", text.lower())


def _table(t: ReportTable) -> str:
    keys = t.keys or t.header
    if len(keys) != len(t.header):
        raise ValueError(f"table {t.id}: {len(keys)} keys for {len(t.header)} columns")
    out = [f'<table id="{_e(_check_id(t.id))}">']
    if t.caption:
        out.append(f"<caption>{_e(t.caption)}</caption>")
    cls = ['class="text" ' if k in t.text_keys else "" for k in keys]
    out.append(
        "<thead><tr>"
        + "".join(f'<th {c}scope="col">{_e(h)}</th>' for c, h in zip(cls, t.header, strict=True))
        + "</tr></thead><tbody>"
    )
    for n, row in enumerate(t.rows):
        if len(row) != len(keys):
            raise ValueError(f"table {t.id}: a row of {len(row)} cells for {len(keys)} columns")
        rc = _css_class(t.row_classes[n]) if n < len(t.row_classes) else ""
        out.append(f'<tr class="{rc}">' if rc else "<tr>")
        for k, c, cell in zip(keys, cls, row, strict=True):
            key = _css_class(k)
            extra = f"text {key}" if c else key
            out.append(f'<td class="{_e(extra)}" data-key="{_e(k)}">{_e(cell)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _figure(f: ReportFigure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    return (
        f'<figure id="{_e(_check_id(f.id))}">'
        f'<img src="data:image/png;base64,{data}" alt="{_e(f.alt or f.caption)}">'
        f"<figcaption>{_e(f.caption)}</figcaption></figure>"
    )


def render_html(title: str, sections: Sequence[Section], subtitle: str = "") -> str:
    """The report as one HTML document (nothing outside it is referenced)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bmdsim {_e(bmdsim_version())}">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="sub">{_e(subtitle)}</p>')
    for s in sections:
        parts.append(f"<section><h2>{_e(s.title)}</h2>")
        parts.extend(f"<p>{_e(p)}</p>" for p in s.paragraphs)
        for item in s.items:
            parts.append(_table(item) if isinstance(item, ReportTable) else _figure(item))
        parts.append("</section>")
    parts.append(
        f'<footer>Made by <span id="bmdsim-version">bmdsim {_e(bmdsim_version())}</span> on '
        f"{_e(stamp)}. Every system in it is a notional class built from open sources.</footer>"
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_report(
    folder: str | Path, title: str, sections: Sequence[Section], subtitle: str = ""
) -> Path:
    """Write ``folder/report.html`` and each figure as ``folder/<id>.png`` (the folder is
    made if missing); the report's path. Raises OSError when the files cannot be written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ids = [i.id for s in sections for i in s.items]
    if len(set(ids)) != len(ids):
        raise ValueError("report ids must be unique")
    for s in sections:
        for item in s.items:
            if isinstance(item, ReportFigure):
                (out / f"{item.id}.png").write_bytes(item.png)
    path = out / REPORT_NAME
    path.write_text(render_html(title, sections, subtitle), encoding="utf-8")
    return path
