"""Sign up, sign in, the account page and sign out, through the web pages."""

from __future__ import annotations

from sqlalchemy import func, select

from assetmap.store.models import User
from tests.integration.auth.helpers import PASSWORD, csrf_token, make_user, post_form, sign_in


def sign_up(client, email="amira@example.org", name="Amira", password=PASSWORD, confirm=None):
    return post_form(client, "/sign-up", {"display_name": name, "email": email,
                                          "password": password,
                                          "confirm": password if confirm is None else confirm})


def test_sign_up_sign_in_account_sign_out(client, sessions):
    response = sign_up(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert "Amira" in page and "amira@example.org" in page
    assert 'class="role-badge' in page and ">resident<" in page  # every sign-up is a resident

    response = post_form(client, "/sign-out", {}, token_from="/account")
    assert response.status_code == 302
    after = client.get("/account")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/sign-in?next=/account")

    response = sign_in(client, "Amira@Example.org")  # any capitals: one account per mailbox
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    with sessions() as session:
        stored = session.scalar(select(User).where(User.email == "amira@example.org"))
        assert stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash


def test_nav_shows_who_is_signed_in(client, sessions):
    anonymous = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/sign-up"' in anonymous and "Sign out" not in anonymous
    make_user(sessions, "wendy@example.org", "worker", name="Wendy")
    sign_in(client, "wendy@example.org")
    nav = client.get("/account").get_data(as_text=True)
    assert ">Wendy</a>" in nav and ">worker</span>" in nav and "Sign out" in nav
    assert 'href="/sign-up"' not in nav


def test_wrong_password_and_unknown_email_get_the_same_answer(client, sessions):
    make_user(sessions, "sam@example.org")
    wrong = sign_in(client, "sam@example.org", "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    message = "That email and password do not match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # still signed out


def test_duplicate_email_is_refused_whatever_the_capitals(client, sessions):
    make_user(sessions, "dup@example.org")
    response = sign_up(client, email="DUP@example.org")
    assert response.status_code == 400
    assert "An account with that email already exists." in response.get_data(as_text=True)
    with sessions() as session:
        count = session.scalar(select(func.count()).select_from(User)
                               .where(func.lower(User.email) == "dup@example.org"))
    assert count == 1


def test_sign_up_checks_each_field(client, sessions):
    short = sign_up(client, email="a@example.org", password="nine char")  # 9 characters
    assert short.status_code == 400
    assert "at least 10 characters" in short.get_data(as_text=True)
    bad_email = sign_up(client, email="not-an-email")
    assert bad_email.status_code == 400
    assert "That email address is not valid" in bad_email.get_data(as_text=True)
    mismatch = sign_up(client, email="b@example.org", confirm=PASSWORD + "x")
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    long_name = sign_up(client, email="c@example.org", name="n" * 10_000)
    assert long_name.status_code == 400
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_names_are_escaped(client):
    sign_up(client, email="x@example.org", name='<script>alert("x")</script>')
    page = client.get("/account").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_sign_in_only_redirects_within_the_site(client, sessions):
    make_user(sessions, "r@example.org")
    token = csrf_token(client)
    for target, expected in (("https://evil.example/x", "/"), ("//evil.example", "/"),
                             ("/skills", "/skills")):
        client.post("/sign-out", data={"csrf_token": token})
        token = csrf_token(client)
        response = client.post(f"/sign-in?next={target}",
                               data={"csrf_token": token, "email": "r@example.org",
                                     "password": PASSWORD})
        assert response.headers["Location"] == expected
        token = csrf_token(client, "/skills")


def test_changing_the_password_signs_out_other_devices(make_app, sessions):
    app = make_app()
    make_user(sessions, "two@example.org")
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "two@example.org")
    sign_in(laptop, "two@example.org")
    response = post_form(laptop, "/account/password",
                         {"current": PASSWORD, "password": "a brand new secret",
                          "confirm": "a brand new secret"}, token_from="/account")
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200  # the device that changed it stays in
    assert phone.get("/account").status_code == 302  # the other one is signed out
    assert sign_in(phone, "two@example.org").status_code == 401
    assert sign_in(phone, "two@example.org", "a brand new secret").status_code == 302


def test_wrong_current_password_changes_nothing(client, sessions):
    make_user(sessions, "keep@example.org")
    sign_in(client, "keep@example.org")
    response = post_form(client, "/account/password",
                         {"current": "not my password", "password": "another secret1",
                          "confirm": "another secret1"}, token_from="/account")
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    post_form(client, "/sign-out", {}, token_from="/account")
    assert sign_in(client, "keep@example.org").status_code == 302
