#!/usr/bin/env python3
"""Write the synthetic demo data set in geodata/demo/ from a fixed seed.

Neighbourhoods, services, assets and links are all invented; only the centre point is real
(Todmorden, West Yorkshire). Run from the repository root:

    python scripts/make_demo_data.py

Every run writes the same bytes: one seeded generator, lists (never sets) iterated in a fixed
order, sorted JSON keys and coordinates rounded to 6 decimals. Before writing, the data is
checked (valid geometries, areas tile the town, points inside areas, links refer to assets)
so a broken change to this script fails here rather than in a demo.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import shapely
from pyproj import Proj
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from assetmap.taxonomy import ASSET_CATEGORIES, ASSET_KINDS, LINK_TYPES, SERVICE_TYPES  # noqa: E402

SEED = 20261128
OUT = ROOT / "geodata" / "demo"
CENTRE = (-2.0970, 53.7136)  # lon, lat of Todmorden town hall, approximately
FIRST_START, LAST_START = date(2019, 1, 1), date(2026, 9, 30)
LAST_END = date(2026, 10, 31)  # ended links all lie before the data set was made

# A transverse Mercator centred on the town: metres for the geometry work, pure projection
# maths (no datum grids), so the output does not depend on which PROJ grids are installed.
_LOCAL = Proj(f"+proj=tmerc +lat_0={CENTRE[1]} +lon_0={CENTRE[0]} +k=1 +x_0=0 +y_0=0 "
              "+ellps=WGS84 +units=m +no_defs")


def lonlat(x: float, y: float, places: int = 6) -> tuple[float, float]:
    """Local metres to (lon, lat) rounded to `places` decimals."""
    lon, lat = _LOCAL(x, y, inverse=True)
    return (round(lon, places), round(lat, places))


def to_lonlat_polygon(poly: Polygon) -> Polygon:
    """A metric polygon as a lon/lat polygon with a counter-clockwise exterior (RFC 7946)."""
    return orient(Polygon([lonlat(x, y) for x, y in poly.exterior.coords]), 1.0)


def town_boundary(rng: random.Random) -> Polygon:
    """The town as three valley arms and a hillside lobe round the centre, edges roughened."""
    arms = [((-2250, 1330), 520), ((2650, 920), 520), ((-700, -2600), 500), ((300, 1500), 430)]
    parts = [Point(0, 0).buffer(950, quad_segs=6)]
    parts += [LineString([(0, 0), end]).buffer(width, quad_segs=4) for end, width in arms]
    shape = shapely.unary_union(parts).simplify(10)
    ring = shapely.segmentize(shape.exterior, 160)
    coords = [(round(x + rng.uniform(-30, 30), 2), round(y + rng.uniform(-30, 30), 2))
              for x, y in list(ring.coords)[:-1]]
    poly = Polygon(coords)
    if not poly.is_valid:
        raise RuntimeError("roughened town boundary is not a valid polygon")
    return poly


def neighbourhoods(boundary: Polygon, seeds: list[tuple[float, float]]) -> list[Polygon]:
    """Voronoi cells of the seeds clipped to the town; one polygon per seed, in seed order."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=boundary.buffer(1000))
    owned: dict[int, Polygon] = {}
    orphans: list[Polygon] = []
    for cell in cells.geoms:
        owner = next(i for i, s in enumerate(seeds) if cell.contains(Point(s)))
        clipped = cell.intersection(boundary)
        for part in getattr(clipped, "geoms", [clipped]):
            if part.area <= 0:
                continue
            if part.contains(Point(seeds[owner])):
                owned[owner] = part
            else:
                orphans.append(part)
    # A piece cut off from its seed by a bend in the valley joins the neighbour it shares the
    # longest edge with, so every neighbourhood stays one connected polygon.
    for piece in orphans:
        best = max(owned, key=lambda i: piece.intersection(owned[i].boundary).length)
        owned[best] = shapely.unary_union([owned[best], piece])
    out = [owned[i] for i in range(len(seeds))]
    if any(p.geom_type != "Polygon" or p.interiors for p in out):
        raise RuntimeError("a neighbourhood is not a single polygon without holes")
    return out


def sample_in(rng: random.Random, area: Polygon, centre, sigma: float, places: int = 6):
    """A point near `centre` (metres) whose rounded lon/lat falls well inside `area`."""
    inner = area.buffer(-15)
    for _ in range(5000):
        x, y = rng.gauss(centre[0], sigma), rng.gauss(centre[1], sigma)
        if inner.contains(Point(x, y)):
            lon, lat = lonlat(x, y, places)
            back = _LOCAL(lon, lat)
            if inner.contains(Point(back)):
                return (x, y), (lon, lat)
    raise RuntimeError("could not place a point inside an area")


def footprint(rng: random.Random, x: float, y: float) -> Polygon:
    """A small rotated rectangle (a building) centred on (x, y), in lon/lat."""
    w, h, turn = rng.uniform(14, 32), rng.uniform(10, 22), rng.uniform(0, math.pi)
    c, s = math.cos(turn), math.sin(turn)
    corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    return orient(Polygon([lonlat(x + a * c - b * s, y + a * s + b * c) for a, b in corners]),
                  1.0)


def share_out(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), at least one each."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for example.org addresses."""
    plain = text.lower().replace("é", "e").replace("&", "and")
    return "-".join("".join(ch if ch.isalnum() else " " for ch in plain).split())


class Builder:
    """Holds the generator state: areas, services, assets and links as they are made."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.phones = self.rng.sample(range(1000), 400)
        self.areas: list[dict] = []
        self.services: list[dict] = []
        self.assets: list[dict] = []
        self.links: list[dict] = []
        self.pairs: set[tuple[str, str]] = set()

    # -- areas and services -------------------------------------------------------------
    def make_areas(self) -> None:
        """Neighbourhood polygons, with population and need from the table."""
        boundary = town_boundary(self.rng)
        seeds = [row[1] for row in AREAS]
        for i, (row, poly) in enumerate(zip(AREAS, neighbourhoods(boundary, seeds),
                                            strict=True)):
            name, seed, population, need, density, sigma = row
            self.areas.append({"id": f"A{i + 1:02d}", "name": name, "population": population,
                               "need_index": need, "density": density, "sigma": sigma,
                               "seed": seed, "metric": poly, "geom": to_lonlat_polygon(poly)})
        self.boundary = boundary

    def area(self, name: str) -> dict:
        """The area with this name."""
        return next(a for a in self.areas if a["name"] == name)

    def make_services(self) -> None:
        """Public services from the table, each placed inside its named area."""
        for i, (name, kind, area_name, text) in enumerate(SERVICES):
            area = self.area(area_name)
            _, pos = sample_in(self.rng, area["metric"], area["seed"], area["sigma"] + 100)
            web = f"https://example.org/services/{slug(name)}" if self.rng.random() < 0.7 else ""
            self.services.append({"id": f"S{i + 1:03d}", "name": name, "service_type": kind,
                                  "description": text, "website": web,
                                  "geom": Point(pos), "area": area["id"]})

    # -- assets -------------------------------------------------------------------------
    def contact(self, name: str, chance: float = 0.9) -> str:
        """A fake contact: an example.org address or an Ofcom drama number (01632 960xxx)."""
        roll = self.rng.random()
        if roll > chance:
            return ""
        if roll < chance / 2:
            return f"{slug(name)}@example.org"
        return f"01632 960{self.phones.pop():03d}"

    def add_asset(self, prefix: str, kind: str, category: str, name: str, text: str,
                  area: dict, geom, hours: str, access: str, **extra) -> dict:
        """Append one asset with the next id for its prefix and return it."""
        number = sum(1 for a in self.assets if a["id"][0] == prefix) + 1
        web = f"https://example.org/{slug(name)}" if self.rng.random() < 0.45 else ""
        asset = {"id": f"{prefix}{number:03d}", "kind": kind, "category": category,
                 "name": name, "description": text, "contact": self.contact(name),
                 "website": web, "opening_times": hours, "accessibility": access,
                 "visibility": "public", "status": "published", "area": area["id"],
                 "geom": geom, **extra}
        self.assets.append(asset)
        return asset

    def pick(self, table: dict, mix: dict, area: dict, used: set[str]) -> tuple[str, tuple]:
        """A category by weight, and one of its templates whose filled-in name is unused."""
        def free(cat: str) -> list:
            return [t for t in table[cat] if t[0].format(a=area["name"]) not in used]

        cats = [c for c in mix if free(c)]
        cat = self.rng.choices(cats, weights=[mix[c] for c in cats])[0]
        chosen = self.rng.choice(free(cat))
        used.add(chosen[0].format(a=area["name"]))
        return cat, chosen

    def make_venues(self) -> None:
        """About 70 venues, more in the centre; one in six drawn as a building footprint."""
        used: set[str] = set()
        counts = share_out(N_VENUES, [a["density"] + 0.3 for a in self.areas])
        for area, n in zip(self.areas, counts, strict=True):
            for j in range(n):
                # Every area has a community space first; in the hub areas it is the
                # community centre that many small groups depend on.
                hub = j == 0 and area["name"] in HUB_AREAS
                if hub:
                    cat, (tmpl, text, hours, building) = "community_space", VENUES[
                        "community_space"][0]
                    used.add(tmpl.format(a=area["name"]))
                else:
                    mix = {"community_space": 1} if j == 0 else VENUE_MIX
                    cat, (tmpl, text, hours, building) = self.pick(VENUES, mix, area, used)
                name = tmpl.format(a=area["name"])
                (x, y), pos = sample_in(self.rng, area["metric"], area["seed"], area["sigma"])
                geom = Point(pos)
                if building and self.rng.random() < 0.55:
                    geom = footprint(self.rng, x, y)
                self.add_asset("V", "venue", cat, name, text, area, geom, hours,
                               self.rng.choice(ACCESS), xy=(x, y), hub=hub)

    def make_groups(self) -> None:
        """Umbrella networks in the centre, then ordinary groups spread by area density."""
        used: set[str] = set()
        centre = self.areas[0]
        for name, cat, text, hours, _ in UMBRELLAS:
            _, pos = sample_in(self.rng, centre["metric"], centre["seed"], centre["sigma"])
            self.add_asset("G", "group", cat, name, text, centre, Point(pos), hours,
                           self.rng.choice(ACCESS), umbrella=True)
        counts = share_out(N_GROUPS - len(UMBRELLAS), [a["density"] for a in self.areas])
        for area, n in zip(self.areas, counts, strict=True):
            for _ in range(n):
                cat, (tmpl, text, hours) = self.pick(GROUPS, GROUP_MIX, area, used)
                _, pos = sample_in(self.rng, area["metric"], area["seed"], area["sigma"])
                visibility = "members" if self.rng.random() < 0.08 else "public"
                asset = self.add_asset("G", "group", cat, tmpl.format(a=area["name"]), text,
                                       area, Point(pos), hours, "", umbrella=False)
                asset["visibility"] = visibility

    def make_skills_and_other(self) -> None:
        """Residents' skills (private, blurred to ~100 m) and other assets."""
        used: set[str] = set()
        counts = share_out(N_SKILLS, [a["density"] + 0.5 for a in self.areas])
        for area, n in zip(self.areas, counts, strict=True):
            for _ in range(n):
                skill, cat, text = self.rng.choice(
                    [s for s in SKILLS if f"{s[0]} ({area['name']})" not in used])
                name = f"{skill} ({area['name']})"
                used.add(name)
                # Where a person offers a skill is personal data: keep it coarse and private.
                _, pos = sample_in(self.rng, area["metric"], area["seed"], area["sigma"] + 80,
                                   places=3)
                asset = self.add_asset("K", "skill", cat, name, text, area, Point(pos), "", "")
                asset["visibility"], asset["website"] = "private", ""
        for tmpl, cat, text, hours, area_name in OTHER:
            area = self.area(area_name)
            _, pos = sample_in(self.rng, area["metric"], area["seed"], area["sigma"] + 60)
            self.add_asset("O", "other", cat, tmpl.format(a=area_name), text, area, Point(pos),
                           hours, self.rng.choice(OUTDOOR_ACCESS))
        pending = self.rng.sample([a for a in self.assets if not a.get("umbrella")],
                                  N_PENDING)
        for asset in pending:
            asset["status"] = "pending"

    # -- links --------------------------------------------------------------------------
    def link(self, a: dict, b: dict, kind: str, weight: int | None = None) -> bool:
        """Add a link unless it joins an asset to itself or repeats a linked pair."""
        pair = tuple(sorted((a["id"], b["id"])))
        if a["id"] == b["id"] or pair in self.pairs:
            return False
        self.pairs.add(pair)
        start = FIRST_START + timedelta(self.rng.randrange((LAST_START - FIRST_START).days))
        self.links.append({"id": f"L{len(self.links) + 1:03d}", "from_id": a["id"],
                           "to_id": b["id"], "type": kind,
                           "weight": weight or self.rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]),
                           "directed": LINK_TYPES[kind][1], "started": start.isoformat(),
                           "ended": "", "evidence": self.rng.choice(EVIDENCE[kind])})
        return True

    def make_links(self) -> None:
        """meets_at, member_of, partners_with, shares_skills_with, refers_to and funds."""
        rng = self.rng
        venues = [a for a in self.assets if a["kind"] == "venue"]
        groups = [a for a in self.assets if a["kind"] == "group" and not a["umbrella"]]
        umbrellas = [a for a in self.assets if a.get("umbrella")]
        thin = [self.area(name)["id"] for name in THIN_AREAS]
        isolated = rng.sample([g for g in groups if g["area"] in thin], 3)
        isolated += rng.sample([g for g in groups if g not in isolated], 3)
        leaves: list[dict] = []
        by_area = {a["id"]: [v for v in venues if v["area"] == a["id"]] for a in self.areas}
        central = by_area[self.areas[0]["id"]]
        for g in groups:
            if g in isolated:
                continue
            local = by_area[g["area"]]
            hub = next((v for v in local if v["hub"]), None)
            # Most groups meet in their own area; hubs take many small groups that have no
            # other tie, which makes those venues articulation points of the network.
            if hub and sum(1 for x in leaves if x["area"] == g["area"]) < 8 and rng.random() < .6:
                self.link(g, hub, "meets_at")
                leaves.append(g)
                g["geom"], g["accessibility"] = self.near(hub, g), hub["accessibility"]
                continue
            pool = local if rng.random() < 0.85 else central
            weights = [4 if v["category"] == "community_space" else 1 for v in pool]
            venue = rng.choices(pool, weights=weights)[0]
            self.link(g, venue, "meets_at")
            if venue["area"] == g["area"]:
                g["geom"] = self.near(venue, g)
                g["accessibility"] = venue["accessibility"]
            if rng.random() < 0.08:
                self.link(g, rng.choice(venues), "meets_at")
        for u in umbrellas:
            self.link(u, rng.choice([v for v in central if v["category"] == "community_space"]),
                      "meets_at")
        active = [g for g in groups if g not in isolated and g not in leaves]
        for u in umbrellas:
            cats = next(row[4] for row in UMBRELLAS if row[0] == u["name"])
            same = [g for g in active if g["category"] in cats]
            for g in rng.sample(same, min(len(same), rng.randint(4, 7))):
                self.link(g, u, "member_of")
        for a, b in zip(umbrellas, umbrellas[1:] + umbrellas[:1], strict=True):
            self.link(a, b, "partners_with")
        made = 0
        while made < N_PARTNERS:
            a, local = rng.choice(active), rng.random() < 0.55
            pool = [g for g in active if (g["area"] == a["area"]) == local]
            made += self.link(a, rng.choice(pool), "partners_with")
        for skill in (a for a in self.assets if a["kind"] == "skill"):
            for _ in range(rng.choices([0, 1, 2], weights=[1, 14, 6])[0]):
                near = [g for g in active if g["category"] == skill["category"]] or active
                local = [g for g in near if g["area"] == skill["area"]]
                self.link(skill, rng.choice(local if local and rng.random() < .6 else near),
                          "shares_skills_with")
        advice = [g for g in active if g["category"] in ("advice_support", "health_wellbeing")]
        helpers = [g for g in active if g["category"] in ("food", "mutual_aid", "older_people")]
        made = 0
        while made < N_REFERRALS:
            made += self.link(rng.choice(advice), rng.choice(helpers), "refers_to")
        others = [a for a in self.assets if a["kind"] == "other"]
        for other in others:
            if other["name"] in FUNDERS:
                for g in rng.sample(active, 6):
                    self.link(other, g, "funds")
            elif rng.random() < 0.6:
                near = [g for g in active if g["category"] == other["category"]] or active
                self.link(other, rng.choice(near), "partners_with")
        for a in (g for g in active if g["category"] == "local_business"):
            if rng.random() < 0.5:
                self.link(a, rng.choice(active), "funds")
        self.end_some_links()

    def near(self, venue: dict, group: dict) -> Point:
        """A point a few metres from the venue where the group meets, inside the same area."""
        area = next(a for a in self.areas if a["id"] == group["area"])
        x, y = venue["xy"]
        for _ in range(50):
            pos = lonlat(x + self.rng.uniform(-25, 25), y + self.rng.uniform(-25, 25))
            if area["geom"].buffer(-0.0001).contains(Point(pos)):
                return Point(pos)
        return group["geom"]

    def end_some_links(self) -> None:
        """Close about one link in sixteen at a past date, so the network changes over time."""
        for link in self.rng.sample(self.links, len(self.links) // 16):
            start = date.fromisoformat(link["started"])
            room = (LAST_END - start).days - 120
            if room > 0:
                end = start + timedelta(120 + self.rng.randrange(room))
                link["ended"] = end.isoformat()


def check(b: Builder) -> None:
    """Refuse to write data that breaks the promises the README makes."""
    geoms = [a["geom"] for a in b.areas]
    if not all(g.is_valid and g.exterior.is_ccw for g in geoms):
        raise RuntimeError("an area is invalid or wound clockwise")
    if not shapely.coverage_is_valid(geoms):
        raise RuntimeError("areas overlap or their shared edges do not match")
    union = shapely.unary_union(geoms)
    if union.geom_type != "Polygon" or union.interiors:
        raise RuntimeError("areas leave a gap inside the town")
    for item in b.services + b.assets:
        area = next(a for a in b.areas if a["id"] == item["area"])
        if not (item["geom"].is_valid and area["geom"].contains(item["geom"])):
            raise RuntimeError(f"{item['id']} is not inside its area {area['id']}")
        if item["geom"].geom_type == "Polygon" and not item["geom"].exterior.is_ccw:
            raise RuntimeError(f"{item['id']} footprint is wound clockwise")
    ids = {a["id"] for a in b.assets}
    for link in b.links:
        if link["from_id"] not in ids or link["to_id"] not in ids:
            raise RuntimeError(f"{link['id']} refers to a missing asset")
    assert {a["category"] for a in b.assets} <= set(ASSET_CATEGORIES)
    assert {s["service_type"] for s in b.services} <= set(SERVICE_TYPES)
    assert len(b.pairs) == len(b.links)

# -- writing ------------------------------------------------------------------------------
AREA_KEYS = ("id", "name", "population", "need_index")
SERVICE_KEYS = ("id", "name", "service_type", "description", "website")
ASSET_KEYS = ("id", "kind", "category", "name", "description", "contact", "website",
              "opening_times", "accessibility", "visibility", "status")
LINK_COLUMNS = ("id", "from_id", "to_id", "type", "weight", "directed", "started", "ended",
                "evidence")
NOTE = ("Synthetic demo data: invented {what} placed around the real centre of Todmorden, "
        "West Yorkshire. Not real places, organisations or people. CC0 1.0.")


def feature_json(row: dict, keys: tuple[str, ...]) -> str:
    """One GeoJSON Feature as a single line with sorted keys."""
    geom = row["geom"]
    if geom.geom_type == "Point":
        shape = {"type": "Point", "coordinates": [geom.x, geom.y]}
    else:
        shape = {"type": "Polygon", "coordinates": [[list(c) for c in geom.exterior.coords]]}
    body = {"geometry": shape, "properties": {k: row[k] for k in keys}, "type": "Feature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def write_geojson(path: Path, name: str, what: str, rows: list, keys: tuple[str, ...]) -> None:
    """A FeatureCollection with sorted members and one feature per line, for readable diffs."""
    members = [f'"description": {json.dumps(NOTE.format(what=what))}',
               '"features": [\n' + ",\n".join(feature_json(r, keys) for r in rows) + "\n]",
               '"license": "CC0-1.0"', f'"name": {json.dumps(name)}',
               '"type": "FeatureCollection"']
    text = "{" + ",\n".join(members) + "}\n"
    json.loads(text)  # the hand-joined text must still be one JSON document
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_links(path: Path, links: list[dict]) -> None:
    """links.csv with a header row; booleans as true/false."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(LINK_COLUMNS)
        for link in links:
            out.writerow(["true" if link[c] is True else "false" if link[c] is False
                          else link[c] for c in LINK_COLUMNS])


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_all(out: Path, b: Builder) -> None:
    """Write the four data files and the README that describes them."""
    out.mkdir(parents=True, exist_ok=True)
    write_geojson(out / "areas.geojson", "areas", "neighbourhoods", b.areas, AREA_KEYS)
    write_geojson(out / "services.geojson", "services", "public services", b.services,
                  SERVICE_KEYS)
    assets = sorted(b.assets, key=lambda a: a["id"])
    write_geojson(out / "assets.geojson", "assets", "community assets", assets, ASSET_KEYS)
    write_links(out / "links.csv", b.links)
    with open(out / "README.md", "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(b))


def readme(b: Builder) -> str:
    """The data set's README, with every count taken from the data itself."""
    kinds = list(ASSET_KINDS)
    per_cat = Counter((a["category"], a["kind"]) for a in b.assets)
    cat_rows = [[f"`{c}`"] + [per_cat[(c, k)] for k in kinds]
                + [sum(per_cat[(c, k)] for k in kinds)] for c in ASSET_CATEGORIES]
    cat_rows.append(["**all**"] + [sum(1 for a in b.assets if a["kind"] == k) for k in kinds]
                    + [len(b.assets)])
    in_area = Counter(a["area"] for a in b.assets)
    svc_area = Counter(s["area"] for s in b.services)
    area_rows = [[a["id"], a["name"], a["population"], f"{a['need_index']:.3f}",
                  in_area[a["id"]], svc_area[a["id"]]] for a in b.areas]
    svc = Counter(s["service_type"] for s in b.services)
    link_rows = [[f"`{t}`", str(LINK_TYPES[t][1]).lower(),
                  sum(1 for x in b.links if x["type"] == t),
                  sum(1 for x in b.links if x["type"] == t and x["ended"])] for t in LINK_TYPES]
    linked = {x["from_id"] for x in b.links} | {x["to_id"] for x in b.links}
    lonely = sum(1 for a in b.assets if a["kind"] == "group" and a["id"] not in linked)
    status = Counter(a["status"] for a in b.assets)
    vis = Counter(a["visibility"] for a in b.assets)
    footprints = sum(1 for a in b.assets if a["geom"].geom_type == "Polygon")
    hubs = " and ".join(a["name"] for a in b.assets if a.get("hub"))
    thin = " and ".join(THIN_AREAS)
    return README.format(
        seed=SEED, lon=CENTRE[0], lat=CENTRE[1], n_areas=len(b.areas),
        n_services=len(b.services), n_assets=len(b.assets), n_links=len(b.links),
        population=sum(a["population"] for a in b.areas), footprints=footprints,
        areas=table(["id", "name", "population", "need_index", "assets", "services"],
                    area_rows),
        categories=table(["category"] + kinds + ["all"], cat_rows),
        services=table(["service_type", "count"], [[f"`{t}`", svc[t]] for t in SERVICE_TYPES]),
        links=table(["type", "directed", "links", "of which ended"], link_rows),
        pending=status["pending"], published=status["published"], public=vis["public"],
        members=vis["members"], private=vis["private"], lonely=lonely, hubs=hubs, thin=thin,
        ended=sum(1 for x in b.links if x["ended"]))


def main() -> None:
    """Build, check and write every file of the demo set."""
    b = Builder()
    b.make_areas()
    b.make_services()
    b.make_venues()
    b.make_groups()
    b.make_skills_and_other()
    b.make_links()
    check(b)
    write_all(OUT, b)
    print(f"wrote {OUT}: {len(b.areas)} areas, {len(b.services)} services, "
          f"{len(b.assets)} assets, {len(b.links)} links")



# -- word tables ----------------------------------------------------------------------------
# Everything below is invented. Names were made up to sound like a Pennine mill town; any
# likeness to a real place, organisation or person is coincidence.

N_VENUES, N_GROUPS, N_SKILLS, N_PENDING = 70, 170, 40, 15
N_PARTNERS, N_REFERRALS = 36, 14
HUB_AREAS = ("Millholme", "Stonecroft")
THIN_AREAS = ("Thornbank", "Netherbrook")  # high need, few assets: what gap analysis finds

# name, seed point (metres east and north of the centre), population, need index (0-1),
# asset density (relative), scatter (metres). The first area is the town centre.
AREAS = [
    ("Canalside", (0, 80), 1850, 0.482, 3.2, 170),
    ("Millholme", (-480, -420), 2900, 0.812, 1.7, 200),
    ("Weavers Fold", (520, -330), 1700, 0.571, 1.4, 200),
    ("Brookfield Rise", (420, 720), 1100, 0.243, 0.8, 180),
    ("Calderbank", (1350, 520), 1500, 0.437, 1.1, 220),
    ("Oakendale", (2350, 880), 900, 0.214, 0.8, 220),
    ("Stonecroft", (-880, 640), 1400, 0.526, 1.0, 200),
    ("Moorgate Edge", (-1650, 1040), 1000, 0.368, 0.7, 220),
    ("Thornbank", (-2300, 1380), 2200, 0.863, 0.22, 200),
    ("Netherbrook", (-330, -1300), 2400, 0.794, 0.25, 220),
    ("Highroyd", (-620, -2150), 1200, 0.331, 0.8, 220),
    ("Heatherlea", (320, 1450), 850, 0.297, 0.6, 160),
]

VENUE_MIX = {"community_space": 5, "faith": 10, "sport_leisure": 9, "arts_culture": 6,
             "local_business": 7, "food": 5, "children_youth": 4, "learning": 4,
             "health_wellbeing": 3, "older_people": 2, "environment": 2, "mutual_aid": 2}
GROUP_MIX = {"community_space": 14, "faith": 12, "sport_leisure": 18, "arts_culture": 16,
             "children_youth": 14, "older_people": 12, "health_wellbeing": 13, "food": 11,
             "learning": 11, "environment": 10, "advice_support": 9, "mutual_aid": 12,
             "local_business": 6}

# category -> (name, description, opening hours, may be drawn as a building footprint)
VENUES = {
    "community_space": [
        ("{a} Community Centre", "Community centre with a main hall, meeting rooms and a "
         "kitchen for hire.", "Mo-Fr 09:00-21:00; Sa 09:00-17:00", True),
        ("{a} Village Hall", "Stone-built hall used for classes, parties and meetings.",
         "Mo-Su 09:00-22:00", True),
        ("{a} Scout Hut", "Timber hut used by uniformed groups and let to others by day.",
         "Mo-Fr 17:30-21:00", False),
        ("{a} Institute", "Former mechanics' institute, now rooms run by a volunteer trust.",
         "Mo-Sa 10:00-21:00", True),
        ("{a} Co-operative Hall", "Upstairs hall above the old co-operative store.",
         "Tu-Sa 10:00-22:00", True),
        ("{a} Community Room", "Ground-floor room in a housing block, booked through the "
         "tenants' group.", "Mo-Fr 10:00-16:00", False)],
    "faith": [
        ("{a} Methodist Chapel", "Chapel with a schoolroom at the back used by community "
         "groups.", "Su 10:00-12:30; We 10:00-14:00", True),
        ("{a} Parish Church", "Parish church and church hall.", "Su 09:00-12:00; "
         "Th 10:00-12:00", True),
        ("{a} Mosque", "Mosque with a community room and a Saturday school.",
         "Mo-Su 05:00-22:00", True),
        ("{a} Friends Meeting House", "Quaker meeting house with rooms let for community "
         "use.", "Su 10:30-12:00; Tu 10:00-16:00", False),
        ("{a} Baptist Church", "Baptist church with a café space on weekdays.",
         "Su 10:30-12:00; Mo-Fr 10:00-14:00", True)],
    "sport_leisure": [
        ("{a} Cricket Ground", "Club ground with a pavilion and nets.",
         "Apr-Sep Sa,Su 11:00-19:00", False),
        ("{a} Bowling Green", "Crown green with a small clubhouse.",
         "Apr-Sep Mo-Su 10:00-20:00", False),
        ("{a} Sports Hall", "Four-court sports hall with changing rooms.",
         "Mo-Fr 07:00-22:00; Sa,Su 08:00-18:00", True),
        ("{a} Playing Fields", "Open playing fields with two football pitches.", "24/7",
         False),
        ("{a} Leisure Centre", "Pool, gym and studio run by a community trust.",
         "Mo-Fr 06:30-21:30; Sa,Su 08:00-17:00", True)],
    "arts_culture": [
        ("{a} Mill Studios", "Artists' studios in part of an old cotton mill, with a gallery "
         "room.", "Th-Su 11:00-17:00", True),
        ("{a} Band Room", "Rehearsal room of the brass band, let for music and drama.",
         "Mo-Th 18:30-22:00", False),
        ("{a} Arts Space", "Small arts venue above a shop for exhibitions and workshops.",
         "We-Sa 10:00-16:00", False)],
    "children_youth": [
        ("{a} Youth Hut", "Youth club building with a games room and kitchen.",
         "Mo-Fr 15:30-21:00", False),
        ("{a} Family Centre", "Family centre with a play room and garden.",
         "Mo-Fr 09:00-16:00", True)],
    "older_people": [
        ("{a} Day Centre", "Day centre with lunches, activities and a minibus.",
         "Mo-Fr 09:30-15:30", True),
        ("{a} Sheltered Housing Lounge", "Residents' lounge open to visitors for activities.",
         "Mo-Fr 10:00-16:00", False)],
    "health_wellbeing": [
        ("{a} Wellbeing Hub", "Rooms for peer support, talking groups and gentle exercise.",
         "Mo-Fr 10:00-16:00", False),
        ("{a} Sensory Garden", "Walled garden with raised beds and quiet seating.",
         "Mo-Su 08:00-20:00", False)],
    "food": [
        ("{a} Community Café", "Pay-as-you-feel café run by volunteers.",
         "Tu-Sa 09:00-15:00", False),
        ("{a} Pantry Shop", "Membership food pantry in a former shop.",
         "We,Fr 10:00-14:00", False)],
    "learning": [
        ("{a} Learning Centre", "Classrooms and a computer suite for adult learning.",
         "Mo-Th 09:00-20:00; Fr 09:00-16:00", True),
        ("{a} Reading Room", "Old reading room with books, newspapers and wifi.",
         "Mo-Sa 10:00-16:00", False)],
    "environment": [
        ("{a} Community Garden", "Shared growing space with a shed and a polytunnel.",
         "Mo-Su 08:00-19:00", False),
        ("{a} Woodland Base", "Shelter and tool store at the edge of the wood.",
         "Sa,Su 10:00-16:00", False)],
    "mutual_aid": [
        ("{a} Volunteer Centre", "Shopfront where volunteers are matched with groups.",
         "Mo-Fr 10:00-15:00", False),
        ("{a} Tool Shed", "Lending store of tools and kit for neighbours.",
         "Sa 10:00-13:00", False)],
    "local_business": [
        ("The {a} Arms", "Pub with a function room used by clubs and societies.",
         "Mo-Su 12:00-23:00", True),
        ("{a} Working Men's Club", "Members' club with a concert room.",
         "Mo-Su 17:00-23:00", True),
        ("{a} Market Hall", "Covered market with a small events space.",
         "Tu,Fr,Sa 09:00-17:00", True),
        ("{a} Bakery Café", "Independent bakery with a back room for meetings.",
         "Mo-Sa 08:00-16:00", False)],
}

# category -> "name|description|opening hours" for ordinary groups
_GROUP_LINES = {
    "community_space": """
{a} Residents' Association|Residents looking after the estate together.|Mo[1] 19:00-20:30
Friends of {a} Community Centre|Volunteers who run the centre and book its rooms.|Th 18:30-20:00
{a} Neighbourhood Forum|Open meeting where neighbours agree what to do next.|We[2] 19:00-21:00
{a} Tenants' Group|Tenants meeting about repairs and shared spaces.|Tu[1] 18:00-19:30
{a} Gala Committee|Organises the summer gala and the winter lights switch-on.|Tu 19:30-21:00
{a} Community Newsletter|Volunteers who write and deliver the newsletter.|Mo[3] 19:00-20:30
{a} Bonfire Society|Runs the November bonfire for local causes.|Sep-Nov Th 19:00-21:00""",
    "faith": """
{a} Methodist Fellowship|Midweek fellowship with tea, talks and hymn singing.|We 14:00-15:30
{a} Churches Together|Local churches working together on outreach.|Mo[2] 19:30-21:00
{a} Muslim Community Association|Saturday school, Eid events and a welfare fund.|Sa 10:00-13:00
{a} Quaker Meeting|Weekly meeting for worship; all welcome.|Su 10:30-11:30
{a} Mothers' Union|Supports families through practical help and prayer.|Th[1] 14:00-15:30
{a} Interfaith Walk|Monthly walk visiting a different place of worship each time.|Su[-1] 14:00-16:00
{a} Gospel Choir|Church choir open to singers of any faith or none.|Fr 19:00-21:00""",
    "sport_leisure": """
{a} Walking Football|Slower football for older players and returners.|Tu 10:00-11:30
{a} Junior Football Club|Teams from under-7s to under-16s.|We 18:00-19:30; Sa 09:00-12:00
{a} Cricket Club|Senior and junior cricket in the valley league.|Apr-Sep Sa 13:00-19:00
{a} Running Club|Friendly club running on the towpath and the hill routes.|Tu,Th 18:30-20:00
{a} Bowls Club|Crown green bowls with coaching for beginners.|Apr-Sep Mo,We,Fr 13:30-17:00
{a} Badminton Club|Social badminton for adults of every standard.|Mo 19:00-21:00
{a} Cycling Club|Road and off-road rides from easy to hard.|Su 09:00-13:00
{a} Fell Runners|Runs over the moor tops for confident runners.|We 18:00-20:00""",
    "arts_culture": """
{a} Community Choir|No-audition choir singing folk, pop and gospel.|Mo 19:00-21:00
{a} Brass Band|Brass band with a learners' group for all ages.|Tu,Th 19:30-21:30
{a} Amateur Dramatics|Two productions a year and a summer play in the park.|We 19:00-21:30
{a} Writers' Circle|Writers sharing work in progress and running open-mic nights.|Th[2] 19:00-21:00
{a} Camera Club|Photography talks, outings and an annual exhibition.|Mo[1,3] 19:30-21:30
{a} Ukulele Group|Strum-along sessions for beginners and improvers.|Fr 14:00-16:00
{a} Local History Society|Talks, walks and an archive of old photographs.|Tu[3] 19:00-21:00
{a} Quilters|Quilting and sewing circle that makes quilts for the hospice.|Th 13:30-16:00""",
    "children_youth": """
{a} Youth Club|Open-access youth club for 11 to 18 year olds.|Tu,Th 18:00-21:00
{a} Scouts|Beavers, Cubs and Scouts, with camps in the summer.|We 18:00-20:00
{a} Guides|Rainbows, Brownies and Guides.|Mo 18:00-19:30
{a} Stay and Play|Drop-in play session for under-fives and their carers.|Fr 09:30-11:30
{a} Homework Club|A quiet room and volunteer help with homework after school.|Mo-Th 15:30-17:00
{a} Toddler Group|Songs, toys and tea for parents and toddlers.|Tu 10:00-11:30
{a} Holiday Activities|Free meals and activities in the summer holidays.|Jul,Aug Mo-Fr 10:00-14:00
{a} Young Carers|Support and trips for children who care for family.|Th[2,4] 17:00-19:00""",
    "older_people": """
{a} Over-60s Club|Tea, bingo, talks and trips for older residents.|We 13:30-16:00
{a} Memory Café|Relaxed afternoon for people with dementia and carers.|Th[1] 14:00-16:00
{a} Tea Dance|Monthly tea dance with a live pianist.|Su[2] 14:00-16:30
{a} Chair Exercise|Gentle seated exercise with a qualified instructor.|Mo 11:00-12:00
{a} Befriending Scheme|Volunteers who visit or phone people living alone.|Mo-Fr 10:00-15:00
{a} Lunch Club|Two-course lunch and company for older people.|Tu,Fr 12:00-14:00
{a} Digital Buddies|Patient help with phones and tablets for older people.|We 10:00-12:00""",
    "health_wellbeing": """
{a} Walking for Health|Short led walks at an easy pace, ending with a cuppa.|Th 10:00-11:30
{a} Mental Health Peer Support|Peer-led support group; no referral needed.|Mo 18:30-20:00
{a} Carers' Group|Support and breaks for unpaid carers.|Tu[1,3] 13:00-15:00
{a} Parkinson's Support|Exercise and social group for people and families.|Fr[2] 14:00-16:00
{a} Feeding Support|Peer support for breastfeeding and bottle-feeding parents.|We 10:00-12:00
{a} Men's Talking Group|Men meeting to talk things through over a brew.|Th 19:00-20:30
{a} Wild Swimmers|Cold-water swimming group with a safety briefing each time.|Sa,Su 08:00-09:30""",
    "food": """
{a} Food Bank|Emergency food parcels by referral or drop-in.|Mo,Th 11:00-14:00
{a} Community Pantry|Low-cost membership pantry with fresh fruit and vegetables.|We,Sa 10:00-13:00
{a} Community Kitchen|Cook-and-eat sessions using surplus food.|Tu 17:00-19:30
{a} Growers|Neighbours growing vegetables in planters along the streets.|Sa 10:00-12:00
{a} Breakfast Club|Free breakfast for children before school.|Mo-Fr 07:45-08:45
{a} Soup Night|Monthly soup supper raising money for local causes.|Fr[1] 18:00-20:00
{a} Cookery School|Family cookery classes on a budget.|Sa 10:00-12:30""",
    "learning": """
{a} Digital Drop-in|Help with computers, online forms and getting online.|Tu 10:00-12:00
{a} English Conversation Club|Practise spoken English with volunteers over tea.|We 13:00-14:30
{a} Book Club|Monthly book group; books borrowed from the library.|Mo[-1] 19:00-20:30
{a} Adult Maths Class|Free numeracy classes for adults, no exams.|Th 09:30-11:30
{a} Family Learning|Learning activities for parents and children together.|Sa 10:00-12:00
{a} Language Café|Conversation swaps in French, Spanish, Polish and Urdu.|Fr 18:00-19:30
{a} Talks Society|Evening talks on science, history and travel.|Mo[2] 19:30-21:00""",
    "environment": """
Friends of {a} Park|Volunteers looking after the park's paths, beds and play area.|Sa[1] 10:00-12:30
{a} in Bloom|Planting and caring for flower beds and planters.|Su 10:00-12:00
{a} Litter Pickers|Monthly litter pick; kit provided.|Sa[-1] 10:00-12:00
{a} Canal Volunteers|Towpath and lock-side clearance work days.|Th 09:30-13:00
{a} Tree Wardens|Planting and caring for street and woodland trees.|Sa[2] 10:00-13:00
{a} Wildlife Group|Surveys, bird boxes and walks along the river.|Su[3] 09:00-12:00
{a} Flood Action Group|Sandbags, alerts and a street flood plan.|Mo[1] 19:00-20:30""",
    "advice_support": """
{a} Advice Surgery|Free advice on benefits, debt and housing from trained volunteers.|Tu 10:00-13:00
{a} Debt Advice Drop-in|Confidential debt advice; no appointment needed.|Th 13:00-16:00
{a} Welfare Rights Clinic|Help with benefit claims, appeals and forms.|We 09:30-12:30
{a} Refugee Welcome|Welcome and friendship for refugees and asylum seekers.|Sa 11:00-14:00
{a} Housing Advice|Advice for renters facing eviction or disrepair.|Mo 14:00-17:00
{a} Energy Advice|Help to cut fuel bills and claim grants for insulation.|Fr 10:00-12:00
{a} Family Support Drop-in|Confidential support for families under pressure.|Mo,We 09:30-12:00""",
    "mutual_aid": """
{a} Mutual Aid|Neighbours helping with shopping, lifts and prescriptions.|Mo-Su 09:00-20:00
{a} Good Neighbours|Small jobs and friendly visits for anyone who needs a hand.|Mo-Fr 09:00-17:00
{a} Repair Café|Volunteers fix clothes, bikes, toys and small electricals.|Sa[2] 10:00-13:00
{a} Volunteer Drivers|Lifts to hospital and GP appointments.|Mo-Fr 08:00-18:00
{a} Snow Wardens|Gritting and clearing the steep streets in winter.|Dec-Mar Mo-Su 07:00-10:00
{a} Men's Shed|Workshop where people make, mend and chat.|Tu,Th 10:00-15:00
{a} Street Champions|Residents who look out for their street.|We[1] 18:30-19:30""",
    "local_business": """
{a} Traders' Association|Shops and businesses working on events together.|Mo[1] 08:00-09:00
{a} Makers' Market|Monthly market for local makers and growers.|Su[1] 10:00-15:00
{a} Business Network|Breakfast meeting of small businesses and sole traders.|Fr[2] 07:30-09:00
{a} Community Energy Co-op|Community-owned solar panels on public roofs.|Th[3] 19:00-20:30
{a} Community Shop|A shop owned and run by the community.|Mo-Sa 08:00-18:00
{a} Credit Union Point|Credit union savings and fair loans.|Fr 10:00-12:00""",
}
GROUPS = {cat: [tuple(line.split("|")) for line in text.strip().splitlines()]
          for cat, text in _GROUP_LINES.items()}

# name, category, description, opening hours, categories of its members
UMBRELLAS = [
    ("Valley Arts Network", "arts_culture", "Network of the valley's arts groups: shared "
     "listings, funding bids and a festival.", "Mo[1] 18:00-19:30", ("arts_culture",)),
    ("Valley Food Network", "food", "Food banks, pantries and growers sharing surplus, "
     "volunteers and referrals.", "We[2] 14:00-15:30", ("food",)),
    ("Valley Faith Forum", "faith", "Faith communities working together on social action.",
     "Tu[3] 19:00-20:30", ("faith",)),
    ("Valley Sports Partnership", "sport_leisure", "Clubs sharing coaches, pitches and "
     "safeguarding training.", "Th[1] 19:00-20:30", ("sport_leisure",)),
    ("Older People's Forum", "older_people", "Older residents' voice to the council and "
     "health services.", "Fr[1] 10:30-12:00", ("older_people", "health_wellbeing")),
    ("Youth Work Partnership", "children_youth", "Youth groups and schools planning "
     "activities together.", "Mo[2] 16:00-17:30", ("children_youth", "learning")),
    ("Voluntary Action Valley", "mutual_aid", "Umbrella body for volunteering, mutual aid "
     "and advice groups.", "Mo-Fr 09:30-16:30",
     ("mutual_aid", "advice_support", "community_space")),
    ("Green Valley Partnership", "environment", "Environment groups coordinating work days "
     "and flood resilience.", "Sa[1] 09:30-11:00", ("environment",)),
]

# skill, category, description (a resident offering it; shown to workers only)
SKILLS = [
    ("Bike repair", "mutual_aid", "Fixes punctures, brakes and gears, and teaches others."),
    ("Bookkeeping", "local_business", "Keeps accounts and prepares year-end figures."),
    ("Grant writing", "mutual_aid", "Has written successful funding bids; helps draft them."),
    ("First aid training", "health_wellbeing", "Qualified first aid trainer."),
    ("Sewing and alterations", "arts_culture", "Dressmaking and mending; can run a class."),
    ("Dry stone walling", "environment", "Repairs walls and can lead a training day."),
    ("Vegetable growing", "food", "Years of allotment growing; advises new growers."),
    ("Bread baking", "food", "Bakes bread and can teach in a community kitchen."),
    ("Guitar lessons", "arts_culture", "Teaches beginners' guitar."),
    ("Tai chi", "health_wellbeing", "Qualified tai chi instructor."),
    ("Joinery", "mutual_aid", "Makes and mends furniture and fittings."),
    ("Urdu interpreting", "advice_support", "Interprets at appointments; translates leaflets."),
    ("Polish interpreting", "advice_support", "Interprets at appointments; translates leaflets."),
    ("Photography", "arts_culture", "Photographs events and teaches camera basics."),
    ("IT help", "learning", "Patient help with computers, phones and getting online."),
    ("Counselling", "health_wellbeing", "Qualified counsellor giving a few hours a month."),
    ("Basic plumbing", "mutual_aid", "Fixes dripping taps and shows others how."),
    ("Website building", "local_business", "Sets up a simple website for a group."),
    ("Football coaching", "sport_leisure", "Qualified coach for junior football."),
    ("Youth work", "children_youth", "Qualified youth worker with safeguarding training."),
    ("Cooking on a budget", "food", "Runs cookery sessions for families."),
    ("Tree care", "environment", "Qualified arborist."),
    ("Benefits advice", "advice_support", "Former welfare rights adviser."),
    ("Choir leading", "arts_culture", "Leads singing sessions for any group."),
    ("Maths tutoring", "learning", "Retired maths teacher; tutors children and adults."),
]

# name, category, description, opening hours, area
OTHER = [
    ("Valley Community Fund", "mutual_aid", "Local trust giving small grants to community "
     "groups.", "Mo-Fr 10:00-16:00", "Canalside"),
    ("{a} Neighbourhood Fund", "local_business", "Small grants from a local employer for "
     "projects in the valley.", "", "Oakendale"),
    ("{a} Allotments", "environment", "Allotment site with a waiting list.",
     "Mo-Su 07:00-21:00", "Millholme"),
    ("{a} Allotments", "environment", "Allotment site with a waiting list.",
     "Mo-Su 07:00-21:00", "Highroyd"),
    ("{a} Allotments", "environment", "Allotment site with a waiting list.",
     "Mo-Su 07:00-21:00", "Calderbank"),
    ("{a} Community Orchard", "environment", "Heritage apple and pear trees on old mill land; "
     "free fruit in autumn.", "24/7", "Weavers Fold"),
    ("{a} Little Free Library", "learning", "Book-swap box on a wall: take a book, leave a "
     "book.", "24/7", "Canalside"),
    ("{a} Little Free Library", "learning", "Book-swap box on a wall: take a book, leave a "
     "book.", "24/7", "Brookfield Rise"),
    ("{a} Little Free Library", "learning", "Book-swap box on a wall: take a book, leave a "
     "book.", "24/7", "Thornbank"),
    ("{a} Community Fridge", "food", "Shared fridge for surplus food from shops and gardens.",
     "Mo-Su 08:00-20:00", "Millholme"),
    ("{a} Public Defibrillator", "health_wellbeing", "Public-access defibrillator in a heated "
     "cabinet.", "24/7", "Canalside"),
    ("{a} Public Defibrillator", "health_wellbeing", "Public-access defibrillator in a heated "
     "cabinet.", "24/7", "Stonecroft"),
    ("{a} Public Defibrillator", "health_wellbeing", "Public-access defibrillator in a heated "
     "cabinet.", "24/7", "Highroyd"),
    ("{a} Notice Board", "community_space", "Community notice board for posters and events.",
     "24/7", "Netherbrook"),
    ("{a} Notice Board", "community_space", "Community notice board for posters and events.",
     "24/7", "Moorgate Edge"),
    ("{a} Library of Things", "mutual_aid", "Borrow drills, ladders, gazebos and sewing "
     "machines.", "Sa 10:00-13:00", "Canalside"),
    ("{a} Playground", "children_youth", "Fenced play area with equipment for under-12s.",
     "Mo-Su 08:00-20:00", "Heatherlea"),
    ("{a} Playground", "children_youth", "Fenced play area with equipment for under-12s.",
     "Mo-Su 08:00-20:00", "Netherbrook"),
    ("{a} Memorial Garden", "environment", "Quiet garden with benches and the war memorial.",
     "24/7", "Canalside"),
    ("{a} Outdoor Gym", "sport_leisure", "Free outdoor exercise equipment.", "24/7",
     "Stonecroft"),
]
FUNDERS = ("Valley Community Fund", "Oakendale Neighbourhood Fund")

# name, service type, area, description
SERVICES = [
    ("Canalside Medical Practice", "health", "Canalside", "GP practice with a nurse clinic."),
    ("Millholme Health Centre", "health", "Millholme", "GP practice, health visitors and "
     "district nurses."),
    ("Netherbrook Surgery", "health", "Netherbrook", "Small GP surgery."),
    ("Calderbank Surgery", "health", "Calderbank", "GP surgery."),
    ("Canalside Pharmacy", "health", "Canalside", "Community pharmacy."),
    ("Millholme Pharmacy", "health", "Millholme", "Community pharmacy."),
    ("Stonecroft Pharmacy", "health", "Stonecroft", "Community pharmacy."),
    ("Weavers Fold Dental Practice", "health", "Weavers Fold", "NHS dental practice."),
    ("Valley Community Health Clinic", "health", "Canalside", "Outpatient and therapy "
     "clinics."),
    ("Canalside Primary School", "education", "Canalside", "Primary school, ages 4-11."),
    ("Millholme Primary School", "education", "Millholme", "Primary school, ages 4-11."),
    ("Thornbank Primary School", "education", "Thornbank", "Primary school, ages 4-11."),
    ("Netherbrook Junior and Infant School", "education", "Netherbrook", "Primary school, "
     "ages 4-11."),
    ("Highroyd Primary School", "education", "Highroyd", "Primary school, ages 4-11."),
    ("Calderbank Primary School", "education", "Calderbank", "Primary school, ages 4-11."),
    ("Stonecroft Church of England Primary School", "education", "Stonecroft", "Primary "
     "school, ages 4-11."),
    ("Oakendale Nursery School", "education", "Oakendale", "Nursery school, ages 2-4."),
    ("Valley High School", "education", "Weavers Fold", "Secondary school, ages 11-16."),
    ("Valley Sixth Form College", "education", "Brookfield Rise", "Sixth form college, ages "
     "16-19."),
    ("Central Library", "library", "Canalside", "Lending library, computers and study space."),
    ("Highroyd Branch Library", "library", "Highroyd", "Small branch library, three days a "
     "week."),
    ("Jobcentre", "employment", "Canalside", "Jobcentre for job search and benefits."),
    ("Millholme Employment and Skills Hub", "employment", "Millholme", "Help with CVs, "
     "training and job applications."),
    ("Adult Social Care Locality Team", "social_care", "Canalside", "Social workers for "
     "adults in the valley."),
    ("Heatherlea Residential Care Home", "social_care", "Heatherlea", "Residential care home "
     "for older people."),
    ("Moorgate Edge Extra Care Scheme", "social_care", "Moorgate Edge", "Flats with care on "
     "site."),
    ("Netherbrook Family Hub", "social_care", "Netherbrook", "Early help and family support."),
    ("Housing Options Office", "housing", "Canalside", "Homelessness and housing advice."),
    ("Thornbank Estate Housing Office", "housing", "Thornbank", "Estate office of the "
     "housing association."),
    ("Millholme Tenancy Support Office", "housing", "Millholme", "Tenancy support for "
     "social housing tenants."),
    ("Valley Police Station", "community_safety", "Weavers Fold", "Police station with a "
     "front counter."),
    ("Valley Fire Station", "community_safety", "Calderbank", "Fire station."),
    ("Thornbank Neighbourhood Policing Base", "community_safety", "Thornbank", "Base for the "
     "neighbourhood policing team."),
    ("Town Hall Customer Service Centre", "council", "Canalside", "Council services, "
     "payments and advice."),
    ("Stonecroft Council Hub", "council", "Stonecroft", "Council drop-in two days a week."),
]

ACCESS = [
    "Step-free entrance, accessible toilet, hearing loop",
    "Step-free entrance and accessible toilet",
    "Two steps at the entrance; portable ramp on request",
    "Ground floor step-free; upstairs rooms have no lift",
    "Lift to all floors, accessible toilet, quiet room",
    "Level access from the car park; no accessible toilet",
    "Steep approach from the road; handrails on the steps",
    "Wheelchair accessible; Changing Places toilet",
]
OUTDOOR_ACCESS = ["Level paved path from the road", "Uneven grass paths; not suitable for "
                  "wheelchairs", "Reached by a steep lane", "Step-free from the pavement"]

EVIDENCE = {
    "meets_at": ["Listed in the venue's booking diary", "The group's flyer names the venue",
                 "Confirmed by the venue manager", "Mapped at a community event"],
    "member_of": ["Listed on the network's members page", "Pays the network's subscription",
                  "Confirmed at the network's AGM"],
    "partners_with": ["Ran a joint event", "Share volunteers", "Joint funding bid",
                      "Named as partners in an annual report", "Mapped at a community event"],
    "shares_skills_with": ["Volunteers regularly with the group", "Ran a session for the group",
                           "Offered through the skills page"],
    "refers_to": ["Referral form in use", "Signposts people every week",
                  "Referral figures in the annual report"],
    "funds": ["Grant award letter", "Sponsorship agreement", "Named as funder in the accounts"],
}

README = """# Demo data: a synthetic valley town

A **synthetic** data set for trying assetmap: {n_areas} neighbourhoods, {n_services}
public services, {n_assets} community assets and {n_links} links between them. It is placed
around the real centre of Todmorden, West Yorkshire ({lat:.4f}, {lon:.4f}); that point is
the only real thing in it. The town outline, the neighbourhood names and boundaries,
populations, need scores, services, groups, venues, skills, contacts and links are all
invented, and any likeness to a real place, organisation or person is coincidence. Do not
use it to make decisions about the real town.

## Licence

CC0 1.0 Universal (public domain dedication). The data is generated and uses no third-party
data. No package on PyPI or Debian ships a small extract of community assets or OpenStreetMap
data for a UK town (packaged OSM samples cover places such as Helsinki and São Paulo), and
OpenStreetMap extracts are under the ODbL, which asks for attribution and share-alike; so
this set is generated instead.

## How it was made

From the repository root, in the project's Python environment (shapely, pyproj):

    python scripts/make_demo_data.py

The generator uses one seeded random generator (seed {seed}), writes sorted JSON keys and
rounds coordinates to 6 decimals, so each run rewrites these files byte for byte (for the
same shapely/GEOS and pyproj/PROJ versions). It checks its output before writing: valid
geometries, neighbourhoods that tile the town with no gap or overlap, every point inside its
neighbourhood, links that refer to existing assets.

- Town outline: three valley arms (north-west, east, south) and a hillside lobe around the
  centre, with roughened edges; about {population:,} residents.
- Neighbourhoods: Voronoi cells of 12 hand-placed seed points clipped to the outline.
- Assets: scattered around each neighbourhood's seed point, densest in the centre and
  deliberately sparse in two high-need neighbourhoods, so gap analysis has something to
  find: {thin}. Groups mostly sit a few metres from the venue they meet at.
- Links: groups meet at venues (mostly in their own neighbourhood), belong to umbrella
  networks, partner within and across neighbourhoods; skills are shared with groups; advice
  groups refer to food, mutual-aid and older people's groups; two funds and some businesses
  fund groups. Two venues each host groups that have no other tie, so they are articulation
  points (close one and its groups drop out of the network): {hubs}.
- {lonely} groups have no links at all, and {ended} links have an `ended` date, so the
  network changes over time.

## Files

| file | contents |
|---|---|
| `areas.geojson` | {n_areas} neighbourhood polygons that tile the town |
| `services.geojson` | {n_services} public services (points) |
| `assets.geojson` | {n_assets} assets: points, and {footprints} venues as building footprints |
| `links.csv` | {n_links} links between assets |

All GeoJSON follows RFC 7946: longitude/latitude on WGS 84, no `crs` member, exterior rings
counter-clockwise, coordinates to 6 decimals (about 0.1 m). Skills are rounded to 3 decimals
(about 100 m), because where a person offers a skill is personal data. Each file's
`description` member says that it is synthetic.

### Neighbourhoods

{areas}

### Assets by category and kind

{categories}

- Status: {published} published, {pending} pending moderation.
- Visibility: {public} public, {members} members only, {private} private (every skill).

### Services by type

{services}

### Links by type

{links}

## Properties

`areas.geojson`

- `id`: `A01`, `A02`, ...
- `name`: neighbourhood name (invented)
- `population`: residents (integer, invented)
- `need_index`: 0 to 1, higher means more need (an invented stand-in for a deprivation index)

`services.geojson`

- `id`: `S001`, ...
- `name`, `description`
- `service_type`: a slug of `SERVICE_TYPES` in `assetmap/taxonomy.py`
- `website`: an example.org address, or empty

`assets.geojson`

- `id`: `G001`... groups, `V001`... venues, `K001`... skills, `O001`... other
- `kind`: `group`, `venue`, `skill` or `other` (`ASSET_KINDS`)
- `category`: a slug of `ASSET_CATEGORIES`
- `name`, `description`
- `contact`: an example.org address (reserved for examples by RFC 2606), a number in
  01632 960000-960999 (Ofcom's range for drama), or empty
- `website`: an example.org address, or empty
- `opening_times`: OpenStreetMap `opening_hours` syntax, e.g. `Mo[1] 19:00-20:30` (first
  Monday of the month); empty for skills
- `accessibility`: free text about access; for a group, that of the venue it meets at
- `visibility`: `public`, `members` or `private`
- `status`: `published` or `pending`

`links.csv`

- `id`: `L001`, ...
- `from_id`, `to_id`: asset ids; never the same, and no pair of assets is linked twice
- `type`: a slug of `LINK_TYPES`; `directed` is that type's default (`true`/`false`)
- `weight`: strength of the tie, 1 (weak) to 5 (strong)
- `started`: ISO date, 2019 to 2026; `ended`: ISO date or empty (still going)
- `evidence`: how the link is known
"""


if __name__ == "__main__":
    main()
