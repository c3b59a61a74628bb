"""Commands for planners: exports of every layer, and API tokens for full exports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assetmap.cli_state import State, pass_state

# Who the export is for: the same rules as the web (see assetmap.store.layers).
VIEWS = {
    "public": None,  # what anyone may see
    "members": "planner",  # adds members-only assets and contact details (a planner's token)
    "all": "admin",  # adds pending, rejected and private assets (what moderators see)
    # Every stored feature that is not archived, with every property as imported (source ids,
    # extra properties, skills too): a full-fidelity copy for moving data between
    # installations. An operator's tool; never publish it.
    "everything": "everything",
}


@click.command("export")
@click.argument("layer", type=click.Choice(["assets", "links", "services", "areas"]))
@click.option("--format", "fmt", type=click.Choice(["geojson", "gpkg", "csv"]),
              default="geojson", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write ('-' for standard output; not for gpkg).")
@click.option("--view", type=click.Choice(list(VIEWS)), default="public", show_default=True,
              help="Whose view: public; members (adds members-only assets and contacts); "
                   "all (adds pending and private assets; never skills). 'everything' is "
                   "a full-fidelity GeoJSON copy of every non-archived feature with all its "
                   "imported properties, for moving data: never publish it.")
@click.option("--category", help="Only this category (assets) or service type (services).")
@click.option("--kind", help="Only assets of this kind (group, venue, other).")
@click.option("--type", "link_type", help="Only links of this type.")
@click.option("--area", help="Only features meeting the area with this name.")
@click.option("--bbox", help="Only features meeting west,south,east,north (degrees).")
@click.option("--date", "day", help="YYYY-MM-DD: links active that day, others recorded by then.")
@pass_state
def export(state: State, layer, fmt, output, view, category, kind, link_type, area, bbox, day):
    """Export a LAYER as RFC 7946 GeoJSON, GeoPackage or CSV (geometry as WKT)."""
    from assetmap.export.filters import build_filters
    from assetmap.export.layers import csv_chunks, geojson_chunks, write_gpkg
    from assetmap.store.layers import LAYERS
    from assetmap.store.visibility import Viewer

    to_stdout = str(output) == "-"
    if to_stdout and fmt == "gpkg":
        raise click.UsageError("a GeoPackage must be written to a file: give -o FILE.gpkg")
    if view == "everything":
        _export_everything(state, layer, fmt, output, (category, kind, link_type, area, bbox,
                                                       day))
        return
    equals = {"category": category, "kind": kind, "type": link_type}
    viewer = Viewer(role=VIEWS[view])
    filters = build_filters(LAYERS[layer], bbox=bbox, area=area, day=day, equals=equals)
    with state.sessions() as session:
        if fmt == "gpkg":
            output.unlink(missing_ok=True)  # a fresh file, not a layer added to an old one
            count = write_gpkg(session, layer, viewer, filters, output)
            click.echo(f"{count} {layer} written to {output} (gpkg, {view} view)")
            return
        # Built (and the filters checked against the database) before any file is opened.
        chunks = (geojson_chunks if fmt == "geojson" else csv_chunks)(session, layer, viewer,
                                                                      filters)
        if to_stdout:
            sys.stdout.writelines(chunks)
        else:
            with open(output, "w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
    click.echo(f"{layer} written to {output} ({fmt}, {view} view)", err=to_stdout)


def _export_everything(state: State, layer: str, fmt: str, output: Path, filters) -> None:
    from assetmap.export.geojson import write_feature_collection
    from assetmap.store.features import iter_layer

    if fmt != "geojson" or any(filters):
        raise click.UsageError("--view everything writes the whole layer as GeoJSON: "
                               "no filters, no other format")
    with state.sessions() as session:
        features = iter_layer(session, layer)
        if str(output) == "-":
            count = write_feature_collection(features, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = write_feature_collection(features, out)
    click.echo(f"{count} {layer} written to {output} (geojson, everything)",
               err=str(output) == "-")


@click.group()
def token():
    """API tokens for planners' full exports."""


@token.command("create")
@click.option("--email", required=True, help="The planner's (or admin's) account email.")
@click.option("--name", required=True, help="What the token is for, e.g. 'QGIS on my laptop'.")
@pass_state
def token_create(state: State, email, name):
    """Make a token; it is shown once and only its hash is kept."""
    from assetmap.store.tokens import create_token

    with state.sessions() as session:
        token_id, secret = create_token(session, email, name)
    click.echo(f"token {token_id} for {email} ({name}):", err=True)
    click.echo(secret)
    click.echo("Keep it safe: it is not shown again. Send it as 'Authorization: Bearer <token>'.",
               err=True)


@token.command("list")
@pass_state
def token_list(state: State):
    """List tokens (never the tokens themselves)."""
    from assetmap.store.tokens import list_tokens

    with state.sessions() as session:
        rows = list_tokens(session)
    if not rows:
        click.echo("no API tokens")
        return
    for row in rows:
        used = row.last_used_at.strftime("%Y-%m-%d %H:%M") if row.last_used_at else "never"
        state_ = "revoked" if row.revoked else "active"
        click.echo(f"{row.id}\t{row.email}\t{row.role}\t{state_}\tcreated "
                   f"{row.created_at:%Y-%m-%d}\tlast used {used}\t{row.name}")


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_state
def token_revoke(state: State, token_id):
    """Revoke token TOKEN_ID for good."""
    from assetmap.store.tokens import revoke_token

    with state.sessions() as session:
        revoke_token(session, token_id)
    click.echo(f"token {token_id} revoked")
