"""The gap report page: complete, offline, escaped."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from markupsafe import escape

from assetmap.gaps import analyse_gaps
from assetmap.gaps.synthetic import synthetic_town
from assetmap.reports.gaps import colour_for, render_gaps_report

NASTY_AREA = '<script>alert("area")</script> & Sons'
NASTY_ASSET = "<img src=x onerror=alert(1)>"
NASTY_SERVICE = "</script><b>GP</b>"


@pytest.fixture(scope="module")
def result():
    areas, services, assets = synthetic_town(50, 400, 30, seed=8)
    areas.loc[0, "name"] = NASTY_AREA
    assets.loc[0, "name"] = NASTY_ASSET
    services.loc[0, "name"] = NASTY_SERVICE
    bridging = dict(zip(areas["name"], np.linspace(-1, 1, len(areas)), strict=True))
    # overlay_m 50: nearly every service lacks an asset that close, so the list is long.
    return analyse_gaps(areas, services, assets, bridging=bridging, overlay_m=50, seed=2)


@pytest.fixture(scope="module")
def page(result):
    return render_gaps_report(result, title='Gaps in "Testtown" <2026>')


def _map_document(page: str) -> str:
    match = re.search(r'srcdoc="([^"]*)"', page)
    assert match, "the map iframe is missing"
    return html.unescape(match.group(1))


def test_page_is_complete(page, result):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Gaps in &#34;Testtown&#34; &lt;2026&gt;</title>" in page
    # One table row per area (50 < the 200-row cap), ranked.
    body = page.split('id="ranked"')[1].split("</table>")[0]
    assert body.count("<tr>") == len(result.areas) + 1  # plus the header row
    top = result.ranked().iloc[0]
    assert re.search(rf'<td class="num">1</td>\s*<td>{re.escape(str(escape(top["name"])))}', body)
    for label in ("Need", "Low access", "Weak ties", "Contributions", "Score"):
        assert f">{label}<" in body
    assert "Public services with no community asset nearby" in page
    assert result.services_without_assets["service_name"].iloc[0] != ""
    for note in result.notes:
        assert str(escape(note)) in page
    assert "GeoJSON" in page and 'download="gaps.csv"' in page


def test_no_network_sources(page):
    doc = _map_document(page)
    for text in (page, doc):
        sources = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', text)
        assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "cdn" not in doc.lower() and "cdn" not in page.lower()
    assert "L.map(" in doc  # the vendored Leaflet is really there, inlined
    assert "data:text/javascript;base64," in doc


def test_user_text_is_escaped_everywhere(page):
    doc = _map_document(page)
    for raw in (NASTY_AREA, NASTY_ASSET, NASTY_SERVICE):
        assert raw not in page
        assert raw not in doc
    assert str(escape(NASTY_AREA)) in page  # in the table, as text
    # In the map data the names are escaped before folium's popup puts them into HTML
    # (folium writes the JSON with "&" as \u0026).
    data = doc.replace("\\u0026", "&")
    assert not any(raw in data for raw in (NASTY_AREA, NASTY_ASSET, NASTY_SERVICE))
    assert "&lt;script&gt;alert" in data
    assert "&lt;img src=x onerror=alert(1)&gt;" in data


def test_map_has_layers_and_legend(page):
    doc = _map_document(page)
    for layer in ("Areas: priority for capacity building", "Public services", "Community assets"):
        assert layer in doc
    assert "L.control.layers(" in doc
    assert 'class="legend"' in page
    for colour in ("#ffffb2", "#bd0026"):
        assert colour in page and colour in doc


def test_static_url_points_leaflet_at_the_app(result):
    page = render_gaps_report(result, title="Gaps", static_url="/static/vendor/")
    doc = _map_document(page)
    assert 'src="/static/vendor/leaflet/leaflet.js"' in doc


def test_colours_by_fifths():
    assert colour_for(0.0) == "#ffffb2"
    assert colour_for(0.39) == "#fecc5c"
    assert colour_for(1.0) == "#bd0026"
    assert colour_for(float("nan")) == "#cccccc"
