"""Imported dossier answers; a changed answer keeps the old one as history."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from dossier_cli import audit
from dossier_cli.transfer.importing import Importer
from dossier_cli.transfer.lookup import CompanyIndex, PersonIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import text_cell


class AnswerWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import DossierAnswer

        self.table = DossierAnswer.__table__
        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        self.current: dict[tuple[int, int | None, str], tuple[int, str]] = {
            (c, p, k): (i, v)
            for i, c, p, k, v in self.session.execute(
                select(DossierAnswer.id, DossierAnswer.company_id, DossierAnswer.person_id, DossierAnswer.item_key, DossierAnswer.value_json)
                .where(DossierAnswer.is_current)
            )
        }

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person_id = self.people.resolve(get(row, "person"), col("person"))
        item = text_cell(get(row, "item"), col("item"), max_length=200)
        if not item:
            raise BadRow(col("item"), "no dossier item named")
        value = get(row, "value")
        if isinstance(value, str):
            value = text_cell(value, col("value"))
        if value is None:
            raise BadRow(col("value"), "no answer given")
        answered = get(row, "answered_at")
        answered_at = self.now
        if answered is not None:
            try:
                answered_at = datetime.fromisoformat(str(answered))
                if answered_at.tzinfo is None:
                    answered_at = answered_at.replace(tzinfo=timezone.utc)
            except ValueError:
                day = self.values.date(answered, col("answered_at"))
                answered_at = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        return {"company_id": company_id, "person_id": person_id, "item_key": item,
                "value_json": json.dumps(value, ensure_ascii=False), "answered_at": answered_at}

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        user = audit.current_user()
        for _line, item in batch:
            key = (item["company_id"], item["person_id"], item["item_key"])
            previous = self.current.get(key)
            if previous is not None and previous[1] == item["value_json"]:
                self.result.unchanged += 1
                continue
            if previous is not None:
                self.conn.execute(self.table.update().where(self.table.c.id == previous[0]).values(is_current=False))
                self.result.updated += 1
            else:
                self.result.created += 1
            new_id = self.conn.execute(
                self.table.insert().returning(self.table.c.id), [{**item, "is_current": True, "user": user}]
            ).scalar_one()
            self.current[key] = (new_id, item["value_json"])
