"""A run's HTML report in headless chromium: every figure embedded and decoded."""

from __future__ import annotations

import base64
import html
import re

import pytest

from bmdsim.cli.main import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_run_report_shows_every_figure(tmp_path, capsys, render_page) -> None:
    folder = tmp_path / "report"
    assert main(["run", "aegis-ashore-japan", "--report", str(folder)]) == 0
    capsys.readouterr()
    page = folder / "report.html"
    assert page.is_file()

    # render_page waits for every <img> to decode and fails on one with naturalWidth 0
    dom, png = render_page(page)
    srcs = [html.unescape(m) for m in re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', dom)]
    assert srcs, "the report shows no figure"
    for src in srcs:
        assert src.startswith("data:image/png;base64,"), src[:60]
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1_000
    shot = png.read_bytes()
    assert shot.startswith(PNG_SIGNATURE) and len(shot) > 10_000


def test_render_page_catches_a_broken_image(tmp_path, render_page) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><body><p>figure:</p><img src="data:image/png;base64,AAAA">'
        "</body></html>",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="images that did not load"):
        render_page(page)
