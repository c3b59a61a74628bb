"""Every route, called as every role: allowed or denied as the table in access_table.py says.

Each call runs in its own transaction on the committed world, rolled back afterwards, so
writes by one role never change what the next one sees. CSRF and rate limits are off here
(they have their own tests in test_protection.py): this table is about who may do what.
"""

from __future__ import annotations

import pytest

from assetmap.store.db import make_engine
from tests.security.access_table import TABLE, Case
from tests.security.world import (
    ROLES,
    fill,
    fill_json,
    make_app,
    rolled_back,
    signed_in_client,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def app(world):
    return make_app(world, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def engine(world):
    engine = make_engine(world.url)
    yield engine
    engine.dispose()


def routes(app) -> set[tuple[str, str]]:
    """(rule, method) for every route the app answers."""
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_has_a_rule(app):
    missing = sorted(routes(app) - set(TABLE))
    assert not missing, ("routes without a row in tests/security/access_table.py (say who may "
                         f"call them): {missing}")


def test_no_rule_for_a_route_that_is_gone(app):
    # Rules for blueprints that are not registered (yet) are allowed to wait; a rule for a
    # registered blueprint whose route has gone is stale and must be removed.
    known = routes(app)
    prefixes = {rule.rule.split("<")[0] for rule in app.url_map.iter_rules()}
    stale = [key for key in TABLE if key not in known
             and any(key[0].startswith(p) and p != "/" for p in prefixes)]
    assert not stale, f"rules for routes that no longer exist: {stale}"


def outcome(client, response, case: Case) -> str:
    """The table's word for what happened."""
    status = response.status_code
    if status == 401:
        return "login"
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        if "/sign-in" in location and not case.sign_in_redirect_ok:
            return "login"
        with client.session_transaction() as sess:
            flashes = sess.get("_flashes", [])
        return "refused" if any(cat == "error" for cat, _ in flashes) else "ok"
    if status == 403:
        return "forbid"
    if status == 404:
        return "hidden"
    if status < 400:
        return "ok"
    return str(status)


def call(app, engine, world, case: Case, role: str):
    with rolled_back(app, engine):
        client = signed_in_client(app, world, role)
        kwargs = {"headers": case.headers}
        if case.json is not None:
            kwargs["json"] = fill_json(case.json, world)
        if case.form is not None:
            kwargs["data"] = {fill(k, world): fill(v, world) for k, v in case.form.items()}
        response = client.open(fill(case.path, world), method=case.method, **kwargs)
        response.get_data()  # read streamed bodies while the transaction is open
        response.close()
        return outcome(client, response, case), response


def test_every_route_as_every_role(app, engine, world):
    """One request per route and role; every cell of the table is checked, and all the
    mismatches are listed together so one run shows the whole picture."""
    wrong = []
    for key in sorted(routes(app) & set(TABLE)):
        case = TABLE[key]
        assert set(case.expect) == set(ROLES), f"{key}: the rule must name every role"
        for role in ROLES:
            got, response = call(app, engine, world, case, role)
            assert response.status_code < 500, f"{key} as {role}: {response.status_code}"
            if got != case.expect[role]:
                wrong.append(f"{case.method} {key[0]} as {role}: expected "
                             f"{case.expect[role]}, got {got} ({response.status_code}) "
                             f"{response.get_data(as_text=True)[:160]!r}")
    assert not wrong, "\n".join(wrong)


def test_downloaded_data_is_always_the_askers_own(app, engine, world):
    for role in ROLES[1:]:
        got, response = call(app, engine, world, Case("GET", "/account/data.json", {}), role)
        assert got == "ok"
        assert response.json["account"]["id"] == world.users[role]
        assert response.json["account"]["email"] == f"{role}@example.org"
        assert response.headers["Cache-Control"] == "no-store"
