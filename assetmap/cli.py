"""The `assetmap` command: the same functions the web uses, for people at a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError

from assetmap.cli_state import State, pass_state
from assetmap.errors import AssetmapError, ImportRejected


@click.group()
@click.version_option(package_name="assetmap")
def cli():
    """assetmap: map what a community already has, and how it links."""


@cli.group()
def db():
    """Database: migrations and the embedded cluster."""


@db.command()
@click.argument("revision", default="head")
@pass_state
def upgrade(state: State, revision: str):
    """Apply migrations (to the latest by default)."""
    from assetmap.store.db import current_revision
    from assetmap.store.db import upgrade as run_upgrade

    run_upgrade(state.engine, revision)
    click.echo(f"database at migration {current_revision(state.engine)}")


@db.command()
@click.argument("revision")
@pass_state
def downgrade(state: State, revision: str):
    """Undo migrations down to REVISION ('base' empties the database)."""
    from assetmap.store.db import current_revision
    from assetmap.store.db import downgrade as run_downgrade

    run_downgrade(state.engine, revision)
    click.echo(f"database at migration {current_revision(state.engine) or 'base'}")


@db.command()
@pass_state
def optimise(state: State):
    """Order assets and services on disk by place (after large imports; locks briefly)."""
    from assetmap.store.db import optimise as run_optimise

    for line in run_optimise(state.engine):
        click.echo(line)


@db.command()
@pass_state
def start(state: State):
    """Start the embedded PostGIS cluster (under the instance folder)."""
    from assetmap.store.localdb import LocalCluster

    click.echo(LocalCluster(state.settings.instance).ensure_running())


@db.command()
@pass_state
def stop(state: State):
    """Stop the embedded PostGIS cluster cleanly."""
    from assetmap.store.localdb import LocalCluster

    stopped = LocalCluster(state.settings.instance).stop()
    click.echo("embedded database stopped" if stopped else "embedded database was not running")


@db.command()
@pass_state
def url(state: State):
    """Print the database URL in use (starting the embedded cluster if needed)."""
    click.echo(state.url)


@cli.command("import")
@click.argument("layer", type=click.Choice(["assets", "services", "areas", "links"]))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--source", help="Name of the source; re-importing the same source updates. "
              "Default: the file name.")
@click.option("--format", "fmt", type=click.Choice(["geojson", "csv", "gpkg", "osm", "ogr"]),
              help="File format (default: from the extension).")
@click.option("--crs", help="Coordinate reference system of the file, e.g. EPSG:27700 "
              "(default: from the file, else EPSG:4326).")
@click.option("--asset-source", help="For links: the source of the assets they join.")
@pass_state
def import_(state: State, layer, path, source, fmt, crs, asset_source):
    """Import a LAYER (assets, services, areas, links) from a file."""
    from assetmap.ingest.pipeline import import_file

    summary = import_file(state.sessions, layer, path, source=source, fmt=fmt, crs=crs,
                          asset_source=asset_source, show_progress=sys.stderr.isatty())
    click.echo(summary.describe())
    for note in summary.notes:
        click.echo(f"note: {note}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Flask's development server with reloading.")
@pass_state
def serve(state: State, host, port, workers, dev):
    """Serve the web app (gunicorn; --dev for Flask's server)."""
    from assetmap.web import create_app

    app = create_app({"DATABASE_URL": state.url})
    click.echo(f"assetmap serving at http://{host}:{port}")
    if dev:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from assetmap.web.server import run_gunicorn

    run_gunicorn(app, host=host, port=port, workers=workers)


@cli.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(burst: bool):
    """Run background report jobs (RQ on REDIS_URL, default the local Redis)."""
    from rq import Worker

    from assetmap.jobs import queue

    jobs = queue()
    click.echo(f"worker listening on {jobs.name}")
    Worker([jobs], connection=jobs.connection).work(burst=burst)


def _register_commands() -> None:
    from assetmap.cli_gaps import gaps
    from assetmap.cli_interop import export, token
    from assetmap.cli_network import report
    from assetmap.cli_ops import backup, restore, retention
    from assetmap.cli_users import user

    cli.add_command(report)
    cli.add_command(backup)
    cli.add_command(restore)
    cli.add_command(retention)
    cli.add_command(gaps)
    cli.add_command(export)
    cli.add_command(token)
    cli.add_command(user)


_register_commands()


def main() -> None:
    """Entry point: domain errors become a clear message and a non-zero exit, not a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ImportRejected as exc:
        click.echo(f"error: {exc.message}", err=True)
        for row, field, reason in exc.problems:
            where = ", ".join(p for p in (f"row {row}" if row else "", field or "") if p)
            click.echo(f"  {where + ': ' if where else ''}{reason}", err=True)
        sys.exit(1)
    except AssetmapError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except OperationalError as exc:
        click.echo(f"error: cannot reach the database: {exc.orig or exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
