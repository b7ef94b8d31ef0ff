"""`dossier report`: one self-contained printable page whose charts carry the commands' own numbers;
the printable dossier from the same templates; both printed by headless Chromium to PNG and PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dossier_cli.parsing import current_quarter

pytestmark = pytest.mark.usefixtures("no_dossier_gate")

QUARTER = current_quarter().label
MONTH = date.today().strftime("%Y-%m")
FOX = '<b>Fox</b> & "Co"'


@pytest.fixture
def sales_quarter(dossier):
    """Three customers (sales, ratings, touches), a deal in negotiation, a lost prospect, a plan."""
    for name, amount, rating, touches in (("Alpha", "500000", "9", 3), ("Beta", "300000", "4", 1), ("Gamma", "100000", "8", 2)):
        dossier("add", "company", name, "--territory", "Хабаровский край")
        for kind in ("call", "email", "meeting")[:touches]:
            dossier("add", "touch", name, "--kind", kind)
        dossier("promote", name, "--to", "client")
        dossier("add", "sale", name, amount)
        dossier("rate", name, rating)
    dossier("add", "company", "Delta")
    dossier("promote", "Delta", "--to", "negotiating")
    dossier("edit", "company", "Delta", "--deal-value", "200000", "--close-by", MONTH)
    dossier("add", "company", "Echo")
    dossier("promote", "Echo", "--to", "contacted")
    dossier("lose", "Echo", "--reason", "competitor")
    dossier("add", "company", FOX)
    dossier("edit", "company", FOX, "--deal-value", "10000", "--close-by", MONTH)
    dossier("add", "sale", FOX, "50000")  # a first small order; it stays a target
    dossier("plan", "set", QUARTER, "--goal-prospects", "10", "--goal-clients", "2", "--goal-revenue", "1000000")
    return dossier


class Page(HTMLParser):
    """What a test reads off the page: every chart's shapes, the tagged table rows, links and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[dict[str, str]]] = {}
        self.lines: dict[str, list[float]] = {}
        self.rows: dict[str, list[str]] = {}
        self.progress: dict[str, str] = {}
        self.tags: list[str] = []
        self.fetches: list[str] = []
        self._chart: str | None = None
        self._list: str | None = None
        self._goal: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for key in ("src", "href"):
            if key in a:
                self.fetches.append(a[key])
        if tag == "svg":
            self._chart = a["data-chart"]
            self.charts.setdefault(self._chart, [])
        elif tag == "rect" and self._chart and "data-value" in a:  # a legend swatch has none
            self.charts[self._chart].append(a)
        elif tag == "polyline" and self._chart:
            self.lines[self._chart] = [float(v) for v in a["data-values"].split()]
        elif tag == "table" and "data-list" in a:
            self._list = a["data-list"]
            self.rows[self._list] = []
        elif tag == "tr" and self._list and "data-id" in a:
            self.rows[self._list].append(a["data-id"])
        elif tag == "tr" and "data-goal" in a:
            self._goal = a["data-goal"]
        elif tag == "div" and "data-percent" in a and self._goal:
            self.progress[self._goal] = a["data-percent"]

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None
        elif tag == "table":
            self._list = None
        elif tag == "tr":
            self._goal = None

    def bars(self, chart: str, series: str | None = None) -> list[tuple[str, float]]:
        return [
            (r["data-label"], float(r["data-value"]))
            for r in self.charts.get(chart, [])
            if series is None or r["data-series"] == series
        ]


def read_page(path: Path) -> tuple[str, Page]:
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return text, page


def test_the_report_draws_the_numbers_the_commands_print(sales_quarter, tmp_path):
    dossier = sales_quarter
    out = tmp_path / "report.html"
    result = dossier("report", "--period", QUARTER, "--output", str(out))
    assert f"Wrote the report for {QUARTER} to {out}" in result.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text, page = read_page(out)

    funnel = dossier.json("pipeline")
    assert page.bars("funnel") == [(r["stage"], float(r["companies"])) for r in funnel]
    assert page.bars("funnel")[:5] == [("target", 1.0), ("researching", 0.0), ("contacted", 0.0), ("negotiating", 1.0), ("client", 3.0)]

    abc = dossier.json("abc", "--period", QUARTER, "--limit", "40")
    assert page.bars("abc") == [(r["name"], r["share_percent"]) for r in abc["rows"]]
    assert page.lines["abc"] == [r["cumulative_percent"] for r in abc["rows"]]
    assert [name for name, _ in page.bars("abc")] == ["Alpha", "Beta", "Gamma", FOX]

    stats = dossier.json("stats", "--period", QUARTER)["overall"]
    assert page.bars("touches") == [(b["touches"], float(b["companies"])) for b in stats["histogram"]]
    assert page.bars("touches") == [("0", 1.0), ("1", 1.0), ("2", 1.0), ("3", 1.0)]  # Fox bought untouched
    assert page.bars("days") == [(b["days"], float(b["companies"])) for b in stats["days_histogram"]]
    assert page.bars("days") == [("0", 4.0)]

    lost = dossier.json("stats", "--by", "reason", "--period", QUARTER)
    assert page.bars("lost") == [(r["label"], float(r["lost"])) for r in lost["reasons"]]
    assert page.bars("lost")[0] == ("competitor", 1.0)

    forecast = dossier.json("forecast", "--quarter", QUARTER)
    assert page.bars("forecast", "booked") == [(r["month"], float(r["booked_minor"])) for r in forecast["rows"]]
    assert page.bars("forecast", "weighted") == [(r["month"], float(r["weighted_minor"])) for r in forecast["rows"]]
    assert forecast["totals"]["weighted_minor"] == 14_000_000 + 100_000  # 70% of 200,000 + 10% of 10,000

    top = dossier.json("top10", "--compare", "--period", QUARTER)
    assert page.rows["by_sales"] == [str(r["id"]) for r in top["by_sales"]]
    assert page.rows["by_relationship"] == [str(r["id"]) for r in top["by_relationship"]]
    assert top["verdict"] in text

    plan = dossier.json("plan", "show", QUARTER)
    for goal in plan["goals"]:
        assert page.progress[goal["goal"]] == ("" if goal["percent"] is None else str(goal["percent"]))
    assert page.progress["revenue"] == str(plan["revenue"]["percent"]) == "95"


def test_the_report_is_self_contained_and_escapes_user_text(sales_quarter, tmp_path):
    out = tmp_path / "report.html"
    sales_quarter("report", "--output", str(out))
    text, page = read_page(out)
    assert "script" not in page.tags and "<script" not in text.lower()
    assert page.fetches == []  # no link, image or stylesheet to fetch
    assert "@import" not in text and "url(" not in text
    assert FOX not in text
    assert "&lt;b&gt;Fox&lt;/b&gt; &amp; &#34;Co&#34;" in text
    assert '<html lang="en">' in text


def test_report_bad_period_is_one_error_line(dossier, tmp_path):
    out = tmp_path / "r.html"
    result = dossier("report", "--period", "2026-Q7", "--output", str(out), expect=2)
    assert result.stderr.startswith("Error: bad period '2026-Q7'")
    assert not out.exists()
    folder = dossier("report", "--output", str(tmp_path / "no" / "such" / "r.html"), expect=2)
    assert folder.stderr.startswith("Error: cannot write")


def test_the_printable_dossier_uses_the_templates_and_escapes(dossier):
    dossier("add", "company", FOX, "--note", "Vostok-Trade (main rival)")
    dossier("fill", FOX, "--set", "competitors=Vostok-Trade, *Amur* [snab]")
    page = dossier("export", "dossier", FOX, "--format", "html").stdout
    assert "<style>" in page and "@page" in page  # the shared printable stylesheet
    assert FOX not in page and "&lt;b&gt;Fox&lt;/b&gt;" in page
    markdown = dossier("export", "dossier", FOX).stdout
    assert "Vostok-Trade" in markdown and "Vostok\\-Trade" not in markdown
    assert "\\*Amur\\* \\[snab\\]" in markdown
    assert "\\<b\\>Fox\\</b\\> &" in markdown or "\\<b>Fox\\</b> &" in markdown


# ---------------------------------------------------------------- printed by a browser
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def browser() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if found and shutil.which("pdftoppm"):
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must have Chromium and pdftoppm (.ci/run installs chromium and poppler-utils)")
    pytest.skip("no headless Chromium or pdftoppm here (install: apt-get install chromium poppler-utils)")


def print_page(html_file: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """Chromium prints the page to a PNG screenshot and a PDF; pdftoppm makes one PNG per PDF page."""
    chromium = browser()
    png, pdf = html_file.with_suffix(".png"), html_file.with_suffix(".pdf")
    for output in (f"--screenshot={png}", f"--print-to-pdf={pdf}"):
        profile = tmp_path / f"profile-{output[2:7]}"
        subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1400",
             "--no-pdf-header-footer", output, html_file.as_uri()],
            check=True, capture_output=True, timeout=180,
        )
    pages_prefix = tmp_path / f"{html_file.stem}-page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(pages_prefix)], check=True, capture_output=True, timeout=120)
    return png, sorted(tmp_path.glob(f"{html_file.stem}-page*.png"))


def ink(png: Path) -> int:
    """How many pixels are clearly not white."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        return sum(count for level, count in enumerate(grey.histogram()) if level < 200)


def test_chromium_prints_the_report_and_a_dossier(sales_quarter, tmp_path):
    report = tmp_path / "report.html"
    sales_quarter("report", "--output", str(report))
    dossier_page = tmp_path / "dossier.html"
    sales_quarter("export", "dossier", "Alpha", "--format", "html", "--output", str(dossier_page))
    for page, least_pages in ((report, 2), (dossier_page, 1)):
        screenshot, pdf_pages = print_page(page, tmp_path)
        assert ink(screenshot) > 5_000, f"the screenshot of {page.name} is blank"
        assert len(pdf_pages) >= least_pages, f"{page.name} printed to {len(pdf_pages)} A4 page(s)"
        for number, pdf_page in enumerate(pdf_pages, 1):
            assert ink(pdf_page) > 200, f"page {number} of {page.name}'s PDF is blank"


def test_the_report_speaks_the_configured_language(sales_quarter, tmp_path, monkeypatch):
    config = tmp_path / "ru.yaml"
    config.write_text("language: ru\ndossier:\n  threshold: 0\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    out = tmp_path / "отчёт.html"
    result = sales_quarter("report", "--period", QUARTER, "--output", str(out))
    assert result.stderr.startswith(f"Отчёт за {QUARTER} записан в {out}.")
    text, page = read_page(out)
    assert '<html lang="ru">' in text
    for heading in ("Воронка", "Топ-10: по продажам и по отношениям", "ABC-анализ (Парето)", "Почему сделки проиграны"):
        assert f"<h2>{heading}</h2>" in text
    assert ">переговоры</text>" in text  # a stage as the reader names it
    assert page.bars("funnel")[3] == ("negotiating", 1.0)  # the shapes keep the stored values
