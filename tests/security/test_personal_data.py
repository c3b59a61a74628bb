"""Residents' data: download everything held about you; delete your account (personal data
erased, community assets kept without your name); the retention sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assetmap.errors import InvalidInput
from assetmap.store import ballots
from assetmap.store.db import make_engine
from assetmap.store.models import (
    Asset,
    AssetChange,
    Ballot,
    BallotChange,
    Link,
    PersonSkill,
    Proposal,
    Revision,
    User,
)
from assetmap.store.personal_data import delete_account, export_person, retention_sweep
from tests.integration.auth.helpers import PASSWORD, csrf_token
from tests.security.world import make_app, rolled_back, signed_in_client


@pytest.fixture(scope="module")
def engine(world):
    engine = make_engine(world.url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(world):
    return make_app(world, RATELIMIT_ENABLED=False)


def test_the_download_holds_everything_about_the_resident(app, engine, world):
    with rolled_back(app, engine):
        response = signed_in_client(app, world, "resident").get("/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    held = response.json
    assert held["account"]["email"] == "resident@example.org"
    assert held["account"]["home_area"] == {"id": world.ids["area"], "name": "Central"}
    assert "$argon2" not in response.get_data(as_text=True)  # never the password hash
    # Seeded by world.py: one skill, two assets added, one link, two proposals, one ballot.
    assert [s["skill"] for s in held["skills"]] == ["Bread making"]
    assert held["skills"][0]["location"] is not None  # their own location, shown to them
    assert {a["id"] for a in held["assets_added"]} == {world.ids["mine"], world.ids["pending"]}
    assert [link["id"] for link in held["links_added"]] == [world.ids["pending_link"]]
    assert {p["id"] for p in held["proposals"]} == {world.ids["proposal"],
                                                    world.ids["pending_proposal"]}
    assert held["ballots"][0]["choices"] == {str(world.ids["proposal"]): 4}
    assert [c["id"] for c in held["edits_proposed"]] == [world.ids["change"]]
    assert len(held["revisions"]) >= 3  # created two assets and a link
    # Nothing about anyone else: the second resident's email appears nowhere.
    assert "other@example.org" not in response.get_data(as_text=True)


def _delete(client, password=PASSWORD, confirm="y"):
    token = csrf_token(client, "/account/data")
    return client.post("/account/delete", data={"csrf_token": token, "password": password,
                                                "confirm": confirm})


def test_deleting_needs_the_password_and_the_csrf_token(app, engine, world):
    with rolled_back(app, engine) as conn:
        client = signed_in_client(app, world, "resident")
        assert client.post("/account/delete", data={"password": PASSWORD,
                                                    "confirm": "y"}).status_code == 400
        wrong = _delete(client, password="not my password at all")
        assert wrong.status_code == 400
        assert "not your current password" in wrong.get_data(as_text=True)
        assert _delete(client, confirm="").status_code == 400
        assert Session(bind=conn).get(User, world.users["resident"]) is not None


def test_deleting_the_account_erases_personal_data_and_keeps_community_assets(app, engine,
                                                                             world):
    uid = world.users["resident"]
    with rolled_back(app, engine) as conn:
        db = Session(bind=conn)
        votes_before = db.scalar(select(func.count()).select_from(Ballot))
        client = signed_in_client(app, world, "resident")
        response = _delete(client)
        assert response.status_code == 303
        db.expire_all()
        assert db.get(User, uid) is None
        assert db.scalar(select(func.count()).select_from(User).where(
            User.email == "resident@example.org")) == 0
        assert db.scalar(select(func.count()).select_from(PersonSkill).where(
            PersonSkill.user_id == uid)) == 0
        # The published asset they added stays, published, tied to nobody.
        mine = db.get(Asset, world.ids["mine"])
        assert mine.status == "published" and mine.created_by is None
        for model, column in ((Asset, Asset.created_by), (Link, Link.created_by),
                              (Proposal, Proposal.created_by), (Revision, Revision.user_id),
                              (AssetChange, AssetChange.user_id), (Ballot, Ballot.user_id),
                              (BallotChange, BallotChange.user_id)):
            assert db.scalar(select(func.count()).select_from(model).where(
                column == uid)) == 0, model.__tablename__
        # Their ballot still counts, anonymously.
        assert db.scalar(select(func.count()).select_from(Ballot)) == votes_before
        results = ballots.results(db, world.ids["round"])
        assert {p.id: p.total for p in results.proposals}[world.ids["proposal"]] == 4
        # And they are signed out: the account page now asks them to sign in.
        assert client.get("/account").status_code == 302


def test_the_only_admin_cannot_delete_their_account(engine, world):
    with engine.connect() as conn, conn.begin() as outer:
        db = Session(bind=conn)
        with pytest.raises(InvalidInput, match="only admin"):
            delete_account(db, world.users["admin"])
        outer.rollback()


def test_export_of_a_missing_account_is_not_found(engine):
    from assetmap.errors import NotFound

    with engine.connect() as conn, pytest.raises(NotFound):
        export_person(Session(bind=conn), 999999)


def test_retention_removes_skills_and_homes_of_long_inactive_accounts_only(engine, world):
    now = datetime.now(UTC)
    with engine.connect() as conn, conn.begin() as outer:
        db = Session(bind=conn)
        resident = world.users["resident"]
        # Everything the resident did happened today, so a 30-day sweep keeps it all.
        kept = retention_sweep(db, 30, now=now)
        assert resident not in kept.accounts
        # Seen from 400 days in the future, the resident's last activity is 400 days old.
        later = now + timedelta(days=400)
        dry = retention_sweep(db, 365, now=later, dry_run=True)
        assert resident in dry.accounts and dry.skills == 1 and dry.homes == 1
        assert db.scalar(select(func.count()).select_from(PersonSkill)) == 1  # dry: kept
        swept = retention_sweep(db, 365, now=later)
        assert swept.skills == 1 and swept.homes == 1
        assert db.scalar(select(func.count()).select_from(PersonSkill)) == 0
        user = db.get(User, resident)
        db.refresh(user)
        assert user.home_area_id is None and user.home is None
        assert user.email == "resident@example.org"  # the account itself stays
        # 400 days on, with a 500-day period, nobody is stale.
        assert retention_sweep(db, 500, now=later).accounts == []
        outer.rollback()


def test_retention_counts_recent_activity_of_any_kind(engine, world):
    """An account untouched for long but with a recent revision is active."""
    now = datetime.now(UTC)
    with engine.connect() as conn, conn.begin() as outer:
        db = Session(bind=conn)
        old = now - timedelta(days=1000)
        uid = world.users["other"]
        db.execute(update(User).where(User.id == uid).values(created_at=old, updated_at=old))
        assert uid in retention_sweep(db, 365, now=now, dry_run=True).accounts
        db.add(Revision(entity="asset", entity_id=world.ids["published"], action="update",
                        user_id=uid, before={}, after={}, reason=""))
        db.flush()
        assert uid not in retention_sweep(db, 365, now=now, dry_run=True).accounts
        with pytest.raises(InvalidInput):
            retention_sweep(db, 0)
        outer.rollback()


def test_the_retention_command_reports_a_dry_run(world, monkeypatch):
    from click.testing import CliRunner

    from assetmap.cli_ops import retention

    monkeypatch.setenv("DATABASE_URL", world.url)
    result = CliRunner().invoke(retention, ["--days", "30", "--dry-run"])
    assert result.exit_code == 0, result.output
    # Every account in the world was made today: nobody is inactive for 30 days.
    assert result.output.startswith("0 account(s) inactive since before")
    assert "would remove 0 skill(s)" in result.output
