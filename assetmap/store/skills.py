"""Skills people offer. Personal data: a person's skill and where they are never leave here
together. The public sees only, per area and category, how many people offer skills — and
any count below a threshold is withheld, so that nobody can be singled out.

The threshold applies to distinct people, not to offers: one person offering three skills
in a category is still one person, and counting offers would let a lone person's skills be
published.
"""

from __future__ import annotations

import math

from geoalchemy2.elements import WKTElement
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput, NotFound
from assetmap.store.models import Area, PersonSkill, User
from assetmap.taxonomy import ASSET_CATEGORIES

DEFAULT_THRESHOLD = 3
MAX_SKILL = 120
MAX_DESCRIPTION = 1000
MAX_SKILLS_PER_PERSON = 50


def _check_text(skill: str, description: str) -> tuple[str, str]:
    skill = (skill or "").strip()
    description = (description or "").strip()
    if not skill:
        raise InvalidInput("Say which skill you offer.", field="skill")
    if len(skill) > MAX_SKILL:
        raise InvalidInput(f"Describe the skill in at most {MAX_SKILL} characters.",
                           field="skill")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"Keep the details to at most {MAX_DESCRIPTION} characters.",
                           field="description")
    return skill, description


def _check_category(category: str) -> str:
    if category not in ASSET_CATEGORIES:
        raise InvalidInput(f"Unknown category {category!r}.", field="category")
    return category


def _point(lon, lat) -> WKTElement:
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("Longitude and latitude must be numbers.", field="location") from exc
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise InvalidInput("Longitude and latitude must be finite numbers.", field="location")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("Longitude must be within ±180 and latitude within ±90.",
                           field="location")
    return WKTElement(f"POINT({lon} {lat})", srid=4326)


def area_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every area, by name, for a 'where are you' list."""
    return [tuple(row) for row in session.execute(select(Area.id, Area.name).order_by(Area.name))]


def offer_skill(session: Session, user_id: int, skill: str, category: str,
                description: str = "", *, area_id: int | None = None,
                lon: float | None = None, lat: float | None = None) -> PersonSkill:
    """Record that a person offers a skill (flushed, not committed).

    Where they are comes either from an area (a point inside it is stored, which is all the
    precision the public counts need) or from a longitude/latitude; it may be left out, in
    which case the skill is counted in no area.
    """
    skill, description = _check_text(skill, description)
    _check_category(category)
    geom = None
    if area_id is not None:
        geom = session.scalar(select(func.ST_PointOnSurface(Area.geom)).where(Area.id == area_id))
        if geom is None:
            raise InvalidInput(f"Unknown area {area_id}.", field="area")
    elif lon is not None or lat is not None:
        geom = _point(lon, lat)
    existing = session.scalars(select(PersonSkill.skill).where(PersonSkill.user_id == user_id))
    names = [name.casefold() for name in existing]
    if skill.casefold() in names:
        raise InvalidInput(f"You already offer {skill!r}.", field="skill")
    if len(names) >= MAX_SKILLS_PER_PERSON:
        raise InvalidInput(f"You can offer at most {MAX_SKILLS_PER_PERSON} skills.",
                           field="skill")
    row = PersonSkill(user_id=user_id, skill=skill, category=category,
                      description=description, geom=geom)
    session.add(row)
    session.flush()
    return row


def remove_skill(session: Session, user_id: int, skill_id: int) -> None:
    """Withdraw one of the person's own skills; NotFound if it is not theirs."""
    row = session.get(PersonSkill, skill_id)
    if row is None or row.user_id != user_id:
        raise NotFound("You do not offer that skill.")
    session.delete(row)
    session.flush()


def skills_of(session: Session, user_id: int) -> list[dict]:
    """A person's own skills, for their eyes only: skill, category, details and the area
    their location falls in (never the location itself)."""
    area_name = (
        select(Area.name)
        .where(func.ST_Intersects(Area.geom, PersonSkill.geom))
        .order_by(Area.name)
        .limit(1)
        .correlate(PersonSkill)
        .scalar_subquery()
    )
    rows = session.execute(
        select(PersonSkill.id, PersonSkill.skill, PersonSkill.category,
               PersonSkill.description, area_name.label("area"))
        .where(PersonSkill.user_id == user_id)
        .order_by(PersonSkill.created_at, PersonSkill.id)
    )
    return [
        {"id": r.id, "skill": r.skill, "category": r.category,
         "category_label": ASSET_CATEGORIES.get(r.category, r.category),
         "description": r.description, "area": r.area}
        for r in rows
    ]


def skill_summary(session: Session, threshold: int = DEFAULT_THRESHOLD) -> dict:
    """How many people offer skills, per area and category, with small counts withheld.

    Every area is listed with every category, including those where nobody offers anything:
    listing only non-empty cells would itself reveal that someone there offers a skill.
    A withheld cell has `count` None and `display` "fewer than N".
    """
    if threshold < 1:
        raise InvalidInput("The threshold must be at least 1.", field="threshold")
    counted = session.execute(
        select(Area.id, PersonSkill.category, func.count(func.distinct(PersonSkill.user_id)))
        .join(PersonSkill, func.ST_Intersects(Area.geom, PersonSkill.geom))
        .join(User, User.id == PersonSkill.user_id)
        .where(User.active.is_(True))
        .group_by(Area.id, PersonSkill.category)
    )
    people = {(area_id, category): n for area_id, category, n in counted}
    areas = []
    for area_id, name in area_choices(session):
        cells = []
        for category, label in ASSET_CATEGORIES.items():
            n = people.get((area_id, category), 0)
            shown = n >= threshold
            cells.append({"category": category, "label": label,
                          "count": n if shown else None,
                          "display": str(n) if shown else f"fewer than {threshold}"})
        areas.append({"id": area_id, "name": name, "categories": cells})
    return {"threshold": threshold, "counts": "people offering skills", "areas": areas}
