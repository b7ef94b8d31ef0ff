"""Imported people and their links to companies, written by `add_people` (the bulk form `add person` writes through).

Each cell is checked by the function `add person` checks it with (name, role, phones and
e-mails, tags, notes), with the same message. This writer only reads the cells, finds the
companies, and decides which rows are new people and which add to people already recorded:
a row is the person of the same name at the same company, or, without a company, the first
person of that name (the matching rule of the README). A phone or e-mail another company or
person has refuses the row with the message `add person` gives.
"""

from __future__ import annotations

from typing import Any

from dossier_cli.i18n import _
from dossier_cli.text import person_key
from dossier_cli.transfer.lookup import CompanyIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import checked, split_cell, text_cell
from dossier_cli.transfer.writers.base import Importer


class PersonWriter(Importer):
    checks_in_write = True  # a phone or e-mail another record has is found as rows are written

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Person, PersonLink

        self.companies = CompanyIndex(self.session)
        # (name_key, company id or None) -> person id, and name_key -> the first person of that name
        self.known: dict[tuple[str, int | None], int] = {}
        self.by_name: dict[str, int] = {}
        for person_id, name_key, company_id in self.session.execute(
            select(Person.id, Person.name_key, PersonLink.company_id)
            .join(PersonLink, PersonLink.person_id == Person.id, isouter=True)
            .order_by(Person.id)
        ):
            self.known.setdefault((name_key, company_id), person_id)
            self.by_name.setdefault(name_key, person_id)
        self.links: set[tuple[int, int]] = {(p, c) for p, c in self.session.execute(select(PersonLink.person_id, PersonLink.company_id))}

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        from dossier_cli.records.contacts import clean_tag, normalise
        from dossier_cli.records.people import clean_person_name, normalise_role

        get, col = self.columns.get, self.columns.column
        raw_name = get(row, "name")
        if raw_name is None:
            raise BadRow(col("name"), _("the person's name is empty"))
        name = checked(col("name"), clean_person_name, str(text_cell(raw_name, col("name"))))
        company_id = None
        if get(row, "company") is not None:
            company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        role = get(row, "role")
        contacts: list[tuple[str, str]] = []
        for kind in ("phone", "email"):  # the `phone` and the `phones` column, several in a cell
            for field in (kind, kind + "s"):
                contacts += [(kind, checked(col(field), normalise, kind, value, self.settings), col(field))
                             for value in split_cell(get(row, field))]
        return {
            "name": name,
            "name_key": person_key(name),
            "company_id": company_id,
            "role": checked(col("role"), normalise_role, str(role)) if role is not None else None,
            "contacts": list({point[:2]: point for point in contacts}.values()),  # (kind, value, column)
            "tags": sorted({checked(col("tags"), clean_tag, tag) for tag in split_cell(get(row, "tags"))}),
            "fields": {name: value for name, value in (
                ("notes", text_cell(get(row, "notes"), col("notes"))),
                ("personality_type", text_cell(get(row, "personality_type"), col("personality_type"), max_length=200)),
            ) if value is not None},
            "raw": row,
        }

    def write(self, batch: list[tuple[str, dict[str, Any]]]) -> None:
        """Decide row by row (in file order, so a later row finds the person an earlier one adds)
        whether it is a new person or adds to one recorded, then write the batch with `add_people`."""
        from dossier_cli.records.contacts import contact_owners, taken_message

        owners = contact_owners(self.session, [point[:2] for _line, item in batch for point in item["contacts"]])
        stored, stored_tags = self._stored([self._match(item) for _line, item in batch])
        people: dict[int, dict[str, Any]] = {}  # person id (a negative stand-in for a new one) -> what to write
        for line, item in batch:
            person_id = self._match(item)
            taken = [(kind, value, column) for kind, value, column in item["contacts"]
                     if owners.get((kind, value), (None, person_id)) != (None, person_id)]
            if taken:  # as `add person --phone` refuses a phone another record has
                kind, value, column = taken[0]
                if (owners[(kind, value)][1] or 0) < 0:  # a person of this file: written first, to be named
                    self._write(people, owners)
                    people = {}
                self.refuse_earlier(line, column, taken_message(self.session, kind, value, *owners[(kind, value)]), item["raw"])
                continue
            created = person_id is None
            if person_id is None:
                self._stand_in -= 1
                person_id = self._stand_in
                self.by_name.setdefault(item["name_key"], person_id)
            if person_id not in people:
                people[person_id] = {"id": person_id if person_id > 0 else None, "name": item["name"],
                                     "name_key": item["name_key"], "fields": {}, "contacts": [], "tags": [], "links": []}
            changed = self._add(people[person_id], person_id, item, stored.get(person_id, {}), stored_tags, owners)
            if created:
                self.result.created += 1
            elif changed:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        self._write(people, owners)

    def _write(self, people: dict[int, dict[str, Any]], owners: dict[tuple[str, str], Any]) -> None:
        """`add_people`; then the new people's ids replace their stand-ins."""
        from dossier_cli.records.people_bulk import add_people

        add_people(self.session, list(people.values()), now=self.now)
        real = {stand_in: person["id"] for stand_in, person in people.items() if stand_in < 0}
        if real:
            for mapping in (self.known, self.by_name):
                for key, value in mapping.items():
                    if value < 0:
                        mapping[key] = real[value]
            self.links = {(real.get(p, p), c) for p, c in self.links}
            for point, (company_id, person_id) in owners.items():
                if person_id is not None and person_id < 0:
                    owners[point] = (company_id, real[person_id])

    _stand_in = 0

    def _add(self, person: dict[str, Any], person_id: int, item: dict[str, Any], stored: dict[str, Any],
             stored_tags: set[tuple[int, str]], owners: dict[tuple[str, str], Any]) -> bool:
        """Add what the row says to the person's item (the filled cells win); whether it changes them."""
        changed = False
        firsts = {}  # the row's first new phone and e-mail become the person's own
        for kind, value, _column in item["contacts"]:
            if (kind, value) not in owners:  # new to everyone
                owners[(kind, value)] = (None, person_id)
                person["contacts"].append((kind, value))
                firsts.setdefault(kind, value)
                changed = True
        for name, value in {**item["fields"], **firsts}.items():
            current = person["fields"].get(name, person.get(name, stored.get(name)))
            if value != current:
                (person if name in firsts else person["fields"])[name] = value
                changed = True
        for tag in item["tags"]:
            if (person_id, tag) not in stored_tags:
                stored_tags.add((person_id, tag))
                person["tags"].append(tag)
                changed = True
        company_id = item["company_id"]
        if company_id is not None and (person_id, company_id) not in self.links:
            self.links.add((person_id, company_id))
            self.known[(item["name_key"], company_id)] = person_id
            person["links"].append((company_id, item["role"] or "other", None))
            changed = True
        return changed

    def _stored(self, ids: list[int | None]) -> tuple[dict[int, dict[str, Any]], set[tuple[int, str]]]:
        """The recorded people among `ids`: their own columns, and their tags as (id, tag)."""
        from sqlalchemy import select

        from dossier_cli.models import Person, PersonTag
        from dossier_cli.records.people_bulk import PERSON_COLUMNS

        wanted = sorted({i for i in ids if i is not None and i > 0})
        if not wanted:
            return {}, set()
        table = Person.__table__
        columns = ("phone", "email", *PERSON_COLUMNS)
        stored: dict[int, dict[str, Any]] = {}
        tags: set[tuple[int, str]] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in self.session.execute(select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(chunk))):
                stored[row[0]] = dict(zip(columns, row[1:]))
            tags.update((p, t) for p, t in self.session.execute(select(PersonTag.person_id, PersonTag.tag).where(PersonTag.person_id.in_(chunk))))
        return stored, tags

    def _match(self, item: dict[str, Any]) -> int | None:
        """The person a row is: the same name at the same company; without a company, the first of that name."""
        found = self.known.get((item["name_key"], item["company_id"]))
        if found is None and item["company_id"] is None:
            found = self.by_name.get(item["name_key"])
        return found
