"""Skills as personal data: offer and remove them; the public sees only counts per area, with
any count below the threshold withheld, and never anyone's location."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from assetmap.ingest.pipeline import import_file
from assetmap.store import skills as skill_store
from assetmap.store.models import Area, PersonSkill, User
from tests.integration.auth.helpers import make_user, post_form, sign_in

# tests/data/areas.geojson: Central spans lon -2.11..-2.09, Eastwood -2.09..-2.07,
# both lat 53.70..53.72.


def area_ids(sessions) -> dict[str, int]:
    with sessions() as session:
        return dict(session.execute(select(Area.name, Area.id)).all())


def offer(client, skill, category="learning", area="", description=""):
    return post_form(client, "/account/skills", {"skill": skill, "category": category,
                                                 "area": str(area),
                                                 "description": description})


def cell(summary: dict, area: str, category: str) -> dict:
    [found] = [c for a in summary["areas"] if a["name"] == area
               for c in a["categories"] if c["category"] == category]
    return found


def test_offer_and_remove_a_skill(client, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    central = area_ids(sessions)["Central"]
    make_user(sessions, "first@example.org")
    sign_in(client, "first@example.org")
    response = offer(client, "First aid", "health_wellbeing", central, "St John certified")
    assert response.status_code == 303
    page = client.get("/account/skills").get_data(as_text=True)
    assert "First aid" in page and "Health and wellbeing" in page and "Central" in page
    assert "St John certified" in page
    [skill_id] = re.findall(r'/account/skills/(\d+)/remove', page)
    removed = post_form(client, f"/account/skills/{skill_id}/remove", {},
                        token_from="/account/skills")
    assert removed.status_code == 303
    assert "You do not offer any skills yet." in client.get("/account/skills").get_data(
        as_text=True)


def test_nobody_removes_someone_elses_skill(client, sessions):
    owner = make_user(sessions, "owner@example.org")
    with sessions() as session, session.begin():
        skill_id = skill_store.offer_skill(session, owner, "Bookkeeping", "learning").id
    make_user(sessions, "other@example.org")
    sign_in(client, "other@example.org")
    response = post_form(client, f"/account/skills/{skill_id}/remove", {},
                         token_from="/account/skills")
    assert response.status_code == 404
    with sessions() as session:
        assert session.get(PersonSkill, skill_id) is not None


def test_bad_skills_are_refused_with_the_reason(client, sessions):
    make_user(sessions, "bad@example.org")
    sign_in(client, "bad@example.org")
    cases = [
        ({"skill": ""}, "Say which skill you offer."),
        ({"skill": "s" * 10_000}, "Field cannot be longer than 120 characters."),
        ({"skill": "Knitting", "category": "knitting"}, "Not a valid choice"),
        ({"skill": "Knitting", "area": "999999"}, "Not a valid choice"),
    ]
    for fields, message in cases:
        response = offer(client, **{"skill": "x", **fields})
        assert response.status_code == 400, fields
        assert message in response.get_data(as_text=True), fields
    offer(client, "Translation")
    again = offer(client, "translation")
    assert again.status_code == 400
    assert "You already offer &#39;translation&#39;." in again.get_data(as_text=True)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PersonSkill)) == 1


def test_skill_text_is_escaped(client, sessions):
    make_user(sessions, "html@example.org")
    sign_in(client, "html@example.org")
    offer(client, "<img src=x onerror=alert(1)>", description="<b>bold</b>")
    page = client.get("/account/skills").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>bold</b>" not in page


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/account/skills")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/account/skills"


def test_summary_withholds_counts_below_the_threshold(client, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    ids = area_ids(sessions)
    people = [make_user(sessions, f"p{i}@example.org") for i in range(3)]
    with sessions() as session, session.begin():
        # Two people offer learning skills in Central...
        skill_store.offer_skill(session, people[0], "Bookkeeping", "learning",
                                area_id=ids["Central"])
        skill_store.offer_skill(session, people[1], "Maths tutoring", "learning",
                                area_id=ids["Central"])
        # ...and one of them three more: still two people, so still withheld.
        for name in ("Spanish", "Excel", "Reading"):
            skill_store.offer_skill(session, people[0], name, "learning",
                                    area_id=ids["Central"])
        # One person in Eastwood, placed by coordinates inside it.
        skill_store.offer_skill(session, people[2], "Cooking", "food", lon=-2.08, lat=53.71)

    summary = client.get("/api/v1/skills/summary").json
    assert summary["threshold"] == 3
    assert [a["name"] for a in summary["areas"]] == ["Central", "Eastwood"]
    assert cell(summary, "Central", "learning") == {
        "category": "learning", "label": "Learning and skills", "count": None,
        "display": "fewer than 3"}
    # Empty cells look exactly like withheld ones: listing only offered ones would tell.
    empty, withheld = cell(summary, "Central", "food"), cell(summary, "Central", "learning")
    assert (empty["count"], empty["display"]) == (withheld["count"], withheld["display"])
    assert cell(summary, "Eastwood", "food")["count"] is None
    assert all(len(a["categories"]) == 13 for a in summary["areas"])

    with sessions() as session, session.begin():
        skill_store.offer_skill(session, people[2], "Piano lessons", "learning",
                                area_id=ids["Central"])
    summary = client.get("/api/v1/skills/summary").json
    assert cell(summary, "Central", "learning")["count"] == 3  # three distinct people now
    assert cell(summary, "Central", "learning")["display"] == "3"
    assert cell(summary, "Eastwood", "learning")["count"] is None

    page = client.get("/skills").get_data(as_text=True)
    assert 'data-category="learning">3<' in page
    assert "Fewer than 3 people for every kind of skill." in page  # Eastwood


def test_threshold_is_a_setting(make_app, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    person = make_user(sessions, "solo@example.org")
    with sessions() as session, session.begin():
        skill_store.offer_skill(session, person, "Gardening", "environment",
                                lon=-2.10, lat=53.71)
    client = make_app(SKILL_COUNT_THRESHOLD=1).test_client()
    summary = client.get("/api/v1/skills/summary").json
    assert summary["threshold"] == 1
    assert cell(summary, "Central", "environment")["count"] == 1
    assert cell(summary, "Eastwood", "environment")["display"] == "fewer than 1"


def test_no_response_carries_a_location(client, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    people = [make_user(sessions, f"loc{i}@example.org") for i in range(3)]
    with sessions() as session, session.begin():
        for person in people:
            skill_store.offer_skill(session, person, "Sewing", "mutual_aid",
                                    lon=-2.0987, lat=53.7123)
    sign_in(client, "loc0@example.org")
    summary = client.get("/api/v1/skills/summary")
    assert cell(summary.json, "Central", "mutual_aid")["count"] == 3

    def numbers(value):
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []

    # Only whole numbers (ids, counts, the threshold): no coordinate could hide among them.
    assert all(isinstance(n, int) for n in numbers(summary.json))
    for path in ("/api/v1/skills/summary", "/skills", "/account/skills"):
        text = client.get(path).get_data(as_text=True)
        for leak in ("2.0987", "53.7123", "POINT", "coordinates", "geom"):
            assert leak not in text, (path, leak)
    assert "Sewing" not in json.dumps(summary.json)  # no individual skill names either


def test_the_form_starts_from_the_persons_home_area(client, sessions, data_dir):
    import_file(sessions, "areas", data_dir / "areas.geojson")
    eastwood = area_ids(sessions)["Eastwood"]
    user_id = make_user(sessions, "home@example.org")
    with sessions() as session, session.begin():
        session.get(User, user_id).home_area_id = eastwood
    sign_in(client, "home@example.org")
    page = client.get("/account/skills").get_data(as_text=True)
    assert f'<option selected value="{eastwood}">Eastwood</option>' in page
