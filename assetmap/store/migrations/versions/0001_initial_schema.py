"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Enables PostGIS, creates every table with GiST indexes on each geometry, and seeds the
category taxonomy (asset categories and public service types).
"""

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


ASSET_CATEGORIES = {
    "community_space": "Community centre or hall",
    "faith": "Faith group or place of worship",
    "sport_leisure": "Sport and leisure",
    "arts_culture": "Arts and culture",
    "children_youth": "Children and young people",
    "older_people": "Older people",
    "health_wellbeing": "Health and wellbeing",
    "food": "Food (food banks, cafés, growing)",
    "learning": "Learning and skills",
    "environment": "Environment and green space",
    "advice_support": "Advice and support",
    "mutual_aid": "Mutual aid and volunteering",
    "local_business": "Local business and enterprise",
}
SERVICE_TYPES = {
    "health": "Health (GP, pharmacy, clinic)",
    "education": "Education (school, college)",
    "library": "Library",
    "employment": "Employment support",
    "social_care": "Social care",
    "housing": "Housing",
    "community_safety": "Community safety",
    "council": "Council office or hub",
}
GEOMETRY_COLUMNS = [
    ("app_user", "home"),
    ("area", "geom"),
    ("asset", "geom"),
    ("service", "geom"),
    ("person_skill", "geom"),
]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('home', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('resident', 'worker', 'planner', 'admin')", name='app_user_role'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('need_index', sa.Float(), nullable=True),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('population IS NULL OR population >= 0', name='area_population'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name'),
    sa.UniqueConstraint('source', 'source_id', name='area_source_key')
    )
    op.create_table('category',
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.CheckConstraint("scope IN ('asset', 'service')", name='category_scope'),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('contact', sa.String(length=500), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=False),
    sa.Column('opening_times', sa.String(length=500), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')", name='asset_geom_type'),
    sa.CheckConstraint("kind IN ('group', 'venue', 'skill', 'other')", name='asset_kind'),
    sa.CheckConstraint("status IN ('pending', 'published', 'rejected', 'archived')", name='asset_status'),
    sa.CheckConstraint("visibility IN ('public', 'members', 'private')", name='asset_visibility'),
    sa.CheckConstraint('length(name) BETWEEN 1 AND 200', name='asset_name_length'),
    sa.ForeignKeyConstraint(['category'], ['category.slug'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', name='asset_source_key')
    )
    op.create_table('person_skill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category'], ['category.slug'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('report_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('revision',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_type', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=False),
    sa.Column('geom', geoalchemy2.types.Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['service_type'], ['category.slug'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', name='service_source_key')
    )
    op.create_table('link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_asset_id', sa.Integer(), nullable=False),
    sa.Column('to_asset_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('directed', sa.Boolean(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('started', sa.Date(), nullable=True),
    sa.Column('ended', sa.Date(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'published', 'rejected', 'archived')", name='link_status'),
    sa.CheckConstraint("type IN ('meets_at', 'member_of', 'partners_with', 'shares_skills_with', 'refers_to', 'funds')", name='link_type'),
    sa.CheckConstraint('ended IS NULL OR started IS NULL OR ended >= started', name='link_dates'),
    sa.CheckConstraint('from_asset_id <> to_asset_id', name='link_not_to_itself'),
    sa.CheckConstraint('weight > 0', name='link_weight_positive'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_asset_id'], ['asset.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_asset_id'], ['asset.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'source_id', name='link_source_key')
    )

    for table, column in GEOMETRY_COLUMNS:
        op.create_index(f"ix_{table}_{column}", table, [column], postgresql_using="gist")
    op.create_index("ix_asset_status_category", "asset", ["status", "category"])
    op.create_index("ix_link_from", "link", ["from_asset_id"])
    op.create_index("ix_link_to", "link", ["to_asset_id"])
    op.create_index("ix_revision_entity", "revision", ["entity", "entity_id"])
    category = sa.table(
        "category", sa.column("slug", sa.String), sa.column("scope", sa.String),
        sa.column("label", sa.String),
    )
    op.bulk_insert(
        category,
        [{"slug": k, "scope": "asset", "label": v} for k, v in ASSET_CATEGORIES.items()]
        + [{"slug": k, "scope": "service", "label": v} for k, v in SERVICE_TYPES.items()],
    )


def downgrade() -> None:
    op.drop_table('link')
    op.drop_table('service')
    op.drop_table('revision')
    op.drop_table('report_snapshot')
    op.drop_table('person_skill')
    op.drop_table('asset')
    op.drop_table('category')
    op.drop_table('area')
    op.drop_table('app_user')
