"""Load-test the map's viewport API over 200,000 stored assets, beside a bare Flask endpoint.

    .venv/bin/python bench/viewport_bench.py [--assets 200000] [--seconds 15]
        [--connections 50] [--rounds 3]

Three servers run under gunicorn with the same number of workers on 127.0.0.1, taking turns,
driven by the same wrk command (random ~1 km viewports, up to 200 assets each): the bare
endpoint (bare_app.py), a bare Flask view running assetmap's query (bare_query_app.py) and
assetmap itself. The assets
are generated in random order, then `assetmap db optimise` clusters them as an operator
would after an import. Needs wrk (`apt-get install wrk`). Writes bench/results_viewport.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
import urllib.request

from common import (
    ROOT,
    free_port,
    fresh_database,
    generate_assets,
    start,
    stop,
    wait_for,
    wrk,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    url = fresh_database("assetmap_bench_viewport")
    started = time.time()
    generate_assets(url, args.assets)
    print(f"generated {args.assets} assets in {time.time() - started:.1f} s", flush=True)
    venv = ROOT / ".venv" / "bin"
    subprocess.run([str(venv / "assetmap"), "db", "optimise"], env={**os.environ,
                   "DATABASE_URL": url}, check=True)
    servers = {
        "bare": ([str(venv / "gunicorn"), "-w", str(args.workers), "-b", "127.0.0.1:{port}",
                  "--chdir", str(ROOT / "bench"), "bare_app:app"], {}),
        "bare + query": ([str(venv / "gunicorn"), "-w", str(args.workers), "-b",
                          "127.0.0.1:{port}", "--chdir", str(ROOT / "bench"),
                          "bare_query_app:app"], {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}),
        "assetmap": ([str(venv / "assetmap"), "serve", "--port", "{port}", "--workers",
                      str(args.workers)], {"DATABASE_URL": url}),
    }
    rounds = []
    for _ in range(args.rounds):
        # Alternating the two servers round by round spreads any drift in the machine's
        # speed over both, and the median ratio is quoted.
        rounds.append({name: serve_and_load(argv, env, args)
                       for name, (argv, env) in servers.items()})
    ratios = sorted(r["assetmap"]["rps"] / r["bare"]["rps"] for r in rounds)
    median = ratios[len(ratios) // 2]
    query_ratios = sorted(r["bare + query"]["rps"] / r["bare"]["rps"] for r in rounds)
    lines = [
        "## Viewport API under load (issue: resident web map)",
        "",
        f"Command: `.venv/bin/python bench/viewport_bench.py --assets {args.assets} "
        f"--seconds {args.seconds} --connections {args.connections} --rounds {args.rounds}`",
        "",
        f"{args.assets:,} assets stored (clustered on the spatial index, as "
        f"`assetmap db optimise` leaves them); wrk, 2 threads, {args.connections} connections, "
        f"{args.seconds} s per run, random ~1 km viewports (`limit=200`); gunicorn with "
        f"{args.workers} sync workers for every server, access log on for assetmap as "
        f"`assetmap serve` runs it; one sample viewport returned "
        f"{rounds[0]['assetmap']['sample_features']} features. The servers take turns, "
        f"{args.rounds} rounds.",
        "",
        "| round | server | requests/s | p50 ms | p90 ms | p99 ms | errors | non-2xx |",
        "|---:|---|---:|---:|---:|---:|---|---:|",
    ]
    for number, results in enumerate(rounds, 1):
        for name, r in results.items():
            lines.append(f"| {number} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | "
                         f"{r['p90']:.1f} | {r['p99']:.1f} | {r['errors']} | "
                         f"{r['non_2xx']} |")
    lines += ["", "assetmap serves **{:.1%}** of the bare endpoint's requests per second "
              "(median of the rounds: {}; target: at least 30 %).".format(
                  median, ", ".join(f"{r:.1%}" for r in ratios)),
              "",
              "For scale: a bare Flask view running the same query and nothing else serves "
              f"{query_ratios[len(query_ratios) // 2]:.1%} of the bare endpoint (median); the "
              "gap from it to assetmap is what sign-in, CSRF, rate limits, security headers "
              "and the access log cost.", ""]
    (ROOT / "bench" / "results_viewport.md").write_text("\n".join(lines))
    print("\n".join(lines))


SAMPLE_URL = "http://127.0.0.1:{port}/api/v1/assets?limit=200&bbox=-2.2,53.5,-2.185,53.509"


def serve_and_load(argv: list[str], env: dict, args) -> dict:
    """Start one server, load it with wrk, stop it: wrk's figures, and how many features
    one sample viewport returned."""
    port = free_port()
    server = start([part.format(port=port) for part in argv], env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        with urllib.request.urlopen(SAMPLE_URL.format(port=port)) as response:
            sample = json.load(response)
        result = wrk(f"http://127.0.0.1:{port}", seconds=args.seconds,
                     connections=args.connections, script=ROOT / "bench/viewport.lua")
        return {**result, "sample_features": len(sample["features"])}
    finally:
        stop(server)


if __name__ == "__main__":
    main()
