"""Imported sales: each row checked as `add sale` checks it (amount, date, reference), written by
the domain's `SaleBatch` (selling/sales_bulk.py), the bulk form `add sale` writes through; a row
repeating a recorded sale is unchanged, not added twice."""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier_cli.transfer.writers.base import Importer
from dossier_cli.transfer.lookup import CompanyIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.errors import InvalidInput
from dossier_cli.selling.sales import check_amount, clean_optional
from dossier_cli.selling.sales_bulk import duplicate_key
from dossier_cli.transfer.values import domain_message, text_cell
from dossier_cli.i18n import _, N_


class SaleWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from dossier_cli.selling.sales_bulk import SaleBatch

        self.companies = CompanyIndex(self.session)
        self.sales = SaleBatch(self.session)
        self.bind_day = self.sales.bind_day
        by_field = self.columns.by_field
        # The cells the short path reads; it serves files that name companies (not tax numbers).
        self._cells = None if "tax_number" in by_field or "company" not in by_field else (
            by_field["company"], by_field["date"], by_field["amount"], by_field.get("reference"), by_field.get("note"))
        self._days: dict[str, tuple[Any, str]] = {}  # an ISO date as written -> (its bound value, its text)

    def clean(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """(company id, the day as bound, minor units, reference, note, duplicate key)."""
        cells = self._cells
        if cells is not None:
            # The common shapes (a company's name, `2025-01-26`, `24382.06`, text cells) take a
            # short path with the very same results; anything else takes the general one.
            h_company, h_date, h_amount, h_ref, h_note = cells
            company, day, amount = row.get(h_company), row.get(h_date), row.get(h_amount)
            ref = row.get(h_ref) if h_ref is not None else None
            note = row.get(h_note) if h_note is not None else None
            if (type(company) is str and type(day) is str and type(amount) is str
                    and (ref is None or type(ref) is str) and (note is None or type(note) is str)):
                company_id = self.companies.known.get(company)
                known_day = self._days.get(day) or self._iso_day(day)
                whole, dot, cents = amount.partition(".")
                if (type(company_id) is int and known_day is not None and whole.isdecimal() and len(whole) <= 13
                        and (not dot or (cents.isdecimal() and len(cents) <= 2))):
                    minor = int(whole) * 100 + (int(cents) * (10 if len(cents) == 1 else 1) if cents else 0)
                    if minor == 0 or (ref is not None and ("  " in ref or "\t" in ref or "\n" in ref or "\r" in ref)):
                        return self._clean(row)  # refused, or a reference to fold as add sale folds it
                    if ref is not None:
                        ref = ref.strip() or None
                        if ref is not None and (len(ref) > 200 or "\x00" in ref):
                            ref = text_cell(ref, self.columns.column("reference"), max_length=200)  # raises
                    if note is not None:
                        note = note.strip() or None
                        if note is not None and (len(note) > 10_000 or "\x00" in note):
                            note = text_cell(note, self.columns.column("note"))  # raises
                    bound, text = known_day
                    return company_id, bound, minor, ref, note, duplicate_key(ref, text, minor)
        return self._clean(row)

    def _iso_day(self, value: str) -> tuple[Any, str] | None:
        """`YYYY-MM-DD` read with date.fromisoformat (what parse_date makes of it), remembered."""
        if (len(value) != 10 or value[4] != "-" or value[7] != "-" or not value.isascii() or not value[:4].isdigit()
                or not value[5:7].isdigit() or not value[8:].isdigit() or len(self._days) >= 100_000):
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        text = day.isoformat()
        known = self._days[value] = self.bind_day(day), text
        return known

    def _clean(self, row: dict[str, Any]) -> tuple[Any, ...]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), get(row, "tax_number"), ref_column=col("company"), tax_column=col("tax_number"))
        raw_date = get(row, "date")
        if raw_date is None:
            raise BadRow(col("date"), _("no date"))
        sold_on = self.values.date(raw_date, col("date"), field=N_("sale date"))
        raw_amount = get(row, "amount")
        if raw_amount is None:
            raise BadRow(col("amount"), _("no amount"))
        amount = self.values.amount(raw_amount, col("amount"))
        if amount == 0:  # the rules of `add sale`, with its message
            try:
                check_amount(str(raw_amount))
            except InvalidInput as exc:
                raise BadRow(col("amount"), domain_message(exc)) from None
        reference = get(row, "reference")
        if reference is not None:
            try:
                reference = clean_optional(str(reference), field=N_("reference"), max_length=200, one_line=True)
            except InvalidInput as exc:
                raise BadRow(col("reference"), domain_message(exc)) from None
        note = text_cell(get(row, "note"), col("note"))
        text = sold_on.isoformat()
        return company_id, self.bind_day(sold_on), amount, reference, note, duplicate_key(reference, text, amount)

    def write(self, batch: list[tuple[int, tuple[Any, ...]]]) -> None:
        self.sales.stage([item for _line, item in batch])  # in the file's order

    def finish(self) -> None:
        if self.options.skip_errors or not self.result.refused:
            self.result.created = self.sales.write(on_duplicate="skip", now=self.now)[0]
            self.result.unchanged = self.sales.staged - self.result.created
        else:
            self.sales.drop()
