"""Write validated records in one transaction, updating by (source, source_id)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from geoalchemy2.shape import from_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from assetmap.errors import ImportRejected
from assetmap.store import revisions
from assetmap.store.models import Area, Asset, Link, Service

MODELS = {"assets": Asset, "services": Service, "areas": Area, "links": Link}
NOT_COLUMNS = {"row", "source_id", "geom", "from_id", "to_id"}
# New rows are flushed this many at a time: SQLAlchemy sends them as multi-row INSERTs.
BATCH = 1000


@dataclass
class ImportSummary:
    layer: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for people: what the import did."""
        text = (f"{self.layer} from {self.source}: {self.created} created, {self.updated} "
                f"updated, {self.unchanged} unchanged")
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


def _resolve_link_ends(session: Session, records: list[dict], asset_source: str | None) -> None:
    wanted = {r["from_id"] for r in records} | {r["to_id"] for r in records}
    query = select(Asset.id, Asset.source_id, Asset.status).where(Asset.source_id.in_(wanted))
    if asset_source:
        query = query.where(Asset.source == asset_source)
    found: dict[str, list[tuple[int, str]]] = {}
    for asset_id, source_id, status in session.execute(query):
        found.setdefault(source_id, []).append((asset_id, status))
    problems = []
    for record in records:
        for end in ("from_id", "to_id"):
            matches = found.get(record[end], [])
            if not matches:
                problems.append((record["row"], end, f"no asset with id {record[end]!r}"))
            elif len(matches) > 1:
                problems.append((record["row"], end, f"id {record[end]!r} matches assets from "
                                 "several sources; pass --asset-source"))
            elif matches[0][1] == "archived":
                problems.append((record["row"], end, f"asset {record[end]!r} is archived"))
            else:
                record[end.replace("_id", "_asset_id")] = matches[0][0]
    if problems:
        raise ImportRejected(f"links: {len(problems)} problem(s); nothing was imported", problems)


def _values(layer: str, record: dict) -> dict:
    values = {k: v for k, v in record.items() if k not in NOT_COLUMNS}
    if record.get("geom") is not None:
        values["geom"] = from_shape(record["geom"], srid=4326)
    return values


def _same(existing, values: dict, record: dict) -> bool:
    for key, value in values.items():
        if key == "geom":
            continue
        if getattr(existing, key) != value:
            return False
    if "geom" in values:
        from geoalchemy2.shape import to_shape

        return to_shape(existing.geom).equals_exact(record["geom"], 1e-12)
    return True


def write_records(session: Session, layer: str, records: list[dict], *, source: str,
                  asset_source: str | None = None, user_id: int | None = None,
                  progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Insert or update every record; the caller's transaction makes it all-or-nothing."""
    model = MODELS[layer]
    summary = ImportSummary(layer=layer, source=source)
    if layer == "links":
        _resolve_link_ends(session, records, asset_source)
    existing = {
        row.source_id: row
        for row in session.scalars(select(model).where(model.source == source))
    }
    tracked = model in (Asset, Link)
    created: list = []  # new assets or links whose revisions are written a batch at a time

    def record_created() -> None:
        revisions.record_created(session, created, "import", user_id=user_id,
                                 reason=f"imported from {source}")
        created.clear()

    for record in records:
        values = _values(layer, record)
        current = existing.get(record["source_id"])
        if current is None:
            entity = model(source=source, source_id=record["source_id"], **values)
            session.add(entity)
            if tracked:
                entity.created_by = user_id
                created.append(entity)
                if len(created) == BATCH:
                    record_created()
            summary.created += 1
        elif _same(current, values, record):
            summary.unchanged += 1
        else:
            before = revisions.snapshot(current) if tracked else None
            for key, value in values.items():
                setattr(current, key, value)
            if tracked:
                session.flush()
                revisions.record(session, current, "import-update", before=before,
                                 user_id=user_id, reason=f"re-imported from {source}")
            summary.updated += 1
        if progress:
            progress(1)
    if created:
        record_created()
    session.flush()
    return summary
