"""Downloads of whole layers: /export/{layer}.geojson, .gpkg and .csv, with filters.

Query parameters: `bbox` (west,south,east,north), `area` (an area's name), `date`
(YYYY-MM-DD: links active that day, assets recorded by then) and the layer's own properties
(`category`, `kind`, `type`...). Visibility as everywhere: see `assetmap.store.layers`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, request, send_file, stream_with_context

from assetmap.errors import InvalidInput, NotFound
from assetmap.export.filters import ALIASES, build_filters, queryables
from assetmap.export.layers import FORMATS, csv_chunks, download_name, geojson_chunks, write_gpkg
from assetmap.store.layers import layer as layer_spec
from assetmap.web.database import db_session
from assetmap.web.interop import json_errors, vary_by_viewer
from assetmap.web.viewer import current_viewer

blueprint = Blueprint("exports", __name__, url_prefix="/export")
json_errors(blueprint)

COMMON = ("bbox", "area", "date")


def _filters(spec):
    allowed = {*COMMON, *queryables(spec), *ALIASES.get(spec.name, {})}
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise InvalidInput(f"unknown parameter {unknown[0]!r}; {spec.name} can be filtered by "
                           f"{', '.join(sorted(allowed))}", field=unknown[0])
    equals = {k: v for k, v in request.args.items() if k not in COMMON}
    return build_filters(spec, bbox=request.args.get("bbox"), area=request.args.get("area"),
                         day=request.args.get("date"), equals=equals)


def _gpkg(spec, viewer, filters) -> Response:
    folder = Path(tempfile.mkdtemp(prefix="assetmap-export-"))
    try:
        path = folder / f"{spec.name}.gpkg"
        write_gpkg(db_session(), spec.name, viewer, filters, path)
        size = path.stat().st_size
        handle = path.open("rb")  # still readable once its folder is gone (POSIX)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    response = send_file(handle, mimetype=FORMATS["gpkg"][0], as_attachment=True,
                         download_name=download_name(spec.name, "gpkg"), conditional=False,
                         max_age=0)
    # With its length known it also answers range requests (GDAL's /vsicurl/ reads that way).
    response.content_length = size
    return response.make_conditional(request, accept_ranges=True, complete_length=size)


@blueprint.get("/<layer>.<fmt>")
def export_layer(layer: str, fmt: str):
    """A whole layer in GeoJSON, GeoPackage or CSV, as the asker may see it."""
    if fmt not in FORMATS:
        raise NotFound(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    spec = layer_spec(layer)
    filters = _filters(spec)
    viewer = current_viewer()
    if fmt == "gpkg":
        response = _gpkg(spec, viewer, filters)
    else:
        make = geojson_chunks if fmt == "geojson" else csv_chunks
        chunks = make(db_session(), spec.name, viewer, filters)  # filters checked here
        response = Response(stream_with_context(chunks), content_type=FORMATS[fmt][0])
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{download_name(spec.name, fmt)}"')
    return vary_by_viewer(response, viewer, max_age=0)
