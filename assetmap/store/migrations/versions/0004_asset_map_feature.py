"""each asset keeps its map feature (GeoJSON text) ready for the viewport API

The map's viewport request is the busiest the app serves. Building up to 200 features' JSON
per request cost more than finding them, so a trigger writes each asset's public feature
whenever the asset (or its category's label) changes, and the viewport query only reads it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The public properties of an asset on the map. Contact details are not here: they go only to
# signed-in people, and the query adds them for those viewers.
FEATURE_FUNCTION = """
CREATE FUNCTION asset_map_feature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- to_json of a row writes compact JSON (no spaces), a tenth smaller than
    -- json_build_object's, and every byte is carried on each viewport request.
    SELECT to_json(feature)::text INTO NEW.map_feature FROM (
        SELECT 'Feature' AS type, NEW.id AS id,
               ST_AsGeoJSON(CASE WHEN GeometryType(NEW.geom) = 'POINT' THEN NEW.geom
                                 ELSE ST_PointOnSurface(NEW.geom) END, 7)::json AS geometry,
               (SELECT to_json(props) FROM (
                   SELECT NEW.id AS id, NEW.name AS name, NEW.kind AS kind,
                          NEW.category AS category,
                          (SELECT label FROM category WHERE slug = NEW.category)
                              AS category_label,
                          left(NEW.description, 240) AS description, NEW.website AS website,
                          NEW.opening_times AS opening_times,
                          NEW.accessibility AS accessibility, NEW.status AS status,
                          NEW.visibility AS visibility, NEW.version AS version
               ) AS props) AS properties
    ) AS feature;
    RETURN NEW;
END
$$
"""

LABEL_FUNCTION = """
CREATE FUNCTION category_label_to_assets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Touching the rows runs asset_map_feature, which reads the new label.
    UPDATE asset SET map_feature = NULL WHERE category = NEW.slug;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.add_column('asset', sa.Column('map_feature', sa.Text(), nullable=True))
    op.execute(FEATURE_FUNCTION)
    op.execute("CREATE TRIGGER asset_map_feature BEFORE INSERT OR UPDATE ON asset "
               "FOR EACH ROW EXECUTE FUNCTION asset_map_feature()")
    op.execute(LABEL_FUNCTION)
    op.execute("CREATE TRIGGER category_label_to_assets AFTER UPDATE OF label ON category "
               "FOR EACH ROW WHEN (OLD.label IS DISTINCT FROM NEW.label) "
               "EXECUTE FUNCTION category_label_to_assets()")
    op.execute("UPDATE asset SET map_feature = NULL")


def downgrade() -> None:
    op.execute("DROP TRIGGER category_label_to_assets ON category")
    op.execute("DROP FUNCTION category_label_to_assets()")
    op.execute("DROP TRIGGER asset_map_feature ON asset")
    op.execute("DROP FUNCTION asset_map_feature()")
    op.drop_column('asset', 'map_feature')
