"""A round's results as JSON, GeoJSON (one point per proposal) and CSV (one row per proposal).

Each proposal carries its total, how many ballots supported it, its place, its area and the
area's gap score, so need and residents' choices sit side by side. Turnout per area goes in
the JSON and GeoJSON (`turnout`, a foreign member of the FeatureCollection); the CSV holds
proposals only.
"""

from __future__ import annotations

import csv
import io

from assetmap.store.ballots import AreaTurnout, ProposalResult, Results

CSV_HEADER = ("place", "proposal_id", "title", "total", "voters", "area_id", "area",
              "gap_score", "lon", "lat", "asset_ids", "method", "round_id", "round_state")
# Text starting with these is run as a formula by spreadsheets: such cells get a leading '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(text: str | None) -> str:
    text = text or ""
    return "'" + text if text.startswith(FORMULA_START) else text


def turnout_json(row: AreaTurnout) -> dict:
    """One area's turnout: ballots, residents signed up, population and the two ratios."""
    return {"area_id": row.id, "area": row.name, "ballots": row.ballots,
            "residents": row.residents, "population": row.population,
            "turnout_of_residents": row.of_residents,
            "turnout_of_population": row.of_population}


def proposal_properties(result: ProposalResult) -> dict:
    """The properties of one proposal's result."""
    return {"id": result.id, "place": result.place, "title": result.title,
            "description": result.description, "total": result.total,
            "voters": result.voters, "area_id": result.area_id, "area": result.area_name,
            "gap_score": result.gap_score, "asset_ids": result.asset_ids}


def round_summary(results: Results) -> dict:
    """What the round was and how it was counted."""
    rnd = results.round
    return {"id": rnd.id, "title": rnd.title, "question": rnd.question, "mode": rnd.mode,
            "budget": rnd.budget, "method": results.method, "state": results.state,
            "opens_at": rnd.opens_at.isoformat(), "closes_at": rnd.closes_at.isoformat(),
            "closed_early_at": rnd.closed_early_at.isoformat() if rnd.closed_early_at else None,
            "ballots": results.ballots}


def results_json(results: Results) -> dict:
    """The results as a plain JSON document."""
    return {"round": round_summary(results),
            "proposals": [{**proposal_properties(p), "lon": p.lon, "lat": p.lat}
                          for p in results.proposals],
            "turnout": [turnout_json(t) for t in results.turnout]}


def results_geojson(results: Results) -> dict:
    """A FeatureCollection: one Point per published proposal, best first."""
    return {
        "type": "FeatureCollection",
        "round": round_summary(results),
        "turnout": [turnout_json(t) for t in results.turnout],
        "features": [{"type": "Feature", "id": p.id,
                      "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                      "properties": proposal_properties(p)} for p in results.proposals],
    }


def results_csv(results: Results) -> str:
    """CSV text (RFC 4180, CRLF line ends), one row per published proposal, best first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for p in results.proposals:
        writer.writerow([
            p.place, p.id, _safe_cell(p.title), p.total, p.voters,
            "" if p.area_id is None else p.area_id, _safe_cell(p.area_name),
            "" if p.gap_score is None else p.gap_score, p.lon, p.lat,
            " ".join(str(i) for i in p.asset_ids), results.method, results.round.id,
            results.state])
    return buffer.getvalue()
