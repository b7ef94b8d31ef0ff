"""How complete a company's dossier is, and whether it is ready for first contact.

Completeness is the share of answered items (a stale answer still counts, but is
flagged). The seed: about a prospect we must know almost as much as about a group-A
customer, so a company is ready for first contact when its completeness reaches the
threshold: `dossier.threshold` in the config, else the A group's average when at least
three of its dossiers are answered (half complete or more), else 70%.
`require_dossier_ready` is the hook `promote` calls before a company moves into the
first-contact stage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import Conflict
from dossier_cli.prospect.template import (
    BUYING_ROLES,
    COMPANY_FIELDS,
    Item,
    Template,
    display_value,
    linked_people,
    load_template,
    roles_of,
)
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person


DEFAULT_THRESHOLD = 70.0
MARKS = {"answered": "[x]", "missing": "[ ]", "stale": "[~]"}
_CHUNK = 5000  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


@dataclass
class Known:
    value: Any
    at: datetime | None
    user: str | None


def aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def known_values(
    session: Session, template: Template, company: Company, people_list: list[Person]
) -> dict[tuple[int | None, str], Known]:
    """(person id or None, item key) -> the current value, when and by whom it was given."""
    return _known_from(template, company, people_list, _Stored.load(session, [company.id], people_list))


@dataclass
class Prefetched:
    """What `fill` reads about one company before it checks answers, read for many companies at once."""

    company_id: int
    people: list[Person]
    stored: _Stored

    def known(self, template: Template, company: Company) -> dict[tuple[int | None, str], Known]:
        """`known_values` of the company, from the rows read in advance and the company's and people's current fields."""
        return _known_from(template, company, self.people, self.stored)

    def current_answers(self) -> dict[tuple[int | None, str], list[Any]]:
        """(person id, item key) -> the company's current `DossierAnswer` rows, as read in advance."""
        current: dict[tuple[int | None, str], list[Any]] = {}
        for answer in self.stored.answers.get(self.company_id, []):
            current.setdefault((answer.person_id, answer.item_key), []).append(answer)
        return current


def prefetch_known(session: Session, companies: list[Company]) -> dict[int, Prefetched]:
    """`linked_people` and `known_values` of many companies, in a few queries instead of several per company
    (the bulk import of answers); each company's values are exactly what the one-company forms return."""
    from sqlmodel import select

    from dossier_cli.models import Person, PersonLink

    ids = [c.id for c in companies if c.id is not None]
    people: dict[int, dict[int, Person]] = {cid: {} for cid in ids}
    for start in range(0, len(ids), _CHUNK):
        for person, company_id in session.exec(
            select(Person, PersonLink.company_id)
            .join(PersonLink, PersonLink.person_id == Person.id)
            .where(PersonLink.company_id.in_(ids[start:start + _CHUNK]), PersonLink.active == True)  # type: ignore[attr-defined]  # noqa: E712
            .order_by(PersonLink.id)
        ).all():
            people[company_id].setdefault(person.id, person)
    everyone = [p for by_id in people.values() for p in by_id.values()]
    stored = _Stored.load(session, ids, everyone)
    return {c.id: Prefetched(c.id, list(people[c.id].values()), stored) for c in companies if c.id is not None}


class _Stored:
    """The rows `known_values` reads, for some companies and people."""

    def __init__(self) -> None:
        self.answers: dict[int, list[Any]] = {}
        self.company_events: dict[int, list[Any]] = {}
        self.branches: dict[int, list[str]] = {}
        self.person_events: dict[int, list[Any]] = {}
        self.links: dict[int, list[Any]] = {}

    @classmethod
    def load(cls, session: Session, company_ids: list[Any], people_list: list[Person]) -> _Stored:
        from sqlmodel import select

        from dossier_cli.models import AuditEvent, Branch, DossierAnswer, PersonLink

        stored = cls()
        for start in range(0, len(company_ids), _CHUNK):
            chunk = company_ids[start:start + _CHUNK]
            for answer in session.exec(
                select(DossierAnswer).where(DossierAnswer.company_id.in_(chunk), DossierAnswer.is_current == True)  # type: ignore[attr-defined]  # noqa: E712
            ):
                stored.answers.setdefault(answer.company_id, []).append(answer)
            for event in session.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == "company", AuditEvent.entity_id.in_(chunk))  # type: ignore[union-attr]
                .order_by(AuditEvent.at, AuditEvent.id)
            ):
                stored.company_events.setdefault(event.entity_id, []).append(event)
            for branch in session.exec(select(Branch).where(Branch.company_id.in_(chunk)).order_by(Branch.id)):  # type: ignore[union-attr]
                stored.branches.setdefault(branch.company_id, []).append(branch.city)
            if people_list:
                for link in session.exec(
                    select(PersonLink)
                    .where(PersonLink.company_id.in_(chunk), PersonLink.active == True)  # type: ignore[attr-defined]  # noqa: E712
                    .order_by(PersonLink.id)
                ):
                    stored.links.setdefault(link.company_id, []).append(link)
        person_ids = list({p.id for p in people_list})
        for start in range(0, len(person_ids), _CHUNK):
            for event in session.exec(
                select(AuditEvent)
                .where(AuditEvent.entity == "person", AuditEvent.entity_id.in_(person_ids[start:start + _CHUNK]))  # type: ignore[union-attr]
                .order_by(AuditEvent.at, AuditEvent.id)
            ):
                stored.person_events.setdefault(event.entity_id, []).append(event)
        return stored


def _known_from(
    template: Template, company: Company, people_list: list[Person], stored: _Stored
) -> dict[tuple[int | None, str], Known]:
    known: dict[tuple[int | None, str], Known] = {}
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    person_ids = {p.id for p in people_list}
    for answer in stored.answers.get(company.id, []):
        value = json.loads(answer.value_json)
        if value is None:
            continue
        if answer.person_id is None and answer.item_key in company_items and not company_items[answer.item_key].field:
            known[(None, answer.item_key)] = Known(value, aware(answer.answered_at), answer.user)
        elif answer.person_id in person_ids and answer.item_key in person_items and not person_items[answer.item_key].field:
            known[(answer.person_id, answer.item_key)] = Known(value, aware(answer.answered_at), answer.user)

    # Field items: the value is the column; when and who come from the audit trail.
    changed: dict[str, tuple[datetime | None, str | None]] = {}
    for event in stored.company_events.get(company.id, []):
        for field in json.loads(event.changes_json or "{}"):
            changed[field] = (aware(event.at), event.user)
    fallback = (aware(company.updated_at), None)
    for item in company_items.values():
        if not item.field:
            continue
        value = list(stored.branches.get(company.id, [])) if item.field == "branches" else getattr(company, item.field)
        if value in (None, "", []):
            continue
        at, user = changed.get(item.field, fallback)
        known[(None, item.key)] = Known(value, at, user)

    if people_list:
        person_changed: dict[tuple[int, str], tuple[datetime | None, str | None]] = {}
        events = sorted((e for pid in person_ids for e in stored.person_events.get(pid, [])), key=lambda e: (e.at, e.id))
        for event in events:
            for field in json.loads(event.changes_json or "{}"):
                person_changed[(event.entity_id, field)] = (aware(event.at), event.user)
        links = stored.links.get(company.id, [])
        for person in people_list:
            for item in person_items.values():
                if item.field == "personality_type" and person.personality_type:
                    at, user = person_changed.get((person.id, "personality_type"), (aware(person.updated_at), None))
                    known[(person.id, item.key)] = Known(person.personality_type, at, user)
                elif item.field == "role":
                    roles = [link for link in links if link.person_id == person.id and link.role != "other"]
                    if roles:
                        known[(person.id, item.key)] = Known(roles[0].role, aware(roles[0].created_at), None)
    return known


def _percent(answered: int, total: int) -> float:
    return round(100.0 * answered / total, 1) if total else 100.0


def dossier_status(
    session: Session, settings: Settings, company: Company, *, template: Template | None = None, with_a_group: bool = True
) -> dict[str, Any]:
    """The dossier as a checklist: each item with its mark, completeness per part and overall."""
    from dossier_cli.models import utcnow

    template = template or load_template(settings)
    people_list = linked_people(session, company)
    roles = roles_of(session, company)
    known = known_values(session, template, company, people_list)
    stale_before = utcnow() - timedelta(days=settings.dossier_stale_days)
    parts: list[dict[str, Any]] = []
    answered_total = total = 0

    def entry(item: Item, person: Person | None) -> dict[str, Any]:
        # A per-person item with nobody linked yet is missing (the company's item of the same key is not it).
        found = None if item.per_person and person is None else known.get((person.id if person else None, item.key))
        status = "missing"
        if found is not None:
            status = "stale" if found.at is not None and found.at < stale_before else "answered"
        return {
            "key": item.key,
            "label": item.label,
            "hint": item.hint,
            "kind": item.kind,
            "important": item.important,
            "person": {"id": person.id, "name": person.name} if person else None,
            "status": status,
            "mark": MARKS[status],
            "value": found.value if found else None,
            "display": display_value(item, found.value if found else None, currency=settings.currency),
            "answered_at": found.at.isoformat(timespec="seconds") if found and found.at else None,
            "user": found.user if found else None,
        }

    for part in template.parts:
        subjects: list[Person | None] = list(people_list) if part.per_person and people_list else [None]
        items = [entry(item, subject) for subject in subjects for item in part.items]
        answered = sum(1 for i in items if i["status"] != "missing")
        answered_total += answered
        total += len(items)
        parts.append(
            {
                "key": part.key,
                "title": part.title,
                "per_person": part.per_person,
                "answered": answered,
                "total": len(items),
                "percent": _percent(answered, len(items)),
                "items": items,
            }
        )
    coverage = {
        role: [p.name for p in people_list if role in roles.get(p.id, [])] for role in BUYING_ROLES
    }
    status: dict[str, Any] = {
        "company": {"id": company.id, "name": company.name, "stage": company.stage, "status": company.status},
        "template": template.path,
        "title": template.title,
        "percent": _percent(answered_total, total),
        "answered": answered_total,
        "total": total,
        "parts": parts,
        "people": [{"id": p.id, "name": p.name, "roles": roles.get(p.id, [])} for p in people_list],
        "roles": coverage,
        "economic_buyer_covered": bool(coverage["economic-buyer"]),
    }
    if with_a_group:
        bar = readiness_threshold(session, settings, template=template)
        status["a_group"] = bar["a_group"]
        status["threshold"] = bar["threshold"]
        status["threshold_basis"] = bar["basis"]
        status["ready"] = status["percent"] >= bar["threshold"]
    return status


def missing_items(status: dict[str, Any], *, limit: int | None = None) -> list[str]:
    """The missing items, the important ones first, as 'Label' or 'Label (Person)'."""
    found: list[tuple[int, int, str]] = []
    order = 0
    if not status["economic_buyer_covered"]:
        found.append((0, order, _("an economic buyer (a person linked with the role economic-buyer)")))
    for part in status["parts"]:
        for item in part["items"]:
            order += 1
            if item["status"] != "missing":
                continue
            name = item["label"]
            if item["person"]:
                name = f"{name} ({item['person']['name']})"
            elif part["per_person"]:
                name = f"{name} {_('(no representative linked yet)')}"
            found.append((0 if item["important"] else 1, order, name))
    found.sort()
    names = [name for _, _, name in found]
    return names[:limit] if limit is not None else names


def completeness_by_company(session: Session, template: Template, scope: Any) -> dict[int, float]:
    """Company id -> completeness % for the companies `scope` (a select of ids) names, counted in SQL.

    Gives the same percentages as `dossier_status`.
    """
    from sqlalchemy import and_, case, distinct, exists, func, literal
    from sqlmodel import select

    from dossier_cli.models import Branch, Company, DossierAnswer, Person, PersonLink

    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    answer_keys = [key for key, item in company_items.items() if not item.field]
    person_answer_keys = [key for key, item in person_items.items() if not item.field]
    fields = {item.field for item in company_items.values() if item.field}
    person_fields = {item.field for item in person_items.values() if item.field}

    filled: Any = literal(0)
    for field in fields:
        if field == "branches":
            filled = filled + case((exists(select(Branch.id).where(Branch.company_id == Company.id)), 1), else_=0)
        elif COMPANY_FIELDS[field] == "text":
            column = getattr(Company, field)
            filled = filled + case((and_(column.is_not(None), column != ""), 1), else_=0)
        else:
            filled = filled + case((getattr(Company, field).is_not(None), 1), else_=0)
    # Core execution: plain rows, up to one per company in scope.
    connection = session.connection()
    answered: dict[int, int] = {
        cid: int(n) for cid, n in connection.execute(select(Company.id, filled).where(Company.id.in_(scope)))  # type: ignore[union-attr]
    }

    # The template's keys are counted, not filtered on: an IN over the keys in the WHERE made
    # SQLite probe the answer index once per company and key (0.3 s for 65,000 prospects).
    def of_keys(keys: list[str]) -> Any:
        return func.sum(case((DossierAnswer.item_key.in_(keys), 1), else_=0))  # type: ignore[attr-defined]

    def count_answers(keys: list[str], whose: Any) -> None:
        """Add each company's current, non-empty answers to `keys` (of the company, or of its people)."""
        for cid, n in connection.execute(
            select(DossierAnswer.company_id, of_keys(keys))
            .where(
                DossierAnswer.company_id.in_(scope),
                DossierAnswer.is_current == True,  # noqa: E712
                whose,
                DossierAnswer.value_json != "null",
            )
            .group_by(DossierAnswer.company_id)
        ):
            answered[cid] = answered.get(cid, 0) + int(n)

    if answer_keys:
        count_answers(answer_keys, DossierAnswer.person_id.is_(None))  # type: ignore[union-attr]

    people_count: dict[int, int] = {}
    if person_items:
        active = PersonLink.active == True  # noqa: E712
        # One pass over the links: the people, and those whose personality type and role
        # (the per-person field items) are filled.
        filled_fields: list[Any] = []
        if "personality_type" in person_fields:
            typed = and_(Person.personality_type.is_not(None), Person.personality_type != "")  # type: ignore[union-attr]
            filled_fields.append(func.count(distinct(case((typed, PersonLink.person_id)))))
        if "role" in person_fields:
            filled_fields.append(func.count(distinct(case((PersonLink.role != "other", PersonLink.person_id)))))
        for cid, n, *filled_people in connection.execute(
            select(PersonLink.company_id, func.count(distinct(PersonLink.person_id)), *filled_fields)
            .outerjoin(Person, Person.id == PersonLink.person_id)
            .where(PersonLink.company_id.in_(scope), active)
            .group_by(PersonLink.company_id)
        ):
            people_count[cid] = int(n)
            answered[cid] = answered.get(cid, 0) + sum(int(k) for k in filled_people)
        if person_answer_keys:
            linked = select(PersonLink.person_id).where(PersonLink.company_id == DossierAnswer.company_id, active)
            count_answers(person_answer_keys, DossierAnswer.person_id.in_(linked))  # type: ignore[union-attr]

    result: dict[int, float] = {}
    for cid, count in answered.items():
        total = len(company_items) + len(person_items) * max(1, people_count.get(cid, 0))
        result[cid] = _percent(count, total)
    return result


def _completeness_for_ids(session: Session, template: Template, ids: list[int]) -> dict[int, float]:
    from sqlmodel import select

    from dossier_cli.models import Company

    result: dict[int, float] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        result.update(completeness_by_company(session, template, select(Company.id).where(Company.id.in_(chunk))))
    return result


def _top_stage_scope(settings: Settings) -> Any:
    from sqlmodel import select

    from dossier_cli.models import Company

    return select(Company.id).where(Company.stage == settings.stages[-1], Company.status == "active")


def a_group(session: Session, settings: Settings) -> tuple[list[int], str]:
    """The A group's company ids and what they are: the ABC A group, else the companies at the top stage."""
    from dossier_cli.selling import abc

    ids = abc.abc_group_ids(session, settings, "A")
    if ids:
        return ids, "abc"
    top = list(session.exec(_top_stage_scope(settings)).all())
    return top, "top-stage" if top else "none"


def a_group_average(session: Session, settings: Settings, *, template: Template | None = None) -> dict[str, Any]:
    """The A group's average completeness: the bar a prospect is held to."""
    from dossier_cli.selling import abc

    template = template or load_template(settings)
    ids = abc.abc_group_ids(session, settings, "A")
    if ids:
        basis = "abc"
        percents = _completeness_for_ids(session, template, ids)
    else:
        basis = "top-stage"
        percents = completeness_by_company(session, template, _top_stage_scope(settings))
    if not percents:
        return {"basis": "none", "companies": 0, "answered": 0, "average": None}
    answered = sum(1 for percent in percents.values() if percent >= ANSWERED_PERCENT)
    average = round(sum(percents.values()) / len(percents), 1)
    return {"basis": basis, "companies": len(percents), "answered": answered, "average": average}


# The A group's average is a bar only when it rests on enough answered dossiers (at least
# MIN_ANSWERED of them, each at least ANSWERED_PERCENT complete): the average of a few
# empty dossiers (12%) would make any prospect "ready".
ANSWERED_PERCENT = 50.0
MIN_ANSWERED = 3


def readiness_threshold(session: Session, settings: Settings, *, template: Template | None = None) -> dict[str, Any]:
    """The completeness a prospect needs before first contact, and where that number comes from.

    `dossier.threshold` from the config when set; else the average of the A group's
    answered dossiers when there are at least MIN_ANSWERED; else DEFAULT_THRESHOLD.
    """
    group = a_group_average(session, settings, template=template)
    if settings.dossier_threshold is not None:
        return {"threshold": float(settings.dossier_threshold), "basis": "config", "a_group": group}
    if group["average"] is not None and group["answered"] >= MIN_ANSWERED:
        return {"threshold": group["average"], "basis": "a-group", "a_group": group}
    return {"threshold": DEFAULT_THRESHOLD, "basis": "default", "a_group": group}


def basis_text(bar: dict[str, Any]) -> str:
    """Where the threshold comes from, in a few words for a person."""
    from dossier_cli.i18n import _

    group = bar["a_group"]
    if bar["basis"] == "config":
        return _("from the config: dossier.threshold")
    if bar["basis"] == "a-group":
        return _("the A group's average; {n} of its {total} dossiers are answered").format(
            n=group["answered"], total=group["companies"]
        )
    if group["companies"] == 0:
        return _("the default; there is no A group yet")
    return _(
        "the default; the A group has {n} answered dossier(s) of {total}, at least {need} are needed for its average"
    ).format(n=group["answered"], total=group["companies"], need=MIN_ANSWERED)


def _stage_index(settings: Settings, stage: str) -> int:
    return settings.stages.index(stage) if stage in settings.stages else -1


def require_dossier_ready(session: Session, settings: Settings, company: Company, *, to_stage: str, force: bool) -> None:
    """Raise Conflict when `company` may not yet move to `to_stage` (dossier below threshold)."""
    if force:
        return
    first_contact = _stage_index(settings, settings.first_contact_stage)
    if _stage_index(settings, to_stage) < first_contact or _stage_index(settings, company.stage) >= first_contact:
        return  # only the step from prospecting into (or past) first contact is gated
    status = dossier_status(session, settings, company)
    if status["ready"]:
        return
    missing = missing_items(status)
    shown = ", ".join(missing[:5]) + (_(" and {n} more").format(n=len(missing) - 5) if len(missing) > 5 else "")
    raise Conflict(
        _("the dossier of {name} is {percent:g}% complete, below the {threshold:g}% needed before '{first_contact_stage}'; missing: {shown}").format(name=company.name, percent=status['percent'], threshold=status['threshold'], first_contact_stage=_stage_label(settings.first_contact_stage), shown=shown),
        hint=_("fill it (dossier fill {id}) or add --force").format(id=company.id),
    )


def _stage_label(stage: str) -> str:
    from dossier_cli import vocab
    from dossier_cli.i18n import language

    return vocab.STAGES.label(stage) if language() == "ru" else stage


def ready_report(session: Session, settings: Settings, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Prospects (before first contact) at or over the threshold, and how far the others are."""
    from sqlmodel import select

    from dossier_cli.models import Company
    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    template = load_template(settings)
    bar = readiness_threshold(session, settings, template=template)
    first_contact = _stage_index(settings, settings.first_contact_stage)
    prospect_stages = settings.stages[:first_contact]
    scope = select(Company.id).where(Company.status == "active", Company.stage.in_(prospect_stages))  # type: ignore[attr-defined]
    percents = completeness_by_company(session, template, scope) if prospect_stages else {}
    ranked = sorted(percents.items(), key=lambda pair: (-(pair[1] >= bar["threshold"]), -pair[1], pair[0]))
    rows: list[dict[str, Any]] = []
    for company_id, percent in ranked[offset : offset + limit]:
        company = session.get(Company, company_id)
        ready = percent >= bar["threshold"]
        missing: list[str] = []
        if not ready:
            missing = missing_items(dossier_status(session, settings, company, template=template, with_a_group=False), limit=5)
        rows.append(
            {
                "id": company_id,
                "name": company.name,
                "stage": company.stage,
                "percent": percent,
                "ready": ready,
                "short_by": 0.0 if ready else round(bar["threshold"] - percent, 1),
                "missing": missing,
            }
        )
    return {
        "threshold": bar["threshold"],
        "basis": bar["basis"],
        "a_group": bar["a_group"],
        "prospects": len(percents),
        "ready_count": sum(1 for p in percents.values() if p >= bar["threshold"]),
        "companies": rows,
    }
