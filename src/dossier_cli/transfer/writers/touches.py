"""Imported touches (the contact log), each written by the domain's `add_touch`, as `dossier add touch` writes it.

So the import accepts and refuses exactly what the command does (kinds and outcomes with their
synonyms, dates not in the future, next steps after the touch, people who asked not to be
contacted, liquidated companies) with the same messages. A touch already in the log (same
company, person, day, kind and note) is not added again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier_cli.errors import DossierError
from dossier_cli.text import fold
from dossier_cli.transfer.writers.base import Importer
from dossier_cli.transfer.lookup import CompanyIndex, PersonIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import bool_cell, domain_message


class TouchWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Touch

        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        self.seen: set[int] = {
            hash(self._key(c, p, d, k, n))
            for c, p, d, k, n in self.session.execute(select(Touch.company_id, Touch.person_id, Touch.touched_on, Touch.kind, Touch.note))
        }

    @staticmethod
    def _key(company_id: int, person_id: int | None, day: date, kind: str, note: str | None) -> tuple[Any, ...]:
        return company_id, person_id, day, kind, fold(note or "")

    def clean(self, row: dict[str, Any]) -> None:
        from dossier_cli.models import Company, Person
        from dossier_cli.selling.touches import add_touch, normalise_kind, normalise_outcome
        from dossier_cli.upkeep.privacy import refuse_contact

        get, col = self.columns.get, self.columns.column

        def checked(column: str, check: Any, *args: Any) -> Any:
            try:
                return check(*args)
            except DossierError as exc:
                raise BadRow(col(column), domain_message(exc)) from None

        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person_id = self.people.resolve(get(row, "person"), col("person"))
        person = self.session.get(Person, person_id) if person_id is not None else None
        checked("person", refuse_contact, person)
        kind = checked("kind", normalise_kind, str(get(row, "kind") or ""), self.settings)
        raw_outcome = get(row, "outcome")
        if raw_outcome is not None:
            checked("outcome", normalise_outcome, str(raw_outcome))
        touched_on = self.values.date(get(row, "date") or "", col("date"), field="touch date")
        next_on = get(row, "next_on")
        note = get(row, "note")
        note = str(note) if note is not None else None
        key = hash(self._key(company_id, person_id, touched_on, kind, (note or "").strip() or None))
        if key in self.seen:
            self.result.unchanged += 1
            return None
        done = bool_cell(get(row, "done"), col("done")) if get(row, "done") is not None else False
        try:
            touch = add_touch(
                self.session, self.settings, company=self.session.get(Company, company_id), kind=kind, person=person,
                touched_on=touched_on, outcome=str(raw_outcome) if raw_outcome is not None else None, note=note,
                next_on=self.values.date(next_on, col("next_on")) if next_on is not None else None,
                next_action=str(get(row, "next_action")) if get(row, "next_action") is not None else None,
            )
        except DossierError as exc:
            raise BadRow(None, domain_message(exc)) from None
        if done and not touch.done:
            touch.done = True
            self.session.add(touch)
        self.seen.add(key)
        self.result.created += 1
        return None

    def write(self, batch: list[Any]) -> None:
        return None  # each touch was written by add_touch as it was read
