"""'What this suggests': short plain-language readings generated from the numbers.

Each finding is ``{"kind", "text", "nodes"}``; the text names assets and gives the figure it
rests on, so a reader can check it against the tables. The rules are deliberately simple
and conservative: they point at places to look, they do not decide anything.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pyproj import Geod
from scipy.spatial import cKDTree

NEAR_METRES = 500.0
_EARTH_RADIUS = 6_371_008.8  # mean radius, only to turn metres into a search chord
_GEOD = Geod(ellps="WGS84")


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r),
                            np.sin(lat_r)))


def near_pairs(points_a: pd.DataFrame, points_b: pd.DataFrame, metres: float) -> list[tuple]:
    """(a index, b index, metres) for every a with a b within `metres`, nearest b first.

    A KD-tree on points of the unit sphere finds candidates (chord distance is a true metric);
    the distance reported is the WGS84 geodesic, so nothing is measured in degrees.
    """
    a = points_a.dropna(subset=["lon", "lat"])
    b = points_b.dropna(subset=["lon", "lat"])
    if a.empty or b.empty:
        return []
    tree = cKDTree(_unit_vectors(b["lon"].to_numpy(), b["lat"].to_numpy()))
    # Search a little wider than the sphere says, then measure on the ellipsoid.
    chord = 2 * math.sin(min(math.pi / 2, metres * 1.01 / (2 * _EARTH_RADIUS)))
    hits = tree.query_ball_point(_unit_vectors(a["lon"].to_numpy(), a["lat"].to_numpy()), chord)
    counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    if counts.sum() == 0:
        return []
    which_a = np.repeat(np.arange(len(a)), counts)
    which_b = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=int(counts.sum()))
    _, _, dist = _GEOD.inv(a["lon"].to_numpy()[which_a], a["lat"].to_numpy()[which_a],
                           b["lon"].to_numpy()[which_b], b["lat"].to_numpy()[which_b])
    # Nearest b for each a: sort by (a, distance) and keep each a's first row.
    order = np.lexsort((dist, which_a))
    first = order[np.r_[True, which_a[order][1:] != which_a[order][:-1]]]
    return [(a.index[which_a[i]], b.index[which_b[i]], float(dist[i]))
            for i in first if dist[i] <= metres]


def _isolates_near_hubs(nodes: pd.DataFrame, metres: float, limit: int) -> list[dict]:
    venues = nodes[(nodes["kind"] == "venue") & (nodes["degree"] > 0)]
    if venues.empty:
        return []
    # "Well connected": among the top tenth of venues by ties, and at least three ties.
    threshold = max(3.0, float(venues["degree"].quantile(0.9)))
    hubs = venues[venues["degree"] >= threshold]
    # Groups only: a skill's location may be where a person lives, which a report never
    # points at.
    lonely = nodes[nodes["isolate"] & (nodes["kind"] == "group")]
    pairs = sorted(near_pairs(lonely, hubs, metres), key=lambda p: p[2])
    out = []
    for asset, hub, dist in pairs[:limit]:
        out.append({
            "kind": "isolated_near_hub",
            "text": (f"{nodes.at[asset, 'name']} ({nodes.at[asset, 'kind']}) has no ties, yet "
                     f"is {dist:.0f} m from {nodes.at[hub, 'name']}, a "
                     f"{'public service' if nodes.at[hub, 'institution'] else 'venue'} tied "
                     f"to {int(nodes.at[hub, 'degree'])} assets: an introduction there could "
                     "bring it into the network."),
            "nodes": [asset, hub],
        })
    if len(pairs) > limit:
        out.append({"kind": "isolated_near_hub",
                    "text": f"{len(pairs) - limit} more isolated groups lie within "
                            f"{metres:.0f} m of a well-connected venue.",
                    "nodes": [p[0] for p in pairs[limit:]]})
    return out


def _fragile(fragile: list[dict], nodes: pd.DataFrame, limit: int) -> list[dict]:
    out = []
    for point in [f for f in fragile if f["cut_off"] >= 2][:limit]:
        cut = [m for part in point["parts"][1:] for m in part["members"]]
        groups = [nodes.at[m, "name"] for m in cut if nodes.at[m, "kind"] == "group"][:4]
        who = f", including {', '.join(groups)}" if groups else ""
        out.append({
            "kind": "fragile_point",
            "text": (f"If {point['name']} ({point['kind']}) closed or stepped back, "
                     f"{point['cut_off']} assets{who} would be cut off from the rest of their "
                     f"network, in {len(point['parts']) - 1} separate part(s)."),
            "nodes": [point["node"], *cut],
        })
    return out


def _mixing(ei: dict, label: str, plural: str) -> list[dict]:
    observed, expected = ei.get("ei"), ei.get("expected")
    if observed is None or expected is None:
        return []
    if observed < expected - 0.1:
        reading = (f"ties stay within the same {label} more than random mixing would give "
                   f"(E-I {observed:+.2f} against {expected:+.2f}): bonding is strong, "
                   "bridging weak")
    elif observed > expected + 0.1:
        reading = (f"ties cross between {plural} more than random mixing would give "
                   f"(E-I {observed:+.2f} against {expected:+.2f}): bridging is strong")
    else:
        reading = (f"ties mix across {plural} about as random mixing would "
                   f"(E-I {observed:+.2f} against {expected:+.2f})")
    return [{"kind": f"mixing_{ei['attribute']}", "text": reading[0].upper() + reading[1:] + ".",
             "nodes": []}]


def suggest(nodes: pd.DataFrame, summary: dict, fragile: list[dict], ei: dict, linking: dict,
            shared_venues: dict, *, near_metres: float = NEAR_METRES,
            limit: int = 5) -> list[dict]:
    """The findings for a report, most actionable first."""
    out: list[dict] = []
    out += _isolates_near_hubs(nodes, near_metres, limit)
    out += _fragile(fragile, nodes, limit)
    parts = summary["components"]["count_without_isolates"]
    if parts > 1:
        out.append({"kind": "fragmented",
                    "text": (f"The linked assets form {parts} separate parts; the largest "
                             f"holds {summary['components']['largest_share']:.0%} of all "
                             "assets. Ties between the parts would let them draw on each "
                             "other."), "nodes": []})
    if summary["isolates"]:
        share = summary["isolates"] / summary["nodes"]
        out.append({"kind": "isolates",
                    "text": f"{summary['isolates']} assets ({share:.0%}) have no recorded ties.",
                    "nodes": []})
    if shared_venues["untied_pairs"]:
        example = next(row for row in shared_venues["top"] if not row["tied"])
        out.append({"kind": "shared_venue_untied",
                    "text": (f"{shared_venues['untied_pairs']} pairs of groups meet at the same "
                             "venue without any tie of their own, e.g. "
                             f"{example['a_name']} and {example['b_name']}: the venue could "
                             "introduce them."), "nodes": [example["a"], example["b"]]})
    out += _mixing(ei["category"], "category", "categories")
    out += _mixing(ei["area"], "area", "areas")
    if linking["institutions"] == 0:
        out.append({"kind": "linking", "nodes": [],
                    "text": "No public institution or service takes part in this network, "
                            "so its linking ties cannot be read."})
    elif linking["share_of_assets"] is not None and linking["share_of_assets"] < 0.25:
        out.append({"kind": "linking", "nodes": [],
                    "text": (f"Only {linking['share_of_assets']:.0%} of community assets have a "
                             "tie to a public institution or service: linking capital is "
                             "thin.")})
    crossing = nodes.get("cross_brokerage")
    if crossing is not None and crossing.max() > 0:
        top = crossing.idxmax()
        out.append({"kind": "broker",
                    "text": (f"{nodes.at[top, 'name']} does the most brokering between groups "
                             f"({int(crossing.max())} open two-step paths across groups): "
                             "much bridging depends on it."), "nodes": [top]})
    return out
