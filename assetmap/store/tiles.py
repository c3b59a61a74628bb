"""Mapbox vector tiles from PostGIS (`ST_AsMVT`), with the same visibility as every export.

From zoom `DETAIL_ZOOM` up, a tile holds the features themselves. Below it, point layers
(assets, services) are aggregated on a grid of `GRID` x `GRID` cells per tile: one point per
non-empty cell, at the mean position of what it holds, with a `count` attribute. A whole-city
tile then carries a few hundred points rather than 200,000, and the arithmetic that puts a
point in its cell runs on longitude/latitude directly (no reprojection of every row).

Each statement is built once per (layer, viewer, aggregated) with the tile's z/x/y as bound
parameters, so a request costs one cached, compiled query.
"""

from __future__ import annotations

import math
from functools import lru_cache

from sqlalchemy import Float, Integer, Select, bindparam, case, func, literal_column, select
from sqlalchemy.orm import Session

from assetmap.store.layers import Source, source
from assetmap.store.visibility import Viewer

EXTENT = 4096  # tile coordinate units per side (the MVT default)
BUFFER = 64  # units drawn beyond the edge so symbols are not clipped at tile seams
MAX_ZOOM = 22
DETAIL_ZOOM = 13  # below this, point layers are aggregated
GRID = 32  # aggregation cells per tile side: 8 screen pixels on a 256-pixel tile
AGGREGATED = ("assets", "services")
WORLD = 20037508.342789244  # half the width of the Web Mercator square, in metres
# Tile queries are short: compiling them (JIT) costs more than it saves, and the
# aggregation's sort should stay in memory.
SETTINGS = ("SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'")

# What each layer's tile features carry: enough to draw and label; the rest is one click away
# through the API. Never contact details.
TILE_PROPS = {
    "assets": ("id", "name", "kind", "category"),
    "links": ("id", "type", "from_id", "to_id", "weight"),
    "services": ("id", "name", "service_type"),
    "areas": ("id", "name", "population", "need_index"),
}

_Z, _X, _Y = (bindparam(name, type_=Integer) for name in ("z", "x", "y"))


def tile_bounds(margin: float = 0.0):
    """The requested tile's square in Web Mercator, widened by `margin` (share of its width)."""
    world = func.ST_MakeEnvelope(-WORLD, -WORLD, WORLD, WORLD, 3857)
    return func.ST_TileEnvelope(_Z, _X, _Y, world, margin)


def is_aggregated(layer: str, z: int) -> bool:
    """Whether tiles of `layer` at zoom `z` hold grid counts rather than features."""
    return z < DETAIL_ZOOM and layer in AGGREGATED


def _detail_query(src: Source) -> Select:
    search = func.ST_Transform(tile_bounds(BUFFER / EXTENT), 4326)
    geom = func.ST_AsMVTGeom(func.ST_Transform(src.geom, 3857), tile_bounds(), EXTENT, BUFFER,
                             True)
    columns = [src.columns[name].label(name) for name in TILE_PROPS[src.layer.name]]
    return (select(geom.label("geom"), *columns).select_from(src.from_)
            .where(src.geom.op("&&")(search), *src.where))


def _aggregate_query(src: Source) -> Select:
    # Position inside the tile in cells, from lon/lat by the Web Mercator formulas
    # (n = 2^z tiles per side):
    #   u = ((lon + 180) / 360 * n - x) * GRID
    #   v = ((1 - ln(tan(lat) + sec(lat)) / pi) / 2 * n - y) * GRID
    point = src.geom
    if src.layer.geometry_type != "Point":  # polygons count where they are, on their surface
        point = case((func.GeometryType(src.geom) == "POINT", src.geom),
                     else_=func.ST_PointOnSurface(src.geom))
    n = func.power(2.0, _Z, type_=Float)
    x, y = func.float8(_X, type_=Float), func.float8(_Y, type_=Float)
    lat = func.radians(func.ST_Y(point, type_=Float), type_=Float)
    sec = 1.0 / func.cos(lat, type_=Float)
    u = ((func.ST_X(point, type_=Float) + 180.0) / 360.0 * n - x) * float(GRID)
    v = ((1.0 - func.ln(func.tan(lat, type_=Float) + sec, type_=Float) / math.pi) / 2.0 * n
         - y) * float(GRID)
    search = func.ST_Transform(tile_bounds(), 4326)
    cells = (select(u.label("u"), v.label("v")).select_from(src.from_)
             .where(src.geom.op("&&")(search), *src.where).subquery("p"))
    # A point exactly on the east or south edge belongs to the last cell, not one beyond.
    cell_u = func.least(func.floor(cells.c.u), GRID - 1)
    cell_v = func.least(func.floor(cells.c.v), GRID - 1)
    grouped = (select(func.avg(cells.c.u, type_=Float).label("u"),
                      func.avg(cells.c.v, type_=Float).label("v"), func.count().label("count"))
               .group_by(cell_u, cell_v).subquery("g"))
    # Cells to tile units: MVT's y axis points down, as v does.
    scale = float(EXTENT / GRID)
    geom = func.ST_MakePoint(func.round(grouped.c.u * scale), func.round(grouped.c.v * scale))
    return select(geom.label("geom"), grouped.c.count)


@lru_cache(maxsize=512)
def tile_statement(layer: str, viewer: Viewer, aggregated: bool) -> Select:
    """The SELECT of a tile's bytes, with bound parameters z, x and y."""
    src = source(layer, viewer)
    if aggregated:
        inner = _aggregate_query(src).subquery("m")
        mvt = func.ST_AsMVT(literal_column("m"), layer, EXTENT, "geom")
    else:
        # The feature's id doubles as the MVT feature id (map libraries key state on it).
        inner = _detail_query(src).subquery("m")
        mvt = func.ST_AsMVT(literal_column("m"), layer, EXTENT, "geom", "id")
    return select(mvt).select_from(inner)


def tile_query(layer: str, viewer: Viewer, z: int, x: int, y: int) -> Select:
    """The SELECT of one tile's bytes, its z/x/y bound (for running the SQL elsewhere)."""
    statement = tile_statement(layer, viewer, is_aggregated(layer, z))
    return statement.params(z=z, x=x, y=y)


@lru_cache(maxsize=512)
def _compiled(layer: str, viewer: Viewer, aggregated: bool, dialect) -> tuple[str, dict]:
    # The SQL text and its fixed parameters, made once; each request adds z, x and y.
    statement = tile_statement(layer, viewer, aggregated).params(z=0, x=0, y=0)
    expanded = statement.compile(dialect=dialect).construct_expanded_state()
    return expanded.statement, dict(expanded.parameters)


def tile(session: Session, layer: str, viewer: Viewer, z: int, x: int, y: int) -> bytes:
    """One Mapbox vector tile (possibly empty: zero bytes) of `layer` for `viewer`.

    The session settings and the query go to PostgreSQL together (psycopg's pipeline mode):
    one round trip per tile, as for the bare query.
    """
    connection = session.connection()
    sql, params = _compiled(layer, viewer, is_aggregated(layer, z), connection.dialect)
    raw = connection.connection.driver_connection  # a psycopg Connection
    with raw.cursor() as cursor:
        with raw.pipeline():
            for setting in SETTINGS:
                cursor.execute(setting)
            cursor.execute(sql, {**params, "z": z, "x": x, "y": y})
        data = cursor.fetchone()[0]
    return bytes(data or b"")
