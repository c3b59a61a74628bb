"""Links between assets: created, moderated and archived like assets, with revisions."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from assetmap.errors import Forbidden, InvalidInput, NotFound
from assetmap.ingest.readers import RawRow
from assetmap.ingest.validate import Problems, clean_link
from assetmap.store import revisions
from assetmap.store.assets import get_visible, require_signed_in
from assetmap.store.models import Asset, Link
from assetmap.store.visibility import Viewer, asset_filter

LINK_FIELDS = ("type", "weight", "directed", "started", "ended", "evidence")


def clean_input(data: dict) -> dict:
    """Validate a link from user input with the importers' rules."""
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    props = {k: data[k] for k in LINK_FIELDS if k in data}
    props["from_id"] = str(data.get("from_asset_id", ""))
    props["to_id"] = str(data.get("to_asset_id", ""))
    problems = Problems()
    record = clean_link(RawRow(0, props), problems)
    if problems.items:
        _, field, reason = problems.items[0]
        field = {"from_id": "from_asset_id", "to_id": "to_asset_id"}.get(field, field)
        raise InvalidInput(f"{field}: {reason}", field=field)
    return record


def _asset_id(data: dict, key: str) -> int:
    try:
        value = int(data.get(key))
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(f"{key} must be an asset id (a whole number)", field=key) from exc
    if not 0 < value < 2**31:
        raise InvalidInput(f"{key}: no asset {value}", field=key)
    return value


def create(session: Session, data: dict, viewer: Viewer, *, reason: str = "") -> Link:
    """A new link between two visible, non-archived assets; pending unless a moderator adds it."""
    require_signed_in(viewer, "link assets")
    record = clean_input(data)
    ends = []
    for key in ("from_asset_id", "to_asset_id"):
        asset_id = _asset_id(data, key)
        if (archived := session.get(Asset, asset_id)) is not None and archived.status == "archived":
            raise InvalidInput(f"{key}: asset {asset_id} is archived", field=key)
        try:
            ends.append(get_visible(session, asset_id, viewer))
        except NotFound as exc:
            raise InvalidInput(f"{key}: no asset {asset_id}", field=key) from exc
        if ends[-1].status == "rejected":
            raise InvalidInput(f"{key}: asset {asset_id} is {ends[-1].status}", field=key)
    duplicate = session.scalar(select(Link.id).where(
        Link.status.in_(("pending", "published")), Link.type == record["type"],
        or_(and_(Link.from_asset_id == ends[0].id, Link.to_asset_id == ends[1].id),
            and_(Link.from_asset_id == ends[1].id, Link.to_asset_id == ends[0].id))))
    if duplicate:
        raise InvalidInput(f"these assets are already linked that way (link {duplicate})",
                           field="type")
    link = Link(from_asset_id=ends[0].id, to_asset_id=ends[1].id,
                **{k: record[k] for k in LINK_FIELDS},
                status="published" if viewer.moderates else "pending",
                source="web", created_by=viewer.user_id, extra={})
    session.add(link)
    session.flush()
    link.source_id = str(link.id)
    revisions.record(session, link, "create", before=None, user_id=viewer.user_id,
                     reason=reason)
    return link


def set_status(session: Session, link_id: int, status: str, viewer: Viewer, *,
               reason: str = "") -> Link:
    """Approve, reject or archive a link (archive also by its author while pending)."""
    require_signed_in(viewer, "change a link")
    link = session.get(Link, link_id)
    if link is None:
        raise NotFound(f"no link {link_id}")
    own = link.created_by is not None and link.created_by == viewer.user_id
    if not (viewer.moderates or (status == "archived" and own and link.status == "pending")):
        raise Forbidden("only workers and admins can moderate links")
    if status not in ("published", "rejected", "archived"):
        raise InvalidInput(f"unknown status {status!r}", field="status")
    if status == "rejected" and not reason.strip():
        raise InvalidInput("give a reason when rejecting", field="reason")
    before = revisions.snapshot(link)
    link.status = status
    session.flush()
    action = {"published": "approve", "rejected": "reject", "archived": "archive"}[status]
    revisions.record(session, link, action, before=before, user_id=viewer.user_id,
                     reason=reason)
    return link


def visible_links_query(viewer: Viewer):
    """Links whose two ends the viewer can see; published ones (or all but archived for
    moderators, and one's own pending ones)."""
    start, end = aliased(Asset), aliased(Asset)
    statuses = ("pending", "published") if viewer.moderates else ("published",)
    own = Link.created_by == viewer.user_id if viewer.user_id is not None else False
    return (select(Link, start, end)
            .join(start, Link.from_asset_id == start.id)
            .join(end, Link.to_asset_id == end.id)
            .where(or_(Link.status.in_(statuses), and_(own, Link.status == "pending")),
                   asset_filter(viewer, start), asset_filter(viewer, end)))


def links_of(session: Session, asset_id: int, viewer: Viewer) -> list[tuple[Link, Asset, Asset]]:
    """The asset's links the viewer may see, with both ends."""
    query = visible_links_query(viewer).where(
        or_(Link.from_asset_id == asset_id, Link.to_asset_id == asset_id)).order_by(Link.id)
    return [tuple(row) for row in session.execute(query)]
