"""How fast are `dossier top10 --compare` and `dossier abc` on a large database?

Builds (seeded, reproducible) a database of 100,000 companies and 1,000,000 sales with
a realistic skew (a few companies buy most: Pareto-distributed weights), some ratings
and touches, then times whole `dossier` processes (median of a few runs) next to the
same aggregate as a hand-written query in sqlite3. Not a test; run it by hand:

    .venv/bin/python benchmarks/top10_abc.py                       # full size
    .venv/bin/python benchmarks/top10_abc.py --companies 2000 --sales 20000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path


def build(path: Path, *, companies: int, sales: int, seed: int) -> None:
    from dossier_cli.store import dispose_engines, open_engine

    open_engine(str(path))  # the schema, exactly as dossier creates it
    dispose_engines()
    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(timezone.utc).isoformat()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        conn.executemany(
            "INSERT INTO company (id, name, name_key, search_key, stage, status, listed_on, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    cid,
                    name := (f"ООО «Компания {cid}»" if cid % 2 else f"Company {cid} LLC"),
                    f"компания {cid}" if cid % 2 else f"company {cid}",
                    name.casefold(),
                    "client",
                    "liquidated" if rng.random() < 0.01 else "active",
                    (today - timedelta(days=rng.randrange(3000))).isoformat(),
                    now,
                    now,
                )
                for cid in range(1, companies + 1)
            ),
        )
        # Skew: company weights follow a Pareto law, so roughly 20% of them make 80% of sales.
        weights = [rng.paretovariate(1.16) for _ in range(companies)]
        cumulative = []
        running = 0.0
        for weight in weights:
            running += weight
            cumulative.append(running)
        # Loading is much faster with the sale indexes built once at the end.
        sale_indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sale' AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in sale_indexes:
            conn.execute(f'DROP INDEX "{name}"')
        buyers = rng.choices(range(1, companies + 1), cum_weights=cumulative, k=sales)
        conn.executemany(
            "INSERT INTO sale (company_id, sold_on, amount_minor, reference, created_at) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    company_id,
                    (today - timedelta(days=rng.randrange(730))).isoformat(),
                    int(rng.lognormvariate(11, 1.2)) * 100,
                    f"inv-{n}",
                    now,
                )
                for n, company_id in enumerate(buyers, start=1)
            ),
        )
        for _, sql in sale_indexes:
            conn.execute(sql)
        rated = rng.sample(range(1, companies + 1), k=max(1, companies // 30))
        conn.executemany(
            "INSERT INTO rating (company_id, score, rated_on, created_at) VALUES (?, ?, ?, ?)",
            (
                (cid, rng.randint(0, 10), (today - timedelta(days=rng.randrange(400))).isoformat(), now)
                for cid in rated
                for _ in range(rng.randint(1, 3))
            ),
        )
        conn.executemany(
            "INSERT INTO touch (company_id, touched_on, kind, done, created_at) VALUES (?, ?, ?, 0, ?)",
            (
                (rng.choice(rated), (today - timedelta(days=rng.randrange(365))).isoformat(), "call", now)
                for _ in range(max(1, companies // 2))
            ),
        )
    conn.execute("ANALYZE")
    conn.close()


def time_process(argv: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU (user + system) seconds of a whole process, and its exit code.
    CPU time is the steadier figure on a machine busy with other work."""
    walls, cpus = [], []
    code = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        code = result.returncode
        if code not in (0, 1):
            sys.exit(f"{' '.join(argv)} failed ({code}): {result.stderr.strip()}")
    return statistics.median(walls), statistics.median(cpus), code


def time_sql(path: Path, runs: int) -> tuple[float, float]:
    start = (date.today() - timedelta(days=364)).isoformat()
    query = (
        "SELECT company_id, sum(amount_minor) AS total FROM sale WHERE sold_on BETWEEN ? AND ? "
        "GROUP BY company_id ORDER BY total DESC LIMIT 10"
    )
    walls, cpus = [], []
    conn = sqlite3.connect(path)
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        conn.execute(query, (start, date.today().isoformat())).fetchall()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    conn.close()
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is printed")
    parser.add_argument("--seed", type=int, default=20261102)
    parser.add_argument("--db", type=Path, help="keep the database here (reused when it exists)")
    args = parser.parse_args()

    folder = None
    if args.db:
        path = args.db
    else:
        folder = tempfile.TemporaryDirectory(prefix="dossier-bench-")
        path = Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        build(path, companies=args.companies, sales=args.sales, seed=args.seed)
        print(f"built {args.companies:,} companies and {args.sales:,} sales in {time.perf_counter() - started:.1f} s")
    dossier = str(Path(sys.executable).parent / "dossier")
    base = [dossier, "--db", str(path)]
    print(f"database: {path} ({path.stat().st_size / 1e6:.0f} MB); median of {args.runs} runs")
    print(f"  {'':<38} {'wall':>8} {'cpu':>8}")
    for label, argv in (
        ("dossier --version (start-up)", [dossier, "--version"]),
        ("dossier list companies --limit 1", [*base, "list", "companies", "--limit", "1"]),
        ("dossier top10 --compare", [*base, "top10", "--compare"]),
        ("dossier top10 --by relationship", [*base, "top10", "--by", "relationship"]),
        ("dossier abc", [*base, "abc"]),
        ("dossier abc --group A --limit 5", [*base, "abc", "--group", "A", "--limit", "5"]),
    ):
        wall, cpu, code = time_process(argv, args.runs)
        print(f"  {label:<38} {wall:7.3f}s {cpu:7.3f}s  (exit {code})")
    wall, cpu = time_sql(path, args.runs)
    print(f"  {'the top-10 aggregate alone, in sqlite3':<38} {wall:7.3f}s {cpu:7.3f}s")
    print(f"(load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          "the list-companies line is every command's fixed cost: Python, imports, opening the database)")
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
