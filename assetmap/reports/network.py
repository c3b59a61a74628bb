"""The network report as one self-contained HTML page: map, tables, charts, findings.

Everything comes from a `NetworkReport` (fresh or loaded from a snapshot), so the page can be
rebuilt for any saved date. Leaflet is vendored (`reports.maps`), charts are inline SVG, and
the page loads nothing from the internet except the base-map tiles. User text (names,
areas) is escaped by Jinja's autoescape in the page, and reaches the map only as JSON data
that is put into popups with ``textContent``: never parsed as HTML.
"""

from __future__ import annotations

import math
from pathlib import Path

import folium
import numpy as np
from branca.element import MacroElement
from jinja2 import Environment, FileSystemLoader, Template

from assetmap.errors import InvalidInput
from assetmap.network.brokerage import ROLES
from assetmap.network.graph import KNOWN_CATEGORIES
from assetmap.network.report import NetworkReport
from assetmap.reports.maps import map_html, new_map

SIZE_MEASURES = ("betweenness", "degree", "strength", "pagerank", "effective_size", "reach2",
                 "cross_brokerage", "core", "cut_off")
KIND_COLOURS = {"group": "#1b9e77", "venue": "#d95f02", "skill": "#7570b3",
                "other": "#66a61e", "institution": "#e7298a"}
MAP_NODES = 4000  # beyond these the map shows the highest-ranked only, and says so
MAP_LINKS = 6000
LIST_ROWS = 100


def _templates() -> Path:
    here = Path(__file__).resolve()
    source = here.parents[2] / "templates"  # running from the repository
    return source if (source / "reports" / "network.html").exists() else here.parents[1] / \
        "templates"  # installed wheel: templates are packaged inside assetmap/


def _number(value, digits: int = 3) -> str:
    """A figure for people: thousands separated, a few significant decimals, '–' if none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}g}"
    return str(value)


def _percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


_ENV = Environment(loader=FileSystemLoader(str(_templates())), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True)
_ENV.filters["num"] = _number
_ENV.filters["pct"] = _percent
_ENV.filters["label"] = lambda slug: KNOWN_CATEGORIES.get(slug, slug)


class _NetworkLayer(MacroElement):
    """Links and nodes drawn from one JSON array; popups built with textContent."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var data = {{ this.data|tojson }};
  var links = L.layerGroup(), nodes = L.layerGroup();
  data.links.forEach(function (l) {
    L.polyline([[l[1], l[0]], [l[3], l[2]]],
               {color: "#555", weight: l[4], opacity: 0.45}).addTo(links);
  });
  data.nodes.forEach(function (n) {
    var marker = L.circleMarker([n.lat, n.lon], {radius: n.r, color: n.stroke,
      weight: n.inst ? 3 : 1, fillColor: n.fill, fillOpacity: 0.85});
    var box = document.createElement("div");
    n.lines.forEach(function (text, i) {
      var line = document.createElement(i === 0 ? "strong" : "div");
      line.textContent = text;
      box.appendChild(line);
    });
    marker.bindPopup(box);
    marker.addTo(nodes);
  });
  links.addTo(map);
  nodes.addTo(map);
  L.control.layers(null, {"Links": links, "Assets": nodes}, {collapsed: false}).addTo(map);
  // Fit once the map has a size: inside an iframe the first layout can come after this
  // script, and fitting a zero-sized map would zoom all the way in.
  var fitted = false;
  function fit() {
    if (fitted || !data.bounds) { return; }
    map.invalidateSize();
    var size = map.getSize();
    if (size.x > 0 && size.y > 0) {
      map.fitBounds(data.bounds, {padding: [20, 20]});
      fitted = true;
    }
  }
  fit();
  if (window.ResizeObserver) { new ResizeObserver(fit).observe(map.getContainer()); }
  window.addEventListener("load", fit);
})();
{% endmacro %}
""")

    def __init__(self, data: dict):
        super().__init__()
        self._name = "NetworkLayer"
        self.data = data


def _map_data(report: NetworkReport, size_by: str,
              unplaced_kinds: tuple[str, ...]) -> tuple[dict, dict]:
    hidden = report.nodes["kind"].isin(list(unplaced_kinds))
    table = report.nodes[~hidden].dropna(subset=["lon", "lat"])
    values = table[size_by].fillna(0).astype(float)
    shown = table.loc[values.sort_values(ascending=False).index[:MAP_NODES]]
    top = float(values.max()) if len(values) and values.max() > 0 else 1.0
    nodes = []
    for node, row in shown.iterrows():
        kind = "institution" if row["institution"] else row["kind"]
        value = float(values[node])
        nodes.append({
            "lon": row["lon"], "lat": row["lat"],
            "r": round(3 + 14 * math.sqrt(max(value, 0) / top), 1),
            "fill": KIND_COLOURS.get(kind, "#999"), "stroke": "#222" if kind == "institution"
            else KIND_COLOURS.get(kind, "#999"), "inst": kind == "institution",
            "lines": [str(row["name"]),
                      f"{kind} · {KNOWN_CATEGORIES.get(row['category'], row['category'])}",
                      f"area: {row['area'] or '–'}", f"{size_by}: {_number(value)}",
                      f"ties: {int(row['degree'])}"],
        })
    where = dict(zip(table.index, zip(table["lon"].tolist(), table["lat"].tolist(),
                                      strict=True), strict=True))
    drawable = [row for row in report.links if row[1] in where and row[2] in where]
    drawable.sort(key=lambda row: -float(row[4] or 1))
    links = [[*where[row[1]], *where[row[2]], round(min(1 + float(row[4] or 1), 5), 1)]
             for row in drawable[:MAP_LINKS]]
    bounds = None
    if len(table):
        bounds = [[float(table["lat"].min()), float(table["lon"].min())],
                  [float(table["lat"].max()), float(table["lon"].max())]]
    note = {"nodes_shown": len(nodes), "nodes_placed": len(table),
            "nodes_hidden": int(hidden.sum()), "hidden_kinds": list(unplaced_kinds),
            "nodes_total": len(report.nodes), "links_shown": len(links),
            "links_total": len(report.links)}
    return {"nodes": nodes, "links": links, "bounds": bounds}, note


def _bars(items: list[tuple[str, float]], *, signed: bool = False, width: int = 260) -> dict:
    """Geometry for a horizontal bar chart; signed charts grow left/right of a zero line."""
    span = max((abs(v) for _, v in items if v is not None), default=0) or 1.0
    if signed:
        span = max(span, 1.0)
    zero = width / 2 if signed else 0
    scale = (width / 2 if signed else width) / span
    bars = []
    for i, (label, value) in enumerate(items):
        v = 0.0 if value is None else float(value)
        length = abs(v) * scale
        x = zero - length if v < 0 else zero
        bars.append({"label": str(label), "y": i * 22, "x": round(x, 1), "w": round(length, 1),
                     "text": _number(value, 2), "negative": v < 0})
    return {"bars": bars, "width": width, "zero": zero, "height": len(items) * 22,
            "signed": signed}


def _degree_bins(report: NetworkReport) -> list[tuple[str, float]]:
    degree = report.nodes["degree"].to_numpy()
    edges = [(0, 0), (1, 1), (2, 2), (3, 4), (5, 9), (10, 19), (20, None)]
    out = []
    for lo, hi in edges:
        label = str(lo) if lo == hi else (f"{lo}+" if hi is None else f"{lo}–{hi}")
        mask = degree >= lo if hi is None else (degree >= lo) & (degree <= hi)
        out.append((label, int(mask.sum())))
    return out


def _charts(report: NetworkReport) -> list[dict]:
    ei_rows = sorted(report.ei["category"]["groups"], key=lambda r: r["size"], reverse=True)
    charts = [
        {"title": "Ties per asset", "meaning": report.meanings["degree"],
         **_bars(_degree_bins(report))},
        {"title": "E-I index by category (bonding − / bridging +)",
         "meaning": report.meanings["ei_index"],
         **_bars([(KNOWN_CATEGORIES.get(r["group"], r["group"]), r["ei"])
                  for r in ei_rows[:14]], signed=True)},
        {"title": f"Brokerage roles (by {report.brokerage['attribute']})",
         "meaning": report.meanings["brokerage"],
         **_bars([(role, report.brokerage["totals"][role]) for role in ROLES])},
    ]
    if report.communities:
        charts.append({"title": "Largest communities (assets)",
                       "meaning": report.meanings["communities"],
                       **_bars([(f"#{c['community']} {c['anchor_name']}", c["size"])
                                for c in report.communities[:12]])})
    return charts


def _fragile(report: NetworkReport) -> list[dict]:
    """Fragile points with member names looked up, for the table."""
    names = report.nodes["name"]
    out = []
    for point in report.fragile_points[:LIST_ROWS]:
        main, *rest = point["parts"]
        out.append({"name": point["name"], "kind": point["kind"], "cut_off": point["cut_off"],
                    "main": main["size"],
                    "parts": [{"names": [str(names.get(m, m)) for m in part["members"]],
                               "more": part["size"] - len(part["members"])} for part in rest]})
    return out


def render_network_report(report: NetworkReport, *, title: str, size_by: str = "betweenness",
                          static_url: str | None = None, tiles_url: str | None = None,
                          attribution: str | None = None,
                          unplaced_kinds: tuple[str, ...] = ("skill",)) -> str:
    """A complete HTML page for `report`; map circles sized by the `size_by` measure.

    `static_url` makes the map load Leaflet from the app's static files instead of inlining
    it; `tiles_url`/`attribution` choose the base map. Assets of `unplaced_kinds` stay off
    the map (they are still in every table): a skill's point may be where its holder lives.
    """
    if size_by not in SIZE_MEASURES:
        raise InvalidInput(f"cannot size the map by {size_by!r}; choose one of "
                           f"{', '.join(SIZE_MEASURES)}", field="size_by")
    data, note = _map_data(report, size_by, tuple(unplaced_kinds))
    centre = None
    if data["bounds"]:
        (south, west), (north, east) = data["bounds"]
        centre = ((south + north) / 2, (west + east) / 2)
    fmap: folium.Map = new_map(location=centre, static_url=static_url, tiles_url=tiles_url,
                               attribution=attribution, zoom_start=14)
    _NetworkLayer(data).add_to(fmap)
    template = _ENV.get_template("reports/network.html")
    return template.render(
        title=title, report=report, summary=report.summary, meanings=report.meanings,
        size_by=size_by, map_document=map_html(fmap), map_note=note, charts=_charts(report),
        kind_colours={k: v for k, v in KIND_COLOURS.items() if k not in unplaced_kinds},
        roles=ROLES, rows=LIST_ROWS, fragile=_fragile(report),
    )
