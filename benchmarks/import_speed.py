"""How fast `dossier import` is, against the sqlite3 shell doing the same job. Not a test.

Generates (seeded) 100,000 companies and 1,000,000 sales as CSV, then times
  1. `dossier import companies` + `dossier import sales` into a fresh database, and
  2. the sqlite3 shell: `.import` of both files into staging tables, plus one
     `INSERT … SELECT` join that turns company names into ids, into a fresh dossier schema.
Prints wall times and the peak memory of the child processes (ru_maxrss).
The target: dossier within 3x of the shell, under 200 MB.

Run: .venv/bin/python benchmarks/import_speed.py [--companies N] [--sales N] [--keep DIR]
Needs the sqlite3 shell (Debian: apt-get install -y sqlite3).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITIES = ["Хабаровск", "Владивосток", "Благовещенск", "Khabarovsk", "Комсомольск-на-Амуре", "Находка"]
ACTIVITIES = ["production", "trade", "services", "extraction"]
WORDS = ["Амур", "Восток", "Тайга", "Pacific", "Ромашка", "Сталь", "Лес", "Рыба", "Снаб", "Trade", "Логистик", "Строй"]


def generate(folder: Path, companies: int, sales: int, seed: int = 2026) -> tuple[Path, Path]:
    rng = random.Random(seed)
    names = []
    companies_csv = folder / "companies.csv"
    with companies_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "city", "activity", "founded"])
        for i in range(companies):
            name = f"ООО «{rng.choice(WORDS)}-{rng.choice(WORDS)} {i}»"
            names.append(name)
            writer.writerow([name, rng.choice(CITIES), rng.choice(ACTIVITIES), rng.randint(1990, 2024)])
    sales_csv = folder / "sales.csv"
    with sales_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["company", "date", "amount", "reference"])
        for i in range(sales):
            day = f"{rng.randint(2021, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow([rng.choice(names), day, f"{rng.randint(100, 5_000_000)}.{rng.randint(0, 99):02d}", f"INV-{i}"])
    return companies_csv, sales_csv


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run(command: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, input=stdin, text=True, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--keep", help="keep the generated files and databases in this folder")
    args = parser.parse_args()
    shell = shutil.which("sqlite3")
    if shell is None:
        sys.exit("the sqlite3 shell is missing: apt-get update && apt-get install -y sqlite3")
    dossier = str(Path(sys.executable).parent / "dossier")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="dossier-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"generating {args.companies:,} companies and {args.sales:,} sales in {folder} …", flush=True)
    companies_csv, sales_csv = generate(folder, args.companies, args.sales)

    # The shell's baseline on the same schema (created by dossier, so the indexes are the same).
    baseline_db = folder / "baseline.db"
    env = dict(os.environ, DOSSIER_DB=str(baseline_db), DOSSIER_USER="bench")
    subprocess.run([dossier, "db", "upgrade"], env=env, check=True, capture_output=True)
    # The baseline is the bare shell: no full-text index triggers to feed.
    from dossier_cli.search import sqlite_index_drop

    drops = "\n".join(f"{statement};" for statement in sqlite_index_drop())
    script = f"""
{drops}
.mode csv
.import '{companies_csv}' raw_company
.import '{sales_csv}' raw_sale
BEGIN;
INSERT INTO company (name, name_key, search_key, city, activity, founded, stage, status, listed_on, created_at, updated_at)
  SELECT name, lower(name), lower(name), city, activity, founded, 'target', 'active', date('now'), datetime('now'), datetime('now')
  FROM raw_company;
CREATE INDEX raw_company_name ON company(name);
INSERT INTO sale (company_id, sold_on, amount_minor, reference, created_at)
  SELECT c.id, s.date, CAST(round(s.amount * 100) AS INTEGER), s.reference, datetime('now')
  FROM raw_sale s JOIN company c ON c.name = s.company;
COMMIT;
"""
    shell_time = run([shell, str(baseline_db)], env, stdin=script)
    shell_peak = children_peak_mb()

    target_db = folder / "dossier.db"
    env = dict(os.environ, DOSSIER_DB=str(target_db), DOSSIER_USER="bench")
    subprocess.run([dossier, "db", "upgrade"], env=env, check=True, capture_output=True)  # as for the baseline
    companies_time = run([dossier, "import", "companies", str(companies_csv)], env)
    sales_time = run([dossier, "import", "sales", str(sales_csv)], env)
    dossier_peak = children_peak_mb()  # the maximum over every child so far
    total = companies_time + sales_time

    print(f"sqlite3 shell (.import + INSERT … SELECT): {shell_time:7.2f} s   peak {shell_peak:6.1f} MB")
    print(f"dossier import companies:                  {companies_time:7.2f} s")
    print(f"dossier import sales:                      {sales_time:7.2f} s")
    print(f"dossier total:                             {total:7.2f} s   peak {dossier_peak:6.1f} MB (max of all children)")
    ratio = total / shell_time if shell_time else float("inf")
    verdict = "OK" if ratio <= 3 and dossier_peak < 200 else "OVER TARGET"
    print(f"ratio {ratio:.2f}x (target ≤ 3x, < 200 MB): {verdict}")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
