"""The layers planners take away, as SQL: which rows each viewer may see, and their filters.

Every GeoJSON, GeoPackage and CSV export, every OGC API collection and every vector tile reads
through `source()`, so one set of rules applies everywhere:

- assets: `visibility.asset_filter(viewer)`, and never an individual's skill (skills are
  personal data, shown only as counts per area); `contact` only when `viewer.sees_contacts`;
- links: only published ones (moderators also see pending ones), and only when both ends are
  assets the viewer may see;
- services and areas: public reference data, always shown.

What a planner's API token adds over an anonymous export ("full" export): members-only assets
and the `contact` column. An admin's token is a moderator's view: pending, rejected and private
assets too. Nobody's export ever holds an archived asset or a skill at a location.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    cast,
    func,
    inspect,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.types import Text

from assetmap.errors import InvalidInput, NotFound
from assetmap.store.models import Area, Asset, Link, Service
from assetmap.store.visibility import Viewer, asset_filter
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, LINK_TYPES, SERVICE_TYPES

PRECISION = 7  # decimal places of longitude/latitude: about 1 cm, as RFC 7946 suggests


@dataclass(frozen=True)
class Prop:
    """One property of a layer: its JSON type, meaning, and whether it can be filtered on."""

    name: str
    type: str  # string | integer | number | boolean | date | date-time
    description: str
    queryable: bool = False
    choices: tuple[str, ...] | None = None
    contact: bool = False  # personal contact details: only for viewers who see contacts


@dataclass(frozen=True)
class Layer:
    """A layer as the outside world sees it (title, geometry type, properties)."""

    name: str
    title: str
    description: str
    geometry_type: str  # GeoJSON geometry type, or "Geometry" when points and polygons mix
    props: tuple[Prop, ...]
    temporal: str  # how the date filter reads: "created" (exists since) or "active" (links)

    def visible_props(self, viewer: Viewer) -> tuple[Prop, ...]:
        """The properties `viewer` gets: contact details only for those who may see them."""
        return tuple(p for p in self.props if viewer.sees_contacts or not p.contact)

    def prop(self, name: str) -> Prop | None:
        """The property called `name`, if the layer has one."""
        return next((p for p in self.props if p.name == name), None)


_SOURCE = (Prop("source", "string", "where the record came from (an import's name)"),
           Prop("source_id", "string", "the record's id in its source"))

LAYERS: dict[str, Layer] = {
    "assets": Layer(
        "assets", "Community assets",
        "Groups, venues and other things the community already has.",
        "Geometry",
        (Prop("id", "integer", "assetmap's id of the asset"),
         Prop("kind", "string", "group, venue or other", True,
              tuple(k for k in ASSET_KINDS if k != "skill")),
         Prop("category", "string", "category (see the taxonomy)", True,
              tuple(ASSET_CATEGORIES)),
         Prop("name", "string", "name"),
         Prop("description", "string", "what it is and does"),
         Prop("contact", "string", "contact details (signed-in viewers only)", contact=True),
         Prop("website", "string", "web address"),
         Prop("opening_times", "string", "opening times (OpenStreetMap syntax when known)"),
         Prop("accessibility", "string", "access notes"),
         Prop("visibility", "string", "public or members", True, ("public", "members")),
         Prop("status", "string", "published (moderators also see pending)"),
         *_SOURCE,
         Prop("created_at", "date-time", "when it was first recorded"),
         Prop("updated_at", "date-time", "when it last changed")),
        "created"),
    "links": Layer(
        "links", "Links between assets",
        "Ties between assets (meets at, member of, partners with...) as lines between them.",
        "LineString",
        (Prop("id", "integer", "assetmap's id of the link"),
         Prop("from_id", "integer", "id of the asset the link starts from", True),
         Prop("to_id", "integer", "id of the asset the link goes to", True),
         Prop("type", "string", "kind of tie", True, tuple(LINK_TYPES)),
         Prop("directed", "boolean", "whether the tie has a direction", True),
         Prop("weight", "number", "strength of the tie"),
         Prop("started", "date", "when the tie began"),
         Prop("ended", "date", "when the tie ended, if it has"),
         Prop("evidence", "string", "how we know"),
         Prop("status", "string", "published (moderators also see pending)"),
         *_SOURCE,
         Prop("created_at", "date-time", "when it was first recorded")),
        "active"),
    "services": Layer(
        "services", "Public services",
        "Public service locations: health, education, libraries, employment support...",
        "Point",
        (Prop("id", "integer", "assetmap's id of the service"),
         Prop("service_type", "string", "type of service", True, tuple(SERVICE_TYPES)),
         Prop("name", "string", "name"),
         Prop("description", "string", "what it offers"),
         Prop("website", "string", "web address"),
         *_SOURCE,
         Prop("created_at", "date-time", "when it was first recorded")),
        "created"),
    "areas": Layer(
        "areas", "Neighbourhoods",
        "Neighbourhood polygons with their population and need index.",
        "MultiPolygon",
        (Prop("id", "integer", "assetmap's id of the area"),
         Prop("name", "string", "name", True),
         Prop("code", "string", "official code (e.g. LSOA)", True),
         Prop("population", "integer", "residents"),
         Prop("need_index", "number", "need or deprivation index, when known"),
         *_SOURCE,
         Prop("created_at", "date-time", "when it was first recorded")),
        "created"),
}


def layer(name: str) -> Layer:
    """The layer called `name`; an unknown name raises NotFound naming the known ones."""
    if name not in LAYERS:
        raise NotFound(f"unknown layer {name!r}; the layers are {', '.join(LAYERS)}")
    return LAYERS[name]


@dataclass
class Filters:
    """What to keep. `start`/`end` bound a time window (inclusive, either may be open)."""

    bbox: tuple[float, float, float, float] | None = None  # lon/lat, west may exceed east
    area: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    equals: dict[str, object] = field(default_factory=dict)


@dataclass
class Source:
    """A layer's rows for one viewer: columns by property name, geometry, FROM and WHERE."""

    layer: Layer
    columns: dict[str, ColumnElement]
    geom: ColumnElement
    from_: FromClause
    where: list[ColumnElement]
    created: ColumnElement | None = None
    started: ColumnElement | None = None
    ended: ColumnElement | None = None

    @property
    def id(self) -> ColumnElement:
        """The column that identifies a feature (its `id` property)."""
        return self.columns["id"]


def visible_assets(viewer: Viewer, alias=None) -> ColumnElement[bool]:
    """The assets `viewer` may see in any export or tile: the map's rule, skills never."""
    clause = and_(asset_filter(viewer), Asset.kind != "skill")
    if alias is None:
        return clause
    return ClauseAdapter(inspect(alias).selectable).traverse(clause)


def _columns(entity, layer_: Layer, viewer: Viewer, **computed) -> dict[str, ColumnElement]:
    out = {}
    for prop in layer_.visible_props(viewer):
        out[prop.name] = computed[prop.name] if prop.name in computed else getattr(
            entity, prop.name)
    return out


def _asset_source(viewer: Viewer) -> Source:
    spec = LAYERS["assets"]
    return Source(spec, _columns(Asset, spec, viewer), Asset.geom, Asset.__table__,
                  [visible_assets(viewer)], created=Asset.created_at)


def _link_source(viewer: Viewer) -> Source:
    spec = LAYERS["links"]
    start, end = aliased(Asset), aliased(Asset)
    geom = func.ST_MakeLine(func.ST_PointOnSurface(start.geom), func.ST_PointOnSurface(end.geom))
    statuses = ("published", "pending") if viewer.moderates else ("published",)
    where = [Link.status.in_(statuses), visible_assets(viewer, start),
             visible_assets(viewer, end)]
    from_ = (Link.__table__.join(inspect(start).selectable, Link.from_asset_id == start.id)
             .join(inspect(end).selectable, Link.to_asset_id == end.id))
    columns = _columns(Link, spec, viewer, from_id=Link.from_asset_id, to_id=Link.to_asset_id)
    return Source(spec, columns, geom, from_, where, created=Link.created_at,
                  started=Link.started, ended=Link.ended)


def _service_source(viewer: Viewer) -> Source:
    spec = LAYERS["services"]
    return Source(spec, _columns(Service, spec, viewer), Service.geom, Service.__table__, [],
                  created=Service.created_at)


def _area_source(viewer: Viewer) -> Source:
    spec = LAYERS["areas"]
    return Source(spec, _columns(Area, spec, viewer), Area.geom, Area.__table__, [],
                  created=Area.created_at)


_SOURCES = {"assets": _asset_source, "links": _link_source, "services": _service_source,
            "areas": _area_source}


def source(name: str, viewer: Viewer) -> Source:
    """The rows of layer `name` that `viewer` may see (unknown layer: NotFound)."""
    layer(name)
    return _SOURCES[name](viewer)


def _envelope(west, south, east, north):
    return func.ST_MakeEnvelope(west, south, east, north, 4326)


def bbox_clause(geom, bbox) -> ColumnElement[bool]:
    """Intersects a lon/lat box; a box whose west edge is east of its east edge crosses 180°."""
    west, south, east, north = bbox
    if west <= east:
        return func.ST_Intersects(geom, _envelope(west, south, east, north))
    return or_(func.ST_Intersects(geom, _envelope(west, south, 180, north)),
               func.ST_Intersects(geom, _envelope(-180, south, east, north)))


def _area_clause(session: Session, src: Source, name: str) -> ColumnElement[bool]:
    area_id = session.scalar(select(Area.id).where(Area.name == name))
    if area_id is None:
        known = session.scalars(select(Area.name).order_by(Area.name).limit(20)).all()
        hint = f"; known areas include {', '.join(known)}" if known else "; there are no areas"
        raise InvalidInput(f"unknown area {name!r}{hint}", field="area")
    area_geom = select(Area.geom).where(Area.id == area_id).scalar_subquery()
    return func.ST_Intersects(src.geom, area_geom)


def _time_clause(src: Source, start: datetime | None, end: datetime | None):
    if src.layer.temporal == "active":
        # A link is active on a day when it had started (or has no start) and not yet ended.
        clauses = []
        if end is not None:
            clauses.append(or_(src.started.is_(None), src.started <= end.date()))
        if start is not None:
            clauses.append(or_(src.ended.is_(None), src.ended >= start.date()))
        return and_(true(), *clauses)
    # Everything else exists from when it was recorded: it is there at any time after that.
    return src.created <= end if end is not None else true()


def where(session: Session, src: Source, filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE clauses for `filters` on `src`, after the visibility rules."""
    clauses = list(src.where)
    if filters.bbox is not None:
        clauses.append(bbox_clause(src.geom, filters.bbox))
    if filters.area is not None:
        clauses.append(_area_clause(session, src, filters.area))
    if filters.start is not None or filters.end is not None:
        clauses.append(_time_clause(src, filters.start, filters.end))
    for name, value in filters.equals.items():
        if name not in src.columns:
            raise InvalidInput(f"layer {src.layer.name} cannot be filtered on {name!r}",
                               field=name)
        clauses.append(src.columns[name] == value)
    return clauses


def _json_pairs(columns: dict[str, ColumnElement]) -> list:
    pairs = []
    for name, column in columns.items():
        pairs += [literal_column(f"'{name}'"), column]  # names are ours, never user input
    return pairs


def geojson_geometry(src: Source) -> ColumnElement:
    """The geometry as GeoJSON text: WGS 84 lon/lat, polygons counter-clockwise (RFC 7946)."""
    geom = src.geom
    if src.layer.geometry_type in ("Geometry", "Polygon", "MultiPolygon"):
        geom = func.ST_ForcePolygonCCW(geom)
    return func.ST_AsGeoJSON(geom, PRECISION)


def feature_text(src: Source) -> ColumnElement:
    """One row's whole GeoJSON Feature as text, built by PostgreSQL."""
    return func.concat(
        literal_column("""'{"type":"Feature","id":'"""), src.id,
        literal_column("""',"geometry":'"""), geojson_geometry(src),
        literal_column("""',"properties":'"""),
        cast(func.json_build_object(*_json_pairs(src.columns)), Text),
        literal_column("'}'"),
    ).label("feature")


def feature_select(session: Session, src: Source, filters: Filters, *,
                   ordered: bool = False) -> Select:
    """SELECT of one GeoJSON Feature text per row; in id order when `ordered` (for paging).

    A whole-layer export is left in the table's order: sorting 200,000 built features would
    cost more than building them.
    """
    query = (select(feature_text(src)).select_from(src.from_)
             .where(*where(session, src, filters)))
    return query.order_by(src.id) if ordered else query


def row_select(session: Session, src: Source, filters: Filters, geometry: str) -> Select:
    """SELECT of the properties plus the geometry as `wkb` or `wkt` (table order)."""
    geom = func.ST_AsBinary(src.geom) if geometry == "wkb" else func.ST_AsText(src.geom)
    columns = [column.label(name) for name, column in src.columns.items()]
    return (select(*columns, geom.label(geometry)).select_from(src.from_)
            .where(*where(session, src, filters)))


def stream(session: Session, query: Select, batch: int = 2000) -> Iterator[list[tuple]]:
    """Rows of `query` in lists of `batch`, never all in memory.

    psycopg's chunked streaming (libpq chunked-rows mode) rather than a server-side cursor:
    PostgreSQL does not run a cursor's query in parallel, and building 200,000 features on
    all cores is what makes an export as quick as a single in-database query. Rows come as
    plain tuples, in the query's column order. Leaving the loop early cancels the query.
    """
    connection = session.connection()
    expanded = query.compile(dialect=connection.dialect).construct_expanded_state()
    raw = connection.connection.driver_connection  # a psycopg Connection
    # Chunks need libpq 17 (psycopg[binary] bundles it); older ones stream row by row.
    size = batch if psycopg.pq.version() >= 170000 else 1
    with raw.cursor() as cursor:
        rows: list[tuple] = []
        for row in cursor.stream(expanded.statement, expanded.parameters, size=size):
            rows.append(row)
            if len(rows) == batch:
                yield rows
                rows = []
        if rows:
            yield rows
