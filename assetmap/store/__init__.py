"""Persistence: models, sessions, queries and migrations (the only place with ST_* SQL)."""
