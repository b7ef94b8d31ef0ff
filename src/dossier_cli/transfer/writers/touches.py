"""Imported touches (the contact log)."""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier_cli import audit
from dossier_cli.text import fold
from dossier_cli.transfer.importing import Importer
from dossier_cli.transfer.lookup import CompanyIndex, PersonIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import bool_cell, text_cell


_TOUCH_KIND_SYNONYMS = {"звонок": "call", "phone": "call", "встреча": "meeting", "письмо": "letter", "e-mail": "email",
                        "почта": "email", "визит": "visit", "выставка": "exhibition", "другое": "other"}
_OUTCOMES = ("positive", "neutral", "no", "no-answer")
_OUTCOME_SYNONYMS = {"позитивный": "positive", "положительный": "positive", "нейтральный": "neutral", "отказ": "no",
                     "нет": "no", "не ответил": "no-answer", "нет ответа": "no-answer", "no answer": "no-answer"}


class TouchWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Touch

        from dossier_cli.models import Person

        self.table = Touch.__table__
        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        self.kinds = {fold(k): k for k in self.settings.touch_kinds}
        # People who asked not to be contacted: a touch with them is refused, as `add touch` does.
        self.refusing = dict(self.session.execute(select(Person.id, Person.name).where(Person.do_not_contact == True)).all())  # noqa: E712
        self.seen: set[int] = {
            hash(self._key(c, p, d, k, n))
            for c, p, d, k, n in self.session.execute(select(Touch.company_id, Touch.person_id, Touch.touched_on, Touch.kind, Touch.note))
        }

    @staticmethod
    def _key(company_id: int, person_id: int | None, day: date, kind: str, note: str | None) -> tuple[Any, ...]:
        return company_id, person_id, day, kind, fold(note or "")

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person_id = self.people.resolve(get(row, "person"), col("person"))
        if person_id in self.refusing:
            raise BadRow(
                col("person"),
                f"#{person_id} {self.refusing[person_id]} asked not to be contacted (lift it with `dossier edit person {person_id} --may-contact` "
                "if they agreed again)",
            )
        raw_kind = fold(str(get(row, "kind") or ""))
        kind = self.kinds.get(raw_kind) or self.kinds.get(_TOUCH_KIND_SYNONYMS.get(raw_kind, ""))
        if kind is None:
            raise BadRow(col("kind"), f"unknown kind of touch '{get(row, 'kind')}' (choose one of: {', '.join(self.settings.touch_kinds)})")
        outcome = None
        if get(row, "outcome") is not None:
            folded = fold(str(get(row, "outcome")))
            outcome = folded if folded in _OUTCOMES else _OUTCOME_SYNONYMS.get(folded)
            if outcome is None:
                raise BadRow(col("outcome"), f"unknown outcome '{get(row, 'outcome')}' (choose one of: {', '.join(_OUTCOMES)})")
        next_on = get(row, "next_on")
        return {
            "company_id": company_id,
            "person_id": person_id,
            "touched_on": self.values.date(get(row, "date") or "", col("date")),
            "kind": kind,
            "outcome": outcome,
            "note": text_cell(get(row, "note"), col("note")),
            "next_on": self.values.date(next_on, col("next_on")) if next_on is not None else None,
            "next_action": text_cell(get(row, "next_action"), col("next_action"), max_length=500),
            "done": bool_cell(get(row, "done"), col("done")) if get(row, "done") is not None else False,
        }

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        rows = []
        user = audit.current_user()
        for _line, item in batch:
            key = hash(self._key(item["company_id"], item["person_id"], item["touched_on"], item["kind"], item["note"]))
            if key in self.seen:
                self.result.unchanged += 1
                continue
            self.seen.add(key)
            rows.append({**item, "user": user, "created_at": self.now})
        if rows:
            self.conn.execute(self.table.insert(), rows)
            self.result.created += len(rows)
