"""The tax register benchmark: load a generated register of 1,000,000 documents and search it.

    .venv/bin/python benchmarks/register_bench.py                        # full size, writes RESULTS.md
    .venv/bin/python benchmarks/register_bench.py --documents 20000 --output -   # a quick look

Measures, in a temporary folder:
  - `dossier register load` of the generated ZIP (benchmarks/register_data.py): wall time
    and the process's peak memory (target: at most 200 MB);
  - the register file's size;
  - `dossier prospects --region … --okved …`: the whole command (median of --runs), the
    same process's start-up (`dossier prospects --help`, which imports the command but
    queries nothing), and the search itself timed inside one process (target: at most
    200 ms beyond start-up).
Not a test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register_data import write_register  # noqa: E402

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DOSSIER = str(Path(PYTHON).parent / "dossier")
PEAK_LIMIT_MB = 200
QUERY_LIMIT_S = 0.200
SEARCHES = (
    ("--region 77 --okved 46.7", ["--region", "77", "--okved", "46.7"]),
    ("--region 27 --okved 46.7 --okved 49.4", ["--region", "27", "--okved", "46.7", "--okved", "49.4"]),
    ("--region 50 --city подольск --okved 43 --category micro", ["--region", "50", "--city", "подольск", "--okved", "43", "--category", "micro"]),
)
MARK_START = "<!-- register:start -->"
MARK_END = "<!-- register:end -->"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak MB (from /usr/bin/time when present, else wait4) and exit code."""
    report = tempfile.NamedTemporaryFile("r", delete=False)
    report.close()
    timer = "/usr/bin/time"
    wrapped = [timer, "-f", "%M", "-o", report.name, *argv] if os.path.exists(timer) else argv
    started = time.perf_counter()
    process = subprocess.Popen(wrapped, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    text = Path(report.name).read_text().strip().splitlines()
    os.unlink(report.name)
    peak_kb = int(text[-1]) if text and text[-1].isdigit() else usage.ru_maxrss
    return wall, peak_kb / 1024, os.waitstatus_to_exitcode(status)


def median_wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(timed(argv, env)[0] for _ in range(runs))


def in_process_query(db: Path, args: list[str], runs: int) -> float:
    """The search alone (register opened, query run, rows built), median seconds, in one process."""
    code = f"""
import statistics, time
from dossier_cli.register import prospects
from dossier_cli.register.store import open_register
from dossier_cli.store import session_scope
args = {args!r}
opts = {{"regions": [], "cities": [], "okved": [], "categories": []}}
key = {{"--region": "regions", "--city": "cities", "--okved": "okved", "--category": "categories"}}
for flag, value in zip(args[::2], args[1::2]):
    opts[key[flag]].append(value)
query = prospects.build_query(**opts)
times = []
with session_scope({str(db)!r}, write=False) as session:
    for _ in range({runs}):
        started = time.perf_counter()
        with open_register({str(db)!r}, session=session) as register:
            rows = prospects.find(session, register, query, limit=50)
        times.append(time.perf_counter() - started)
print(statistics.median(times), len(rows))
"""
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"), help="a Markdown file to update, or - for stdout")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dossier-register-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.db"
    env = {**os.environ, "DOSSIER_DB": str(db), "HOME": str(folder), "NO_COLOR": "1"}
    env.pop("DOSSIER_CONFIG", None)

    started = time.perf_counter()
    archive = write_register(folder / "register.zip", args.documents)
    print(f"generated {args.documents:,} documents in {time.perf_counter() - started:.1f} s ({archive.stat().st_size / 2**20:.1f} MB zipped)", file=sys.stderr)
    subprocess.run([DOSSIER, "db", "status"], env=env, stdout=subprocess.DEVNULL, check=True)  # the database itself, outside the timing
    load_s, load_mb, code = timed([DOSSIER, "register", "load", str(archive)], env)
    if code != 0:
        raise SystemExit(f"register load failed with exit code {code}")
    register_file = folder / "bench.register.db"
    size_mb = register_file.stat().st_size / 2**20
    print(f"loaded in {load_s:.1f} s, peak {load_mb:.0f} MB, register {size_mb:.0f} MB", file=sys.stderr)

    # Start-up: a command that imports the same libraries and opens the same database, and finds nothing.
    startup = median_wall([DOSSIER, "list", "companies", "--limit", "1"], env, args.runs)
    rows = [
        "| measure | result | target | verdict |",
        "|---|---|---|---|",
        f"| `register load` of {args.documents:,} documents | {load_s:.1f} s | — | — |",
        f"| peak memory of the load | {load_mb:.0f} MB | ≤ {PEAK_LIMIT_MB} MB | {'met' if load_mb <= PEAK_LIMIT_MB else 'MISSED'} |",
        f"| register file size | {size_mb:.0f} MB | — | — |",
        f"| start-up (`dossier list companies --limit 1` on the empty database) | {startup * 1000:.0f} ms | — | — |",
    ]
    for label, search in SEARCHES:
        whole = median_wall([DOSSIER, "prospects", *search, "--limit", "50"], env, args.runs)
        alone = in_process_query(db, search, args.runs)
        verdict = "met" if alone <= QUERY_LIMIT_S else "MISSED"
        rows.append(
            f"| `prospects {label}` | {whole * 1000:.0f} ms whole, {alone * 1000:.0f} ms search, "
            f"{max(0.0, whole - startup) * 1000:.0f} ms beyond start-up | ≤ {QUERY_LIMIT_S * 1000:.0f} ms beyond start-up | {verdict} |"
        )
    table = "\n".join(rows)
    section = (
        f"{MARK_START}\n## The tax register ({args.documents:,} documents, median of {args.runs} runs)\n\n"
        f"Run with `benchmarks/register_bench.py`; the register is generated by `benchmarks/register_data.py`. "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end of the run. The verdict on the "
        f"search is on the search alone (the whole command's time minus a start-up measured apart swings with "
        f"the machine's load).\n\n"
        f"{table}\n{MARK_END}"
    )
    if args.output == "-":
        print(section)
    else:
        path = Path(args.output)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if MARK_START in text and MARK_END in text:
            text = text[: text.index(MARK_START)] + section + text[text.index(MARK_END) + len(MARK_END):]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        path.write_text(text, encoding="utf-8")
    if args.keep is None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
