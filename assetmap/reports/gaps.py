"""The gap analysis report: a priority choropleth, the ranked table and the caveats.

One standalone HTML page from `templates/reports/gaps.html`. The map is a folium map on the
vendored Leaflet (no CDN), shown in an iframe; colours and legend are our own HTML/CSS, not
branca's, because branca pulls its scripts from a CDN. All user text is escaped: the page by
Jinja's autoescape, and map popups by escaping the values before they reach the map (folium's
popup script inserts them as HTML).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path

import folium
import numpy as np
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from assetmap.gaps.priority import FACTORS, LABELS
from assetmap.gaps.result import GapResult
from assetmap.reports.maps import map_html, new_map
from assetmap.taxonomy import ASSET_CATEGORIES, SERVICE_TYPES

# ColorBrewer YlOrRd, 5 classes: equal fifths of the 0..1 priority score.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA = "#cccccc"
SERVICE_COLOUR = "#2c7fb8"
ASSET_COLOUR = "#31a354"
MAX_TABLE_ROWS = 200
MAX_MAP_POINTS = 5000
MAX_EMBED_BYTES = 5_000_000


def _templates() -> Path:
    """The templates folder: the source tree's, or the copy packaged into the wheel."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "templates", here.parents[1] / "templates"):
        if (candidate / "reports" / "gaps.html").is_file():
            return candidate
    return here.parents[2] / "templates"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_templates())),
        autoescape=select_autoescape(["html"]),
    )


def colour_for(score: float) -> str:
    """The fill for a priority score in 0..1 (grey when there is no score)."""
    if score is None or not np.isfinite(score):
        return NO_DATA
    return PALETTE[min(int(score * len(PALETTE)), len(PALETTE) - 1)]


def legend_classes() -> list[dict]:
    """Legend rows: colour and the score range it stands for."""
    step = 1 / len(PALETTE)
    return [
        {"colour": c, "label": f"{i * step:.1f} – {(i + 1) * step:.1f}"}
        for i, c in enumerate(PALETTE)
    ]


def _fmt(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    if isinstance(value, float | np.floating):
        return f"{value:,.{digits}f}"
    return str(value)


def _area_features(result: GapResult) -> dict:
    """Areas as GeoJSON for the map: only display properties, every one already escaped."""
    areas = result.areas
    features = []
    for geom, row in zip(areas.geometry, areas.itertuples(index=False), strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": geom.__geo_interface__,
                "properties": {
                    "area": str(escape(row.name)),
                    "rank": int(row.rank),
                    "priority": _fmt(row.priority),
                    "access": _fmt(row.access * 1000, 3),
                    "need": _fmt(row.need_index),
                    "cluster": "yes" if row.low_access_cluster else "no",
                    "fill": colour_for(row.priority),
                    "edge": "#222222" if row.low_access_cluster else "#666666",
                    "edge_weight": 3 if row.low_access_cluster else 0.6,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _point_features(frame, label_col: str, kind_col: str, labels: Mapping[str, str]) -> dict:
    """Points for the map, thinned evenly to MAX_MAP_POINTS, properties escaped."""
    if len(frame) > MAX_MAP_POINTS:
        frame = frame.iloc[np.linspace(0, len(frame) - 1, MAX_MAP_POINTS).astype(int)]
    features = [
        {
            "type": "Feature",
            "geometry": geom.__geo_interface__,
            "properties": {
                "name": str(escape(name)),
                "type": str(escape(labels.get(kind, kind))),
            },
        }
        for geom, name, kind in zip(frame.geometry, frame[label_col], frame[kind_col], strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _points_layer(data: dict, name: str, colour: str, show: bool) -> folium.GeoJson:
    return folium.GeoJson(
        data,
        name=name,
        show=show,
        marker=folium.CircleMarker(
            radius=4, weight=1, color="#ffffff", fill=True, fill_color=colour, fill_opacity=0.9
        ),
        tooltip=folium.GeoJsonTooltip(fields=["name", "type"], aliases=["Name", "Type"]),
    )


def build_map(result: GapResult, *, static_url: str | None = None, tiles_url: str | None = None):
    """The folium map: priority choropleth, services and assets, with a layer control."""
    minx, miny, maxx, maxy = result.areas.total_bounds
    fmap = new_map(
        location=((miny + maxy) / 2, (minx + maxx) / 2),
        static_url=static_url,
        tiles_url=tiles_url,
    )
    folium.GeoJson(
        _area_features(result),
        name="Areas: priority for capacity building",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": f["properties"]["edge"],
            "weight": f["properties"]["edge_weight"],
            "fillOpacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["area", "rank", "priority", "access", "need", "cluster"],
            aliases=[
                "Area",
                "Rank",
                "Priority",
                "Access (per 1,000)",
                "Need index",
                "Low-access cluster",
            ],
        ),
    ).add_to(fmap)
    if result.services is not None and len(result.services):
        data = _point_features(result.services, "name", "service_type", SERVICE_TYPES)
        _points_layer(data, "Public services", SERVICE_COLOUR, True).add_to(fmap)
    data = _point_features(result.assets, "name", "category", ASSET_CATEGORIES)
    _points_layer(data, "Community assets", ASSET_COLOUR, False).add_to(fmap)
    for child in fmap._children.values():
        # new_map names the base layer after its URL; the layer control should read plainly.
        if isinstance(child, folium.TileLayer):
            child.layer_name = "Base map"
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def _rows(result: GapResult) -> list[dict]:
    ranked = result.ranked().head(MAX_TABLE_ROWS)
    rows = []
    for row in ranked.itertuples(index=False):
        contributions = []
        for factor in FACTORS:
            value = getattr(row, f"contrib_{factor}")
            ok = value is not None and np.isfinite(value)
            contributions.append(
                {"factor": factor, "text": _fmt(value), "width": round(value * 100, 1) if ok else 0}
            )
        rows.append(
            {
                "rank": int(row.rank),
                "name": row.name,
                "population": _fmt(row.population, 0),
                "need": _fmt(row.need_index),
                "access": _fmt(row.access * 1000, 3),
                "bridging": _fmt(row.bridging),
                "contributions": contributions,
                "priority": _fmt(row.priority),
                "cluster": bool(row.low_access_cluster),
            }
        )
    return rows


def _downloads(result: GapResult, urls: Mapping[str, str] | None) -> list[dict]:
    """Links to the gap layer: the caller's URLs, or the data itself when small enough."""
    if urls:
        return [{"label": label, "href": href, "file": None} for label, href in urls.items()]
    csv_text = result.to_csv()
    geojson = json.dumps(result.to_geojson(), allow_nan=False)
    if len(csv_text) + len(geojson) > MAX_EMBED_BYTES:
        return []

    def data_uri(text: str, mime: str) -> str:
        return f"data:{mime};base64,{base64.b64encode(text.encode()).decode('ascii')}"

    return [
        {
            "label": "GeoJSON",
            "href": data_uri(geojson, "application/geo+json"),
            "file": "gaps.geojson",
        },
        {"label": "CSV", "href": data_uri(csv_text, "text/csv"), "file": "gaps.csv"},
    ]


def render_gaps_report(
    result: GapResult,
    *,
    title: str,
    static_url: str | None = None,
    tiles_url: str | None = None,
    download_urls: Mapping[str, str] | None = None,
) -> str:
    """The complete report page as HTML.

    static_url: where the app serves the vendored Leaflet (omit to inline it, for a file).
    tiles_url: base-map tile template (default: the one `reports.maps` uses).
    download_urls: label -> URL for the GeoJSON/CSV downloads; omitted, small layers are
    embedded in the page so a saved report carries its own data.
    """
    fmap = build_map(result, static_url=static_url, tiles_url=tiles_url)
    params = result.parameters
    missing = result.services_without_assets
    services_rows = [
        {
            "name": r.service_name,
            "type": SERVICE_TYPES.get(r.service_type, r.service_type),
            "category": "any community asset"
            if r.category == "any"
            else ASSET_CATEGORIES.get(r.category, r.category),
            "nearest": _fmt(r.nearest_asset_m, 0),
            "nearest_name": r.nearest_asset_name or "—",
        }
        for r in missing.head(MAX_TABLE_ROWS).itertuples(index=False)
    ]
    weights = params.get("weights", {})
    return (
        _environment()
        .get_template("reports/gaps.html")
        .render(
            title=title,
            map_document=map_html(fmap),
            legend=legend_classes(),
            no_data=NO_DATA,
            service_colour=SERVICE_COLOUR,
            asset_colour=ASSET_COLOUR,
            rows=_rows(result),
            n_areas=len(result.areas),
            services_rows=services_rows,
            n_missing=len(missing),
            overlay_m=params.get("overlay_m"),
            notes=result.notes,
            factors=[
                {"key": f, "label": LABELS[f], "weight": weights.get(f, 0.0)} for f in FACTORS
            ],
            method="Enhanced 2SFCA" if params.get("method") == "e2sfca" else "2SFCA",
            params=params,
            downloads=_downloads(result, download_urls),
            max_rows=MAX_TABLE_ROWS,
            max_points=MAX_MAP_POINTS,
            n_assets=len(result.assets),
        )
    )
