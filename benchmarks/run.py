"""The benchmark suite: dossier at 100,000 companies and 1,000,000 sales, against its targets.

    python benchmarks/run.py                 # full size, median of 5 runs, writes benchmarks/RESULTS.md
    python benchmarks/run.py --scale 0.1 --runs 3 --output -     # a quick look, table on stdout

Steps (everything in a temporary folder, removed at the end unless --keep DIR):
  1. generate the seeded data set (benchmarks/generate.py) at --scale and at a tenth of it;
  2. time the import of the companies and the sales through `dossier import` against the
     sqlite3 shell's `.import` plus one `INSERT … SELECT` of the same files, then import
     the people, touches and dossier answers, and set a plan for the quarter;
  3. time each command below as a whole process (median of --runs, peak memory of the
     process) on both databases, beside two reference points measured in the same run:
     `python -c pass` and `python -c "import typer, rich, sqlmodel"`;
  4. time the same kinds of command inside one `dossier shell` session, and 1,000 `add touch`
     lines through one `dossier batch` (benchmarks/session.py);
  5. write a Markdown table with the targets and verdicts.

Not a test: nothing here runs under pytest. Needs the sqlite3 shell for the import
baseline (Debian: apt-get install -y sqlite3); without it that row is left out.
Run it with the interpreter dossier is installed in (e.g. .venv/bin/python).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
DOSSIER = str(Path(PYTHON).parent / "dossier")
HEAVY = ("sqlalchemy", "sqlmodel", "alembic")
START_UP_LIMIT = 0.150
READ_MARGIN = 0.150
WRITE_MARGIN = 0.100
GROWTH_TOLERANCE = 1.25  # a tenfold larger database may cost at most this factor (plus GROWTH_SLACK)
GROWTH_SLACK = 0.030
RUSSIAN_HELP_MARGIN = 0.010
MARK_START = "<!-- results:start -->"
MARK_END = "<!-- results:end -->"


@dataclass
class Timing:
    wall: float  # median seconds
    cpu: float  # median user + system seconds
    peak_mb: float  # largest resident set of any run
    code: int
    walls: list[float] = field(default_factory=list)


def run_process(argv: list[str], env: dict[str, str], *, stdin: str | None = None,
                with_peak: bool = False) -> tuple[float, float, float, int, str]:
    """Wall and CPU seconds, peak MB and exit code of one whole process, and its stderr.

    The peak is exact only with_peak (through /usr/bin/time, see peak_of); otherwise it
    is wait4's figure, which includes this process's pages copied by the fork."""
    timer = "/usr/bin/time"
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given, \
            tempfile.NamedTemporaryFile("r") as report:
        if stdin is not None:
            given.write(stdin.encode())
            given.seek(0)
        wrapped = [timer, "-f", "%M", "-o", report.name, *argv] if with_peak and os.path.exists(timer) else argv
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, env=env, stdin=given, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode(errors="replace")
        peak = usage.ru_maxrss / 1024
        if wrapped is not argv:
            try:
                peak = int(report.read().split()[-1]) / 1024
            except (ValueError, IndexError):
                pass
    return wall, usage.ru_utime + usage.ru_stime, peak, process.returncode, message


def measure(make_argv: Callable[[int], list[str]], env: dict[str, str], runs: int, *, ok: tuple[int, ...] = (0,)) -> Timing:
    walls, cpus, peaks, code = [], [], [], 0
    for run in range(runs):
        argv = make_argv(run)
        wall, cpu, peak, code, message = run_process(argv, env)
        if code not in ok:
            sys.exit(f"{' '.join(argv)} failed (exit {code}): {message.strip()[-600:]}")
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    peak = peak_of(make_argv(runs), env)
    return Timing(statistics.median(walls), statistics.median(cpus), peak if peak is not None else max(peaks), code, walls)


def peak_of(argv: list[str], env: dict[str, str]) -> float | None:
    """Peak MB of one more run, measured by /usr/bin/time: the resource usage of a child forked
    from this (larger) process counts the parent's pages until the exec, so wait4 overstates it."""
    timer = "/usr/bin/time"
    if not os.path.exists(timer):
        return None
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run([timer, "-f", "%M", "-o", report.name, *argv], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        try:
            return int(report.read().split()[-1]) / 1024
        except (ValueError, IndexError):
            return None


def heavy_modules(args: list[str], env: dict[str, str]) -> list[str]:
    """Which of sqlalchemy, sqlmodel and alembic a dossier run imports (python -X importtime)."""
    result = subprocess.run([PYTHON, "-X", "importtime", DOSSIER, *args], env=env, capture_output=True, text=True)
    found = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:"):
            name = line.rsplit("|", 1)[-1].strip()
            top = name.split(".")[0]
            if top in HEAVY:
                found.add(top)
    return sorted(found)


# ---------------------------------------------------------------- building the databases
def dossier_env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOSSIER_", "_DOSSIER", "COMP_"))}
    env.update(DOSSIER_DB=str(db), DOSSIER_USER="bench", DOSSIER_CONFIG=str(db.parent / "no-config.yaml"), COLUMNS="120")
    return env


def sqlite_baseline(folder: Path, files: dict[str, Path]) -> tuple[float, float] | None:
    """The sqlite3 shell loading the same companies and sales into the same (fresh) schema."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    db = folder / "baseline.db"
    env = dossier_env(db)
    subprocess.run([DOSSIER, "db", "upgrade"], env=env, check=True, capture_output=True)
    # The bare shell feeds no full-text index: drop it, so the baseline is the fastest honest load.
    drop = subprocess.run(
        [PYTHON, "-c", "from dossier_cli.search import sqlite_index_drop; print(';\\n'.join(sqlite_index_drop()) + ';')"],
        capture_output=True, text=True, check=True).stdout
    # The same page cache as `dossier import` uses (transfer.results.BULK_CACHE_KIB): with the default
    # 2 MB, index inserts in random order thrash and the shell is several times slower.
    script = f"""
PRAGMA cache_size = -{64 * 1024};
{drop}
.mode csv
.import '{files["companies"]}' raw_company
.import '{files["sales"]}' raw_sale
BEGIN;
INSERT INTO company (name, name_key, search_key, city, territory, market, source, activity, founded, stage, status,
                     listed_on, created_at, updated_at)
  SELECT name, lower(name), lower(name), city, territory, market, source, activity, founded, stage, 'active',
         "listed on", datetime('now'), datetime('now')
  FROM raw_company;
CREATE INDEX raw_company_name ON company(name);
INSERT INTO sale (company_id, sold_on, amount_minor, reference, created_at)
  SELECT c.id, s.date, CAST(round(s.amount * 100) AS INTEGER), s.reference, datetime('now')
  FROM raw_sale s JOIN company c ON c.name = s.company;
COMMIT;
"""
    wall, _cpu, peak, code, message = run_process([shell, str(db)], env, stdin=script, with_peak=True)
    if code != 0:
        sys.exit(f"the sqlite3 baseline failed: {message}")
    db.unlink()
    return wall, peak


def build(folder: Path, scale: float, *, report: Callable[[str], None]) -> tuple[Path, dict[str, Path], dict[str, tuple[float, float]]]:
    """Generate the files and load them through `dossier import`; the time and peak MB of each import."""
    started = time.perf_counter()
    files = generate(folder / "data", scale=scale)
    report(f"  generated the files in {time.perf_counter() - started:.0f} s")
    db = folder / "dossier.db"
    env = dossier_env(db)
    subprocess.run([DOSSIER, "db", "upgrade"], env=env, check=True, capture_output=True)
    imports: dict[str, tuple[float, float]] = {}
    for kind in ("companies", "sales", "people", "touches", "dossier"):
        wall, _cpu, peak, code, message = run_process([DOSSIER, "import", kind, str(files[kind])], env, with_peak=True)
        if code != 0:
            sys.exit(f"dossier import {kind} failed: {message.strip()[-800:]}")
        imports[kind] = (wall, peak)
        report(f"  dossier import {kind}: {wall:.1f} s, {peak:.0f} MB")
    quarter = f"{date.today().year}-Q{(date.today().month - 1) // 3 + 1}"
    subprocess.run([DOSSIER, "plan", "set", quarter, "--territory", "Хабаровский край", "--territory", "Primorye",
                    "--market", "food production", "--market", "logistics", "--goal-prospects", "400",
                    "--goal-touches", "4000", "--goal-clients", "40"], env=env, check=True, capture_output=True)
    return db, files, imports


# ---------------------------------------------------------------- the commands
@dataclass
class Command:
    label: str
    kind: str  # start-up | read | write
    argv: Callable[[int], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    ok: tuple[int, ...] = (0,)


def pick_companies(files: dict[str, Path]) -> dict[str, object]:
    """Companies to aim commands at: a big customer, one with dossier answers, targets to promote."""
    with files["companies"].open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    with files["sales"].open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        first_buyer = next(reader)[0]
    with files["dossier"].open(encoding="utf-8") as stream:
        answered = json.loads(stream.readline())["company"]
    targets = [row["name"] for row in rows if row["stage"] == "target"]
    return {"customer": first_buyer, "answered": answered, "targets": targets[-50:]}


def commands(files: dict[str, Path], tag: str) -> list[Command]:
    chosen = pick_companies(files)
    customer, answered, targets = chosen["customer"], chosen["answered"], chosen["targets"]
    complete = {"_DOSSIER_COMPLETE": "complete_bash", "COMP_WORDS": "dossier li", "COMP_CWORD": "1"}
    return [
        Command("dossier --help", "start-up", lambda n: [DOSSIER, "--help"], env={"DOSSIER_LANG": "en"}),
        Command("dossier --help (in Russian)", "start-up", lambda n: [DOSSIER, "--help"], env={"DOSSIER_LANG": "ru"}),
        Command("dossier --version", "start-up", lambda n: [DOSSIER, "--version"]),
        Command("completion (dossier li<TAB>)", "start-up", lambda n: [DOSSIER], env=complete),
        Command("list companies (first page)", "read", lambda n: [DOSSIER, "list", "companies"]),
        Command("show company", "read", lambda n: [DOSSIER, "show", "company", customer]),
        Command("checklist", "read", lambda n: [DOSSIER, "checklist", answered]),
        Command("top10 --compare", "read", lambda n: [DOSSIER, "top10", "--compare"]),
        Command("abc", "read", lambda n: [DOSSIER, "abc"]),
        Command("pipeline", "read", lambda n: [DOSSIER, "pipeline"]),
        Command("agenda", "read", lambda n: [DOSSIER, "agenda"]),
        Command("stats", "read", lambda n: [DOSSIER, "stats"]),
        Command("search", "read", lambda n: [DOSSIER, "search", "ромашка"]),
        Command("plan show", "read", lambda n: [DOSSIER, "plan", "show"]),
        Command("forecast", "read", lambda n: [DOSSIER, "forecast"]),
        Command("report (HTML page)", "read",
                lambda n: [DOSSIER, "report", "--output", str(Path(tempfile.gettempdir()) / f"dossier-bench-report-{tag}.html")]),
        Command("add company", "write", lambda n: [DOSSIER, "add", "company", f"ООО «Бенчмарк {tag} {n}»", "--city", "Хабаровск"]),
        Command("add sale", "write", lambda n: [DOSSIER, "add", "sale", customer, "125000,50", "--ref", f"bench-{tag}-{n}"]),
        Command("add touch", "write", lambda n: [DOSSIER, "add", "touch", customer, "--kind", "call", "--force", "--note", f"bench {tag} {n}"]),
        Command("promote --force", "write", lambda n: [DOSSIER, "promote", targets[n % len(targets)], "--force"]),
    ]


# ---------------------------------------------------------------- the report
def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def machine_facts() -> list[str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        sqlite_version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    except (OSError, IndexError):
        sqlite_version = "absent"
    import sqlite3

    return [
        f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (module), sqlite3 shell {sqlite_version}",
        f"- load average (1, 5, 15 min) at the end of the run: {load}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 companies and 1,000,000 sales")
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is reported")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"), help="Markdown file to write (- for stdout)")
    parser.add_argument("--keep", type=Path, help="keep the data and databases in this folder")
    args = parser.parse_args()

    began = time.perf_counter()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    # An installed package has its bytecode compiled (pip does it); an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would recompile dossier's sources in every measured process.
    import compileall

    import dossier_cli

    compileall.compile_dir(str(Path(dossier_cli.__file__).parent), quiet=1)

    try:
        report(f"building the full data set (scale {args.scale}) in {folder} …")
        full_db, full_files, imports = build(folder / "full", args.scale, report=report)
        import formats  # the Excel sheet and the 1C statement (benchmarks/formats.py)

        format_imports = formats.measure(folder / "formats", args.scale, dossier=DOSSIER, env_for=dossier_env,
                                         run_process=run_process, report=report)
        baseline = sqlite_baseline(folder / "full", full_files)
        if baseline:
            report(f"  sqlite3 shell baseline: {baseline[0]:.1f} s, {baseline[1]:.0f} MB")
        report(f"building the tenth (scale {args.scale / 10:g}) …")
        tenth_db, tenth_files, _ = build(folder / "tenth", args.scale / 10, report=lambda line: None)

        base_env = dossier_env(full_db)

        def measure_references() -> dict[str, Timing]:
            return {
                "python -c pass": measure(lambda n: [PYTHON, "-c", "pass"], base_env, args.runs),
                'python -c "import typer, rich, sqlmodel"': measure(
                    lambda n: [PYTHON, "-c", "import typer, rich, sqlmodel"], base_env, args.runs),
            }

        # The references are measured before and after the commands (this machine's speed
        # drifts over minutes), and the faster of the two sets the targets: the stricter.
        before = measure_references()
        full_commands = commands(full_files, "full")
        tenth_commands = commands(tenth_files, "tenth")
        timings = []
        for big, small in zip(full_commands, tenth_commands):
            report(f"timing {big.label} …")
            full_time = measure(big.argv, {**dossier_env(full_db), **big.env}, args.runs, ok=big.ok)
            tenth_time = measure(small.argv, {**dossier_env(tenth_db), **small.env}, args.runs, ok=small.ok)
            timings.append((big, full_time, tenth_time))
        import session  # inside one `dossier shell` session, and `dossier batch` (benchmarks/session.py)

        cold_add_touch = next(full for cmd, full, _tenth in timings if cmd.label == "add touch").wall
        session_rows, session_verdicts = session.rows(
            pick_companies(full_files), runs=args.runs, dossier=DOSSIER, env=dossier_env(full_db),
            cold_add_touch=cold_add_touch, run_process=run_process, ms=ms, report=report)
        after = measure_references()
        reference = {label: min(before[label], after[label], key=lambda t: t.wall) for label in before}
        framework = reference['python -c "import typer, rich, sqlmodel"'].wall
        rows: list[list[str]] = []
        verdicts: list[tuple[str, bool]] = []
        for label, timing in reference.items():
            rows.append([f"`{label}` (reference; before / after the commands: {ms(before[label].wall)} / {ms(after[label].wall)})",
                         "—", ms(timing.wall), ms(timing.cpu), f"{timing.peak_mb:.0f} MB", "—", "—", "—"])

        for big, full_time, tenth_time in timings:
            if big.kind == "start-up":
                limit = START_UP_LIMIT
                heavy = heavy_modules(big.argv(0)[1:], {**dossier_env(full_db), **big.env})
                target = f"< {ms(limit)}, no {'/'.join(HEAVY)}"
                met = full_time.wall < limit and not heavy
                note = f"imports {', '.join(heavy)}" if heavy else "none of them imported"
            else:
                limit = framework + (READ_MARGIN if big.kind == "read" else WRITE_MARGIN)
                target = f"< {ms(limit)} (framework + {ms(READ_MARGIN if big.kind == 'read' else WRITE_MARGIN)})"
                met = full_time.wall < limit
                note = ""
            grows = full_time.wall > tenth_time.wall * GROWTH_TOLERANCE + GROWTH_SLACK
            growth = f"×{full_time.wall / tenth_time.wall:.2f}" + (" grows" if grows else "")
            verdict = "met" if met else "**missed**"
            verdicts.append((big.label, met))
            rows.append([f"`{big.label}`", big.kind, ms(full_time.wall), ms(full_time.cpu), f"{full_time.peak_mb:.0f} MB",
                         f"{ms(tenth_time.wall)} ({growth})", target, verdict + (f"; {note}" if note else "")])

        # Russian costs at most RUSSIAN_HELP_MARGIN more than English (issue 19): the catalog loads lazily.
        help_times = {big.label: full_time for big, full_time, _tenth in timings if big.label.startswith("dossier --help")}
        if len(help_times) == 2:
            english, russian = help_times["dossier --help"], help_times["dossier --help (in Russian)"]
            met = russian.wall - english.wall <= RUSSIAN_HELP_MARGIN
            verdicts.append(("--help in Russian", met))
            rows.append(["`dossier --help` in Russian minus in English", "start-up", ms(russian.wall - english.wall), "—", "—", "—",
                         f"≤ {ms(RUSSIAN_HELP_MARGIN)}", "met" if met else "**missed**"])

        verdicts.extend(session_verdicts)
        import_rows: list[str] = []
        dossier_import = imports["companies"][0] + imports["sales"][0]
        dossier_peak = max(imports["companies"][1], imports["sales"][1])
        if baseline:
            ratio = dossier_import / baseline[0]
            met = ratio < 2.5 and dossier_peak < 200
            verdicts.append(("import", met))
            import_rows.append(
                f"| `dossier import companies` + `import sales` | {dossier_import:.1f} s "
                f"({imports['companies'][0]:.1f} + {imports['sales'][0]:.1f}) | {dossier_peak:.0f} MB | "
                f"{baseline[0]:.1f} s, {baseline[1]:.0f} MB | ×{ratio:.2f} | < ×2.5, < 200 MB (issue 17) | {'met' if met else '**missed**'} |")
        for kind in ("people", "touches", "dossier"):
            import_rows.append(f"| `dossier import {kind}` | {imports[kind][0]:.1f} s | {imports[kind][1]:.0f} MB | — | — | — | — |")
        for label, (wall, peak) in format_imports.items():
            size = (f"{round(formats.PAYMENTS * args.scale):,} payments" if "payments" in label
                    else f"{round(formats.COMPANIES * args.scale):,} companies")
            import_rows.append(f"| `dossier {label}` ({size}) | {wall:.1f} s | {peak:.0f} MB | — | — | — | — |")

        scale_note = (f"{round(100_000 * args.scale):,} companies, {round(1_000_000 * args.scale):,} sales, "
                      f"{round(200_000 * args.scale):,} touches, {round(10_000 * args.scale):,} people")
        lines = [
            MARK_START,
            f"Command: `python benchmarks/run.py --scale {args.scale:g} --runs {args.runs}` "
            f"(finished in {(time.perf_counter() - began) / 60:.1f} min).",
            "",
            *machine_facts(),
            f"- full data set: {scale_note}; the tenth is the same generator at a tenth of the scale",
            "",
            f"Each command is a whole process: median wall time of {args.runs} runs, median CPU time (user + system), "
            "peak resident memory. \"tenth\" is the same command on the database a tenth the size; "
            f"\"grows\" marks a time more than ×{GROWTH_TOLERANCE} (+{ms(GROWTH_SLACK)}) above it.",
            "",
            "| command | kind | full: wall | CPU | peak | tenth: wall (full ÷ tenth) | target | verdict |",
            "|---|---|---:|---:|---:|---:|---|---|",
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
            "Inside one `dossier shell` session (`.timer on`: dossier's own time for each line, from reading it "
            f"to its last output): median of {args.runs} runs after one warm-up run of each, on the full data set; "
            "and one `dossier batch` process logging 1,000 touches, against one cold `add touch` above.",
            "",
            "| in one session | median | range | target | verdict |",
            "|---|---:|---:|---|---|",
            *session_rows,
            "",
            "| import | dossier | peak | sqlite3 shell (`.import` + `INSERT … SELECT`) | ratio | target | verdict |",
            "|---|---:|---:|---:|---:|---|---|",
            *import_rows,
            "",
            f"Targets met: {sum(met for _, met in verdicts)} of {len(verdicts)}"
            + ("" if all(met for _, met in verdicts) else f"; missed: {', '.join(label for label, met in verdicts if not met)}")
            + ".",
            MARK_END,
        ]
        table = "\n".join(lines) + "\n"
        if args.output == "-":
            sys.stdout.write(table)
        else:
            out = Path(args.output)
            if out.exists() and MARK_START in out.read_text() and MARK_END in out.read_text():
                before, rest = out.read_text().split(MARK_START, 1)
                after = rest.split(MARK_END, 1)[1].lstrip("\n")
                out.write_text(before + table + after)
            else:
                out.write_text("# Benchmark results\n\n" + table)
            report(f"wrote {out}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
