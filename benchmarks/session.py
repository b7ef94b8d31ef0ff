"""Inside one `dossier shell` session, and 1,000 lines through `dossier batch` (used by run.py).

The session's commands run through `dossier batch -` with `.timer on`: dossier times each
line itself, from reading it to its last output (what a person at the prompt waits for),
and prints `Time: N ms` on stderr. Each command runs once to warm up (its first use in a
session loads its modules) and then `runs` times; the median of those is reported.
"""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

QUICK_LIMIT = 0.050  # first page, show company, add company, add touch, promote
REPORT_LIMIT = 0.300  # top10 --compare, abc, pipeline, stats, agenda
BATCH_LINES = 1000
BATCH_FACTOR = 20  # 1,000 add touch lines within ×20 of one cold add touch


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def session_targets(chosen: dict[str, object]) -> list[tuple[str, float, Callable[[int], str]]]:
    customer = _quote(str(chosen["customer"]))
    targets = [_quote(str(name)) for name in chosen["targets"]]  # type: ignore[union-attr]
    return [
        ("list companies (first page)", QUICK_LIMIT, lambda n: "list companies"),
        ("show company", QUICK_LIMIT, lambda n: f"show company {customer}"),
        ("add company", QUICK_LIMIT, lambda n: f'add company "ООО «Сеанс {n}»" --city Хабаровск'),
        ("add touch", QUICK_LIMIT, lambda n: f'add touch {customer} --kind call --force --note "session {n}"'),
        ("promote --force", QUICK_LIMIT, lambda n: f"promote {targets[-1 - n % len(targets)]} --force"),
        ("top10 --compare", REPORT_LIMIT, lambda n: "top10 --compare"),
        ("abc", REPORT_LIMIT, lambda n: "abc"),
        ("pipeline", REPORT_LIMIT, lambda n: "pipeline"),
        ("stats", REPORT_LIMIT, lambda n: "stats"),
        ("agenda", REPORT_LIMIT, lambda n: "agenda"),
    ]


def measure_session(chosen: dict[str, object], *, runs: int, dossier: str, env: dict[str, str],
                    run_process: Callable[..., tuple[float, float, float, int, str]]) -> dict[str, list[float]]:
    """Seconds of each run of each target inside one session (the warm-up run left out)."""
    targets = session_targets(chosen)
    lines = [".timer on"]
    order: list[str] = []
    for label, _limit, line in targets:
        for n in range(runs + 1):
            lines.append(line(n))
            order.append(label)
    env = {**env, "DOSSIER_LANG": "en"}  # the `Time:` lines are read back in English
    _wall, _cpu, _peak, code, stderr = run_process([dossier, "batch", "-"], env, stdin="\n".join(lines) + "\n")
    if code != 0:
        raise SystemExit(f"the session failed (exit {code}): {stderr.strip()[-800:]}")
    times = [float(line.split()[1]) / 1000 for line in stderr.splitlines() if line.startswith("Time: ")]
    if len(times) != len(order):
        raise SystemExit(f"the session reported {len(times)} times for {len(order)} commands")
    found: dict[str, list[float]] = {label: [] for label, _limit, _line in targets}
    seen: dict[str, int] = {}
    for label, seconds in zip(order, times):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:  # the first is the warm-up
            found[label].append(seconds)
    return found


def measure_batch(chosen: dict[str, object], *, dossier: str, env: dict[str, str],
                  run_process: Callable[..., tuple[float, float, float, int, str]]) -> tuple[float, float]:
    """Wall seconds and peak MB of `dossier batch FILE` logging BATCH_LINES touches, a whole process."""
    customer = _quote(str(chosen["customer"]))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as script:
        for n in range(BATCH_LINES):
            script.write(f'add touch {customer} --kind call --force --note "batch {n}"\n')
        path = Path(script.name)
    try:
        wall, _cpu, peak, code, stderr = run_process([dossier, "batch", str(path)], env, with_peak=True)
    finally:
        path.unlink()
    if code != 0:
        raise SystemExit(f"dossier batch failed (exit {code}): {stderr.strip()[-800:]}")
    return wall, peak


def rows(chosen: dict[str, object], *, runs: int, dossier: str, env: dict[str, str], cold_add_touch: float,
         run_process: Callable[..., tuple[float, float, float, int, str]],
         ms: Callable[[float], str], report: Callable[[str], None]) -> tuple[list[str], list[tuple[str, bool]]]:
    """The table rows of the session targets and the batch target, and each one's verdict."""
    report("timing inside one dossier shell session …")
    found = measure_session(chosen, runs=runs, dossier=dossier, env=env, run_process=run_process)
    out: list[str] = []
    verdicts: list[tuple[str, bool]] = []
    for label, limit, _line in session_targets(chosen):
        median = statistics.median(found[label])
        met = median <= limit
        verdicts.append((f"session: {label}", met))
        out.append(f"| `{label}` | {ms(median)} | {ms(min(found[label]))} – {ms(max(found[label]))} | "
                   f"≤ {ms(limit)} | {'met' if met else '**missed**'} |")
    report(f"timing {BATCH_LINES:,} add touch lines through dossier batch …")
    wall, peak = measure_batch(chosen, dossier=dossier, env=env, run_process=run_process)
    ratio = wall / cold_add_touch
    met = ratio <= BATCH_FACTOR
    verdicts.append(("batch: 1,000 add touch", met))
    out.append(f"| `dossier batch`: {BATCH_LINES:,} `add touch` lines, one process ({peak:.0f} MB) | {wall:.1f} s | "
               f"×{ratio:.1f} one cold `add touch` ({ms(cold_add_touch)}) | ≤ ×{BATCH_FACTOR} | "
               f"{'met' if met else '**missed**'} |")
    return out, verdicts
