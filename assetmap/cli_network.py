"""`assetmap report network` and `assetmap report compare`: the network report at a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assetmap.cli_state import State, pass_state


@click.group()
def report():
    """Reports on the network of assets."""


@report.command("network")
@click.option("--area", help="Only the assets in this area (by name).")
@click.option("--on", "on", help="The network as it stood on this day (YYYY-MM-DD).")
@click.option("--size-by", default="betweenness", show_default=True,
              help="The measure that sizes the circles on the map.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The HTML report to write.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path),
              help="Also write the node measures as CSV.")
@click.option("--graphml", type=click.Path(path_type=Path), help="Also write the graph.")
@click.option("--links-geojson", type=click.Path(path_type=Path),
              help="Also write the links as GeoJSON lines.")
@click.option("--save", is_flag=True, help="Save a snapshot, to compare with later ones.")
@pass_state
def network(state: State, area, on, size_by, output, csv_path, graphml, links_geojson, save):
    """Write the social-capital network report as one HTML file (it opens offline)."""
    from assetmap.export.network import graph_graphml, node_measures_csv
    from assetmap.reports.network import render_network_report
    from assetmap.reports.network_run import (
        check_params,
        run_network,
        save_snapshot,
        title_for,
    )
    from assetmap.reports.network_run import (
        links_geojson as links_layer,
    )
    from assetmap.store.db import transaction

    params = check_params(area=area, on=on, size_by=size_by)
    with transaction(state.sessions) as session:
        graph, result = run_network(session, params)
        snapshot_id = save_snapshot(session, result, params, user_id=None) if save else None
    output.write_text(render_network_report(result, title=title_for(params),
                                            size_by=params["size_by"]), encoding="utf-8")
    if csv_path:
        csv_path.write_text(node_measures_csv(result), encoding="utf-8")
    if graphml:
        graphml.write_bytes(graph_graphml(graph))
    if links_geojson:
        links_geojson.write_text(json.dumps(links_layer(result)), encoding="utf-8")
    summary = result.summary
    parts = summary["components"]["count"]
    click.echo(f"{title_for(params)}: {summary['nodes']} assets, {summary['ties']} ties, "
               f"{parts} separate parts (the largest holds {summary['components']['largest']}), "
               f"{summary['isolates']} with no ties; density {summary['density']:.4f}, "
               f"modularity {summary['modularity']:.2f}")
    for finding in result.findings[:5]:
        click.echo(f"- {finding.get('text', finding)}")
    click.echo(f"report written to {output}"
               + (f"; saved as snapshot {snapshot_id}" if snapshot_id else ""))


MEASURE_LABELS = {
    "density": "density (share of possible ties that exist)",
    "parts": "separate parts (with more than one asset)",
    "isolates": "assets with no ties",
    "ei_category": "E-I by category (+1 all ties bridge categories, -1 all bond within)",
    "ei_area": "E-I by area (+1 all ties cross areas, -1 all stay within)",
    "cross_group_brokerage": "brokerage across groups (count of broker roles)",
    "linking_share": "share of community assets tied to public institutions",
}


@report.command("compare")
@click.argument("before", type=int)
@click.argument("after", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print every detail as JSON.")
@pass_state
def compare_command(state: State, before: int, after: int, as_json: bool):
    """What changed between two saved network snapshots (ids from `--save`)."""
    from assetmap.reports.network_run import compare_snapshots

    with state.sessions() as session:
        change = compare_snapshots(session, before, after)
    if as_json:
        click.echo(json.dumps(change, indent=2, ensure_ascii=False))
        return
    click.echo(f"From snapshot {before} ({change['before_on'] or 'report day'}) to snapshot "
               f"{after} ({change['after_on'] or 'report day'}):")
    click.echo(f"  {len(change['new_links'])} new links, {len(change['lost_links'])} ended; "
               f"{len(change['joined'])} assets joined, {len(change['left'])} left")
    click.echo(f"  {len(change['no_longer_isolated'])} assets no longer isolated "
               f"({change['groups_no_longer_isolated']} of them groups); "
               f"{len(change['newly_isolated'])} newly isolated")
    for key, label in MEASURE_LABELS.items():
        values = change.get(key)
        if values:
            click.echo(f"  {label}: {values['before']:.3g} → {values['after']:.3g} "
                       f"({values['change']:+.3g})")
