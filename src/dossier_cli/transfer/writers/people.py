"""Imported people and their links to companies."""

from __future__ import annotations

from typing import Any

from dossier_cli.errors import InvalidInput
from dossier_cli.text import person_key
from dossier_cli.transfer.writers.base import Importer
from dossier_cli.transfer.lookup import CompanyIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import domain_message, split_cell, text_cell
from dossier_cli.i18n import _


class PersonWriter(Importer):
    checks_in_write = True  # a phone or e-mail another record has is found as rows are written
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Person, PersonLink

        self.table = Person.__table__
        self.link_table = PersonLink.__table__
        self.companies = CompanyIndex(self.session)
        # (name_key, company id or None) -> person id
        self.known: dict[tuple[str, int | None], int] = {}
        self.by_name: dict[str, int] = {}
        for person_id, name_key, company_id in self.session.execute(
            select(Person.id, Person.name_key, PersonLink.company_id)
            .join(PersonLink, PersonLink.person_id == Person.id, isouter=True)
            .order_by(Person.id)
        ).all():
            self.known.setdefault((name_key, company_id), person_id)
            self.by_name.setdefault(name_key, person_id)
        self.links: set[tuple[int, int]] = {
            (p, c) for p, c in self.session.execute(select(PersonLink.person_id, PersonLink.company_id)).all()
        }

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        from dossier_cli.records.people import normalise_role

        get, col = self.columns.get, self.columns.column
        name = text_cell(get(row, "name"), col("name"), max_length=300)
        if name is not None:
            from dossier_cli.text import visible_name

            name = " ".join(visible_name(name).split()) or None
        if not name:
            raise BadRow(col("name"), _("the person's name is empty"))
        name = " ".join(name.split())
        company_id = None
        if get(row, "company") is not None:
            company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        role = None
        if get(row, "role") is not None:
            try:
                role = normalise_role(str(get(row, "role")))
            except InvalidInput as exc:
                raise BadRow(col("role"), domain_message(exc)) from None
        return {
            "name": name,
            "name_key": person_key(name),
            "company_id": company_id,
            "role": role,
            **self._several("phone", [(get(row, "phone"), col("phone")), (get(row, "phones"), col("phones"))]),
            **self._several("email", [(get(row, "email"), col("email")), (get(row, "emails"), col("emails"))]),
            "tags": self._tags(get(row, "tags"), col("tags")),
            "notes": text_cell(get(row, "notes"), col("notes")),
            "personality_type": text_cell(get(row, "personality_type"), col("personality_type"), max_length=200),
            "raw": row,
        }

    def _several(self, kind: str, cells: list[tuple[Any, str]]) -> dict[str, Any]:
        """Cells of one or more phones (or e-mails) separated by `;` or `,` (the `phone` and the
        `phones` column): the first is the person's own, all are registered as contact points
        ({kind: first, kind + "s": all})."""
        values = list(dict.fromkeys(
            v for value, column in cells for v in (self._contact(kind, p, column) for p in split_cell(value)) if v))
        return {kind: values[0] if values else None, kind + "s": values}

    @staticmethod
    def _tags(value: Any, column: str) -> list[str]:
        from dossier_cli.records.contacts import clean_tag

        try:
            return sorted({clean_tag(tag) for tag in split_cell(value)})
        except InvalidInput as exc:
            raise BadRow(column, domain_message(exc)) from None

    def _phone(self, value: Any, column: str) -> str | None:
        return self._contact("phone", value, column)

    def _email(self, value: Any, column: str) -> str | None:
        return self._contact("email", value, column)

    def _contact(self, kind: str, value: Any, column: str) -> str | None:
        """Normalised exactly as `add person` does it (contacts.normalise), or a bad row."""
        if value is None:
            return None
        from dossier_cli.records.contacts import normalise

        try:
            return normalise(kind, str(value), self.settings)
        except InvalidInput as exc:
            raise BadRow(column, domain_message(exc)) from None

    def _contacts(self, item: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(k, v, column) for k, columns in (("phone", ("phone", "phones")), ("email", ("email", "emails")))
                for v, column in [(v, self.columns.column(columns[0])) for v in item.get(k + "s") or [item.get(k)]] if v]

    def _taken(self, person_id: int | None, item: dict[str, Any]) -> tuple[str, str] | None:
        """(column, message) of a phone or e-mail of the row that another company or person has."""
        from sqlalchemy import select

        from dossier_cli.models import ContactPoint
        from dossier_cli.records.contacts import taken_message

        table = ContactPoint.__table__
        for kind, value, column in self._contacts(item):
            owner = self.session.execute(
                select(table.c.company_id, table.c.person_id).where(table.c.kind == kind, table.c.value == value)
            ).first()
            if owner is not None and (person_id is None or tuple(owner) != (None, person_id)):
                return column, taken_message(self.session, kind, value, owner[0], owner[1])
        return None

    def _register_contacts(self, person_id: int, item: dict[str, Any]) -> None:
        """Make imported phones and e-mails findable, as `add person --phone/--email` does."""
        from sqlalchemy import select

        from dossier_cli.models import ContactPoint

        table = ContactPoint.__table__
        for kind, value in [(k, v) for k in ("phone", "email") for v in item.get(k + "s") or [item.get(k)] if v]:
            owner = self.session.execute(
                select(table.c.company_id, table.c.person_id).where(table.c.kind == kind, table.c.value == value)
            ).first()
            if owner is None:  # (one another record has was refused by _taken)
                self.conn.execute(table.insert(), [{
                    "kind": kind, "value": value, "company_id": None, "person_id": person_id, "created_at": self.now,
                }])

    def _add_tags(self, person_id: int, tags: list[str]) -> bool:
        from sqlalchemy import select

        from dossier_cli.models import PersonTag

        if not tags:
            return False
        table = PersonTag.__table__
        have = set(self.session.execute(select(table.c.tag).where(table.c.person_id == person_id)).scalars())
        new = [{"person_id": person_id, "tag": tag} for tag in tags if tag not in have]
        if new:
            self.conn.execute(table.insert(), new)
        return bool(new)

    _FIELDS = ("phone", "email", "notes", "personality_type")

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        from sqlalchemy import select

        for line, item in batch:
            key = (item["name_key"], item["company_id"])
            person_id = self.known.get(key)
            if person_id is None and item["company_id"] is None:
                # without a company, a person of that name anywhere is the same person
                person_id = self.by_name.get(item["name_key"])
            taken = self._taken(person_id, item)
            if taken is not None:  # as `add person --phone` refuses a phone another record has
                self.refuse_earlier(line, *taken, item.get("raw"))
                continue
            created = person_id is None
            changed = False
            if person_id is None:
                row = {c.name: None for c in self.table.c if c.name != "id"}
                row.update({k: item[k] for k in ("name", "name_key", *self._FIELDS)})
                row.update(do_not_contact=False, created_at=self.now, updated_at=self.now)
                person_id = self.conn.execute(self.table.insert().returning(self.table.c.id), [row]).scalar_one()
                self.known[key] = person_id
                self.by_name.setdefault(item["name_key"], person_id)
            else:
                stored = self.session.execute(select(self.table).where(self.table.c.id == person_id)).one()._mapping
                diff = {k: item[k] for k in self._FIELDS if item[k] is not None and stored[k] != item[k]}
                if diff:
                    self.conn.execute(self.table.update().where(self.table.c.id == person_id).values(**diff, updated_at=self.now))
                    changed = True
            self._register_contacts(person_id, item)
            changed = self._add_tags(person_id, item["tags"]) or changed
            if item["company_id"] is not None and (person_id, item["company_id"]) not in self.links:
                self.conn.execute(self.link_table.insert(), [{
                    "person_id": person_id, "company_id": item["company_id"], "role": item["role"] or "other",
                    "active": True, "since": None, "until": None, "created_at": self.now,
                }])
                self.links.add((person_id, item["company_id"]))
                self.known[key] = person_id
                changed = True
            if created:
                self.result.created += 1
            elif changed:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
