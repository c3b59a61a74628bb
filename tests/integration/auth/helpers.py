"""Helpers for tests that use accounts: CSRF tokens, users in the database, signing in.

Other test modules may import these (`from tests.integration.auth.helpers import ...`).
"""

from __future__ import annotations

import re

from assetmap.store import users as user_store

PASSWORD = "correct horse battery"  # 21 characters: above the 10-character minimum

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|'
                    r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/sign-in") -> str:
    """The CSRF token a page hands out to this client's session."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST `data` with a valid CSRF token (taken from `token_from`, default `path`)."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def make_user(sessions, email: str, role: str = "resident", password: str = PASSWORD,
              name: str | None = None) -> int:
    """An account straight in the database; returns its id."""
    with sessions() as session, session.begin():
        user = user_store.create_user(session, email, name or email.split("@")[0], password,
                                      role)
        return user.id


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign `client` in; returns the response (302 on success)."""
    return post_form(client, "/sign-in", {"email": email, "password": password})
