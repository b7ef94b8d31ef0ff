"""Sales: adding, finding, listing and removing them, and the totals per company.

Liquidated companies keep their sales as history but never appear in the rankings built
on these totals (ABC groups, top-10). Totals are aggregated in SQL over the sale indexes
(company_id, sold_on, amount_minor) and (sold_on, company_id, amount_minor), so they stay
fast with a million sales.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput, NotFound
from dossier_cli.i18n import _, N_
from dossier_cli.text import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Sale
    from dossier_cli.parsing import Period


def add_sale(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    amount: str | int,
    sold_on: date | str | None = None,
    reference: str | None = None,
    note: str | None = None,
    force: bool = False,
) -> Sale:
    """Record a sale. `amount` is as typed (125000.50, "125 000,50", 125000). A sale that repeats
    one recorded is refused (selling/sales_bulk.py: the same reference for the same company, or
    without a reference the same day and amount, unless `force`); written by `add_sales`, as the
    import writes."""
    from dossier_cli.models import Sale
    from dossier_cli.parsing import parse_date
    from dossier_cli.records.history import check_not_before_listing
    from dossier_cli.selling.sales_bulk import add_sales

    amount_minor = check_amount(amount)
    day = sold_on if isinstance(sold_on, date) else date.today() if sold_on is None else parse_date(sold_on, field=N_("sale date"))
    reference = clean_optional(reference, field=N_("reference"), max_length=200, one_line=True)
    note = clean_optional(note, field=N_("note"))
    check_not_before_listing(company, day, what="sale")
    [sale_id] = add_sales(session, [{"company_id": company.id, "sold_on": day, "amount_minor": amount_minor,
                                     "reference": reference, "note": note}], on_duplicate="refuse", force=force)
    sale = session.get(Sale, sale_id)
    assert sale is not None
    audit.record(
        session,
        action="create",
        entity="sale",
        entity_id=sale.id,
        company_id=company.id,
        changes=_sale_snapshot(sale, settings),
    )
    return sale


def _refuse_duplicate(
    session: Session,
    company: Company,
    *,
    day: date,
    amount_minor: int,
    reference: str | None,
    force: bool,
    exclude_id: int,
) -> None:
    """`edit sale`: the changed sale may not repeat another (the rule of selling/sales_bulk.py)."""
    from sqlalchemy import select

    from dossier_cli.models import Sale
    from dossier_cli.selling.sales_bulk import duplicate_conflict, repeat_conditions

    if force and reference is None:
        return
    x = Sale.__table__
    [condition] = repeat_conditions(x, company.id, day, amount_minor, reference)
    found = session.execute(select(x.c.id, x.c.sold_on).where(condition, x.c.id != exclude_id).order_by(x.c.id).limit(1)).first()
    if found is not None:
        raise duplicate_conflict(company, existing_id=found[0], existing_day=found[1], reference=reference,
                                 amount_minor=amount_minor, day=day)


def edit_sale(
    session: Session,
    settings: Settings,
    sale: Sale,
    *,
    amount: str | int | None = None,
    sold_on: str | None = None,
    reference: str | None = None,
    note: str | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Correct a sale; returns the changes (field -> [old, new]), audited. Empty text clears a reference or note."""
    from dossier_cli.models import Company
    from dossier_cli.parsing import parse_date
    from dossier_cli.records.history import check_not_before_listing

    company = session.get(Company, sale.company_id)
    before = _sale_snapshot(sale, settings)
    if amount is not None:
        sale.amount_minor = check_amount(amount)
    if sold_on is not None:
        sale.sold_on = parse_date(sold_on, field=N_("sale date"))
        check_not_before_listing(company, sale.sold_on, what="sale")  # type: ignore[arg-type]
    if reference is not None:
        sale.reference = clean_optional(reference, field=N_("reference"), max_length=200, one_line=True)
    if note is not None:
        sale.note = clean_optional(note, field=N_("note"))
    if (reference is not None and sale.reference is not None) or (
        (amount is not None or sold_on is not None) and sale.reference is None
    ):
        _refuse_duplicate(
            session, company, day=sale.sold_on, amount_minor=sale.amount_minor,  # type: ignore[arg-type]
            reference=sale.reference, force=force, exclude_id=sale.id,
        )
    changes = audit.diff(before, _sale_snapshot(sale, settings))
    if changes:
        session.add(sale)
        audit.record(session, action="update", entity="sale", entity_id=sale.id, company_id=sale.company_id, changes=changes)
        session.flush()
    return changes


def check_amount(amount: str | int) -> int:
    """A sale's amount in minor units, as typed (`125 000,50`); more than zero (`add sale` and `import sales`)."""
    from dossier_cli.parsing import parse_amount

    amount_minor = parse_amount(amount)
    if amount_minor == 0:
        raise InvalidInput(_("bad amount '{amount}': a sale must be more than zero").format(amount=amount))
    return amount_minor


def clean_optional(value: str | None, *, field: str, max_length: int = 10_000, one_line: bool = False) -> str | None:
    """Trimmed text, or None when empty; a reference (`one_line`) also has its inner spaces folded."""
    if value is None:
        return None
    cleaned = check_text(value, field=field, max_length=max_length).strip()
    if one_line:
        cleaned = " ".join(cleaned.split())
    return cleaned or None


def _sale_snapshot(sale: Sale, settings: Settings) -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {
        "sold_on": sale.sold_on,
        "amount": format_amount(sale.amount_minor),
        "currency": settings.currency,
        "reference": sale.reference,
        "note": sale.note,
    }


def find_sale(session: Session, ref: str | int) -> Sale:
    from dossier_cli.models import Sale
    from dossier_cli.records.finding import find_by_number

    return find_by_number(
        session, Sale, ref, bad=_("bad sale '{ref}': name a sale by its number (see `dossier list sales`)").format(ref=ref),
        missing=lambda number: NotFound(_("no sale #{text}").format(text=number), hint=_("see `dossier list sales`")),
    )


def remove_sale(session: Session, settings: Settings, sale: Sale) -> None:
    audit.record(
        session,
        action="delete",
        entity="sale",
        entity_id=sale.id,
        company_id=sale.company_id,
        changes={"deleted": _sale_snapshot(sale, settings)},
    )
    session.delete(sale)
    session.flush()


def sale_record(sale: Sale, company_name: str, settings: Settings) -> dict[str, Any]:
    """A sale as plain data, the same for a table, JSON and CSV."""
    from dossier_cli.parsing import format_amount

    return {
        "id": sale.id,
        "company_id": sale.company_id,
        "company": company_name,
        "sold_on": sale.sold_on.isoformat(),
        "amount": format_amount(sale.amount_minor),
        "amount_minor": sale.amount_minor,
        "currency": settings.currency,
        "reference": sale.reference,
        "note": sale.note,
    }


def list_sales(
    session: Session,
    settings: Settings,
    *,
    company: Company | None = None,
    period: Period | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Sales, newest first; liquidated companies' sales are listed too (they are history)."""
    from sqlmodel import select

    from dossier_cli.models import Company, Sale
    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = select(Sale, Company.name).join(Company, Company.id == Sale.company_id)
    if company is not None:
        query = query.where(Sale.company_id == company.id)
    if period is not None:
        query = query.where(Sale.sold_on >= period.start, Sale.sold_on <= period.end)
    query = query.order_by(Sale.sold_on.desc(), Sale.id.desc()).offset(offset).limit(limit)  # type: ignore[attr-defined]
    return [sale_record(sale, name, settings) for sale, name in session.exec(query).all()]


def sales_totals(period: Period) -> Any:
    """Subquery: (company_id, total) over the period, from the sale indexes alone."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Sale

    return (
        select(Sale.company_id.label("company_id"), func.sum(Sale.amount_minor).label("total"))
        .where(Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        .group_by(Sale.company_id)
        .subquery("totals")
    )


def active_only(company_id: Any) -> Any:
    """Leave out companies out of the pipeline (liquidated or lost). They are few, so a NOT IN over them is cheaper
    than joining every aggregated row to the company table."""
    from sqlmodel import select

    from dossier_cli.models import Company

    return company_id.not_in(select(Company.id).where(Company.status != "active"))


def sales_by_company(session: Session, period: Period, *, limit: int | None = None) -> list[tuple[int, int]]:
    """(company id, total in minor units) for active companies, largest first, aggregated in SQL."""
    from sqlmodel import select

    totals = sales_totals(period)
    query = (
        select(totals.c.company_id, totals.c.total)
        .where(active_only(totals.c.company_id), totals.c.total > 0)
        .order_by(totals.c.total.desc(), totals.c.company_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(company_id, int(amount)) for company_id, amount in session.exec(query).all()]


def default_period(period: Period | None) -> Period:
    from dossier_cli.parsing import resolve_period

    return period or resolve_period(None, None, None)


def period_record(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label}
