"""`assetmap gaps`: the gap analysis at a terminal — a summary to read, a report and layers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from assetmap.cli_state import State, pass_state
from assetmap.gaps.priority import FACTORS

TOP = 10


def _number(value, digits: int = 2) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "-"
    return "-" if number != number else f"{number:.{digits}f}"


def summary_lines(result, top: int = TOP) -> list[str]:
    """A short plain-text reading of a result: settings, the top areas with their factors,
    services with nothing nearby, and the notes."""
    params = result.parameters
    weights = ", ".join(f"{f} {params['weights'].get(f, 0):g}" for f in FACTORS)
    method = "enhanced 2SFCA" if params["method"] == "e2sfca" else "2SFCA"
    lines = [
        f"Gap analysis of {len(result.areas)} areas and {len(result.assets)} published assets: "
        f"{method} within {params['threshold_m']:,.0f} m, walk {params['walk_m']:,.0f} m, "
        f"weights {weights}.",
        "",
        f"Top {min(top, len(result.areas))} areas for capacity building "
        "(factor = its 0-1 value, + its contribution to the score):",
    ]
    header = f"{'rank':>4}  {'area':<24} {'score':>5}  " + "  ".join(
        f"{f:>15}" for f in FACTORS) + "  cluster"
    lines.append(header)
    for row in result.ranked().head(top).itertuples(index=False):
        cells = "  ".join(
            f"{_number(getattr(row, f'factor_{f}')):>6} +{_number(getattr(row, f'contrib_{f}')):>7}"
            for f in FACTORS)
        flag = "low access" if row.low_access_cluster else ""
        lines.append(f"{int(row.rank):>4}  {str(row.name)[:24]:<24} {_number(row.priority):>5}  "
                     f"{cells}  {flag}".rstrip())
    missing = result.services_without_assets
    lines.append("")
    if params.get("services_given"):
        services = missing["service_name"].nunique() if len(missing) else 0
        lines.append(f"Public services with no community asset within {params['overlay_m']:,.0f} "
                     f"m: {services}.")
    lines.append("Notes:")
    lines.extend(f"- {note}" for note in result.notes)
    return lines


@click.command("gaps")
@click.option("--walk", default="800", show_default=True,
              help="Walking distance in metres for the share of residents near each category.")
@click.option("--method", default="2sfca", show_default=True,
              help="Access measure: 2sfca, or e2sfca (with distance decay).")
@click.option("--threshold", default=None,
              help="Catchment distance in metres for access (default 1600).")
@click.option("--weight", "weights", default=None,
              help="Priority weights, e.g. need=2,access=1,bridging=1 (unnamed factors: 1).")
@click.option("--on", "day", default=None,
              help="YYYY-MM-DD: bridging from the links standing that day (default today).")
@click.option("--save", is_flag=True, help="Also save the result as a report snapshot.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Write the HTML report (map, ranked table, notes) here.")
@click.option("--geojson", type=click.Path(path_type=Path),
              help="Write the gap layer (areas with every measure) as RFC 7946 GeoJSON.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path),
              help="Write the gap layer as CSV (one row per area).")
@pass_state
def gaps(state: State, walk, method, threshold, weights, day, save, output, geojson, csv_path):
    """Rank areas for capacity building: need, access to community assets, bridging ties."""
    from assetmap.errors import InvalidInput
    from assetmap.reports.gaps import render_gaps_report
    from assetmap.reports.gaps_run import check_params, run_gaps, save_snapshot

    params = check_params(walk, method, threshold, weights)
    on = None
    if day:
        try:
            on = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput(f"--on must be a date like 2025-06-30, got {day!r}",
                               field="on") from None
    with state.sessions() as session:
        result = run_gaps(session, walk_m=params["walk_m"], method=params["method"],
                          threshold_m=params["threshold_m"], weights=params["weights"], on=on)
        snapshot_id = None
        if save:
            snapshot_id = save_snapshot(session, result, params, user_id=None)
            session.commit()
    click.echo("\n".join(summary_lines(result)))
    if output:
        html = render_gaps_report(result, title=f"Gap analysis, {date.today():%d %B %Y}",
                                  tiles_url=state.settings.tile_url)
        output.write_text(html, encoding="utf-8")
        click.echo(f"report written to {output}")
    if geojson:
        geojson.write_text(json.dumps(result.to_geojson(), allow_nan=False), encoding="utf-8")
        click.echo(f"gap layer written to {geojson} (GeoJSON, {len(result.areas)} areas)")
    if csv_path:
        csv_path.write_text(result.to_csv(), encoding="utf-8")
        click.echo(f"gap layer written to {csv_path} (CSV, {len(result.areas)} areas)")
    if snapshot_id is not None:
        click.echo(f"saved as snapshot {snapshot_id}")
