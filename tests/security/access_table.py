"""The access-control table: for every route of the app, one request and what each role gets.

Outcomes:
- ok      2xx, or a redirect that is not to the sign-in page and carries no error message
- login   401, or a redirect to the sign-in page
- forbid  403
- hidden  404: the thing is not there for this person (no hint that it exists)
- refused a form that answers by redirecting back with an error message (flash)
- "400", "409": a specific status, when that is the expected answer for the role

Paths and bodies name the seeded world's ids in braces (see `tests/security/world.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.integration.auth.helpers import PASSWORD
from tests.security.world import BBOX, ROLES


def everyone(outcome: str = "ok") -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


PUBLIC = everyone()
SIGNED_IN = {**everyone(), "anonymous": "login"}
MODERATORS = {"anonymous": "login", "resident": "forbid", "other": "forbid", "worker": "ok",
              "planner": "forbid", "admin": "ok"}
ADMIN = {**everyone("forbid"), "anonymous": "login", "admin": "ok"}
# The resident's own pending things: the author and moderators, nobody else can see them.
OWN_PENDING = {"anonymous": "hidden", "resident": "ok", "other": "hidden", "worker": "ok",
               "planner": "hidden", "admin": "ok"}
OWN_PENDING_WRITE = {**OWN_PENDING, "anonymous": "login"}
WITHDRAW_OWN = {**MODERATORS, "resident": "ok"}
TOTALS_HIDDEN = {**MODERATORS, "anonymous": "forbid"}  # an open round with hidden totals
# Reports are for workers, planners and admins; residents are refused.
STAFF = {"anonymous": "login", "resident": "forbid", "other": "forbid", "worker": "ok",
         "planner": "ok", "admin": "ok"}
STAFF_MISSING = {**STAFF, "worker": "hidden", "planner": "hidden", "admin": "hidden"}
STAFF_BAD_INPUT = {**STAFF, "worker": "400", "planner": "400", "admin": "400"}
NEW_PASSWORD = "a brand new passphrase"


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, str]
    json: dict | None = None
    form: dict | None = None
    headers: dict = field(default_factory=dict)
    sign_in_redirect_ok: bool = False  # e.g. signing out lands on the sign-in page


J = "application/json"
HALL = {"kind": "venue", "category": "community_space", "name": "Todmorden Library",
        "lon": -2.1, "lat": 53.714}

# (rule, method) -> Case. A route without a row here fails test_every_route_has_a_rule.
TABLE: dict[tuple[str, str], Case] = {
    ("/", "GET"): Case("GET", "/", PUBLIC),
    ("/healthz", "GET"): Case("GET", "/healthz", PUBLIC),
    ("/summary", "GET"): Case("GET", "/summary", PUBLIC),
    ("/skills", "GET"): Case("GET", "/skills", PUBLIC),
    ("/static/<path:filename>", "GET"): Case("GET", "/static/css/site.css", PUBLIC),
    # --- accounts
    ("/sign-up", "GET"): Case("GET", "/sign-up", PUBLIC),
    ("/sign-up", "POST"): Case("POST", "/sign-up", PUBLIC, form={
        "email": "newcomer@example.org", "display_name": "Newcomer", "password": PASSWORD,
        "confirm": PASSWORD}),
    ("/sign-in", "GET"): Case("GET", "/sign-in", PUBLIC),
    ("/sign-in", "POST"): Case("POST", "/sign-in", PUBLIC, form={
        "email": "resident@example.org", "password": PASSWORD}),
    ("/sign-out", "POST"): Case("POST", "/sign-out", PUBLIC, sign_in_redirect_ok=True),
    ("/reset-password", "GET"): Case("GET", "/reset-password", PUBLIC),
    ("/reset-password", "POST"): Case("POST", "/reset-password", PUBLIC,
                                      form={"email": "resident@example.org"}),
    # The emailed token is the credential here, whoever holds the browser.
    ("/reset-password/<token>", "GET"): Case("GET", "/reset-password/{reset_token}", PUBLIC),
    ("/reset-password/<token>", "POST"): Case(
        "POST", "/reset-password/{reset_token}", PUBLIC,
        form={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, sign_in_redirect_ok=True),
    ("/account", "GET"): Case("GET", "/account", SIGNED_IN),
    ("/account/name", "POST"): Case("POST", "/account/name", SIGNED_IN,
                                    form={"display_name": "A New Name"}),
    ("/account/password", "POST"): Case("POST", "/account/password", SIGNED_IN, form={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    ("/account/skills", "GET"): Case("GET", "/account/skills", SIGNED_IN),
    ("/account/skills", "POST"): Case("POST", "/account/skills", SIGNED_IN, form={
        "skill": "Welding", "category": "community_space", "description": "", "area": ""}),
    ("/account/skills/<int:skill_id>/remove", "POST"): Case(
        "POST", "/account/skills/{skill}/remove",
        {**everyone("hidden"), "anonymous": "login", "resident": "ok"}),
    ("/account/data", "GET"): Case("GET", "/account/data", SIGNED_IN),
    ("/account/data.json", "GET"): Case("GET", "/account/data.json", SIGNED_IN),
    # The only admin may not delete their account (nobody could manage roles after).
    ("/account/delete", "POST"): Case("POST", "/account/delete", {**SIGNED_IN, "admin": "400"},
                                      form={"password": PASSWORD, "confirm": "y"}),
    ("/admin/users", "GET"): Case("GET", "/admin/users", ADMIN),
    ("/admin/users/<int:user_id>/role", "POST"): Case(
        "POST", "/admin/users/{user:other}/role", ADMIN, form={"role": "worker"}),
    # --- map pages
    ("/assets/<int:asset_id>", "GET"): Case("GET", "/assets/{pending}", OWN_PENDING),
    ("/assets/<int:asset_id>/edit", "POST"): Case(
        "POST", "/assets/{pending}/edit", {**OWN_PENDING, "anonymous": "hidden"},
        form={"name": "Pending Club (renamed)", "version": "{pending_version}"}),
    ("/assets/<int:asset_id>/links", "POST"): Case(
        "POST", "/assets/{published}/links", SIGNED_IN,
        form={"to_asset_id": "{mine}", "type": "funds"}),
    ("/assets/<int:asset_id>/revert", "POST"): Case(
        "POST", "/assets/{published}/revert", {**MODERATORS, "anonymous": "refused",
                                               "resident": "refused", "other": "refused",
                                               "planner": "refused"},
        form={"revision": "{revision}"}),
    ("/assets/<int:asset_id>/status", "POST"): Case(
        "POST", "/assets/{pending}/status", {**MODERATORS, "anonymous": "refused",
                                             "resident": "refused", "other": "refused",
                                             "planner": "refused"},
        form={"status": "published"}),
    ("/moderation", "GET"): Case("GET", "/moderation", MODERATORS),
    ("/moderation/changes/<int:change_id>", "POST"): Case(
        "POST", "/moderation/changes/{change}", {**everyone("refused"), "worker": "ok",
                                                 "admin": "ok"}, form={"decision": "approve"}),
    ("/moderation/links/<int:link_id>", "POST"): Case(
        "POST", "/moderation/links/{pending_link}", {**everyone("refused"), "worker": "ok",
                                                     "admin": "ok"},
        form={"decision": "approve"}),
    # --- the JSON API
    ("/api/v1/openapi.json", "GET"): Case("GET", "/api/v1/openapi.json", PUBLIC),
    ("/api/v1/categories", "GET"): Case("GET", "/api/v1/categories", PUBLIC),
    ("/api/v1/areas", "GET"): Case("GET", "/api/v1/areas", PUBLIC),
    ("/api/v1/services", "GET"): Case("GET", f"/api/v1/services?bbox={BBOX}", PUBLIC),
    ("/api/v1/skills/summary", "GET"): Case("GET", "/api/v1/skills/summary", PUBLIC),
    ("/api/v1/assets", "GET"): Case("GET", f"/api/v1/assets?bbox={BBOX}", PUBLIC),
    ("/api/v1/assets", "POST"): Case("POST", "/api/v1/assets", SIGNED_IN, json=HALL),
    ("/api/v1/assets/duplicates", "GET"): Case(
        "GET", "/api/v1/assets/duplicates?category=community_space&lon=-2.1&lat=53.71"
        "&name=Fielden", PUBLIC),
    ("/api/v1/assets/<int:asset_id>", "GET"): Case("GET", "/api/v1/assets/{pending}",
                                                   OWN_PENDING),
    ("/api/v1/assets/<int:asset_id>", "PATCH"): Case(
        "PATCH", "/api/v1/assets/{pending}", OWN_PENDING_WRITE,
        json={"name": "Pending Club (renamed)", "version": "{pending_version}"}),
    ("/api/v1/assets/<int:asset_id>", "DELETE"): Case(
        "DELETE", "/api/v1/assets/{pending}", OWN_PENDING),
    ("/api/v1/assets/<int:asset_id>/history", "GET"): Case(
        "GET", "/api/v1/assets/{published}/history", PUBLIC),
    ("/api/v1/assets/<int:asset_id>/revert", "POST"): Case(
        "POST", "/api/v1/assets/{published}/revert", MODERATORS, json={"revision": "{revision}"}),
    ("/api/v1/assets/<int:asset_id>/status", "POST"): Case(
        "POST", "/api/v1/assets/{pending}/status", MODERATORS, json={"status": "published"}),
    ("/api/v1/changes/<int:change_id>/review", "POST"): Case(
        "POST", "/api/v1/changes/{change}/review", MODERATORS, json={"approve": True}),
    ("/api/v1/links", "GET"): Case("GET", "/api/v1/links?asset={published}", PUBLIC),
    ("/api/v1/links", "POST"): Case("POST", "/api/v1/links", SIGNED_IN, json={
        "from_asset_id": "{published}", "to_asset_id": "{mine}", "type": "funds"}),
    ("/api/v1/links/<int:link_id>", "DELETE"): Case(
        "DELETE", "/api/v1/links/{pending_link}", WITHDRAW_OWN),
    ("/api/v1/links/<int:link_id>/status", "POST"): Case(
        "POST", "/api/v1/links/{pending_link}/status", MODERATORS,
        json={"status": "published"}),
    ("/api/v1/moderation", "GET"): Case("GET", "/api/v1/moderation", MODERATORS),
    # --- rounds
    ("/api/v1/rounds", "GET"): Case("GET", "/api/v1/rounds", PUBLIC),
    ("/api/v1/rounds", "POST"): Case("POST", "/api/v1/rounds", MODERATORS, json={
        "title": "Another round", "mode": "ranking", "opens_at": "2030-01-01T00:00:00+00:00",
        "closes_at": "2030-02-01T00:00:00+00:00", "area_ids": ["{area}"]}),
    ("/api/v1/rounds/<int:round_id>", "GET"): Case("GET", "/api/v1/rounds/{round}", PUBLIC),
    ("/api/v1/rounds/<int:round_id>/proposals", "GET"): Case(
        "GET", "/api/v1/rounds/{round}/proposals", PUBLIC),
    ("/api/v1/rounds/<int:round_id>/proposals", "POST"): Case(
        "POST", "/api/v1/rounds/{round}/proposals", SIGNED_IN,
        json={"title": "A community fridge", "lon": -2.1, "lat": 53.71}),
    ("/api/v1/rounds/<int:round_id>/proposals/<int:proposal_id>/status", "POST"): Case(
        "POST", "/api/v1/rounds/{round}/proposals/{pending_proposal}/status", WITHDRAW_OWN,
        json={"status": "archived"}),
    # Only the resident lives in the round's area; the others have no ballot to read.
    ("/api/v1/rounds/<int:round_id>/ballot", "GET"): Case(
        "GET", "/api/v1/rounds/{round}/ballot",
        {**everyone("hidden"), "anonymous": "login", "resident": "ok"}),
    ("/api/v1/rounds/<int:round_id>/ballot", "PUT"): Case(
        "PUT", "/api/v1/rounds/{round}/ballot",
        {**everyone("forbid"), "anonymous": "login", "resident": "ok"},
        json={"choices": {"{proposal}": 3}}),
    ("/api/v1/rounds/<int:round_id>/ballot", "POST"): Case(
        "POST", "/api/v1/rounds/{round}/ballot",
        {**everyone("forbid"), "anonymous": "login", "resident": "ok"},
        json={"choices": {"{proposal}": 3}}),
    ("/api/v1/rounds/<int:round_id>/close", "POST"): Case(
        "POST", "/api/v1/rounds/{round}/close", MODERATORS),
    ("/api/v1/rounds/<int:round_id>/results", "GET"): Case(
        "GET", "/api/v1/rounds/{round}/results", TOTALS_HIDDEN),
    ("/api/v1/rounds/home-area", "GET"): Case("GET", "/api/v1/rounds/home-area", SIGNED_IN),
    ("/api/v1/rounds/home-area", "PUT"): Case("PUT", "/api/v1/rounds/home-area", SIGNED_IN,
                                              json={"area_id": "{area}"}),
    ("/rounds", "GET"): Case("GET", "/rounds", PUBLIC),
    ("/rounds/new", "GET"): Case("GET", "/rounds/new", MODERATORS),
    ("/rounds/new", "POST"): Case("POST", "/rounds/new", MODERATORS, form={
        "title": "Another round", "mode": "points", "budget": "10",
        "opens_at": "2030-01-01T00:00", "closes_at": "2030-02-01T00:00",
        "area_ids": "{area}"}),
    ("/rounds/<int:round_id>", "GET"): Case("GET", "/rounds/{round}", PUBLIC),
    ("/rounds/<int:round_id>/proposals", "POST"): Case(
        "POST", "/rounds/{round}/proposals", SIGNED_IN,
        form={"title": "A community fridge", "lon": "-2.1", "lat": "53.71"}),
    ("/rounds/<int:round_id>/proposals/<int:proposal_id>/status", "POST"): Case(
        "POST", "/rounds/{round}/proposals/{pending_proposal}/status", WITHDRAW_OWN,
        form={"status": "archived"}),
    ("/rounds/<int:round_id>/ballot", "POST"): Case(
        "POST", "/rounds/{round}/ballot",
        {**everyone("forbid"), "anonymous": "login", "resident": "ok"},
        form={"choice-{proposal}": "3"}),
    ("/rounds/<int:round_id>/close", "POST"): Case("POST", "/rounds/{round}/close", MODERATORS),
    ("/rounds/<int:round_id>/results", "GET"): Case("GET", "/rounds/{round}/results",
                                                    TOTALS_HIDDEN),
    ("/rounds/<int:round_id>/results.csv", "GET"): Case(
        "GET", "/rounds/{round}/results.csv", TOTALS_HIDDEN),
    ("/rounds/<int:round_id>/results.geojson", "GET"): Case(
        "GET", "/rounds/{round}/results.geojson", TOTALS_HIDDEN),
    ("/rounds/home-area", "GET"): Case("GET", "/rounds/home-area", SIGNED_IN),
    ("/rounds/home-area", "POST"): Case("POST", "/rounds/home-area", SIGNED_IN,
                                        form={"area_id": "{area}"}),
    # --- planners' interoperability: read-only, filtered by the same visibility rules
    ("/export/<layer>.<fmt>", "GET"): Case("GET", "/export/assets.geojson", PUBLIC),
    ("/ogc/", "GET"): Case("GET", "/ogc/", PUBLIC),
    ("/ogc/api", "GET"): Case("GET", "/ogc/api", PUBLIC),
    ("/ogc/conformance", "GET"): Case("GET", "/ogc/conformance", PUBLIC),
    ("/ogc/collections", "GET"): Case("GET", "/ogc/collections", PUBLIC),
    ("/ogc/collections/<collection_id>", "GET"): Case("GET", "/ogc/collections/assets",
                                                      PUBLIC),
    ("/ogc/collections/<collection_id>/items", "GET"): Case(
        "GET", "/ogc/collections/assets/items", PUBLIC),
    ("/ogc/collections/<collection_id>/items/<feature_id>", "GET"): Case(
        "GET", "/ogc/collections/assets/items/{pending}", OWN_PENDING),
    ("/tiles/<layer>.json", "GET"): Case("GET", "/tiles/assets.json", PUBLIC),
    ("/tiles/<layer>/<z>/<x>/<y>.mvt", "GET"): Case("GET", "/tiles/assets/12/2024/1314.mvt",
                                                    PUBLIC),
    # --- reports: workers, planners and admins read and run them; ids that do not exist are
    # 404 for them. Gap runs are sent bad settings so that nothing is queued in Redis: refused
    # with 400 after the role check; comparing needs two snapshots (400 without).
    ("/reports/gaps", "GET"): Case("GET", "/reports/gaps", STAFF),
    ("/reports/gaps.csv", "GET"): Case("GET", "/reports/gaps.csv", STAFF),
    ("/reports/gaps.geojson", "GET"): Case("GET", "/reports/gaps.geojson", STAFF),
    ("/reports/gaps/run", "POST"): Case("POST", "/reports/gaps/run", STAFF_BAD_INPUT,
                                        json={"walk": "very far"}),
    ("/reports/gaps/jobs/<job_id>", "GET"): Case("GET", "/reports/gaps/jobs/no-such-job",
                                                 STAFF_MISSING),
    ("/reports/jobs/<job_id>", "GET"): Case("GET", "/reports/jobs/no-such-job",
                                            STAFF_MISSING),
    ("/reports/gaps/snapshots/<int:snapshot_id>", "GET"): Case(
        "GET", "/reports/gaps/snapshots/999999", STAFF_MISSING),
    ("/reports/gaps/snapshots/<int:snapshot_id>.csv", "GET"): Case(
        "GET", "/reports/gaps/snapshots/999999.csv", STAFF_MISSING),
    ("/reports/gaps/snapshots/<int:snapshot_id>.geojson", "GET"): Case(
        "GET", "/reports/gaps/snapshots/999999.geojson", STAFF_MISSING),
    ("/reports/network", "GET"): Case("GET", "/reports/network", STAFF),
    ("/reports/network/compare", "GET"): Case("GET", "/reports/network/compare", STAFF_BAD_INPUT),
    ("/reports/network/graph.graphml", "GET"): Case("GET", "/reports/network/graph.graphml",
                                                    STAFF),
    ("/reports/network/links.geojson", "GET"): Case("GET", "/reports/network/links.geojson",
                                                    STAFF),
    ("/reports/network/nodes.csv", "GET"): Case("GET", "/reports/network/nodes.csv",
                                                STAFF),
    ("/reports/network/snapshots", "POST"): Case("POST", "/reports/network/snapshots",
                                                 STAFF),
    ("/reports/network/jobs/<job_id>", "GET"): Case("GET", "/reports/network/jobs/no-such-job",
                                                    STAFF_MISSING),
    ("/reports/network/snapshots/<int:snapshot_id>", "GET"): Case(
        "GET", "/reports/network/snapshots/999999", STAFF_MISSING),
    ("/reports/network/nodes.geojson", "GET"): Case("GET", "/reports/network/nodes.geojson",
                                                    STAFF),
    ("/export/gaps.<fmt>", "GET"): Case("GET", "/export/gaps.csv", STAFF),
    ("/export/network.geojson", "GET"): Case("GET", "/export/network.geojson", STAFF),
}
