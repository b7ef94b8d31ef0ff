"""Imported dossier answers, each saved by the domain's `fill`, as `dossier fill --set KEY=VALUE` saves it.

So the import knows the template's items and their kinds exactly as the command does, refuses
what it refuses with the same message, and keeps a changed answer's old value as history.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from dossier_cli.errors import DossierError
from dossier_cli.transfer.writers.base import Importer
from dossier_cli.transfer.lookup import CompanyIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import domain_message, text_cell
from dossier_cli.i18n import _

_NOTHING_SAVED = "; nothing was saved"


class AnswerWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from dossier_cli.prospect.template import load_template

        self.companies = CompanyIndex(self.session)
        self.template = load_template(self.settings)

    def clean(self, row: dict[str, Any]) -> None:
        from dossier_cli.models import Company
        from dossier_cli.prospect.filling import fill

        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person = get(row, "person")
        item = text_cell(get(row, "item"), col("item"), max_length=200)
        if not item:
            raise BadRow(col("item"), _("no dossier item named"))
        value = get(row, "value")
        if value is None:
            raise BadRow(col("value"), _("no answer given"))
        answered = get(row, "answered_at")
        answered_at = None
        if answered is not None:
            try:
                answered_at = datetime.fromisoformat(str(answered))
                if answered_at.tzinfo is None:
                    answered_at = answered_at.replace(tzinfo=timezone.utc)
            except ValueError:
                day = self.values.date(answered, col("answered_at"))
                answered_at = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        try:
            changes = fill(self.session, self.settings, self.session.get(Company, company_id), {item: value},
                           person=str(person) if person is not None else None, template=self.template,
                           answered_at=answered_at)
        except DossierError as exc:
            message = domain_message(exc).replace(_NOTHING_SAVED, "")
            column = col("person") if "person" in message and person is not None and "item" not in message else col("item")
            if message.startswith(f"item '{item}'"):
                column = col("value")
            raise BadRow(column, message) from None
        if not changes:
            self.result.unchanged += 1
        elif all(change["old"] is None for change in changes):
            self.result.created += 1
        else:
            self.result.updated += 1
        return None

    def write(self, batch: list[Any]) -> None:
        return None  # each answer was saved by fill as it was read
