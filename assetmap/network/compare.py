"""Change over time: what differs between two saved reports of the same place.

Outcomes, not outputs: which ties were made or lost, which assets stopped (or started)
being isolated, and how density, bridging and linking moved.
"""

from __future__ import annotations

from assetmap.network.report import CROSSING_ROLES, NetworkReport


def _change(before, after) -> dict:
    change = None if before is None or after is None else after - before
    return {"before": before, "after": after, "change": change}


def _assets(report: NetworkReport, ids) -> list[dict]:
    table = report.nodes
    return [{"node": node, "name": table.at[node, "name"], "kind": table.at[node, "kind"]}
            for node in sorted(ids)]


def compare(before: NetworkReport, after: NetworkReport) -> dict:
    """What changed from `before` to `after` (both `NetworkReport`, e.g. two snapshots).

    Links are matched by link id, assets by asset id. Returns new and lost links, assets
    that joined or left, assets (groups counted separately) no longer isolated and newly
    isolated, and before/after/change for density, parts, isolates, E-I by category and
    by area, cross-group brokerage and the share of community assets with linking ties.
    """
    old_links = {row[0]: row for row in before.links}
    new_links = {row[0]: row for row in after.links}
    columns = ["id", "from", "to", "type", "weight", "directed"]
    def ordered(keys):  # link ids are ints from the store; strings sort after them
        return sorted(keys, key=lambda k: (isinstance(k, str), k))

    added = [dict(zip(columns, new_links[k], strict=True))
             for k in ordered(new_links.keys() - old_links.keys())]
    lost = [dict(zip(columns, old_links[k], strict=True))
            for k in ordered(old_links.keys() - new_links.keys())]

    old_nodes, new_nodes = set(before.nodes.index), set(after.nodes.index)
    both = old_nodes & new_nodes
    was_isolated = set(before.nodes.index[before.nodes["isolate"]]) & both
    is_isolated = set(after.nodes.index[after.nodes["isolate"]]) & both
    no_longer = _assets(after, was_isolated - is_isolated)
    newly = _assets(after, is_isolated - was_isolated)

    def crossing(report: NetworkReport) -> int:
        return int(report.nodes[CROSSING_ROLES].to_numpy().sum())

    b, a = before.summary, after.summary
    return {
        "before_on": b.get("on"),
        "after_on": a.get("on"),
        "new_links": added,
        "lost_links": lost,
        "joined": _assets(after, new_nodes - old_nodes),
        "left": _assets(before, old_nodes - new_nodes),
        "no_longer_isolated": no_longer,
        "newly_isolated": newly,
        "groups_no_longer_isolated": sum(1 for x in no_longer if x["kind"] == "group"),
        "groups_newly_isolated": sum(1 for x in newly if x["kind"] == "group"),
        "density": _change(b["density"], a["density"]),
        "parts": _change(b["components"]["count_without_isolates"],
                         a["components"]["count_without_isolates"]),
        "isolates": _change(b["isolates"], a["isolates"]),
        "ei_category": _change(b["ei_category"], a["ei_category"]),
        "ei_area": _change(b["ei_area"], a["ei_area"]),
        "cross_group_brokerage": _change(crossing(before), crossing(after)),
        "linking_share": _change(b["linking_share"], a["linking_share"]),
    }
