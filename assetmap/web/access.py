"""Accounts and protection: sign-in sessions, roles, CSRF, rate limits."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Install sign-in, CSRF protection and rate limits on `app`, and the account pages."""
