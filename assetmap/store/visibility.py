"""Who may see which assets: one set of rules for the map, the API, exports and tiles.

- Anyone: published assets whose visibility is public. Never an individual's skill: skills
  are personal data and appear publicly only as counts per area (see `skill_counts`).
- Signed-in people: also assets visible to members, and contact details.
- Workers and admins: every asset that is not archived (they moderate).
- The person who added an asset always sees it, pending or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from assetmap.store.models import Asset

MODERATORS = ("worker", "admin")


@dataclass(frozen=True)
class Viewer:
    """Whoever is asking: role None means not signed in."""

    role: str | None = None
    user_id: int | None = None

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    @property
    def moderates(self) -> bool:
        return self.role in MODERATORS

    @property
    def sees_contacts(self) -> bool:
        """Contact details go only to signed-in people."""
        return self.signed_in


ANONYMOUS = Viewer()


def asset_filter(viewer: Viewer, entity=Asset) -> ColumnElement[bool]:
    """A WHERE clause selecting the assets `viewer` may see (`entity`: Asset or an alias)."""
    if viewer.moderates:
        return entity.status != "archived"
    visibilities = ("public", "members") if viewer.signed_in else ("public",)
    shared = and_(
        entity.status == "published",
        entity.visibility.in_(visibilities),
        entity.kind != "skill",
    )
    own = (
        and_(entity.created_by == viewer.user_id, entity.status != "archived")
        if viewer.user_id is not None
        else false()
    )
    return or_(shared, own)


def link_end_filter(viewer: Viewer, entity=Asset) -> ColumnElement[bool]:
    """Links are shown only when both ends are visible; this is the per-end clause."""
    return true() if viewer.moderates else asset_filter(viewer, entity)
