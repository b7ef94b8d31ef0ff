"""Names for the register's codes: OKVED 2 activity codes, region codes and SME categories.

The shipped tables (data/okved2.tsv, data/regions.tsv) name their sources in their first
lines. The register's own activity names (НаимОКВЭД) are kept with the loaded register and
take precedence for the codes they cover (see store.okved_names).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import N_, _
from dossier_cli.text import fold

_DATA = Path(__file__).parent / "data"

# ВидСубМСП: what kind of subject the document describes.
KINDS: dict[int, str] = {1: N_("firm"), 2: N_("sole trader"), 3: N_("farm (sole trader)")}
# КатСубМСП: the SME category.
CATEGORIES: dict[int, str] = {1: N_("micro"), 2: N_("small"), 3: N_("medium")}
_CATEGORY_WORDS = {
    "micro": 1, "микро": 1, "микропредприятие": 1, "1": 1,
    "small": 2, "малое": 2, "малое предприятие": 2, "2": 2,
    "medium": 3, "среднее": 3, "среднее предприятие": 3, "3": 3,
}

# An OKVED 2 code: a class (46), subclass (46.7), group (46.71), subgroup (46.71.1) or kind (46.71.11).
_OKVED = re.compile(r"^\d{2}(\.\d{1,2}(\.\d{1,2})?)?$")
# Sections and the classes they hold (OK 029-2014).
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
    ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
    ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)


def _read_table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _tab, label = line.partition("\t")
            table[code.strip()] = label.strip()
    return table


@cache
def okved_table() -> dict[str, str]:
    """OKVED 2 sections, classes, subclasses and groups with their names (the shipped table)."""
    return _read_table("okved2.tsv")


@cache
def region_table() -> dict[str, str]:
    """Region code -> the region's name (the shipped table)."""
    return _read_table("regions.tsv")


def is_okved_code(text: str) -> bool:
    return bool(_OKVED.match(text.strip()))


def check_okved(text: str) -> str:
    """An OKVED code as typed (`46.7`, `46.71.1`), or a section letter; InvalidInput otherwise."""
    code = text.strip().replace(",", ".")
    if is_okved_code(code):
        return code
    if len(code) == 1 and code.upper() in {s for s, _lo, _hi in _SECTIONS}:
        return code.upper()
    raise InvalidInput(
        _("bad OKVED code '{code}'").format(code=text),
        hint=_("give a class, subclass or group such as 46, 46.7 or 46.71, or a section letter such as G"),
    )


def section_classes(letter: str) -> list[str]:
    """The two-digit classes of an OKVED section (`G` -> 45, 46, 47)."""
    for section, low, high in _SECTIONS:
        if section == letter:
            return [f"{n:02d}" for n in range(low, high + 1)]
    return []


def code_prefixes(codes: list[str]) -> list[str]:
    """The code prefixes a list of OKVED codes or section letters stands for, without overlaps."""
    prefixes: list[str] = []
    for code in codes:
        checked = check_okved(code)
        prefixes.extend(section_classes(checked) if checked.isalpha() else [checked])
    kept: list[str] = []
    for prefix in sorted(set(prefixes)):
        if not any(covers(other, prefix) for other in kept):
            kept.append(prefix)
    return kept


def covers(prefix: str, code: str) -> bool:
    """Whether an OKVED code lies under a prefix: 46.7 covers 46.7, 46.71 and 46.71.1, not 46.8."""
    # Each level adds digits to its parent's code, so "below" is "starts with".
    return code.startswith(prefix)


def okved_name(code: str, register_names: dict[str, str] | None = None) -> str | None:
    """The name of an OKVED code: the register's own, else the shipped table's."""
    if register_names and code in register_names:
        return register_names[code]
    return okved_table().get(code)


def okved_label(code: str, register_names: dict[str, str] | None = None) -> str:
    """`46.71 Торговля оптовая …`, or the bare code when its name is unknown."""
    name = okved_name(code, register_names)
    return f"{code} {name}" if name else code


def plan_terms(territories: list[str], markets: list[str]) -> tuple[list[str], list[str]]:
    """What a plan's words mean in register terms: the names of the regions its territories
    name by code, and the OKVED code prefixes among its markets (a section letter: its classes)."""
    names = [name for t in territories if t.strip().isdigit() and (name := region_name(region_code(t) or ""))]
    prefixes: list[str] = []
    for market in markets:
        code = market.strip().replace(",", ".")
        if is_okved_code(code):
            prefixes.append(code)
        elif len(code) == 1 and code.upper() in {s for s, _lo, _hi in _SECTIONS}:
            prefixes.extend(section_classes(code.upper()))
    return names, prefixes


def find_codes(text: str | None, register_names: dict[str, str] | None = None) -> list[dict[str, str]]:
    """OKVED codes with their names: under a code (46.7), in a section (G), or whose name holds a word."""
    names = {**okved_table(), **(register_names or {})}
    wanted = (text or "").strip()
    if not wanted:
        chosen = [code for code in names if code.isalpha() or len(code) == 2]
    elif is_okved_code(wanted.replace(",", ".")):
        prefix = wanted.replace(",", ".")
        chosen = [code for code in names if not code.isalpha() and covers(prefix, code)]
    elif len(wanted) == 1 and wanted.upper() in {s for s, _lo, _hi in _SECTIONS}:
        classes = section_classes(wanted.upper())
        chosen = [wanted.upper(), *(code for code in names if code[:2] in classes and len(code) <= 4)]
    else:
        folded = fold(wanted)
        chosen = [code for code, name in names.items() if folded in fold(name)]
    return [{"code": code, "name": names[code]} for code in sorted(chosen, key=_code_order)]


def _code_order(code: str) -> tuple:
    if code.isalpha():
        low = next(lo for s, lo, _hi in _SECTIONS if s == code)
        return (low, "")
    return (int(code[:2]), code)


def region_name(code: str | None) -> str | None:
    return region_table().get(code or "")


def region_code(text: str) -> str | None:
    """A region code from a code (`27`, `7`) or a region's name (`Хабаровский край`), or None."""
    value = text.strip()
    if value.isdigit() and len(value) <= 2:
        code = value.zfill(2)
        return code if code in region_table() else None
    folded = fold(value)
    for code, name in region_table().items():
        if fold(name) == folded:
            return code
    return None


def check_region(text: str) -> str:
    code = region_code(text)
    if code is None:
        raise InvalidInput(
            _("unknown region '{region}'").format(region=text),
            hint=_("give the two-digit region code (27 for Хабаровский край) or the region's full name"),
        )
    return code


def check_category(text: str) -> int:
    category = _CATEGORY_WORDS.get(fold(text))
    if category is None:
        raise InvalidInput(
            _("unknown SME category '{category}'").format(category=text), hint=_("choose micro, small or medium")
        )
    return category
