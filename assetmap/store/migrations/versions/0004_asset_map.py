"""asset_map: each asset's map marker and GeoJSON feature, kept ready for the viewport API

The map's viewport request is the busiest the app serves. Building up to 200 features' JSON
per request cost more than finding them, and reading them from the wide asset rows cost more
than reading a narrow table. So triggers keep one narrow row per asset: its marker point (the
point itself, or a point on the surface of an area), the columns the visibility rules read,
and its public feature as compact JSON text. The viewport query reads only this table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

MARKER_FUNCTION = """
CREATE FUNCTION asset_marker(geom geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN GeometryType(geom) = 'POINT' THEN geom ELSE ST_PointOnSurface(geom) END
$$
"""

# The public properties of an asset on the map. Contact details are not here: they go only to
# signed-in people, and the query adds them for those viewers. to_json of a row writes compact
# JSON (no spaces), a tenth smaller than json_build_object's.
FEATURE_FUNCTION = """
CREATE FUNCTION asset_map_feature(a asset) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_json(feature)::text FROM (
        SELECT 'Feature' AS type, a.id AS id,
               ST_AsGeoJSON(asset_marker(a.geom), 7)::json AS geometry,
               (SELECT to_json(props) FROM (
                   SELECT a.id AS id, a.name AS name, a.kind AS kind, a.category AS category,
                          (SELECT label FROM category WHERE slug = a.category)
                              AS category_label,
                          left(a.description, 240) AS description, a.website AS website,
                          a.opening_times AS opening_times, a.accessibility AS accessibility,
                          a.status AS status, a.visibility AS visibility, a.version AS version
               ) AS props) AS properties
    ) AS feature
$$
"""

SYNC_FUNCTION = """
CREATE FUNCTION asset_map_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO asset_map (id, point, category, kind, status, visibility, created_by, feature)
    VALUES (NEW.id, asset_marker(NEW.geom), NEW.category, NEW.kind, NEW.status,
            NEW.visibility, NEW.created_by, asset_map_feature(NEW))
    ON CONFLICT (id) DO UPDATE SET
        point = EXCLUDED.point, category = EXCLUDED.category, kind = EXCLUDED.kind,
        status = EXCLUDED.status, visibility = EXCLUDED.visibility,
        created_by = EXCLUDED.created_by, feature = EXCLUDED.feature;
    RETURN NULL;
END
$$
"""

LABEL_FUNCTION = """
CREATE FUNCTION category_label_to_asset_map() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE asset_map SET feature = asset_map_feature(a)
    FROM asset a WHERE a.id = asset_map.id AND a.category = NEW.slug;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table('asset_map',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('point', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4326, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('feature', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['asset.id'], name='asset_map_id_fkey', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_asset_map_point', 'asset_map', ['point'], unique=False, postgresql_using='gist')
    op.execute(MARKER_FUNCTION)
    op.execute(FEATURE_FUNCTION)
    op.execute(SYNC_FUNCTION)
    op.execute("CREATE TRIGGER asset_map_sync AFTER INSERT OR UPDATE ON asset "
               "FOR EACH ROW EXECUTE FUNCTION asset_map_sync()")
    op.execute(LABEL_FUNCTION)
    op.execute("CREATE TRIGGER category_label_to_asset_map AFTER UPDATE OF label ON category "
               "FOR EACH ROW WHEN (OLD.label IS DISTINCT FROM NEW.label) "
               "EXECUTE FUNCTION category_label_to_asset_map()")
    op.execute("INSERT INTO asset_map (id, point, category, kind, status, visibility, "
               "created_by, feature) SELECT a.id, asset_marker(a.geom), a.category, a.kind, "
               "a.status, a.visibility, a.created_by, asset_map_feature(a) FROM asset a")


def downgrade() -> None:
    op.execute("DROP TRIGGER category_label_to_asset_map ON category")
    op.execute("DROP FUNCTION category_label_to_asset_map()")
    op.execute("DROP TRIGGER asset_map_sync ON asset")
    op.execute("DROP FUNCTION asset_map_sync()")
    op.execute("DROP FUNCTION asset_map_feature(asset)")
    op.execute("DROP FUNCTION asset_marker(geometry)")
    op.drop_index('ix_asset_map_point', table_name='asset_map', postgresql_using='gist')
    op.drop_table('asset_map')
