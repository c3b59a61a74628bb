"""Password reset by emailed link: the whole way through the outbox, and every way it fails."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy

import pytest

from assetmap.errors import InvalidInput
from assetmap.store import users as user_store
from tests.integration.auth.helpers import PASSWORD, make_user, post_form, sign_in

NEW = "a fresh password here"


def mails(outbox):
    """Messages in the outbox, oldest first, parsed."""
    files = sorted(outbox.glob("*.eml")) if outbox.exists() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def reset_link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"http://localhost(/reset-password/\S+)", body)
    assert match, body
    return match.group(1)


def test_reset_end_to_end_through_the_outbox(client, sessions, outbox):
    make_user(sessions, "rosa@example.org", name="Rosa")
    response = post_form(client, "/reset-password", {"email": "rosa@example.org"})
    assert response.status_code == 200
    assert "If an account exists for" in response.get_data(as_text=True)

    sent = mails(outbox)
    assert len(sent) == 1
    assert sent[0]["To"] == "rosa@example.org"
    assert sent[0]["Subject"] == "Reset your assetmap password"
    link = reset_link(sent[0])

    assert client.get(link).status_code == 200
    response = post_form(client, link, {"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"

    assert sign_in(client, "rosa@example.org", PASSWORD).status_code == 401
    assert sign_in(client, "rosa@example.org", NEW).status_code == 302

    # The same link again: the password it was issued against is gone, so it is refused.
    reused = client.get(link)
    assert reused.status_code == 400
    assert "This reset link has already been used." in reused.get_data(as_text=True)
    again = client.post(link, data={"password": "yet another one", "confirm": "yet another one"})
    assert again.status_code == 400


def test_unknown_email_gets_the_same_page_and_no_mail(client, outbox):
    response = post_form(client, "/reset-password", {"email": "ghost@example.org"})
    assert response.status_code == 200
    assert "If an account exists for" in response.get_data(as_text=True)
    assert mails(outbox) == []


def test_expired_link_is_refused(client, sessions):
    user_id = make_user(sessions, "late@example.org")
    with sessions() as session:
        user = session.get(user_store.User, user_id)
        # Issued two hours ago; links last one hour (PASSWORD_RESET_MAX_AGE = 3600).
        token = user_store.issue_reset_token("test-key", user, clock=lambda: time.time() - 7200)
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "This reset link has expired." in response.get_data(as_text=True)


def test_forged_and_garbage_links_are_refused(client, sessions):
    user_id = make_user(sessions, "forge@example.org")
    with sessions() as session:
        user = session.get(user_store.User, user_id)
        forged = user_store.issue_reset_token("some other key", user)
    for token in (forged, "x", "a" * 5000, "%00%ff"):
        response = client.get(f"/reset-password/{token}")
        assert response.status_code == 400, token
        assert "This reset link is not valid." in response.get_data(as_text=True)


def test_token_expiry_with_an_injected_clock(session):
    user = user_store.create_user(session, "clock@example.org", "Clock", PASSWORD)
    issued_at = 1_700_000_000
    token = user_store.issue_reset_token("k", user, clock=lambda: issued_at)
    # One second inside the hour the token is good; one second past it, it is not.
    at = user_store.verify_reset_token(session, "k", token, max_age=3600,
                                       clock=lambda: issued_at + 3600)
    assert at.id == user.id
    with pytest.raises(InvalidInput, match="expired"):
        user_store.verify_reset_token(session, "k", token, max_age=3600,
                                      clock=lambda: issued_at + 3601)


def test_short_new_password_is_refused_and_the_link_still_works(client, sessions, outbox):
    make_user(sessions, "short@example.org")
    post_form(client, "/reset-password", {"email": "short@example.org"})
    link = reset_link(mails(outbox)[0])
    response = post_form(client, link, {"password": "too short", "confirm": "too short"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200
