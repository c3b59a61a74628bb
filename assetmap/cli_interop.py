"""Commands for planners: exports of every layer, and API tokens for full exports."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assetmap.cli_state import State, pass_state


@click.command("export")
@click.argument("layer", type=click.Choice(["assets", "services", "areas", "links"]))
@click.option("--format", "fmt", type=click.Choice(["geojson"]), default="geojson",
              show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write ('-' for standard output).")
@click.option("--include-archived", is_flag=True, help="Also export archived assets and links.")
@pass_state
def export(state: State, layer, fmt, output, include_archived):
    """Export a LAYER as RFC 7946 GeoJSON."""
    from assetmap.export.geojson import write_feature_collection
    from assetmap.store.features import iter_layer

    with state.sessions() as session:
        features = iter_layer(session, layer, include_archived=include_archived)
        if str(output) == "-":
            count = write_feature_collection(features, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = write_feature_collection(features, out)
    click.echo(f"{count} {layer} written to {output}", err=str(output) == "-")



@click.group()
def token():
    """API tokens for planners' full exports."""
