"""Imported touches (the contact log): each row checked by the domain's `check_touch` and the
batch written by its `add_touches`, the bulk form `dossier add touch` also writes through.

So the import accepts and refuses exactly what the command does (kinds and outcomes with their
synonyms, dates not in the future, next steps after the touch, people who asked not to be
contacted, liquidated companies) with the same messages, and closes next steps as the command
does. A touch already in the log (same company, person, day, kind and note) is not added again.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any, NamedTuple

from dossier_cli.i18n import N_
from dossier_cli.errors import DossierError
from dossier_cli.text import fold
from dossier_cli.transfer.lookup import CompanyIndex, PersonIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import bool_cell, domain_message
from dossier_cli.transfer.writers.base import Importer

# Which column a refusal of check_touch is about, by the words of its message.
_COLUMN_OF = (("kind of touch", "kind"), ("outcome", "outcome"), ("next step", "next_on"), ("--next", "next_on"),
              ("touch date", "date"), ("asked not to be contacted", "person"), ("liquidated", "company"))


class _CompanyFacts(NamedTuple):
    """What check_touch reads of a company."""

    id: int
    name: str
    status: str


class TouchWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Company, Person, Touch

        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        # check_touch reads a company's status (and its name, to refuse a liquidated one): only the
        # liquidated few are held; any other company is active as far as a touch is concerned.
        self.liquidated = {i: _CompanyFacts(i, n, s) for i, n, s in self.session.execute(
            select(Company.id, Company.name, Company.status).where(Company.status == "liquidated"))}
        self.person_facts: dict[int, Any] = {}
        self._column = {name: self.columns.column(name) for name in self._FIELDS}
        from dossier_cli.selling.touches import local_today

        self.today = local_today()  # one day for the whole file, as for one command
        self._person_query = select(Person.id, Person.name, Person.do_not_contact)
        self.seen: set[int] = {
            hash(self._key(c, p, d, k, n))
            for c, p, d, k, n in self.session.execute(select(Touch.company_id, Touch.person_id, Touch.touched_on, Touch.kind, Touch.note))
        }

    @staticmethod
    def _key(company_id: int, person_id: int | None, day: date, kind: str, note: str | None) -> tuple[Any, ...]:
        return company_id, person_id, day, kind, fold(note or "")

    def _person(self, person_id: int | None) -> Any:
        if person_id is None:
            return None
        facts = self.person_facts.get(person_id)
        if facts is None:
            from dossier_cli.models import Person

            row = self.session.execute(self._person_query.where(Person.id == person_id)).one()
            facts = self.person_facts[person_id] = SimpleNamespace(id=row[0], name=row[1], do_not_contact=row[2])
        return facts

    def clean(self, row: dict[str, Any]) -> dict[str, Any] | None:
        from dossier_cli.selling.touches import check_touch

        col = self._column  # each field's column name, looked up once per file
        cell = self.columns.cells(row, self._FIELDS)  # each field's cell, read once
        company_id = self.companies.resolve(cell["company"], None, ref_column=col["company"], tax_column=col["company"])
        person_id = self.people.resolve(cell["person"], col["person"])
        touched_on = self.values.date(cell["date"] or "", col["date"], field=N_("touch date"))
        next_on = cell["next_on"]
        text = {name: (str(cell[name]) if cell[name] is not None else None) for name in ("kind", "outcome", "note", "next_action")}
        try:
            values = check_touch(
                self.settings, company=self.liquidated.get(company_id) or _CompanyFacts(company_id, "", "active"),
                kind=text["kind"] or "", person=self._person(person_id),
                touched_on=touched_on, outcome=text["outcome"], note=text["note"],
                next_on=self.values.date(next_on, col["next_on"]) if next_on is not None else None,
                next_action=text["next_action"], today=self.today,
            )
        except DossierError as exc:
            message = domain_message(exc)
            column = next((col.get(name, name) for words, name in _COLUMN_OF if words in message), None)
            raise BadRow(column, message) from None
        key = hash(self._key(company_id, person_id, values["touched_on"], values["kind"], values["note"]))
        if key in self.seen:
            self.result.unchanged += 1
            return None
        self.seen.add(key)
        values["_done"] = bool_cell(cell["done"], col["done"]) if cell["done"] is not None else False
        return values

    _FIELDS = ("company", "person", "date", "kind", "outcome", "note", "next_on", "next_action", "done")

    def write(self, batch: list[tuple[str, dict[str, Any] | None]]) -> None:
        from dossier_cli.selling.touches import add_touches

        touches = [values for _line, values in batch if values is not None]
        done = [values.pop("_done") for values in touches]
        add_touches(self.session, touches, done=done)
        self.result.created += len(touches)
