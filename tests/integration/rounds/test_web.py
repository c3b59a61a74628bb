"""The rounds pages and JSON API over HTTP: the whole flow, every refusal as a clear 4xx,
escaping, and no way to read another person's ballot."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from assetmap.store import rounds
from assetmap.store.visibility import Viewer

from .conftest import INSIDE, add_areas
from .web_helpers import Client, build_app, person


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def app(database_url, sessions):
    return build_app(database_url, sessions)


@pytest.fixture
def world(app, sessions):
    """Areas committed to the test's transaction, a worker and residents, all signed in."""
    with sessions() as session, session.begin():
        areas = add_areas(session)
        areas = {name: type("A", (), {"id": a.id, "name": a.name}) for name, a in areas.items()}
    worker, worker_id = person(app, sessions, "wendy@example.org", "worker")
    ann, _ = person(app, sessions, "ann@example.org", home=areas["Central"])
    eve, _ = person(app, sessions, "eve@example.org", home=areas["Eastwood"])
    nia, _ = person(app, sessions, "nia@example.org", home=areas["Northfield"])
    hal, _ = person(app, sessions, "hal@example.org")
    return {"areas": areas, "worker": worker, "worker_id": worker_id, "ann": ann, "eve": eve,
            "nia": nia, "hal": hal, "anon": Client(app)}


def open_round(world, **overrides):
    now = datetime.now(UTC)
    data = {"title": "Where first?", "question": "Spread your points", "mode": "points",
            "budget": 10, "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=3)).isoformat(), "hide_totals": True,
            "area_ids": [world["areas"]["Central"].id, world["areas"]["Eastwood"].id],
            **overrides}
    response = world["worker"].send("POST", "/api/v1/rounds", json=data)
    assert response.status_code == 201, response.json
    return response.json


def api_propose(client, round_id, title, where="Central", **extra):
    lon, lat = INSIDE[where]
    return client.send("POST", f"/api/v1/rounds/{round_id}/proposals",
                       json={"title": title, "lon": lon, "lat": lat, **extra})


def test_pages_flow_worker_opens_residents_propose_and_vote(world):
    worker, ann, eve, anon = world["worker"], world["ann"], world["eve"], world["anon"]
    now = datetime.now(UTC)
    central, east = world["areas"]["Central"].id, world["areas"]["Eastwood"].id
    # A resident cannot open a round; a worker can, through the form.
    assert ann.get("/rounds/new").status_code == 403
    made = worker.form("/rounds/new", {
        "title": "Spring round", "question": "What first?", "mode": "points", "budget": "10",
        "opens_at": iso(now - timedelta(hours=1)), "closes_at": iso(now + timedelta(days=2)),
        "area_ids": [str(central), str(east)], "hide_totals": "1"})
    assert made.status_code == 302
    round_id = int(made.headers["Location"].rsplit("/", 1)[1])
    page = worker.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Spring round" in page and "Central, Eastwood" in page

    # Residents propose on the page form: pending until the worker approves.
    lon, lat = INSIDE["Central"]
    sent = ann.form(f"/rounds/{round_id}/proposals",
                    {"title": "Youth club", "lon": str(lon), "lat": str(lat)})
    assert sent.status_code == 302
    lon, lat = INSIDE["Eastwood"]
    eve.form(f"/rounds/{round_id}/proposals", {"title": "Skills swap", "lon": lon, "lat": lat})
    listed = worker.get(f"/api/v1/rounds/{round_id}/proposals").json
    assert [(p["title"], p["status"]) for p in listed] == [("Youth club", "pending"),
                                                         ("Skills swap", "pending")]
    assert anon.get(f"/api/v1/rounds/{round_id}/proposals").json == []
    for p in listed:
        done = worker.form(f"/rounds/{round_id}/proposals/{p['id']}/status",
                           {"status": "published", "version": p["version"]})
        assert done.status_code == 302
    youth, swap = (p["id"] for p in listed)

    # Both vote through the ballot form; ann changes her mind once.
    ann.form(f"/rounds/{round_id}/ballot", {f"choice-{youth}": "7", f"choice-{swap}": "3"})
    ann.form(f"/rounds/{round_id}/ballot", {f"choice-{youth}": "4", f"choice-{swap}": ""})
    eve.form(f"/rounds/{round_id}/ballot", {f"choice-{youth}": "2", f"choice-{swap}": "8"})
    # The ballot form is filled in with ann's own latest ballot, never anyone else's.
    mine = ann.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert f'name="choice-{youth}" type="number" min="0" max="10" step="1" ' \
           f'inputmode="numeric" value="4"' in mine
    # Totals are hidden from residents until the round closes, but workers see them.
    assert ann.get(f"/rounds/{round_id}/results").status_code == 403
    assert anon.get(f"/rounds/{round_id}/results.csv").status_code == 403
    assert worker.get(f"/rounds/{round_id}/results").status_code == 200

    closed = worker.form(f"/rounds/{round_id}/close", {})
    assert closed.status_code == 302
    late = ann.form(f"/rounds/{round_id}/ballot", {f"choice-{swap}": "10"})
    assert late.status_code == 409 and "no longer be cast" in late.get_data(as_text=True)

    # By hand: Youth club = ann 4 + eve 2 = 6; Skills swap = eve 8 = 8.
    html = anon.get(f"/rounds/{round_id}/results").get_data(as_text=True)
    assert f'<tr data-proposal-id="{swap}">' in html
    rows = list(csv.DictReader(io.StringIO(anon.get(
        f"/rounds/{round_id}/results.csv").get_data(as_text=True))))
    assert [(r["title"], r["total"], r["voters"], r["place"], r["area"], r["gap_score"])
            for r in rows] == [("Skills swap", "8", "1", "1", "Eastwood", "0.35"),
                               ("Youth club", "6", "2", "2", "Central", "0.62")]
    geo = json.loads(anon.get(f"/rounds/{round_id}/results.geojson").get_data(as_text=True))
    assert [f["properties"]["total"] for f in geo["features"]] == [8, 6]
    assert geo["features"][0]["geometry"] == {"type": "Point",
                                              "coordinates": list(INSIDE["Eastwood"])}
    turnout = {t["area"]: (t["ballots"], t["residents"]) for t in geo["turnout"]}
    assert turnout == {"Central": (1, 1), "Eastwood": (1, 1)}
    assert geo["round"]["state"] == "closed" and geo["round"]["ballots"] == 2


def test_api_refusals_name_the_problem(world):
    worker, ann, nia, hal, anon = (world[k] for k in ("worker", "ann", "nia", "hal", "anon"))
    rnd = open_round(world)
    rid = rnd["id"]
    youth = api_propose(worker, rid, "Youth club").json["id"]
    pending = api_propose(ann, rid, "Community fridge").json
    assert pending["status"] == "pending"

    def vote(client, choices):
        return client.send("PUT", f"/api/v1/rounds/{rid}/ballot", json={"choices": choices})

    cases = [
        (anon, {youth: 1}, 401, "sign in"),
        (hal, {youth: 1}, 403, "home area"),
        (nia, {youth: 1}, 403, "residents of Central, Eastwood; your home area is Northfield"),
        (ann, {youth: 11}, 400, "spends 11 points but the budget is 10"),
        (ann, {pending["id"]: 1}, 400, "not published (pending)"),
        (ann, {999999: 1}, 400, "proposal 999999 is not part of this round"),
        (ann, {youth: -3}, 400, "whole number of 0 or more"),
        (ann, "everything", 400, "choices must map proposal ids"),
    ]
    for client, choices, status, message in cases:
        response = vote(client, choices)
        assert (response.status_code, message in response.json["error"]) == (status, True), \
            response.json
    assert vote(ann, {youth: 10}).status_code == 200
    # A resident can read back their own ballot, and nobody else's.
    assert ann.get(f"/api/v1/rounds/{rid}/ballot").json["choices"] == {str(youth): 10}
    assert world["eve"].get(f"/api/v1/rounds/{rid}/ballot").status_code == 404
    assert anon.get(f"/api/v1/rounds/{rid}/ballot").status_code == 401
    # Refusals of rounds and proposals.
    assert ann.send("POST", "/api/v1/rounds", json={"title": "x"}).status_code == 403
    assert anon.send("POST", "/api/v1/rounds", json={"title": "x"}).status_code == 401
    outside = api_propose(ann, rid, "Far off", where="Northfield")
    assert outside.status_code == 400 and outside.json["field"] == "geometry"
    reject = worker.send("POST", f"/api/v1/rounds/{rid}/proposals/{pending['id']}/status",
                         json={"status": "rejected"})
    assert reject.status_code == 400 and reject.json["field"] == "reason"
    assert ann.send("POST", f"/api/v1/rounds/{rid}/close").status_code == 403
    assert worker.send("POST", f"/api/v1/rounds/{rid}/close").status_code == 200
    again = worker.send("POST", f"/api/v1/rounds/{rid}/close")
    assert again.status_code == 409 and "closed already" in again.json["error"]
    closed = vote(ann, {youth: 5})
    assert closed.status_code == 409 and "no longer be cast" in closed.json["error"]
    assert ann.get(f"/api/v1/rounds/{rid}/ballot").json["choices"] == {str(youth): 10}


def test_results_never_show_who_voted_for_what(world):
    rid = open_round(world, hide_totals=False)["id"]
    youth = api_propose(world["worker"], rid, "Youth club").json["id"]
    world["ann"].send("PUT", f"/api/v1/rounds/{rid}/ballot", json={"choices": {youth: 6}})
    results = world["anon"].get(f"/api/v1/rounds/{rid}/results")
    assert results.status_code == 200  # totals not hidden in this round
    text = results.get_data(as_text=True)
    assert "choices" not in text and "user" not in text and "ann" not in text
    assert results.json["proposals"][0]["total"] == 6
    round_doc = world["anon"].get(f"/api/v1/rounds/{rid}").get_data(as_text=True)
    assert "choices" not in round_doc and '"ballots":1' in round_doc.replace(" ", "")


def test_ranking_round_through_the_form(world):
    rid = open_round(world, mode="ranking", budget=None)["id"]
    a, b, c = (api_propose(world["worker"], rid, t).json["id"] for t in "ABC")
    bad = world["ann"].form(f"/rounds/{rid}/ballot", {f"choice-{a}": "1", f"choice-{b}": "1"})
    assert bad.status_code == 400
    assert "rank 1 is given to more than one proposal" in bad.get_data(as_text=True)
    ok = world["ann"].form(f"/rounds/{rid}/ballot", {f"choice-{a}": "2", f"choice-{b}": "1",
                                                     f"choice-{c}": ""})
    assert ok.status_code == 302
    ballot = world["ann"].get(f"/api/v1/rounds/{rid}/ballot").json
    assert ballot["choices"] == {str(a): 2, str(b): 1}
    # Borda with n = 3: B first gets 3, A second gets 2, C unranked gets 0.
    totals = {p["title"]: p["total"] for p in
              world["worker"].get(f"/api/v1/rounds/{rid}/results").json["proposals"]}
    assert totals == {"A": 2, "B": 3, "C": 0}


def test_home_area_page(world, app):
    hal, anon = world["hal"], world["anon"]
    assert anon.get("/rounds/home-area").status_code == 302  # to sign in
    assert "— not set —" in hal.get("/rounds/home-area").get_data(as_text=True)
    east = world["areas"]["Eastwood"].id
    saved = hal.form("/rounds/home-area", {"area_id": str(east), "next": "/rounds/5"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/rounds/5")
    assert hal.get("/api/v1/rounds/home-area").json == {"area_id": east}
    # An outside address in `next` is ignored (no open redirect).
    away = hal.form("/rounds/home-area", {"area_id": "", "next": "https://evil.example/"})
    assert away.headers["Location"].endswith("/rounds")
    bad = hal.form("/rounds/home-area", {"area_id": "999999"})
    assert bad.status_code == 400 and "no area 999999" in bad.get_data(as_text=True)
    put = hal.send("PUT", "/api/v1/rounds/home-area", json={"area_id": "Eastwood"})
    assert put.status_code == 400 and put.json["field"] == "area_id"


def test_user_text_is_escaped(world):
    rid = open_round(world, title="<b>Bold</b> round", hide_totals=False)["id"]
    api_propose(world["worker"], rid, "<script>alert(1)</script>",
                description="<img src=x onerror=alert(2)>")
    for path in (f"/rounds/{rid}", f"/rounds/{rid}/results", "/rounds"):
        html = world["anon"].get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    # The CSV neutralises text a spreadsheet would run as a formula.
    api_propose(world["worker"], rid, "=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(world["anon"].get(
        f"/rounds/{rid}/results.csv").get_data(as_text=True))))
    assert "'=HYPERLINK(\"http://x\")" in [row[2] for row in rows]


def test_form_errors_show_on_the_round_page(world):
    rid = open_round(world)["id"]
    sent = world["ann"].form(f"/rounds/{rid}/proposals", {"title": "Nowhere", "lon": "",
                                                          "lat": ""})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and "place the proposal on the map" in html
    assert 'value="Nowhere"' in html  # what they typed is kept
    anon = world["anon"].form(f"/rounds/{rid}/ballot", {"choice-1": "1"})
    assert anon.status_code == 302 and "/sign-in" in anon.headers["Location"]
    no_csrf = world["ann"].raw.post(f"/rounds/{rid}/ballot", data={"choice-1": "1"})
    assert no_csrf.status_code == 400


@pytest.mark.parametrize("method, path, payload", [
    ("POST", "/api/v1/rounds", {"title": "T", "mode": "points", "budget": "1e9",
                                "opens_at": "2026", "closes_at": "x", "area_ids": "all"}),
    ("POST", "/api/v1/rounds", {"title": "T", "budget": 10, "opens_at": "2026-01-01",
                                "closes_at": "2026-02-01", "area_ids": [99999999999999]}),
    ("POST", "/api/v1/rounds", [1, 2]),
    ("POST", "/api/v1/rounds", {"title": "\u0000", "area_ids": None}),
    ("POST", "/api/v1/rounds/{rid}/proposals", {"title": "T", "lon": [1], "lat": {"a": 1}}),
    ("POST", "/api/v1/rounds/{rid}/proposals", {"title": "T\u0000", "lon": -2.1, "lat": 53.7}),
    ("POST", "/api/v1/rounds/{rid}/proposals", {"title": "T", "lon": -2.1, "lat": 53.71,
                                                "asset_ids": ["99999999999999999"]}),
    ("POST", "/api/v1/rounds/{rid}/proposals", {"title": "T", "geometry": {"type": "Point",
                                                "coordinates": ["a", None]}}),
    ("PUT", "/api/v1/rounds/{rid}/ballot", {"choices": {"99999999999999999999": 1}}),
    ("PUT", "/api/v1/rounds/{rid}/ballot", {"choices": {"²": 1, "1": "²"}}),
    ("PUT", "/api/v1/rounds/{rid}/ballot", {"choices": {"1": 10**40}}),
    ("PUT", "/api/v1/rounds/{rid}/ballot", None),
    ("POST", "/api/v1/rounds/{rid}/proposals/1/status", {"status": ["published"]}),
    ("POST", "/api/v1/rounds/{rid}/proposals/1/status", {"status": "published",
                                                         "version": "v2"}),
    ("PUT", "/api/v1/rounds/home-area", {"area_id": 10**20}),
    ("GET", "/api/v1/rounds/99999/results", None),
    ("GET", "/rounds/99999", None),
    ("GET", "/rounds/99999/results.csv", None),
])
def test_bad_input_is_never_a_500(world, method, path, payload):
    rid = open_round(world)["id"]
    path = path.replace("{rid}", str(rid))
    for client in (world["worker"], world["ann"], world["anon"]):
        response = client.send(method, path, json=payload) if method != "GET" else \
            client.get(path)
        assert 400 <= response.status_code < 500, (response.status_code, response.data[:300])


def test_residents_see_open_rounds_for_their_area_first(world, sessions):
    open_round(world, title="Round for us")
    with sessions() as session, session.begin():
        worker = Viewer(role="worker", user_id=world["worker_id"])
        now = datetime.now(UTC)
        rounds.create_round(session, {
            "title": "Northfield only", "mode": "ranking", "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=1), "area_ids": [world["areas"]["Northfield"].id]},
            worker)
    html = world["ann"].get("/rounds").get_data(as_text=True)
    yours = html.index("Open in your area")
    elsewhere = html.index("Open elsewhere")
    assert yours < html.index("Round for us") < elsewhere < html.index("Northfield only")
