"""Commands to manage accounts: create, set a role, list, and the demo accounts."""

from __future__ import annotations

import click

from assetmap.cli_state import State, pass_state
from assetmap.taxonomy import ROLES

# One account per role for the demo; the passwords are public (README), so never use these
# on a site that holds real people's data.
DEMO_ACCOUNTS = [
    (f"{role}@example.org", f"Demo {role.capitalize()}", role, f"demo-{role}-2026")
    for role in ROLES
]


def _table(users) -> None:
    rows = [(str(u.id), u.role, u.email, u.display_name, "" if u.active else "closed")
            for u in users]
    head = ("id", "role", "email", "name", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@click.group()
def user():
    """Accounts: create users, set roles."""


@user.command("create")
@click.option("--email", required=True, help="Sign-in email (one account per address).")
@click.option("--name", "display_name", required=True, help="Name shown to others.")
@click.option("--role", type=click.Choice(ROLES), default="resident", show_default=True)
@click.option("--password", help="At least 10 characters; asked for when left out.")
@pass_state
def create(state: State, email, display_name, role, password):
    """Create an account."""
    from assetmap.store.db import transaction
    from assetmap.store.users import create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with transaction(state.sessions) as session:
        created = create_user(session, email, display_name, password, role)
        click.echo(f"created {created.role} {created.email} (id {created.id})")


@user.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@pass_state
def set_role(state: State, email, role):
    """Give the account with EMAIL the role ROLE."""
    from assetmap.store.db import transaction
    from assetmap.store.users import set_role as store_set_role

    with transaction(state.sessions) as session:
        changed = store_set_role(session, email, role)
        click.echo(f"{changed.email} is now a {changed.role}")


@user.command("list")
@pass_state
def list_(state: State):
    """List every account with its role."""
    from assetmap.store.db import transaction
    from assetmap.store.users import list_users

    with transaction(state.sessions) as session:
        users = list_users(session)
        if users:
            _table(users)
        else:
            click.echo("no accounts yet: `assetmap user create` or `assetmap user demo-accounts`")


@user.command("demo-accounts")
@pass_state
def demo_accounts(state: State):
    """Create one demo account per role (safe to run again: passwords and roles are reset
    to the documented ones). Not for a site with real people's data."""
    from assetmap.store.db import transaction
    from assetmap.store.users import create_user, find_by_email, set_password

    with transaction(state.sessions) as session:
        for email, name, role, password in DEMO_ACCOUNTS:
            existing = find_by_email(session, email)
            if existing is None:
                create_user(session, email, name, password, role)
            else:
                existing.role = role
                existing.active = True
                set_password(session, existing, password)
        click.echo("demo accounts (password: demo-<role>-2026):")
        rows = [("role", "email", "password")] + [(r, e, p) for e, _, r, p in DEMO_ACCOUNTS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
