"""The bulk form of adding sales: `add sale` and `import sales` both write through `SaleBatch`.

One rule for a repeated sale: a sale repeats one already recorded when it has the same company
and the same reference, or, neither having a reference, the same company, day and amount
(`repeat_conditions`); a row repeating an earlier row of the same batch is a repeat too.
`add sale` refuses a repeat (`on_duplicate="refuse"`; with `force` a second sale of the same
day and amount without a reference is recorded), and the import counts it as unchanged
(`on_duplicate="skip"`), so importing a file again adds nothing twice.

The rows are staged in a temporary table and written in one INSERT … SELECT, so the repeats
are found in SQL, not in memory, even among a million sales.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import Conflict
from dossier_cli.formatting import format_day
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Company


def repeat_conditions(x: Any, company_id: Any, sold_on: Any, amount_minor: Any, reference: Any) -> list[Any]:
    """Where a sale of table `x` repeats the one given (plain values, or columns of another table):
    the same company and reference; or, neither having a reference, the same company, day and amount."""
    import sqlalchemy as sa

    same_reference = sa.and_(x.c.company_id == company_id, x.c.reference == reference)
    same_day = sa.and_(x.c.company_id == company_id, x.c.sold_on == sold_on, x.c.amount_minor == amount_minor,
                       x.c.reference.is_(None))
    if reference is None:
        return [same_day]
    if isinstance(reference, str):
        return [same_reference]
    return [same_reference, sa.and_(reference.is_(None), same_day)]


def duplicate_conflict(company: Company, *, existing_id: int, existing_day: date, reference: str | None,
                       amount_minor: int, day: date) -> Conflict:
    """What `add sale` and `edit sale` say of a sale that repeats sale #`existing_id`."""
    if reference is not None:
        return Conflict(
            _("{name} already has a sale with reference '{reference}': #{id} of {date}").format(
                name=company.name, reference=reference, id=existing_id, date=format_day(existing_day)
            ),
            hint=_("use another reference, or `dossier rm sale` the old one first"),
        )
    from dossier_cli.parsing import format_amount

    return Conflict(
        _("sale #{id} already records {amount} from {name} on {day}, without a reference: this looks like the same sale").format(
            id=existing_id, amount=format_amount(amount_minor), name=company.name, day=format_day(day)
        ),
        hint=_("add --force to record a second one, or give each its invoice with --ref"),
    )


def duplicate_key(reference: str | None, day_text: str, amount_minor: int) -> str:
    """Which rows of one batch are the same sale (see `repeat_conditions`)."""
    return ("r:" + reference) if reference is not None else f"d:{day_text}:{amount_minor}"


class SaleBatch:
    """Sales checked by the caller (`check_amount`, `clean_optional`, `parse_date`, `check_not_before_listing`),
    staged with `stage` and written in the order staged by `write`."""

    def __init__(self, session: Session) -> None:
        import sqlalchemy as sa

        from dossier_cli.inserts import DriverInsert
        from dossier_cli.models import Sale

        self.session = session
        self.sale = Sale.__table__
        self.conn = session.connection()
        self.staging = sa.Table(
            "dossier_staged_sale",
            sa.MetaData(),
            sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("company_id", sa.Integer, nullable=False),
            sa.Column("sold_on", self.sale.c.sold_on.type, nullable=False),
            sa.Column("amount_minor", sa.BigInteger, nullable=False),
            sa.Column("reference", sa.Text),
            sa.Column("note", sa.Text),
            sa.Column("dedup", sa.Text, nullable=False),
            sa.UniqueConstraint("company_id", "dedup"),
            prefixes=["TEMPORARY"],
        )
        self.staging.drop(self.conn, checkfirst=True)
        self.staging.create(self.conn)
        self._insert = DriverInsert(self.conn, self.staging, on_conflict_do_nothing=True, bound=True)
        self.bind_day = self._insert.binder("sold_on")  # what `stage` expects of a day
        self.staged = 0

    def stage(self, rows: list[tuple[Any, ...]]) -> None:
        """Rows of (company id, `bind_day(day)`, amount in minor units, reference, note, `duplicate_key(…)`)."""
        first = self.staged
        self.staged += len(rows)
        self._insert.execute([(first + n, *row) for n, row in enumerate(rows)])

    def write(self, *, on_duplicate: str, force: bool = False, now: datetime | None = None,
              returning: bool = False) -> tuple[int, list[int]]:
        """Write the staged sales, then drop the staging table: (how many were written, their ids if `returning`).

        `on_duplicate="skip"` leaves out the repeats of recorded sales; `"refuse"` raises the
        Conflict of the first (with `force`, only a repeated reference is one).
        """
        import sqlalchemy as sa

        from dossier_cli.models import utcnow

        s, x = self.staging, self.sale.alias("x")
        try:
            conditions = repeat_conditions(x, s.c.company_id, s.c.sold_on, s.c.amount_minor, s.c.reference)
            if force:
                conditions = conditions[:1]
            if on_duplicate == "refuse":
                self._refuse(conditions)
            else:
                # First drop the rows the database already holds, probing only the sales from before
                # this write; the rest then go in, in order, without SQLite having to set the whole
                # result aside first (it must when the SELECT reads the table being inserted into).
                self.conn.execute(s.delete().where(sa.or_(*(sa.exists().where(c) for c in conditions))))
            query = sa.select(
                s.c.company_id, s.c.sold_on, s.c.amount_minor, s.c.reference, s.c.note,
                sa.bindparam("now", now or utcnow(), type_=self.sale.c.created_at.type),
            ).order_by(s.c.line)
            insert = self.sale.insert().from_select(
                ["company_id", "sold_on", "amount_minor", "reference", "note", "created_at"], query)
            if returning:
                ids = sorted(self.conn.execute(insert.returning(self.sale.c.id)).scalars())
                return len(ids), ids
            # preserve_rowcount: without it SQLAlchemy reports -1 for INSERT … SELECT on PostgreSQL
            inserted = self.conn.execute(insert.execution_options(preserve_rowcount=True))
            return max(inserted.rowcount, 0), []
        finally:
            self.drop()

    def drop(self) -> None:
        """Write nothing (a refused file), and drop the staging table."""
        self.staging.drop(self.conn)

    def _refuse(self, conditions: list[Any]) -> None:
        import sqlalchemy as sa

        from dossier_cli.models import Company

        s, x = self.staging, self.sale.alias("x")
        for condition in conditions:
            found = self.conn.execute(
                sa.select(s.c.company_id, s.c.sold_on, s.c.amount_minor, s.c.reference, x.c.id, x.c.sold_on)
                .select_from(s.join(x, condition)).order_by(s.c.line, x.c.id).limit(1)
            ).first()
            if found is not None:
                company = self.session.get(Company, found[0])
                raise duplicate_conflict(company, existing_id=found[4], existing_day=found[5],  # type: ignore[arg-type]
                                         reference=found[3], amount_minor=found[2], day=found[1])


def add_sales(session: Session, sales: list[dict[str, Any]], *, on_duplicate: str, force: bool = False) -> list[int]:
    """Write sales already checked (each: company_id, sold_on, amount_minor, reference, note); their new ids."""
    batch = SaleBatch(session)
    batch.stage([(sale["company_id"], batch.bind_day(sale["sold_on"]), sale["amount_minor"], sale["reference"],
                  sale["note"], duplicate_key(sale["reference"], sale["sold_on"].isoformat(), sale["amount_minor"]))
                 for sale in sales])
    return batch.write(on_duplicate=on_duplicate, force=force, returning=True)[1]
