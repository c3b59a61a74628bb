"""Operators' commands: `assetmap backup FILE`, `assetmap restore FILE`, `assetmap retention`.

Registered in cli.py with `cli.add_command(backup)`, `cli.add_command(restore)` and
`cli.add_command(retention)`.
"""

from __future__ import annotations

from pathlib import Path

import click

from assetmap.cli_state import State, pass_state
from assetmap.store.personal_data import DEFAULT_RETENTION_DAYS


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def backup(state: State, path: Path):
    """Write the whole database to PATH (pg_dump custom format)."""
    from assetmap.store.backup import backup as run_backup

    written = run_backup(state.url, path)
    click.echo(f"backup written to {written} ({written.stat().st_size:,} bytes)")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@pass_state
def restore(state: State, path: Path, yes: bool):
    """Replace the database with the backup in PATH (all of it, or nothing on failure)."""
    from assetmap.store.backup import check_dump
    from assetmap.store.backup import restore as run_restore

    check_dump(path)
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?",
                      abort=True)
    run_restore(state.url, path)
    click.echo(f"database restored from {path}")


@click.command()
@click.option("--days", type=click.IntRange(min=1), default=DEFAULT_RETENTION_DAYS,
              show_default=True, help="Remove personal data of accounts inactive this long.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@pass_state
def retention(state: State, days: int, dry_run: bool):
    """Remove skills and home locations of accounts inactive for more than --days days."""
    from assetmap.store.db import transaction
    from assetmap.store.personal_data import retention_sweep

    with transaction(state.sessions) as session:
        sweep = retention_sweep(session, days, dry_run=dry_run)  # a dry run only reads
    click.echo(sweep.describe())
