"""Imported dossier answers, saved by the domain's `fill`, as `dossier fill --set KEY=VALUE` saves them.

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
        self._prefetched: dict[int, Any] = {}

    checks_in_write = True

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
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
        return {"company_id": company_id, "person": str(person) if person is not None else None, "item": item,
                "value": value, "answered_at": answered_at, "raw": row}

    def write(self, batch: list[tuple[str, dict[str, Any]]]) -> None:
        """Consecutive answers about one company (and person) are saved by one `fill`, as one
        `dossier fill --set … --set …` saves them; a group `fill` refuses is saved row by row,
        so that each bad row is named."""
        from sqlmodel import select

        from dossier_cli import deferred
        from dossier_cli.models import Company
        from dossier_cli.prospect.completeness import prefetch_known

        ids = sorted({answer["company_id"] for _line, answer in batch})
        companies: list[Company] = []
        for start in range(0, len(ids), 500):  # one query per 500 companies, not one each
            companies += self.session.exec(select(Company).where(Company.id.in_(ids[start:start + 500]))).all()  # type: ignore[union-attr]
        # Each company's people and known answers, read once for the batch; a company's entry is
        # used by its first `fill` only (after that, `fill` reads what the batch has changed).
        self._prefetched = prefetch_known(self.session, companies)
        # The answers and audit events `fill` writes wait and go in with one INSERT per table.
        with deferred.rows(self.session):
            group: list[tuple[str, dict[str, Any]]] = []
            for line, answer in batch:
                if group and (self._group_key(group[0][1]) != self._group_key(answer)
                              or any(other["item"] == answer["item"] for _line, other in group)):
                    self._save(group)
                    group = []
                group.append((line, answer))
            self._save(group)
        self.session.flush()

    @staticmethod
    def _group_key(answer: dict[str, Any]) -> tuple[Any, ...]:
        return answer["company_id"], answer["person"], answer["answered_at"]

    def _save(self, group: list[tuple[str, dict[str, Any]]]) -> None:
        from dossier_cli import deferred
        from dossier_cli.models import Company
        from dossier_cli.prospect.filling import fill

        if not group:
            return
        first = group[0][1]
        company = self.session.get(Company, first["company_id"])
        prefetched = self._prefetched.pop(first["company_id"], None)
        if prefetched is None:  # the company was answered earlier in this batch: `fill` reads those answers back
            deferred.write(self.session)
        try:  # fill checks every answer before it saves any
            changes = fill(self.session, self.settings, company, {a["item"]: a["value"] for _line, a in group},
                           person=first["person"], template=self.template, answered_at=first["answered_at"],
                           prefetched=prefetched, flush=False)
        except DossierError as exc:
            if len(group) > 1:
                for one in group:
                    self._save([one])
                return
            line, answer = group[0]
            message = domain_message(exc).replace(_NOTHING_SAVED, "")
            col = self.columns.column
            column = col("value") if message.startswith(f"item '{answer['item']}'") else (
                col("person") if answer["person"] is not None and "item" not in message else col("item"))
            self.refuse_earlier(line, column, message, answer["raw"])
            return
        old = {change["key"]: change["old"] for change in changes}
        for _line, answer in group:
            if answer["item"] not in old:
                self.result.unchanged += 1
            elif old[answer["item"]] is None:
                self.result.created += 1
            else:
                self.result.updated += 1
