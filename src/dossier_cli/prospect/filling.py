"""Filling the dossier: answers from `--set`, a file or the editor, checked against the
template and written as one change (facts on the company or person, the rest as
`DossierAnswer` rows whose earlier values stay as history); the questions still open.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from dossier_cli import audit, deferred
from dossier_cli.errors import InvalidInput
from dossier_cli.prospect.completeness import Prefetched, aware, known_values
from dossier_cli.prospect.template import (
    Item,
    Template,
    display_value,
    input_value,
    item_choices,
    linked_people,
    linked_person,
    load_template,
    parse_value,
    roles_of,
)
from dossier_cli.text import fold
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """`key=value` strings (from repeated --set) as a mapping; a repeated key collects a list."""
    answers: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(_('bad --set \'{pair}\': write it as key=value, e.g. --set competitors="Восток-Трейд"').format(pair=pair))
        if key in answers:
            previous = answers[key]
            answers[key] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            answers[key] = value
    return answers


def parse_answers_document(text: str, *, source: str) -> dict[str, Any]:
    """A YAML or JSON mapping of item key -> answer (with an optional `people:` mapping)."""
    from dossier_cli.documents import parse_yaml

    raw = parse_yaml(text, source=source, what="YAML or JSON", hint=_("nothing was saved"))
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput(_("{source}: expected a mapping of item: answer; nothing was saved").format(source=source))
    return {str(key): value for key, value in raw.items()}


@dataclass
class _Change:
    item: Item
    person: Person | None
    old: Any
    new: Any


def check_answer(session: Session, settings: Settings, company: Company, item: Item, raw: Any) -> Any:
    """One answer checked the way `fill` checks it; InvalidInput names the item."""
    try:
        return parse_value(session, settings, company, item, raw)
    except InvalidInput as exc:
        raise InvalidInput(_("item '{key}' ({label}): {exc}").format(key=item.key, label=item.label, exc=exc)) from None


def closest_items(typed: str, scope: Mapping[str, Item]) -> str:
    """What an unknown item key might have meant: the item whose label (in the dossier's
    language) it is, or the closest keys by spelling and by label; else where to see them."""
    from dossier_cli.i18n import _

    folded = fold(typed).strip()
    by_label: dict[str, str] = {}
    for key, item in scope.items():
        by_label.setdefault(fold(item.label), key)
    if folded in by_label:
        key = by_label[folded]
        return _("; '{typed}' is the item \"{label}\": its key is '{key}'").format(
            typed=typed, label=scope[key].label, key=key
        )
    found: list[str] = []
    for key in difflib.get_close_matches(typed, list(scope), n=3, cutoff=0.6):
        found.append(key)
    for label in difflib.get_close_matches(folded, list(by_label), n=3, cutoff=0.6):
        found.append(by_label[label])
    if len(folded) >= 4:
        found += [key for label, key in by_label.items() if folded in label]
    found = list(dict.fromkeys(found))[:3]
    if not found:
        return _("; see every key with `dossier checklist COMPANY --keys`")
    return _("; closest: {keys}").format(keys=", ".join(f"'{key}' ({scope[key].label})" for key in found))


def fill(
    session: Session,
    settings: Settings,
    company: Company,
    answers: Mapping[str, Any],
    *,
    person: str | None = None,
    template: Template | None = None,
    answered_at: datetime | None = None,
    prefetched: Prefetched | None = None,
    flush: bool = True,
) -> list[dict[str, Any]]:
    """Answer dossier items; all are checked before anything is saved. Returns what changed.

    `answers` maps item keys to values; per-person items go to `person`, or under a
    `people:` mapping of person -> {key: value}. Unchanged answers are skipped, so
    history only grows when something is learned. `prefetched` is the company's people and known
    values read by `prefetch_known` for many companies at once (the import), instead of read here;
    with `flush=False` the caller flushes (the import: once per batch of answers).
    """
    template = template or load_template(settings)
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    answers = dict(answers)
    people_section = answers.pop("people", None)
    problems: list[str] = []
    wanted: list[tuple[Item, Person | None, Any]] = []
    subject = linked_person(session, company, person) if person else None

    def unknown(key: str, scope: dict[str, Item], where: str) -> str:
        return f"unknown dossier item '{key}'{where}{closest_items(key, scope)}"

    for key, raw in answers.items():
        if subject is not None and key in person_items:
            wanted.append((person_items[key], subject, raw))
        elif key in company_items:
            wanted.append((company_items[key], None, raw))
        elif key in person_items:
            problems.append(f"item '{key}' ({person_items[key].label}) is answered per person: add --person NAME")
        else:
            problems.append(unknown(key, {**company_items, **person_items}, ""))
    if people_section is not None:
        if not isinstance(people_section, dict):
            problems.append("'people' must be a mapping of person -> {item: answer}")
        else:
            for ref, section in people_section.items():
                try:
                    who = linked_person(session, company, str(ref))
                except InvalidInput as exc:
                    problems.append(f"people: {exc}")
                    continue
                if not isinstance(section, dict):
                    if section is not None:
                        problems.append(f"people: {who.name}: expected a mapping of item: answer")
                    continue
                for key, raw in section.items():
                    if str(key) in person_items:
                        wanted.append((person_items[str(key)], who, raw))
                    else:
                        problems.append(unknown(str(key), person_items, f" for {who.name}"))

    if prefetched is not None:
        known = prefetched.known(template, company)
    else:
        known = known_values(session, template, company, linked_people(session, company))
    changes: list[_Change] = []
    for item, who, raw in wanted:
        try:
            value = check_answer(session, settings, company, item, raw)
        except InvalidInput as exc:
            where = f" for {who.name}" if who else ""
            problems.append(f"{exc.message}{where}" + (f" ({exc.hint})" if exc.hint else ""))
            continue
        current = known.get((who.id if who else None, item.key))
        old = current.value if current else None
        if _same(item, old, value, session, company, who):
            continue
        changes.append(_Change(item, who, old, value))
    if problems:
        raise InvalidInput("; ".join(problems) + "; nothing was saved")
    if changes:
        _apply(session, settings, company, changes, answered_at=answered_at,
               current=prefetched.current_answers() if prefetched is not None else None, flush=flush)
    return [
        {
            "key": c.item.key,
            "label": c.item.label,
            "person": c.person.name if c.person else None,
            "old": c.old,
            "new": c.new,
        }
        for c in changes
    ]


def _same(item: Item, old: Any, new: Any, session: Session, company: Company, who: Person | None) -> bool:
    if item.field == "role" and who is not None and new is not None:
        return roles_of(session, company).get(who.id, []) == [new]
    if item.kind == "person" and isinstance(old, dict) and isinstance(new, dict):
        return old.get("id") == new.get("id")
    if item.kind == "list" and old is not None and new is not None:
        return [fold(str(v)) for v in old] == [fold(str(v)) for v in new]
    return old == new


def _apply(session: Session, settings: Settings, company: Company, changes: list[_Change], *,
           answered_at: datetime | None = None, current: dict[tuple[int | None, str], list[Any]] | None = None,
           flush: bool = True) -> None:
    from sqlmodel import select

    from dossier_cli.models import DossierAnswer, utcnow
    from dossier_cli.records import companies

    user = audit.current_user()
    fields: dict[str, Any] = {}
    name: str | None = None
    add_branches: list[str] = []
    remove_branches: list[str] = []
    for change in changes:
        field = change.item.field
        if change.person is None and field:
            if field == "name":
                if change.new is None:
                    raise InvalidInput(_("item '{key}' ({label}): a company must keep its name").format(key=change.item.key, label=change.item.label))
                name = change.new
            elif field == "branches":
                old = {fold(c): c for c in change.old or []}
                new = {fold(c): c for c in change.new or []}
                add_branches += [city for key, city in new.items() if key not in old]
                remove_branches += [city for key, city in old.items() if key not in new]
            else:
                fields[field] = "" if change.new is None else str(change.new)
    if fields or name is not None or add_branches or remove_branches:
        companies.edit_company(
            session,
            settings,
            company,
            name=name,
            fields=fields,
            add_branches=add_branches,
            remove_branches=remove_branches,
        )
    # (person id, item key) -> its current answers: read below with one query, unless read in advance
    new_answers: list[dict[str, Any]] = []
    for change in changes:
        who, item = change.person, change.item
        if who is not None and item.field == "personality_type":
            who.personality_type = change.new
            who.updated_at = utcnow()
            session.add(who)
            audit.record(
                session, action="update", entity="person", entity_id=who.id, company_id=company.id,
                changes={"personality_type": [change.old, change.new]},
            )
        elif who is not None and item.field == "role":
            _set_role(session, company, who, change.new)
        elif not item.field:
            if current is None:  # one query for the answers these changes replace, not one per change
                current = {}
                keys = sorted({c.item.key for c in changes if not c.item.field})
                for previous in session.exec(
                    select(DossierAnswer).where(
                        DossierAnswer.company_id == company.id,
                        DossierAnswer.item_key.in_(keys),  # type: ignore[attr-defined]
                        DossierAnswer.is_current == True,  # noqa: E712
                    )
                ):
                    current.setdefault((previous.person_id, previous.item_key), []).append(previous)
            subject_id = who.id if who else None
            for previous in current.pop((subject_id, item.key), []):
                if isinstance(previous, dict):  # written by this call, below
                    previous["is_current"] = False
                    continue
                previous.is_current = False
                session.add(previous)
            answer = {
                "company_id": company.id, "person_id": subject_id, "item_key": item.key,
                "value_json": json.dumps(change.new, ensure_ascii=False), "is_current": True,
                "answered_at": answered_at if answered_at is not None else utcnow(), "user": user,
            }
            new_answers.append(answer)
            current[(subject_id, item.key)] = [answer]
    # one INSERT for the call's answers (a table model object costs ~0.4 ms to make), or with the import's batch
    deferred.insert(session, DossierAnswer.__table__, new_answers)  # type: ignore[attr-defined]
    audit.record(
        session,
        action="fill",
        entity="dossier",
        entity_id=company.id,
        company_id=company.id,
        changes={
            (f"{c.person.name}: {c.item.key}" if c.person else c.item.key): [c.old, c.new] for c in changes
        },
    )
    if flush:
        session.flush()


def _set_role(session: Session, company: Company, who: Person, role: str | None) -> None:
    """Give `who` the buying `role` at `company` (their one current role there); None clears it to 'other'."""
    from dossier_cli.records.people import set_role
    from dossier_cli.records.roles import active_links

    if role is None and not active_links(session, person_id=who.id, company_id=company.id):  # type: ignore[arg-type]
        return
    set_role(session, person=who, company=company, role=role or "other")


def questions(
    session: Session, settings: Settings, company: Company, *, person: str | None = None, missing_only: bool = True
) -> list[dict[str, Any]]:
    """The items to ask at a terminal, in template order: each {item, person, current}."""
    template = load_template(settings)
    people_list = [linked_person(session, company, person)] if person else linked_people(session, company)
    known = known_values(session, template, company, linked_people(session, company))
    asked: list[dict[str, Any]] = []
    for part in template.parts:
        subjects: list[Person | None] = list(people_list) if part.per_person else [None]
        if person and not part.per_person:
            continue
        for subject in subjects:
            for item in part.items:
                current = known.get((subject.id if subject else None, item.key))
                if missing_only and current is not None:
                    continue
                asked.append(
                    {
                        "item": item,
                        "person": subject,
                        "current": display_value(item, current.value if current else None, currency=settings.currency),
                        "choices": item_choices(item, settings) if item.kind == "choice" else (),
                    }
                )
    return asked


def editor_document(session: Session, settings: Settings, company: Company, *, person: str | None = None) -> str:
    """The dossier as a commented YAML document for `fill --edit`."""
    import yaml

    template = load_template(settings)
    people_all = linked_people(session, company)
    people_list = [linked_person(session, company, person)] if person else people_all
    known = known_values(session, template, company, people_all)
    names = [p.name for p in people_all]

    def block(item: Item, subject: Person | None, indent: str) -> list[str]:
        current = known.get((subject.id if subject else None, item.key))
        lines = [f"{indent}# {item.label}" + (f" — {item.hint}" if item.hint else "")]
        choices = item_choices(item, settings) if item.kind == "choice" else ()
        if choices:
            lines.append(f"{indent}#   choices: {', '.join(choices)}")
        dumped = yaml.safe_dump(
            {item.key: input_value(item, current.value if current else None)},
            allow_unicode=True, default_flow_style=False, sort_keys=False, width=100_000,
        )
        lines += [indent + line for line in dumped.rstrip("\n").splitlines()]
        return lines

    lines = [
        f"# {template.title}: {company.name} (#{company.id})",
        "# Fill in what you know and save; leave ~ where you do not know yet.",
        "# Lists: one '- value' per line. Lines starting with # are ignored.",
        "",
    ]
    if not person:
        for part in template.parts:
            if part.per_person:
                continue
            lines += [f"# ==== {part.title}", ""]
            for item in part.items:
                lines += [*block(item, None, ""), ""]
    person_parts = [part for part in template.parts if part.per_person]
    if person_parts and people_list:
        lines += [f"# ==== {' / '.join(p.title for p in person_parts)}", "people:"]
        for subject in people_list:
            ref = subject.name if names.count(subject.name) == 1 else str(subject.id)
            lines.append(f"  {json.dumps(ref, ensure_ascii=False)}:")
            for part in person_parts:
                for item in part.items:
                    lines += block(item, subject, "    ")
            lines.append("")
    elif person_parts and not person:
        lines += [f"# ==== {' / '.join(p.title for p in person_parts)}: link people to the company to answer these"]
    return "\n".join(lines) + "\n"


def dossier_history(session: Session, settings: Settings, company: Company) -> list[dict[str, Any]]:
    """Every answer ever given, oldest first: the dossier's growth, with who and when."""
    from sqlmodel import select

    from dossier_cli.models import AuditEvent, DossierAnswer, Person

    template = load_template(settings)
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    by_field = {item.field: item for item in company_items.values() if item.field}
    names = {p.id: p.name for p in session.exec(select(Person).join(DossierAnswer, DossierAnswer.person_id == Person.id)
                                                .where(DossierAnswer.company_id == company.id))}
    rows: list[dict[str, Any]] = []
    for answer in session.exec(select(DossierAnswer).where(DossierAnswer.company_id == company.id)):
        scope = person_items if answer.person_id else company_items
        item = scope.get(answer.item_key)
        value = json.loads(answer.value_json)
        rows.append(
            {
                "at": aware(answer.answered_at),
                "user": answer.user,
                "item": answer.item_key,
                "label": item.label if item else answer.item_key,
                "person": names.get(answer.person_id) if answer.person_id else None,
                "value": display_value(item, value, currency=settings.currency) if item else json.dumps(value, ensure_ascii=False),
                "current": answer.is_current,
            }
        )
    for event in session.exec(
        select(AuditEvent).where(AuditEvent.entity == "company", AuditEvent.entity_id == company.id)
    ):
        for field, change in json.loads(event.changes_json or "{}").items():
            item = by_field.get(field)
            if item is None:
                continue
            value = change[1] if event.action == "update" and isinstance(change, list) and len(change) == 2 else change
            rows.append(
                {
                    "at": aware(event.at),
                    "user": event.user,
                    "item": item.key,
                    "label": item.label,
                    "person": None,
                    "value": display_value(item, value, currency=settings.currency) if value is not None else "",
                    "current": None,
                }
            )
    rows.sort(key=lambda row: (row["at"] or datetime.min.replace(tzinfo=timezone.utc)))
    for row in rows:
        row["at"] = row["at"].isoformat(timespec="seconds") if row["at"] else None
    return rows
