"""The data model: assets, links, public services, areas, people and revisions.

Geometry is stored in EPSG:4326 with GiST indexes (created by the migrations). A person's
home location and skills are personal data: they live in `person_skill` / `app_user`, never
in anything that is published as it stands.
"""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Category(Base):
    """One word of the taxonomy: an asset category or a public service type."""

    __tablename__ = "category"
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # 'asset' | 'service'
    label: Mapped[str] = mapped_column(String(200))
    __table_args__ = (CheckConstraint("scope IN ('asset', 'service')", name="category_scope"),)


class User(TimestampMixin, Base):
    """An account. `home` is personal data: only ever used in aggregates."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="resident")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    home = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    # The neighbourhood a resident says they live in: decides which rounds they may vote in.
    home_area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    __table_args__ = (
        CheckConstraint(
            "role IN ('resident', 'worker', 'planner', 'admin')", name="app_user_role"
        ),
        Index("ix_app_user_home", "home", postgresql_using="gist"),
    )


class Asset(TimestampMixin, Base):
    """Something the community already has: a group, a venue, a skill or other."""

    __tablename__ = "asset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(ForeignKey("category.slug"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    geom = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=False), nullable=False)
    contact: Mapped[str] = mapped_column(String(500), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    opening_times: Mapped[str] = mapped_column(String(500), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    source: Mapped[str | None] = mapped_column(String(200))
    source_id: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict] = mapped_column(JSONType, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="asset_source_key"),
        CheckConstraint("kind IN ('group', 'venue', 'skill', 'other')", name="asset_kind"),
        CheckConstraint(
            "visibility IN ('public', 'members', 'private')", name="asset_visibility"
        ),
        CheckConstraint(
            "status IN ('pending', 'published', 'rejected', 'archived')", name="asset_status"
        ),
        CheckConstraint("length(name) BETWEEN 1 AND 200", name="asset_name_length"),
        CheckConstraint(
            "GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')", name="asset_geom_type"
        ),
        Index("ix_asset_geom", "geom", postgresql_using="gist"),
        Index("ix_asset_status_category", "status", "category"),
    )


class AssetMap(Base):
    """What the map's viewport reads of an asset, written only by database triggers on
    `asset` and `category` (migration 0004): the marker point, the columns the visibility
    rules need, and the public GeoJSON feature as compact text (no contact details)."""

    __tablename__ = "asset_map"
    id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"),
                                    primary_key=True)
    point = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)
    category: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    visibility: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(Integer)
    feature: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_asset_map_point", "point", postgresql_using="gist"),)


class Link(TimestampMixin, Base):
    """A tie between two assets: meets at, member of, partners with..."""

    __tablename__ = "link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    to_asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    directed: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    started: Mapped[date | None] = mapped_column(Date)
    ended: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    source: Mapped[str | None] = mapped_column(String(200))
    source_id: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict] = mapped_column(JSONType, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    from_asset: Mapped[Asset] = relationship(foreign_keys=[from_asset_id])
    to_asset: Mapped[Asset] = relationship(foreign_keys=[to_asset_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="link_source_key"),
        CheckConstraint("from_asset_id <> to_asset_id", name="link_not_to_itself"),
        CheckConstraint(
            "type IN ('meets_at', 'member_of', 'partners_with', 'shares_skills_with',"
            " 'refers_to', 'funds')",
            name="link_type",
        ),
        CheckConstraint(
            "status IN ('pending', 'published', 'rejected', 'archived')", name="link_status"
        ),
        CheckConstraint("weight > 0", name="link_weight_positive"),
        CheckConstraint("ended IS NULL OR started IS NULL OR ended >= started", name="link_dates"),
        Index("ix_link_from", "from_asset_id"),
        Index("ix_link_to", "to_asset_id"),
    )


class Service(TimestampMixin, Base):
    """A public service location: GP, school, library, job centre..."""

    __tablename__ = "service"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_type: Mapped[str] = mapped_column(ForeignKey("category.slug"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    source_id: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict] = mapped_column(JSONType, default=dict)
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="service_source_key"),
        Index("ix_service_geom", "geom", postgresql_using="gist"),
    )


class Area(TimestampMixin, Base):
    """A neighbourhood polygon with its population and an optional need index."""

    __tablename__ = "area"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str | None] = mapped_column(String(64))
    population: Mapped[int | None] = mapped_column(Integer)
    need_index: Mapped[float | None] = mapped_column(Float)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    source_id: Mapped[str | None] = mapped_column(String(200))
    extra: Mapped[dict] = mapped_column(JSONType, default=dict)
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="area_source_key"),
        CheckConstraint("population IS NULL OR population >= 0", name="area_population"),
        Index("ix_area_geom", "geom", postgresql_using="gist"),
    )


class PersonSkill(TimestampMixin, Base):
    """A skill a person offers. Personal data: shown publicly only as counts per area."""

    __tablename__ = "person_skill"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(ForeignKey("category.slug"))
    description: Mapped[str] = mapped_column(Text, default="")
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    __table_args__ = (Index("ix_person_skill_geom", "geom", postgresql_using="gist"),)


class Revision(Base):
    """One change to an asset or link: who, when, before, after, why. Never deleted."""

    __tablename__ = "revision"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))  # 'asset' | 'link'
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    before: Mapped[dict | None] = mapped_column(JSONType)
    after: Mapped[dict | None] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_revision_entity", "entity", "entity_id"),)


class ReportSnapshot(Base):
    """A saved report run, so that change over time can be shown."""

    __tablename__ = "report_snapshot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    params: Mapped[dict] = mapped_column(JSONType, default=dict)
    result: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class ApiToken(Base):
    """A planner's token for full exports; only its hash is kept."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AssetChange(Base):
    """An edit to a published asset waiting for review; the published version stays visible."""

    __tablename__ = "asset_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("asset.id", ondelete="CASCADE"))
    base_version: Mapped[int] = mapped_column(Integer)
    proposed: Mapped[dict] = mapped_column(JSONType)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'superseded')",
            name="asset_change_status",
        ),
        Index("ix_asset_change_asset", "asset_id", "status"),
    )


class Round(Base):
    """A participatory round: residents of some areas propose actions and vote on them."""

    __tablename__ = "round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(16), default="points")  # 'points' | 'ranking'
    budget: Mapped[int | None] = mapped_column(Integer)  # points per resident, mode 'points'
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hide_totals: Mapped[bool] = mapped_column(Boolean, default=True)
    closed_early_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    __table_args__ = (
        CheckConstraint("mode IN ('points', 'ranking')", name="round_mode"),
        CheckConstraint("closes_at > opens_at", name="round_dates"),
        CheckConstraint("mode <> 'points' OR budget > 0", name="round_budget"),
    )


class RoundArea(Base):
    """Which areas' residents take part in a round."""

    __tablename__ = "round_area"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"),
                                          primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"),
                                         primary_key=True)


class Proposal(TimestampMixin, Base):
    """An action proposed in a round, placed on the map, moderated like an asset."""

    __tablename__ = "proposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    asset_ids: Mapped[list] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'published', 'rejected', 'archived')", name="proposal_status"
        ),
        Index("ix_proposal_geom", "geom", postgresql_using="gist"),
        Index("ix_proposal_round", "round_id", "status"),
    )


class Ballot(Base):
    """A resident's current ballot in a round: one per person, changeable until close."""

    __tablename__ = "ballot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    # points mode: {"<proposal id>": points}; ranking mode: {"<proposal id>": rank (1 = first)}
    choices: Mapped[dict] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="ballot_one_per_person"),)


class BallotChange(Base):
    """Every ballot as it was cast, kept for audit; only the latest (in `ballot`) counts."""

    __tablename__ = "ballot_change"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    choices: Mapped[dict] = mapped_column(JSONType, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
