"""Likely duplicates: two companies (or two people) that are probably one.

Two signals. Shared identifiers: the same tax number, OGRN, phone, e-mail or website,
or the same e-mail domain / website host (public mail services excepted). Alike names:
names are reduced to their key (`text.company_key` drops legal forms, quotes and case),
transliterated to Latin with `anyascii` so «Ромашка» and "Romashka" meet, and compared
with `rapidfuzz` (word order ignored). Name comparison is blocked on word beginnings so
that a large list is not compared pair by pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.records.name_index import latin_key, name_blocks
from dossier_cli.text import company_key, person_key
from dossier_cli.i18n import N_, _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company

DEFAULT_THRESHOLD = 85
KINDS: tuple[str, ...] = ("companies", "people")
# What two records may share, as a reason names it (translated where the reason is written).
_SHARED = (N_("web domain"), N_("tax number"), N_("OGRN"), N_("phone"), N_("e-mail"), N_("email"), N_("website"))

# Mail services shared by unrelated firms: a common domain there says nothing.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "yandex.ru", "ya.ru", "yandex.com", "narod.ru",
        "rambler.ru", "lenta.ru", "autorambler.ru", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
        "live.com", "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de",
        "gmx.net", "web.de", "mail.com", "qq.com", "163.com", "ukr.net", "tut.by", "mail.kz",
    }
)
_REASON_SCORES = {
    "tax number": 100, "OGRN": 100, "phone": 100, "e-mail": 100, "website": 95, "web domain": 90,
}
_MAX_GROUP = 50  # an identifier shared by more records than this is noise, not a duplicate
_MAX_BLOCK = 3000  # a word beginning shared by more names than this is too common to block on


@dataclass
class Candidate:
    """One record as duplicate detection sees it."""

    id: int
    name: str
    key: str  # company_key / person_key of the name
    identifiers: set[tuple[str, str]] = field(default_factory=set)  # (reason, value)


@dataclass
class Pair:
    first: Candidate
    second: Candidate
    score: int
    reasons: list[str]

    def record(self, kind: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "score": self.score,
            "reason": "; ".join(self.reasons),
            "first_id": self.first.id,
            "first": self.first.name,
            "second_id": self.second.id,
            "second": self.second.name,
        }


def find_pairs(candidates: list[Candidate], *, threshold: int = DEFAULT_THRESHOLD) -> list[Pair]:
    """Pairs scoring at least `threshold`, best first; shared identifiers score 90-100."""
    if not 0 <= threshold <= 100:
        raise InvalidInput(_("--threshold {threshold} is out of range; give 0 to 100").format(threshold=threshold))
    by_id = {c.id: c for c in candidates}
    found: dict[tuple[int, int], Pair] = {}

    def note(a: Candidate, b: Candidate, score: int, reason: str) -> None:
        if a.id == b.id or score < threshold:
            return
        first, second = (a, b) if a.id < b.id else (b, a)
        pair = found.get((first.id, second.id))
        if pair is None:
            found[(first.id, second.id)] = Pair(first, second, score, [reason])
        else:
            pair.score = max(pair.score, score)
            if reason not in pair.reasons:
                pair.reasons.append(reason)

    sharing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for candidate in candidates:
        for identifier in candidate.identifiers:
            sharing[identifier].append(candidate.id)
    for (reason, value), ids in sharing.items():
        unique_ids = sorted(set(ids))
        if 1 < len(unique_ids) <= _MAX_GROUP:
            for i, a in enumerate(unique_ids):
                for b in unique_ids[i + 1 :]:
                    note(by_id[a], by_id[b], _REASON_SCORES.get(reason, 90), _("same {what} {value}").format(what=_(reason), value=value))

    latin = {c.id: latin_key(c.key) for c in candidates}
    blocks: dict[str, list[int]] = defaultdict(list)
    for candidate in candidates:
        for block in name_blocks(latin[candidate.id]):
            blocks[block].append(candidate.id)
    compared: set[tuple[int, int]] = set()
    for ids in blocks.values():
        if len(ids) < 2 or len(ids) > _MAX_BLOCK:
            continue
        _compare_block(ids, latin, compared, lambda a, b, s: note(by_id[a], by_id[b], s, _name_reason(by_id[a], by_id[b], s)), threshold)
    return sorted(found.values(), key=lambda p: (-p.score, p.first.id, p.second.id))


def _name_reason(a: Candidate, b: Candidate, score: int) -> str:
    if a.key == b.key:
        return _("same name apart from legal form, quotes and case")
    if latin_key(a.key) == latin_key(b.key):
        return _("same name in another alphabet")
    return _("alike names ({score}%)").format(score=score)


def _compare_block(ids: list[int], latin: dict[int, str], compared: set[tuple[int, int]], note: Any, threshold: int) -> None:
    from rapidfuzz import fuzz, process

    names = [latin[i] for i in ids]
    for i, name in enumerate(names):
        if not name:
            continue
        # One C++ call per name against the rest of its block; Python only for the hits.
        rest = names[i + 1 :]
        hits: dict[int, float] = {}
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for _, score, j in process.extract(name, rest, scorer=scorer, score_cutoff=threshold, limit=None):
                hits[j] = max(hits.get(j, 0), score)
        for j, score in hits.items():
            a, b = ids[i], ids[i + 1 + j]
            pair = (a, b) if a < b else (b, a)
            if pair in compared or not names[i + 1 + j]:
                continue
            compared.add(pair)
            note(a, b, round(score))


# ---------------------------------------------------------------- from the database
def _domain_of(kind: str, value: str) -> str | None:
    domain = value.rsplit("@", 1)[-1] if kind == "email" else value
    return None if domain in PUBLIC_MAIL_DOMAINS else domain


def _contact_identifiers(kind: str, value: str) -> Iterable[tuple[str, str]]:
    from dossier_cli.records.contacts import display

    yield ({"phone": "phone", "email": "e-mail", "website": "website"}[kind], display(kind, value))
    domain = _domain_of(kind, value)
    if domain:
        yield ("web domain", domain)


def company_candidates(session: Session, *, company_ids: list[int] | None = None) -> list[Candidate]:
    from sqlmodel import select

    from dossier_cli.models import Company, ContactPoint

    query = select(Company.id, Company.name, Company.name_key, Company.tax_number, Company.ogrn)
    points = select(ContactPoint.company_id, ContactPoint.kind, ContactPoint.value).where(
        ContactPoint.company_id.is_not(None)  # type: ignore[union-attr]
    )
    if company_ids is not None:
        query = query.where(Company.id.in_(company_ids))  # type: ignore[union-attr]
        points = points.where(ContactPoint.company_id.in_(company_ids))  # type: ignore[union-attr]
    candidates: dict[int, Candidate] = {}
    for cid, name, key, tax_number, ogrn in session.exec(query):
        candidate = Candidate(id=cid, name=name, key=key or company_key(name))
        if tax_number:
            candidate.identifiers.add(("tax number", re.sub(r"[\s\-.]", "", tax_number).upper()))
        if ogrn:
            candidate.identifiers.add(("OGRN", ogrn))
        candidates[cid] = candidate
    for cid, kind, value in session.exec(points):
        if cid in candidates:
            candidates[cid].identifiers.update(_contact_identifiers(kind, value))
    return list(candidates.values())


def person_candidates(session: Session) -> list[Candidate]:
    from sqlmodel import select

    from dossier_cli.records.contacts import display
    from dossier_cli.models import ContactPoint, Person

    candidates: dict[int, Candidate] = {}
    for pid, name, key, phone, email in session.exec(select(Person.id, Person.name, Person.name_key, Person.phone, Person.email)):
        candidate = Candidate(id=pid, name=name, key=key or person_key(name))
        if phone:
            candidate.identifiers.add(("phone", display("phone", phone)))
        if email:
            candidate.identifiers.add(("e-mail", email.lower()))
        candidates[pid] = candidate
    points = select(ContactPoint.person_id, ContactPoint.kind, ContactPoint.value).where(
        ContactPoint.person_id.is_not(None), ContactPoint.kind != "website"  # type: ignore[union-attr]
    )
    for pid, kind, value in session.exec(points):
        if pid in candidates:
            label = "phone" if kind == "phone" else "e-mail"
            candidates[pid].identifiers.add((label, display(kind, value)))
    return list(candidates.values())


def list_dupes(session: Session, *, kind: str = "companies", threshold: int = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """Likely duplicate pairs as records: kind, score, reason, first/second id and name."""
    from dossier_cli.text import fold

    kinds = {"companies": "companies", "company": "companies", "people": "people", "person": "people", "persons": "people"}
    chosen = kinds.get(fold(kind))
    if chosen is None:
        raise InvalidInput(_("unknown kind '{kind}'").format(kind=kind), hint=_("companies or people"))
    candidates = company_candidates(session) if chosen == "companies" else person_candidates(session)
    label = "company" if chosen == "companies" else "person"
    return [pair.record(label) for pair in find_pairs(candidates, threshold=threshold)]


def _names_sharing_a_block(session: Session, company_id: int, latin: str) -> list[tuple[int, str]]:
    """(id, Latin key) of the other companies filed under any of this name's blocks.

    A block shared by more than _MAX_BLOCK names is too common to say anything (as in
    `find_pairs`); its size is counted only up to that bound, so the work stays the same
    however large the database grows.
    """
    from sqlalchemy import func, select

    from dossier_cli.models import Company
    from dossier_cli.models import CompanyNameBlock as Block

    usable = []
    for block in sorted(name_blocks(latin)):
        bounded = select(Block.company_id).where(Block.block == block).limit(_MAX_BLOCK + 1).subquery()
        if session.execute(select(func.count()).select_from(bounded)).scalar_one() <= _MAX_BLOCK:
            usable.append(block)
    if not usable:
        return []
    sharing = (
        select(Block.company_id).where(Block.block.in_(usable), Block.company_id != company_id).distinct()  # type: ignore[attr-defined]
    )
    query = select(Company.id, Company.name_key).where(Company.id.in_(sharing)).order_by(Company.id)  # type: ignore[union-attr]
    return [(cid, latin_key(key or "")) for cid, key in session.execute(query)]


def look_alikes(session: Session, settings: Settings, company: Company, *, threshold: int = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """Existing companies that the given one looks like (for the warning on `add company`).

    The names compared are those filed under one of the new name's blocks (the
    company_name_block index), as `dupes` compares them; a shared OGRN or web domain is
    found through its own index. Only the few near ones are then scored in full.
    """
    from rapidfuzz import fuzz, process
    from sqlmodel import select

    from dossier_cli.models import Company, ContactPoint

    mine = company_candidates(session, company_ids=[company.id])
    if not mine:
        return []
    latin_mine = latin_key(mine[0].key)
    near: set[int] = set()
    if latin_mine:
        rows = _names_sharing_a_block(session, company.id, latin_mine)
        keys = [key for _, key in rows]
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for _, _, index in process.extract(latin_mine, keys, scorer=scorer, score_cutoff=threshold, limit=20):
                near.add(rows[index][0])
    for reason, value in mine[0].identifiers:
        if reason == "OGRN":
            near.update(session.exec(select(Company.id).where(Company.ogrn == value, Company.id != company.id)))
        elif reason == "web domain":
            near.update(
                cid
                for cid in session.exec(
                    select(ContactPoint.company_id).where(
                        ContactPoint.company_id.is_not(None),  # type: ignore[union-attr]
                        ContactPoint.company_id != company.id,
                        ((ContactPoint.kind == "website") & (ContactPoint.value == value))
                        | ((ContactPoint.kind == "email") & ContactPoint.value.endswith("@" + value, autoescape=True)),  # type: ignore[attr-defined]
                    )
                )
                if cid is not None
            )
    if not near:
        return []
    result: list[dict[str, Any]] = []
    for pair in find_pairs(company_candidates(session, company_ids=[company.id, *sorted(near)]), threshold=threshold):
        if company.id in (pair.first.id, pair.second.id):
            other = pair.second if pair.first.id == company.id else pair.first
            result.append({"id": other.id, "name": other.name, "score": pair.score, "reason": "; ".join(pair.reasons)})
    return result[:10]
