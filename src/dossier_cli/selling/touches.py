"""The contact log: touches, their next steps (the agenda), and prospects gone quiet.

A touch is one contact with a company: a call, a letter, a meeting… with an outcome and
perhaps a next step (a date and an action). A next step stays open until it is marked
done, or until a touch that answers it is logged on or after the day of the touch that
set it: a touch with the same person, or any touch with the company when the step names
no one. The later contact is the follow-up.

Dates are calendar dates in the user's local time zone; "today" is always passed in
(`local_today()` by default), so the agenda is right around midnight and month ends.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli import audit, vocab
from dossier_cli.errors import Conflict, InvalidInput, NotFound
from dossier_cli.formatting import format_day
from dossier_cli.i18n import _, N_
from dossier_cli.text import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person, Touch
    from dossier_cli.parsing import Period

OUTCOMES: tuple[str, ...] = vocab.OUTCOMES.values


def local_today() -> date:
    """Today in the user's local time zone (not UTC: a salesperson's day ends at their midnight)."""
    return date.today()


# ---------------------------------------------------------------- validation
def normalise_kind(value: str, settings: Settings) -> str:
    """A kind of touch as configured, named in either language (`звонок`, `call`, `phone`)."""
    kind = vocab.TOUCH_KINDS.resolve_configured(value, settings.touch_kinds)
    if kind is not None:
        return kind
    raise InvalidInput(
        _("unknown kind of touch '{value}'").format(value=value),
        hint=_("choose one of: {choices}; add your own under 'touch_kinds:' in the config file").format(
            choices=", ".join(vocab.TOUCH_KINDS.label(kind) for kind in settings.touch_kinds)
        ),
    )


def normalise_outcome(value: str) -> str:
    """An outcome named in either language (`нет ответа`, `не дозвонился`, `no answer`)."""
    return vocab.OUTCOMES.require(value, _("unknown outcome '{value}'"))


def _clean_text(value: str | None, *, field: str, max_length: int = 10_000) -> str | None:
    if value is None:
        return None
    text = check_text(value, field=field, max_length=max_length).strip()
    return text or None


# ---------------------------------------------------------------- the log
def check_touch(
    settings: Settings,
    *,
    company: Any,
    kind: str,
    person: Any = None,
    touched_on: date | None = None,
    outcome: str | None = None,
    note: str | None = None,
    next_on: date | None = None,
    next_action: str | None = None,
    force: bool = False,
    today: date | None = None,
) -> dict[str, Any]:
    """Every rule a new touch must meet, as `add touch` and `import touches` both apply it; the
    values to store. `company` and `person` need only their id, name, status / do_not_contact."""
    today = today or local_today()
    touched_on = touched_on or today
    kind = normalise_kind(kind, settings)
    outcome = normalise_outcome(outcome) if outcome is not None else None
    note = _clean_text(note, field=N_("note"))
    next_action = _clean_text(next_action, field=N_("next action"), max_length=1000)
    if touched_on > today:
        raise InvalidInput(
            _("the touch date {touched_on} is in the future").format(touched_on=format_day(touched_on)),
            hint=_("log contacts that happened; plan the next one with --next DATE"),
        )
    if next_action is not None and next_on is None:
        raise InvalidInput(_("--next-action needs a date: add --next DATE"))
    if next_on is not None and next_on < touched_on:
        raise InvalidInput(_("the next step ({next_on}) is before the touch itself ({touched_on})").format(next_on=format_day(next_on), touched_on=format_day(touched_on)))
    from dossier_cli.records.objections import refuse_contact

    refuse_contact(person)
    if company.status == "liquidated" and not force:
        raise Conflict(
            _("company #{id} {name} is liquidated").format(id=company.id, name=company.name),
            hint=_("its people stay in your contacts; add --force to log a touch with the company anyway"),
        )
    return {
        "company_id": company.id, "person_id": person.id if person is not None else None, "touched_on": touched_on,
        "kind": kind, "outcome": outcome, "note": note, "next_on": next_on, "next_action": next_action,
    }


# What check_touch gives and add_touches writes.
_TOUCH_COLUMNS = ("company_id", "person_id", "touched_on", "kind", "outcome", "note", "next_on", "next_action")


def add_touches(session: Session, touches: list[dict[str, Any]], *, done: list[bool] | None = None) -> list[int]:
    """Write touches checked by `check_touch`, in their order, in one statement; returns their ids.

    As if each were logged in turn: a touch closes the open next steps it answers (with its
    company, dated on or before it, naming its person or no one), and a touch whose step a
    later one in the log answers starts out done.
    `done` marks touches done whatever the log says (an import's "done" column).
    """
    import sqlalchemy as sa

    from dossier_cli.models import Touch, utcnow

    if not touches:
        return []
    table = Touch.__table__
    conn = session.connection()
    session.flush()
    before = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar()
    user, now = audit.current_user(), utcnow()
    if conn.dialect.name == "sqlite":  # new ids follow the largest; the write lock holds them
        from dossier_cli.inserts import DriverInsert

        insert = DriverInsert(conn, table, (*_TOUCH_COLUMNS, "done", "user", "created_at"))
        insert.execute([(*(values[name] for name in _TOUCH_COLUMNS), False, user, now) for values in touches])
        ids = list(conn.execute(sa.select(table.c.id).where(table.c.id > before).order_by(table.c.id)).scalars())
    else:
        rows = [{**values, "done": False, "user": user, "created_at": now} for values in touches]
        ids = [r[0] for r in conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)]
    t, u = table, table.alias("u")
    later = sa.exists().where(
        u.c.company_id == t.c.company_id,
        # A step is answered by a touch with the person it names, or by any when it names no one.
        sa.or_(t.c.person_id.is_(None), u.c.person_id == t.c.person_id),
        sa.or_(
            sa.and_(u.c.id > t.c.id, u.c.id > before, u.c.touched_on >= t.c.touched_on),  # logged after it
            sa.and_(t.c.id > before, u.c.id < t.c.id, u.c.touched_on > t.c.touched_on),  # back-dated before a later one
        ),
    )
    companies = sorted({values["company_id"] for values in touches})
    for start in range(0, len(companies), 500):
        conn.execute(
            t.update()
            .where(t.c.company_id.in_(companies[start : start + 500]), t.c.next_on.is_not(None), t.c.done == False, later)  # noqa: E712
            .values(done=True)
        )
    forced = [touch_id for touch_id, flag in zip(ids, done or []) if flag]
    if forced:
        conn.execute(t.update().where(t.c.id.in_(forced)).values(done=True))
    session.expire_all()
    return ids


def add_touch(
    session: Session, settings: Settings, *, company: Company, person: Person | None = None, force: bool = False, **details: Any
) -> tuple[Touch, list[int]]:
    """Log a contact (`add_touches` of one): `details` are `check_touch`'s (kind, touched_on,
    outcome, note, next_on, next_action, today). The earlier open next steps it answers are
    thereby done: the company's steps with the same person, and those naming no one. The same
    company, day, kind, person, outcome and note as a touch already logged is refused as a
    likely double entry unless `force`. Returns the touch and the ids of the steps it closed."""
    from sqlalchemy import or_
    from sqlmodel import select

    from dossier_cli.models import Touch
    from dossier_cli.records.history import check_not_before_listing

    values = check_touch(settings, company=company, person=person, force=force, **details)
    check_not_before_listing(company, values["touched_on"], what="touch")
    person_id = values["person_id"]
    if not force:
        _refuse_likely_duplicate(session, company, values)
    session.flush()
    open_steps = list(session.exec(
        select(Touch.id)
        .where(
            Touch.company_id == company.id,
            Touch.next_on.is_not(None),  # type: ignore[union-attr]
            Touch.done == False,  # noqa: E712
            Touch.touched_on <= values["touched_on"],
            # The steps this touch answers: with the same person, or naming no one.
            or_(Touch.person_id.is_(None), Touch.person_id == person_id)  # type: ignore[union-attr]
            if person_id is not None
            else Touch.person_id.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Touch.id)
    ).all())
    company_id, company_name = company.id, company.name
    person_name = _name(person)
    [touch_id] = add_touches(session, [values])
    touch = session.get(Touch, touch_id)
    for step in open_steps:
        audit.record(
            session,
            action="done",
            entity="touch",
            entity_id=step,
            company_id=company_id,
            changes={"done": [False, True], "by_touch": touch_id},
        )
    changes = {k: v for k, v in touch_record(touch, company_name=company_name, person_name=person_name).items() if v not in (None, "", False)}
    if open_steps:
        changes["closed_next_steps"] = open_steps
    audit.record(session, action="create", entity="touch", entity_id=touch_id, company_id=company_id, changes=changes)
    session.flush()
    return touch, open_steps


def _refuse_likely_duplicate(session: Session, company: Company, values: dict[str, Any]) -> None:
    """The same company, day, kind, person, outcome and note as a touch already logged: most
    likely typed twice (a second call the same day says something else, or names someone else)."""
    from sqlmodel import select

    from dossier_cli.models import Touch

    touched_on, kind = values["touched_on"], values["kind"]
    query = select(Touch.id).where(Touch.company_id == company.id, Touch.touched_on == touched_on, Touch.kind == kind)
    for column in ("person_id", "outcome", "note"):
        field, value = getattr(Touch, column), values[column]
        query = query.where(field == value if value is not None else field.is_(None))
    existing = session.exec(query.limit(1)).first()
    if existing is not None:
        raise Conflict(
            _("touch #{id} already logs a {kind} with {name} on {day}: this looks like the same touch").format(
                id=existing, kind=kind, name=company.name, day=format_day(touched_on)
            ),
            hint=_("add --force to log a second one, or correct it with `dossier edit touch {id}`").format(id=existing),
        )


def _name(person: Person | None) -> str | None:
    return person.name if person is not None else None


def get_touch(session: Session, touch_id: int | str) -> Touch:
    from dossier_cli.models import Touch
    from dossier_cli.records.finding import find_by_number

    return find_by_number(
        session, Touch, touch_id,
        bad=_("bad touch id '{touch_id}': expected a number such as 12 (see `dossier list touches`)").format(touch_id=touch_id),
        missing=lambda number: NotFound(_("no touch #{text}").format(text=number), hint=_("see `dossier list touches`")),
    )


def mark_done(session: Session, touch_id: int | str) -> tuple[Touch, bool]:
    """Mark a touch's next step done. Returns the touch and whether anything changed."""
    touch = get_touch(session, touch_id)
    if touch.next_on is None:
        raise Conflict(_("touch #{id} has no next step to mark done").format(id=touch.id))
    if touch.done:
        return touch, False
    touch.done = True
    session.add(touch)
    audit.record(
        session, action="done", entity="touch", entity_id=touch.id, company_id=touch.company_id, changes={"done": [False, True]}
    )
    session.flush()
    return touch, True


def remove_touch(session: Session, touch: Touch) -> dict[str, Any]:
    record = touch_records(session, [touch])[0]
    audit.record(session, action="delete", entity="touch", entity_id=touch.id, company_id=touch.company_id, changes={"deleted": record})
    session.delete(touch)
    session.flush()
    return record


def touch_record(touch: Touch, *, company_name: str | None = None, person_name: str | None = None) -> dict[str, Any]:
    """A touch as plain data, the same for a table, JSON and CSV."""
    return {
        "id": touch.id,
        "date": touch.touched_on.isoformat(),
        "company_id": touch.company_id,
        "company": company_name,
        "person_id": touch.person_id,
        "person": person_name,
        "kind": touch.kind,
        "outcome": touch.outcome,
        "note": touch.note,
        "next_on": touch.next_on.isoformat() if touch.next_on else None,
        "next_action": touch.next_action,
        "done": touch.done if touch.next_on else None,
        "user": touch.user,
    }


def touch_records(session: Session, touches: list[Touch]) -> list[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Person

    company_ids = {t.company_id for t in touches}
    person_ids = {t.person_id for t in touches if t.person_id is not None}
    companies = dict(session.exec(select(Company.id, Company.name).where(Company.id.in_(company_ids))).all()) if company_ids else {}  # type: ignore[union-attr]
    people = dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all()) if person_ids else {}  # type: ignore[union-attr]
    return [
        touch_record(t, company_name=companies.get(t.company_id), person_name=people.get(t.person_id) if t.person_id else None)
        for t in touches
    ]


def list_touches(
    session: Session,
    settings: Settings,
    *,
    company: Company | None = None,
    person: Person | None = None,
    kind: str | None = None,
    outcome: str | None = None,
    period: Period | None = None,
    open_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Touches, newest first, as records."""
    from sqlmodel import select

    from dossier_cli.models import Touch

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = select(Touch)
    if company is not None:
        query = query.where(Touch.company_id == company.id)
    if person is not None:
        query = query.where(Touch.person_id == person.id)
    if kind is not None:
        query = query.where(Touch.kind == normalise_kind(kind, settings))
    if outcome is not None:
        query = query.where(Touch.outcome == normalise_outcome(outcome))
    if period is not None:
        query = query.where(Touch.touched_on >= period.start, Touch.touched_on <= period.end)
    if open_only:
        query = query.where(Touch.next_on.is_not(None), Touch.done == False)  # type: ignore[union-attr]  # noqa: E712
    query = query.order_by(Touch.touched_on.desc(), Touch.id.desc()).offset(offset).limit(limit)  # type: ignore[attr-defined,union-attr]
    return touch_records(session, list(session.exec(query).all()))


# ---------------------------------------------------------------- the agenda
def agenda(
    session: Session,
    *,
    today: date | None = None,
    days: int | None = 0,
    overdue_only: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Open next steps due by `today + days` (every open step when `days` is None), oldest first.

    Each record says whether the step is `overdue`, due `today` or `upcoming`, and how many
    days from today it is due (negative when overdue).
    """
    from sqlmodel import select

    from dossier_cli.models import Company, Person, Touch

    today = today or local_today()
    if days is not None and days < 0:
        raise InvalidInput(_("--days must not be negative"))
    query = (
        select(Touch, Company.name, Person.name)
        .join(Company, Company.id == Touch.company_id)
        .outerjoin(Person, Person.id == Touch.person_id)  # type: ignore[arg-type]
        .where(Touch.next_on.is_not(None), Touch.done == False)  # type: ignore[union-attr]  # noqa: E712
    )
    if overdue_only:
        query = query.where(Touch.next_on < today)  # type: ignore[operator]
    elif days is not None:
        query = query.where(Touch.next_on <= today + timedelta(days=days))  # type: ignore[operator]
    query = query.order_by(Touch.next_on, Company.name_key, Touch.id)  # type: ignore[arg-type]
    if limit is not None:
        query = query.limit(limit)
    rows = []
    for touch, company_name, person_name in session.exec(query).all():
        due: date = touch.next_on
        offset = (due - today).days
        rows.append(
            {
                "due_on": due.isoformat(),
                "when": "overdue" if offset < 0 else "today" if offset == 0 else "upcoming",
                "days_from_today": offset,
                "action": touch.next_action,
                "company_id": touch.company_id,
                "company": company_name,
                "person": person_name,
                "touch_id": touch.id,
                "touched_on": touch.touched_on.isoformat(),
                "kind": touch.kind,
                "outcome": touch.outcome,
                "note": touch.note,
            }
        )
    return rows


def agenda_ics(steps: list[dict[str, Any]]) -> bytes:
    """The steps as an iCalendar file: one all-day event each, with a stable UID per touch."""
    from icalendar import Calendar, Event

    from dossier_cli import __version__
    from dossier_cli.formatting import format_day
    from dossier_cli.i18n import language
    from dossier_cli.models import utcnow

    russian = language() == "ru"

    calendar = Calendar()
    calendar.add("prodid", f"-//dossier//dossier {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("dossier follow-ups"))
    stamp = utcnow()
    for step in steps:
        due = date.fromisoformat(step["due_on"])
        event = Event()
        # Stable, so importing a newer file updates the events instead of duplicating them.
        event.add("uid", f"touch-{step['touch_id']}@dossier")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{step['action'] or _('Follow up')} — {step['company']}")
        lines = [_("Company: {company} (#{id})").format(company=step["company"], id=step["company_id"])]
        if step["person"]:
            lines.append(_("Person: {person}").format(person=step["person"]))
        touched = format_day(step["touched_on"]) if step["touched_on"] else ""
        kind = vocab.TOUCH_KINDS.label(step["kind"]) if step["kind"] and russian else step["kind"] or ""
        outcome = step["outcome"] and (vocab.OUTCOMES.label(step["outcome"]) if russian else step["outcome"])
        outcome = f", {outcome}" if outcome else ""
        lines.append(_("Last touch #{id}: {date} {kind}").format(id=step["touch_id"], date=touched, kind=kind) + outcome)
        if step["note"]:
            lines.append(_("Note: {note}").format(note=step["note"]))
        lines.append(_("Mark it done: dossier done {id}").format(id=step["touch_id"]))
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------- prospects gone quiet
def prospect_stages(settings: Settings) -> list[str]:
    """The stages before the client stage: the company is still a prospect."""
    return list(settings.stages[: settings.stages.index(settings.client_stage)])


def customer_stages(settings: Settings) -> list[str]:
    return list(settings.stages[settings.stages.index(settings.client_stage) :])


def stale(
    session: Session,
    settings: Settings,
    *,
    days: int | None = None,
    today: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Active prospects with no touch for `days` days, the longest-quiet first.

    A prospect never contacted is quiet since the day it was listed.
    """
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Touch

    today = today or local_today()
    days = settings.stale_days if days is None else days
    if days < 0:
        raise InvalidInput(_("--days must not be negative"))
    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    last = select(Touch.company_id, func.max(Touch.touched_on).label("last_on")).group_by(Touch.company_id).subquery()
    quiet_since = func.coalesce(last.c.last_on, Company.listed_on)
    cutoff = today - timedelta(days=days)
    query = (
        select(Company.id, Company.name, Company.stage, Company.listed_on, last.c.last_on)
        .outerjoin(last, last.c.company_id == Company.id)
        .where(
            Company.status == "active",
            Company.stage.in_(prospect_stages(settings)),  # type: ignore[attr-defined]
            quiet_since <= cutoff,
        )
        .order_by(quiet_since, Company.name_key, Company.id)
        .offset(offset)
        .limit(limit)
    )
    rows = []
    for company_id, name, stage, listed_on, last_on in session.exec(query).all():
        last_on = _as_date(last_on)
        since = last_on or _as_date(listed_on)
        rows.append(
            {
                "id": company_id,
                "name": name,
                "stage": stage,
                "last_touch": last_on.isoformat() if last_on else None,
                "listed_on": _as_date(listed_on).isoformat(),
                "days_quiet": (today - since).days,
            }
        )
    return rows


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def company_section(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """For `show company`: the last touches and the open next step."""
    last = list_touches(session, settings, company=company, limit=5)
    open_steps = list_touches(session, settings, company=company, open_only=True, limit=5)
    return {
        "touches": [
            {k: t[k] for k in ("id", "date", "kind", "outcome", "person", "note", "next_on", "next_action")} for t in last
        ],
        "next_step": (f"{open_steps[0]['next_on']} {open_steps[0]['next_action'] or 'follow up'}" if open_steps else None),
    }
