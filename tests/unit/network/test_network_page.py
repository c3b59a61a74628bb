"""The report page (offline, escaped) and the CSV / GraphML downloads."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import networkx as nx
import pandas as pd
import pytest
from markupsafe import escape

from assetmap.errors import InvalidInput
from assetmap.export.network import graph_graphml, node_measures_csv
from assetmap.network import MEANINGS, NetworkReport, analyse, build_graph
from assetmap.reports.network import render_network_report

NASTY = '<script>alert("x")</script> `${alert(1)}` & Sons'


@pytest.fixture
def records(make_asset, make_link):
    """A venue with a hostile name joining two groups; a third group hangs off one of them."""
    assets = [
        make_asset(1, NASTY, kind="venue", area="<b>Centre</b>", lon=-1.55, lat=53.80),
        make_asset(2, "Choir", area="<b>Centre</b>", lon=-1.551, lat=53.801),
        make_asset(3, "Youth club", category="children_youth", area="East", lon=-1.548,
                   lat=53.799),
        make_asset(4, "Chess", category="learning", area="East", lon=-1.547, lat=53.798),
        make_asset(5, "Library", kind="venue", category="library", area="East",
                   lon=-1.546, lat=53.797, institution=True),
    ]
    links = [make_link(1, 2, 1, "meets_at", started=dt.date(2020, 1, 1)),
             make_link(2, 3, 1, "meets_at", weight=2.0),
             make_link(3, 4, 3, "partners_with"),
             make_link(4, 3, 5, "refers_to")]
    return assets, links


@pytest.fixture
def report(records):
    return analyse(build_graph(*records))


def map_document(page: str) -> str:
    """The map's own HTML, from the iframe's srcdoc attribute."""
    match = re.search(r'srcdoc="([^"]*)"', page)
    assert match, "no map iframe"
    return html.unescape(match.group(1))


def external_sources(document: str) -> list[str]:
    return re.findall(r'(?:src|href)\s*=\s*["\']?\s*((?:https?:)?//[^"\'\s>]+)', document)


def test_page_is_complete_and_offline(report):
    page = render_network_report(report, title="Ward <network>")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Ward &lt;network&gt;</title>" in page
    assert external_sources(page) == []
    inner = map_document(page)
    assert external_sources(inner) == []
    assert 'src="data:text/javascript;base64,' in inner  # Leaflet inlined, not fetched
    for meaning in (MEANINGS["betweenness"], MEANINGS["brokerage"], MEANINGS["ei_index"],
                    MEANINGS["articulation"], MEANINGS["constraint"]):
        assert str(escape(meaning)) in page
    for finding in report.findings:
        assert str(escape(finding["text"])) in page
    assert "<svg" in page  # the charts


def test_user_text_is_escaped_everywhere(report):
    page = render_network_report(report, title="t")
    # The page itself: only the escaped form.
    assert "<script>alert" not in page and "<b>Centre</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    # The map: names travel as JSON with <, > and & escaped, then into textContent.
    inner = map_document(page)
    assert "<script>alert" not in inner and "<b>Centre" not in inner
    assert "\\u003cscript\\u003ealert" in inner
    assert "textContent" in inner and "innerHTML" not in inner


def test_page_points_at_static_files_when_served(report):
    inner = map_document(render_network_report(report, title="t", static_url="/static/vendor"))
    assert 'src="/static/vendor/leaflet/leaflet.js"' in inner
    assert "base64" not in inner.split("<body>")[0]


def test_map_size_measure_is_checked(report):
    render_network_report(report, title="t", size_by="degree")
    with pytest.raises(InvalidInput, match="cannot size the map by 'colour'"):
        render_network_report(report, title="t", size_by="colour")


def test_page_from_a_saved_snapshot(report):
    saved = NetworkReport.from_dict(json.loads(json.dumps(report.to_dict())))
    page = render_network_report(saved, title="Saved")
    # Youth club (3) holds Chess (4) on: the fragile-points table names what it cuts off.
    assert "[Chess]" in page
    # Same page as from the fresh report (folium's element ids are random hex: masked).
    def mask(text):
        return re.sub(r"_[0-9a-f]{32}", "_id", text)

    assert mask(page) == mask(render_network_report(report, title="Saved"))


def test_node_measures_csv(report):
    text = node_measures_csv(report)
    table = pd.read_csv(io.StringIO(text), index_col="id")
    assert list(table.index) == [1, 2, 3, 4, 5]
    assert list(table.columns) == list(report.nodes.columns)
    assert table.loc[3, "degree"] == 3 and table.loc[1, "name"] == NASTY
    assert table["betweenness"].tolist() == pytest.approx(report.nodes["betweenness"].tolist())


def test_graphml_carries_plain_attributes(records):
    graph = build_graph(*records)
    data = graph_graphml(graph)
    assert data.startswith(b"<?xml")
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert back.number_of_nodes() == 5 and back.number_of_edges() == 4
    assert back.nodes["1"]["name"] == NASTY and back.nodes["5"]["institution"] is True
    edge = next(d for _, _, d in back.edges(data=True) if d["type"] == "meets_at"
                and d.get("started"))
    assert edge["started"] == "2020-01-01"  # dates as ISO strings
    assert all("ended" not in d for _, _, d in back.edges(data=True))  # no value, no attribute
    assert "filters" not in back.graph


def test_page_for_a_network_without_links_or_places(make_asset):
    # Nothing to draw and no tie to measure: the page still renders and says so.
    graph = build_graph([make_asset(1, "Alone"), make_asset(2, "Also alone", kind="venue")], [])
    page = " ".join(render_network_report(analyse(graph), title="Quiet").split())
    assert "Showing 0 of 2 assets (2 without a location) and 0 of 0 links." in page
    assert "No single asset's loss would split the network." in page
    assert "2 assets (100%) have no recorded ties." in page


def test_skills_stay_off_the_map(records, make_asset, make_link):
    # A skill placed at its holder's home must not be drawn; it stays in the tables.
    assets, links = records
    assets = [*assets, make_asset(9, "Plumbing", kind="skill", lon=-1.552, lat=53.802)]
    links = [*links, make_link(9, 9, 2, "member_of")]
    report = analyse(build_graph(assets, links))
    page = render_network_report(report, title="t")
    inner = map_document(page)
    assert "Plumbing" not in inner and "53.802" not in inner
    assert "1 skill assets are left off the map" in " ".join(page.split())
    shown = map_document(render_network_report(report, title="t", unplaced_kinds=()))
    assert "Plumbing" in shown
