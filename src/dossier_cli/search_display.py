"""What a search hit shows: a snippet cut from the stored text, and hits found by phone.

The SQLite index holds text folded for matching (`ё` as `е`, a dossier answer naming a
person as its JSON), so snippets are made here from the records themselves: the first
field holding a searched word or stem, each match [marked], a window around the first
one. A number typed in any phone format finds the company or person with that phone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session


SNIPPET_BEFORE, SNIPPET_AFTER = 40, 80
_PHONE = re.compile(r"\+?[\d\s().\-]+")

# The fields of a company the search index holds beside its name.
COMPANY_BODY = ("notes", "source", "market", "city", "territory", "tax_number", "industry_needs", "competitors")


@dataclass
class Hit:
    kind: str
    item_id: int
    company_id: int | None
    title: str
    snippet: str
    score: float


def marked_snippet(fields: list[str | None], words: list[str]) -> str:
    """The first field holding a searched word, with each match marked [like this]."""
    for text in fields:
        if not text:
            continue
        lowered = text.lower().replace("ё", "е")
        if len(lowered) != len(text) or not any(word in lowered for word in words):
            continue
        marks = [False] * len(text)
        for word in words:
            start = lowered.find(word)
            while start >= 0 and word:
                for i in range(start, start + len(word)):
                    marks[i] = True
                start = lowered.find(word, start + len(word))
        out, inside = [], False
        for ch, marked in zip(text, marks):
            if marked != inside:
                out.append("[" if marked else "]")
                inside = marked
            out.append(ch)
        if inside:
            out.append("]")
        return "".join(out)
    return next((text for text in fields if text), "")


def phone_hits(session: Session, text: str, *, kinds: tuple[str, ...]) -> list[Hit]:
    """Companies and people with the phone `text` names (in any format); [] when it is no phone."""
    typed = text.strip()
    digits = re.sub(r"\D", "", typed)
    if not _PHONE.fullmatch(typed) or len(digits) < 6:
        return []
    from sqlmodel import select

    from dossier_cli.models import Company, ContactPoint, Person  # a table's model costs 10-15 ms to load
    from dossier_cli.text import like_pattern

    tail = digits[-10:]  # the national number: 8 4212…, +7 4212… and 4212… are one phone
    points = session.exec(
        select(ContactPoint).where(ContactPoint.kind == "phone", ContactPoint.value.like(like_pattern(tail), escape="\\"))  # type: ignore[attr-defined]
    ).all()
    hits: list[Hit] = []
    for point in points:
        if point.company_id is not None and "companies" in kinds:
            company = session.get(Company, point.company_id)
            if company is not None:
                hits.append(Hit("companies", company.id, company.id, company.name, point.value, 1.0))  # type: ignore[arg-type]
        if point.person_id is not None and "people" in kinds:
            person = session.get(Person, point.person_id)
            if person is not None:
                hits.append(Hit("people", person.id, None, person.name, point.value, 1.0))  # type: ignore[arg-type]
    return hits


def answer_text(value_json: str | None) -> str:
    """A dossier answer as a person reads it: a person by name, a list joined, text as it is."""
    try:
        value = json.loads(value_json or "null")
    except ValueError:
        return value_json or ""
    if isinstance(value, dict):
        return str(value.get("name") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, list):
        return ", ".join(answer_text(json.dumps(item, ensure_ascii=False)) for item in value)
    return "" if value is None else str(value)


# Per kind of hit: its model's name and the fields a snippet is cut from, in order.
_SNIPPET_FIELDS: dict[str, tuple[str, Callable[[Any], list[str | None]]]] = {
    "companies": ("Company", lambda c: [c.name, *(getattr(c, column) for column in COMPANY_BODY)]),
    "people": ("Person", lambda p: [p.name, p.notes, p.email]),
    "touches": ("Touch", lambda t: [t.note, t.next_action]),
    "dossier": ("DossierAnswer", lambda a: [answer_text(a.value_json)]),
}


def restore_snippets(session: Session, hits: list[Hit], terms: list[str]) -> None:
    """Replace each hit's snippet by one cut from the stored text (keeping ё and names)."""
    from sqlmodel import select

    from dossier_cli import models

    by_kind: dict[str, set[int]] = {}
    for hit in hits:
        by_kind.setdefault(hit.kind, set()).add(hit.item_id)
    fields: dict[tuple[str, int], list[str | None]] = {}
    for kind, ids in by_kind.items():
        name, fields_of = _SNIPPET_FIELDS[kind]
        model = getattr(models, name)  # loaded only for the kinds hit: a table's model costs 10-15 ms
        for record in session.exec(select(model).where(model.id.in_(ids))):
            fields[(kind, record.id)] = fields_of(record)
    for hit in hits:
        found = fields.get((hit.kind, hit.item_id))
        if found is None or (hit.kind in ("companies", "people") and hit.snippet.startswith("+")):
            continue  # a phone hit shows the phone
        hit.snippet = _window(marked_snippet(found, terms))


def _window(snippet: str) -> str:
    """A long snippet cut around its first match."""
    text = " ".join(snippet.split())
    first = text.find("[")
    if len(text) <= SNIPPET_BEFORE + SNIPPET_AFTER or first < 0:
        return text
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(text), first + SNIPPET_AFTER)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
