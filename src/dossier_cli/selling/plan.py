"""The quarterly prospecting plan, the plan against what was done, and its review.

A plan answers the seed's six questions for one quarter (where, whom, who, from where,
when, with what) and sets three numeric goals: new prospects, touches and new clients.
What was done is counted in SQL from the companies, the contact log and the stage
history, so `plan show` stays fast on a large database.

A company is "in the plan" when its territory or head-office city is one of the plan's
territories and its market is one of the plan's markets, compared case-insensitively
(Cyrillic too) through the stored `*_key` columns. An empty list does not restrict.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import Conflict, InvalidInput, NotFound
from dossier_cli.i18n import N_, _
from dossier_cli.parsing import Period, current_quarter, format_amount, parse_amount, parse_quarter, quarter_period
from dossier_cli.text import check_text, fold

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Plan

GOALS: tuple[str, ...] = ("prospects", "touches", "clients")
GOAL_LABELS = {"prospects": N_("new prospects"), "touches": N_("touches logged"), "clients": N_("new clients")}
STATUS_LABELS = (N_("upcoming"), N_("in progress"), N_("finished"))  # what `plan show` says of the quarter
OUTSIDE_ROWS_SHOWN = 30  # in the table; JSON carries every territory/market pair
YAML_KEYS = ("territories", "markets", "who", "from_office", "when", "with", "goals")
NOTHING_CHANGED = "nothing was changed"


# ---------------------------------------------------------------- plain data
def plan_record(plan: Plan) -> dict[str, Any]:
    """A plan as plain data, the same for a table and JSON."""
    return {
        "quarter": plan.quarter,
        "territories": json.loads(plan.territories_json or "[]"),
        "markets": json.loads(plan.markets_json or "[]"),
        "who": plan.who,
        "from_office": plan.from_office,
        "when": plan.when_text,
        "with": json.loads(plan.with_json or "[]"),
        "goals": {goal: getattr(plan, f"goal_{goal}") for goal in GOALS},
        "goal_revenue": format_amount(plan.goal_revenue_minor) if plan.goal_revenue_minor is not None else None,
        "review_note": plan.review_note,
        "reviewed_at": plan.reviewed_at.isoformat() if plan.reviewed_at else None,
    }


def _clean_list(values: list[str], *, field: str) -> list[str]:
    """Trimmed, blank entries dropped, case-insensitive duplicates dropped (first spelling kept)."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = " ".join(check_text(str(value), field=field, max_length=500).split())
        if value and fold(value) not in seen:
            seen.add(fold(value))
            cleaned.append(value)
    return cleaned


def _clean_text(value: str, *, field: str) -> str | None:
    text = check_text(value, field=field, max_length=2_000).strip()
    return text or None


def _clean_goal(goal: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("bad goal '{goal}': {value!r} is not a whole number of 0 or more").format(goal=goal, value=value))
    return value


def quarter_label(text: str) -> str:
    return parse_quarter(text).label


# ---------------------------------------------------------------- finding
def find_plan(session: Session, quarter: str) -> Plan | None:
    from sqlmodel import select

    from dossier_cli.models import Plan

    return session.exec(select(Plan).where(Plan.quarter == quarter_label(quarter))).first()


def get_plan(session: Session, quarter: str) -> Plan:
    label = quarter_label(quarter)
    plan = find_plan(session, label)
    if plan is None:
        raise NotFound(
            _("there is no plan for {label}").format(label=label),
            hint=_("make one with `dossier plan set {label} --territory … --goal-prospects …` or `dossier plan copy`").format(label=label),
        )
    return plan


def list_plans(session: Session) -> list[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Plan

    rows = []
    for plan in session.exec(select(Plan).order_by(Plan.quarter)):
        record = plan_record(plan)
        rows.append(
            {
                "quarter": record["quarter"],
                "territories": record["territories"],
                "markets": record["markets"],
                "who": record["who"],
                **{f"goal_{goal}": record["goals"][goal] for goal in GOALS},
                "reviewed": plan.reviewed_at.date().isoformat() if plan.reviewed_at else None,
                "review_note": record["review_note"],
            }
        )
    return rows


# ---------------------------------------------------------------- changing
def set_plan(
    session: Session,
    *,
    quarter: str,
    territories: list[str] | None = None,
    markets: list[str] | None = None,
    who: str | None = None,
    from_office: str | None = None,
    when: str | None = None,
    with_: list[str] | None = None,
    goals: dict[str, int | None] | None = None,
    goal_revenue: str | None = None,
) -> tuple[Plan, str]:
    """Create the quarter's plan or change the fields given; returns (plan, "created"|"updated"|"unchanged").

    A list given replaces the stored one (an empty string empties it); an empty text
    clears the field; goals not named are left as they are.
    """
    from dossier_cli.models import Plan, utcnow

    label = quarter_label(quarter)
    values: dict[str, Any] = {}
    for name, given in (("territories", territories), ("markets", markets), ("with", with_)):
        if given is not None:
            values[f"{name}_json"] = json.dumps(_clean_list(given, field=name), ensure_ascii=False)
    for name, given in (("who", who), ("from_office", from_office), ("when_text", when)):
        if given is not None:
            values[name] = _clean_text(given, field=name.replace("_text", "").replace("_", " "))
    for goal, value in (goals or {}).items():
        if goal not in GOALS:
            raise InvalidInput(_("unknown goal '{goal}'").format(goal=goal), hint=_("goals are: {items}").format(items=', '.join(GOALS)))
        values[f"goal_{goal}"] = _clean_goal(goal, value)
    if goal_revenue is not None:
        # Money, like a sale's amount; an empty value clears the goal.
        values["goal_revenue_minor"] = parse_amount(goal_revenue, field=N_("revenue goal")) if goal_revenue.strip() else None

    plan = find_plan(session, label)
    created = plan is None
    if plan is None:
        plan = Plan(quarter=label)
        before: dict[str, Any] = {}
    else:
        before = _audited(plan)
    for field, value in values.items():
        setattr(plan, field, value)
    after = _audited(plan)
    changes = audit.diff(before, after)
    if not created and not changes:
        return plan, "unchanged"
    plan.updated_at = utcnow()
    session.add(plan)
    session.flush()
    audit.record(
        session,
        action="create" if created else "update",
        entity="plan",
        entity_id=plan.id,
        changes={k: v for k, v in after.items() if v not in (None, [])} if created else changes,
    )
    return plan, "created" if created else "updated"


def _audited(plan: Plan) -> dict[str, Any]:
    record = plan_record(plan)
    goals = record.pop("goals")
    record.pop("reviewed_at")
    record.update({f"goal_{goal}": value for goal, value in goals.items()})
    return record


def copy_plan(session: Session, *, from_quarter: str, to_quarter: str, replace: bool = False) -> Plan:
    """Start a quarter's plan from another one (the review is not copied)."""
    source = get_plan(session, from_quarter)
    target_label = quarter_label(to_quarter)
    if target_label == source.quarter:
        raise InvalidInput(_("cannot copy the {target_label} plan onto itself").format(target_label=target_label))
    existing = find_plan(session, target_label)
    if existing is not None and not replace:
        raise Conflict(
            _("there is already a plan for {target_label}").format(target_label=target_label),
            hint=_("change it with `dossier plan set`/`plan edit`, or add --replace to overwrite it"),
        )
    record = plan_record(source)
    plan, _created = set_plan(
        session,
        quarter=target_label,
        territories=record["territories"],
        markets=record["markets"],
        who=record["who"] or "",
        from_office=record["from_office"] or "",
        when=record["when"] or "",
        with_=record["with"],
        goals=record["goals"],
        goal_revenue=record["goal_revenue"] or "",
    )
    audit.record(
        session,
        action="copy",
        entity="plan",
        entity_id=plan.id,
        changes={"from": source.quarter, "to": target_label, "replaced": existing is not None},
    )
    return plan


def review_plan(session: Session, *, quarter: str, note: str) -> Plan:
    """Record the quarterly review of a plan (a second review replaces the note)."""
    from dossier_cli.models import utcnow

    plan = get_plan(session, quarter)
    text = _clean_text(note, field=N_("review note"))
    if text is None:
        raise InvalidInput(_("the review note is empty: say what worked and what did not"))
    old_note = plan.review_note
    plan.review_note = text
    plan.reviewed_at = utcnow()
    plan.updated_at = plan.reviewed_at
    session.add(plan)
    session.flush()
    audit.record(session, action="review", entity="plan", entity_id=plan.id, changes={"review_note": [old_note, text]})
    return plan


# ---------------------------------------------------------------- the plan as YAML
def plan_yaml(plan: Plan | None, quarter: str) -> str:
    """The text `plan edit` puts in the editor: the whole plan, with a short guide."""
    import yaml

    record = plan_record(plan) if plan is not None else None
    document: dict[str, Any] = {
        "territories": record["territories"] if record else [],
        "markets": record["markets"] if record else [],
        "who": record["who"] if record else None,
        "from_office": record["from_office"] if record else None,
        "when": record["when"] if record else None,
        "with": record["with"] if record else [],
        "goals": record["goals"] if record else {goal: None for goal in GOALS},
    }
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False)
    guide = (
        f"# The prospecting plan for {quarter_label(quarter)}.\n"
        "# territories: where we look; markets: whom we look for (kinds of business);\n"
        "# who: who does the work; from_office: where they work from; when: timeline and working time;\n"
        "# with: what we use (unique offer, sales handbook, referrals, exhibitions, ...);\n"
        f"# goals: {', '.join(GOALS)} (whole numbers, or leave empty). Lines starting with # are ignored.\n"
    )
    return guide + body


def parse_plan_yaml(text: str, *, source: str = "plan YAML") -> dict[str, Any]:
    """Validate a plan document; one readable error naming the key, or the values for `set_plan`."""
    from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

    from dossier_cli.documents import parse_yaml, validate

    class Goals(BaseModel):
        model_config = ConfigDict(extra="forbid")
        prospects: StrictInt | None = Field(default=None, ge=0)
        touches: StrictInt | None = Field(default=None, ge=0)
        clients: StrictInt | None = Field(default=None, ge=0)

    class PlanDocument(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        territories: list[str] = []
        markets: list[str] = []
        who: str | None = None
        from_office: str | None = None
        when: str | None = None
        with_: list[str] = Field(default=[], alias="with")
        goals: Goals = Goals()

        @field_validator("territories", "markets", "with_", mode="before")
        @classmethod
        def _one_or_many(cls, value: Any) -> Any:
            if value is None:
                return []
            if isinstance(value, str):
                return [value]  # `territories: Khabarovsk` is a list of one
            return value

        @field_validator("goals", mode="before")
        @classmethod
        def _no_goals(cls, value: Any) -> Any:
            return {} if value is None else value

    raw = parse_yaml(text, source=source, hint=NOTHING_CHANGED)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput(_("{source}: expected keys such as 'territories:' and 'goals:' at the top level").format(source=source), hint=NOTHING_CHANGED)

    def unknown(loc: tuple[Any, ...]) -> str:
        if len(loc) > 1 and loc[0] == "goals":
            return f"unknown goal (goals are: {', '.join(GOALS)})"
        return f"unknown key (keys are: {', '.join(YAML_KEYS)})"

    document = validate(PlanDocument, raw, source=source, text=text, hint=NOTHING_CHANGED, unknown=unknown)
    return {
        "territories": document.territories,
        "markets": document.markets,
        "who": document.who or "",
        "from_office": document.from_office or "",
        "when": document.when or "",
        "with_": document.with_,
        "goals": document.goals.model_dump(),
    }


def apply_plan_yaml(session: Session, *, quarter: str, text: str, source: str = "plan YAML") -> tuple[Plan, str]:
    """Replace the quarter's plan by a YAML document; returns (plan, "created"|"updated"|"unchanged")."""
    values = parse_plan_yaml(text, source=source)
    return set_plan(session, quarter=quarter, **values)


# ---------------------------------------------------------------- plan against actual
def _in_plan_flag(plan_record_: dict[str, Any]) -> Any:
    """SQL: 1 when the company matches the plan's territories and markets, else 0."""
    from sqlalchemy import and_, case, literal, or_

    from dossier_cli.models import Company

    from dossier_cli.register.codes import plan_terms

    conditions = []
    # A region code (27) also stands for its name, as companies filled from the tax register carry
    # it; an OKVED code (46.7) matches the industries that start with it ("46.71 Торговля …").
    region_names, code_prefixes = plan_terms(plan_record_["territories"], plan_record_["markets"])
    territory_keys = sorted({fold(t) for t in [*plan_record_["territories"], *region_names]})
    market_keys = sorted({fold(m) for m in plan_record_["markets"]})
    if territory_keys:
        conditions.append(
            or_(Company.territory_key.in_(territory_keys), Company.city_key.in_(territory_keys))  # type: ignore[union-attr]
        )
    if market_keys:
        conditions.append(
            or_(
                Company.market_key.in_(market_keys),  # type: ignore[union-attr]
                *(Company.market_key.like(f"{prefix}%") for prefix in code_prefixes),  # type: ignore[union-attr]
            )
        )
    if not conditions:
        return literal(1)
    # A NULL territory or market makes the condition NULL, which `case` sends to else: outside.
    return case((and_(*conditions), 1), else_=0)


def _client_stages(settings: Settings) -> list[str]:
    stages = list(settings.stages)
    return stages[stages.index(settings.client_stage) :] if settings.client_stage in stages else [settings.client_stage]


def _activity_counts(
    session: Session, settings: Settings, record: dict[str, Any], period: Period, *, outside_limit: int | None
) -> dict[str, Any]:
    """Per measure: the in-plan and outside-plan totals, and the outside activity by territory and market.

    The three measures are one UNION ALL of (company, prospect, touch, client) rows, so
    one query reads the quarter's activity once and only the grouped result leaves SQL.
    """
    from sqlalchemy import func, literal, or_, select, union_all

    from dossier_cli.models import Company, StageChange, Touch

    client_stages = _client_stages(settings)
    prospects = select(
        Company.id.label("company_id"), literal(1).label("p"), literal(0).label("t"), literal(0).label("c")  # type: ignore[union-attr]
    ).where(Company.listed_on >= period.start, Company.listed_on <= period.end)
    touches = select(Touch.company_id, literal(0), literal(1), literal(0)).where(
        Touch.touched_on >= period.start, Touch.touched_on <= period.end
    )
    # Reaching the client stage, even by skipping it (negotiating -> regular), counts once per company.
    clients = (
        select(StageChange.company_id, literal(0), literal(0), literal(1))
        .where(
            StageChange.changed_on >= period.start,
            StageChange.changed_on <= period.end,
            StageChange.to_stage.in_(client_stages),  # type: ignore[attr-defined]
            or_(StageChange.from_stage.is_(None), StageChange.from_stage.not_in(client_stages)),  # type: ignore[union-attr]
        )
        .distinct()
    )
    activity = union_all(prospects, touches, clients).subquery("activity")
    joined = activity.join(Company, Company.id == activity.c.company_id)
    flag = _in_plan_flag(record)
    sums = (func.sum(activity.c.p), func.sum(activity.c.t), func.sum(activity.c.c))

    place_key = func.coalesce(Company.territory_key, Company.city_key)
    grouped = (
        select(flag, func.min(func.coalesce(Company.territory, Company.city)), func.min(Company.market), *sums)
        .select_from(joined)
        .group_by(flag, place_key, Company.market_key)
    )
    in_plan = {goal: 0 for goal in GOALS}
    outside_total = {goal: 0 for goal in GOALS}
    rows = []
    for row_flag, place, market, *counts in session.execute(grouped).all():
        numbers = {goal: int(count or 0) for goal, count in zip(GOALS, counts)}
        target = in_plan if row_flag else outside_total
        for goal in GOALS:
            target[goal] += numbers[goal]
        if not row_flag:
            rows.append({"territory": place, "market": market, **numbers})
    rows.sort(key=lambda r: (-(r["prospects"] + r["touches"] + r["clients"]), r["territory"] is None, fold(r["territory"] or ""), r["market"] is None, fold(r["market"] or "")))
    more = outside_limit is not None and len(rows) > outside_limit
    return {"in_plan": in_plan, "outside_total": outside_total, "outside_rows": rows[:outside_limit], "outside_more": more}


def plan_progress(
    session: Session, settings: Settings, *, quarter: str | None, today: date, outside_limit: int | None = None
) -> dict[str, Any]:
    """The quarter's plan beside what was done: per goal planned, done, outside the plan and pace.

    `outside_limit` keeps the busiest territory/market pairs outside the plan (all when None).
    """
    period = parse_quarter(quarter) if quarter else current_quarter(today)
    plan = get_plan(session, period.label)
    record = plan_record(plan)
    counts = _activity_counts(session, settings, record, period, outside_limit=outside_limit)

    if today < period.start:
        status = "upcoming"
    elif today > period.end:
        status = "finished"
    else:
        status = "in progress"
    days_left = (period.end - today).days + 1 if status == "in progress" else None
    weeks_left = round(days_left / 7, 1) if days_left is not None else None

    goals = []
    for goal in GOALS:
        planned = record["goals"][goal]
        done = counts["in_plan"][goal]
        remaining = max(planned - done, 0) if planned is not None else None
        per_week = None
        if days_left is not None and remaining is not None:
            # Rounded up: a pace of 2.1 a week means 3 in some weeks, so promise the higher number.
            per_week = math.ceil(remaining * 7 / days_left * 10) / 10
        goals.append(
            {
                "goal": goal,
                "label": GOAL_LABELS[goal],
                "planned": planned,
                "done": done,
                "remaining": remaining,
                "percent": round(100 * done / planned) if planned else None,
                "needed_per_week": per_week,
                "outside_plan": counts["outside_total"][goal],
            }
        )
    return {
        "quarter": period.label,
        "revenue": _revenue_progress(session, plan, period),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": status,
        "today": today.isoformat(),
        "days_left": days_left,
        "weeks_left": weeks_left,
        "plan": record,
        "goals": goals,
        "outside_plan": counts["outside_rows"],
        "outside_plan_truncated": counts["outside_more"],
    }


def _revenue_progress(session: Session, plan: Plan, period: Period) -> dict[str, Any] | None:
    """The revenue goal against the sales booked in the quarter (every company's), or None without a goal."""
    planned = plan.goal_revenue_minor
    if planned is None:  # no goal: the sales table (and its model, 10-15 ms to load) is not read
        return None
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Sale

    booked = int(
        session.exec(
            select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        ).one()
    )
    return {
        "planned": format_amount(planned),
        "planned_minor": planned,
        "booked": format_amount(booked),
        "booked_minor": booked,
        "percent": round(100 * booked / planned) if planned else None,
    }


# ---------------------------------------------------------------- the reminder
def previous_quarter(period: Period) -> Period:
    day = period.start - timedelta(days=1)
    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def plan_reminder(session: Session, settings: Settings, today: date) -> str | None:
    """One line for `agenda`/`pipeline`: the current quarter has no plan, or the last one no review."""
    current = current_quarter(today)
    previous = previous_quarter(current)
    parts = []
    if find_plan(session, current.label) is None:
        parts.append(_("there is no plan for {quarter} yet (dossier plan set {quarter} … or dossier plan copy)").format(quarter=current.label))
    last = find_plan(session, previous.label)
    if last is not None and last.reviewed_at is None:
        parts.append(_("the {quarter} plan has not been reviewed (dossier plan review {quarter} --note \"…\")").format(quarter=previous.label))
    if not parts:
        return None
    return _("Reminder: {what}.").format(what="; ".join(parts))
