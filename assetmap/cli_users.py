"""Commands to manage accounts."""

from __future__ import annotations

import click


@click.group()
def user():
    """Accounts: create users, set roles."""
