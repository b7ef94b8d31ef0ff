"""Imported companies: each with its first stage, branches and tags."""

from __future__ import annotations

from typing import Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
from dossier_cli.text import company_keys, fold
from dossier_cli.transfer.writers.base import Importer
from dossier_cli.transfer.lookup import CompanyIndex
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import split_cell, domain_message, list_cell, text_cell
from dossier_cli.i18n import _


COMPANY_FIELDS = (
    "legal_form", "tax_number", "kpp", "ogrn", "city", "territory", "market", "industry_needs", "activity", "source",
    "founded", "strategy", "trend", "financial_standing", "supply_channels", "competitors", "payment_reputation", "notes",
)


# The manager's deal fields (issue 21): read as typed, stored as deal_value_minor, close_by
# (the month's first day) and cadence_days; `records.companies.clean_company_fields` converts them.
DEAL_FIELDS = ("deal_value", "close_by", "cadence_days")
DEAL_COLUMNS = ("deal_value_minor", "close_by", "cadence_days")

_CACHEABLE_FIELDS = frozenset(("activity", "source", "founded", "city", "market", "territory"))


class CompanyWriter(Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from dossier_cli.models import Branch, Company, CompanyTag, StageChange

        self.table = Company.__table__
        self.branch_table = Branch.__table__
        self.tag_table = CompanyTag.__table__
        self.stage_table = StageChange.__table__
        self.companies = CompanyIndex(self.session)
        from sqlalchemy import select

        from dossier_cli.models import ContactPoint

        self.point_table = ContactPoint.__table__
        # (kind, value) -> (company id, person id): who has each phone, e-mail and website
        self.points: dict[tuple[str, str], tuple[int | None, int | None]] = {
            (k, v): (c, p) for k, v, c, p in self.session.execute(
                select(ContactPoint.kind, ContactPoint.value, ContactPoint.company_id, ContactPoint.person_id))
        }
        self.file_points: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, value) -> (name key, line) in this file
        self._contact_columns = [(kind, self.columns.by_field[kind]) for kind in ("phone", "email", "website")
                                 if kind in self.columns.by_field]
        self.file_names: dict[str, tuple[str, str]] = {}  # name key -> (line, tax number) of the file's rows that give one
        self.created_lines: dict[str, int] = {}  # line -> the company it created (rows with a tax number, --skip-errors)
        # The company fields this file has a column for, with that column and, for the fields whose
        # values repeat (city, market, …), the checked values of the cells seen so far.
        self._present = [
            (name, self.columns.by_field[name], {} if name in _CACHEABLE_FIELDS else None)
            for name in (*COMPANY_FIELDS, *DEAL_FIELDS) if name in self.columns.by_field
        ]
        self._stages: dict[str, str] = {}  # stage as written -> as configured
        self._has = set(self.columns.by_field)  # the fields the file has a column for

    def _field(self, name: str, value: Any, cache: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
        from dossier_cli.records.companies import clean_company_fields

        try:
            cleaned = clean_company_fields({name: value if not isinstance(value, (int, float)) else str(value)}, self.settings)
        except InvalidInput as exc:
            raise BadRow(self.columns.column(name), domain_message(exc)) from None
        if cache is not None and isinstance(value, str) and len(cache) < 10_000:
            cache[value] = cleaned
        return cleaned

    def _stage(self, stage: Any) -> str:
        checked = self._stages.get(stage) if isinstance(stage, str) else None
        if checked is None:
            from dossier_cli.records.companies import check_stage

            try:
                checked = check_stage(str(stage), self.settings)
            except InvalidInput as exc:
                raise BadRow(self.columns.column("stage"), domain_message(exc)) from None
            if isinstance(stage, str) and len(self._stages) < 1000:
                self._stages[stage] = checked
        return checked

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        from dossier_cli.records.companies import clean_company_name

        get = self.columns.get
        raw_name = get(row, "name")
        if raw_name is None:
            raise BadRow(self.columns.column("name"), _("the company name is empty"))
        try:
            name = clean_company_name(str(raw_name))
        except InvalidInput as exc:
            raise BadRow(self.columns.column("name"), domain_message(exc)) from None
        values: dict[str, Any] = {}
        for name_of_field, header, cache in self._present:
            value = row.get(header)  # as ColumnMap.get reads it
            if isinstance(value, str):
                value = value.strip() or None
                if value is None:
                    continue
                cleaned = cache.get(value) if cache is not None else None
                values.update(cleaned if cleaned is not None else self._field(name_of_field, value, cache))
            elif value is not None:
                values.update(self._field(name_of_field, value, None))
        name_key, search_key = company_keys(name)
        item = {"name": name, "name_key": name_key, "search_key": search_key, "fields": values, "branches": [], "tags": [],
                "raw": row if self.rejects.path is not None else None}  # for the rejects file, if there is one
        has = self._has
        if "stage" in has and (stage := get(row, "stage")) is not None:
            item["stage"] = self._stage(stage)
        if "listed_on" in has and (listed := get(row, "listed_on")) is not None:
            item["listed_on"] = self.values.date(listed, self.columns.column("listed_on"))
        if "branches" in has:
            item["branches"] = [text_cell(c, self.columns.column("branches"), max_length=200) for c in list_cell(get(row, "branches"))]
        if "tags" in has:
            item["tags"] = sorted(set(self._tags(get(row, "tags"))))
        matched = self._match_in_file(item)
        item["contacts"] = self._contacts(row, item, matched) if self._contact_columns else []
        return item

    def _tags(self, value: Any) -> list[str]:
        from dossier_cli.records.contacts import clean_tag

        try:
            return [clean_tag(tag) for tag in split_cell(value)]
        except InvalidInput as exc:
            raise BadRow(self.columns.column("tags"), domain_message(exc)) from None

    def _contacts(self, row: dict[str, Any], item: dict[str, Any], matched: int | None) -> list[tuple[str, str]]:
        """Phones, e-mails and websites of the row, normalised as `add company --phone` does; a value
        another company or person has is refused with the message `add company` gives."""
        from dossier_cli.records.contacts import normalise, taken_message

        found: list[tuple[str, str]] = []
        for kind, column in self._contact_columns:
            for raw in split_cell(row.get(column)):
                try:
                    value = normalise(kind, raw, self.settings)
                except InvalidInput as exc:
                    raise BadRow(column, domain_message(exc)) from None
                owner = self.points.get((kind, value))
                if owner is not None and (matched is None or owner != (matched, None)):
                    raise BadRow(column, taken_message(self.session, kind, value, *owner))
                earlier = self.file_points.get((kind, value))
                if earlier is not None and earlier[0] != item["name_key"]:
                    raise BadRow(column, _("{kind} {value} is given on {value2} for another company").format(kind=kind, value=raw.strip(), value2=earlier[1]))
                found.append((kind, value))
        for kind, value in found:
            self.file_points.setdefault((kind, value), (item["name_key"], self.line))
        return list(dict.fromkeys(found))

    def _match_in_file(self, item: dict[str, Any]) -> int | None:
        """Apply the row-matching rule to this row and the file's earlier rows, and to the database.

        Two rows of one file naming the same company (legal form, case and quotes aside)
        with different tax numbers are both refused, each naming the other's line.
        """
        key, tax = item["name_key"], item["fields"].get("tax_number")
        tax_column = self.columns.column("tax_number")
        # Only rows with a tax number can disagree, so only they are remembered (100,000 rows
        # without one cost nothing here).
        earlier = self.file_names.get(key) if tax else None
        if earlier is not None and earlier[1] != tax:
            line, earlier_tax = earlier
            del self.file_names[key]
            raw = next((entry[1]["raw"] for entry in self.batch if entry[0] == line), None)
            waiting = self.refuse_earlier(
                line, tax_column, f"tax number {earlier_tax} differs from {tax} on {self.line}, which names the same company", raw)
            if not waiting and line in self.created_lines and self.options.skip_errors:
                self._undo(self.created_lines.pop(line))
            raise BadRow(tax_column, _("tax number {tax} differs from {earlier_tax} on {line}, which names the same company").format(tax=tax, earlier_tax=earlier_tax, line=line))
        try:
            matched = self.companies.match(key, item["search_key"], tax)
        except BadRow as bad:
            raise BadRow(tax_column if tax else self.columns.column("name"), bad.problem) from None
        if tax and earlier is None:
            self.file_names[key] = (self.line, tax)
        return matched

    def _undo(self, company_id: int) -> None:
        """Take back a company this import created in an earlier batch (its row turned out to be refused)."""
        from sqlalchemy import delete

        for table in (self.tag_table, self.branch_table, self.stage_table, self.point_table):
            self.conn.execute(delete(table).where(table.c.company_id == company_id))
        self.conn.execute(delete(self.table).where(self.table.c.id == company_id))
        self.companies.forget(company_id)
        self.result.created -= 1

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        from sqlalchemy import bindparam, select

        new_rows: list[dict[str, Any]] = []
        updates: dict[int, dict[str, Any]] = {}
        by_key: dict[str, dict[str, Any]] = {}
        for line, item in batch:
            item.pop("raw", None)
            tax = item["fields"].get("tax_number")
            twin = by_key.get(item["name_key"]) or (by_key.get("tax:" + tax) if tax else None)
            if twin is not None:  # a later row of the file naming the same company updates it
                changed = any(twin["fields"].get(k) != v for k, v in item["fields"].items()) or bool(
                    set(item["tags"]) - set(twin["tags"]) or {fold(c or "") for c in item["branches"]} - {fold(c or "") for c in twin["branches"]}
                    or set(item["contacts"]) - set(twin["contacts"]))
                twin["contacts"] = list(dict.fromkeys(twin["contacts"] + item["contacts"]))
                twin["fields"].update(item["fields"])
                twin["branches"] += item["branches"]
                twin["tags"] += item["tags"]
                if tax:
                    by_key["tax:" + tax] = twin
                if changed:
                    self.result.updated += 1
                else:
                    self.result.unchanged += 1
                continue
            try:
                existing = self.companies.match(item["name_key"], item["search_key"], tax)
            except BadRow as bad:
                self.refuse_earlier(line, self.columns.column("tax_number"), bad.problem, None)
                continue
            if existing is not None:
                merged = updates.setdefault(existing, {"fields": {}, "branches": [], "tags": [], "contacts": [], "rows": 0})
                merged["rows"] += 1
                merged["contacts"] += item["contacts"]
                merged["fields"].update(item["fields"])
                merged["branches"] += item["branches"]
                merged["tags"] += item["tags"]
                if tax:
                    self.companies.set_tax(existing, tax)
                continue
            item["line"] = line
            by_key[item["name_key"]] = item
            if tax:
                by_key["tax:" + tax] = item
            new_rows.append(item)
        if new_rows:
            self._insert_companies(new_rows)
        if updates:
            columns = self.table.c
            stored = {
                row.id: row._mapping
                for row in self.session.execute(select(self.table).where(columns.id.in_(list(updates)))).all()
            }
            changed_rows = []
            for company_id, change in updates.items():
                old = stored[company_id]
                diff = {k: v for k, v in change["fields"].items() if old[k] != v}
                new_links = self._links(company_id, change["branches"], change["tags"])
                new_links = self._add_points(company_id, change["contacts"]) or new_links
                if diff:
                    changed_rows.append({"_id": company_id, **{k: old[k] for k in self._update_columns}, **diff, "updated_at": self.now})
                    # The company's own trail shows what the import changed on it (`audit --company`).
                    audit.record(
                        self.session, action="update", entity="company", entity_id=company_id, company_id=company_id,
                        changes={k: [old[k], v] for k, v in diff.items() if not k.endswith("_key")},
                    )
                if diff or new_links:
                    self.result.updated += change["rows"]
                else:
                    self.result.unchanged += change["rows"]
            if changed_rows:
                statement = (
                    self.table.update()
                    .where(columns.id == bindparam("_id"))
                    .values({k: bindparam(k) for k in (*self._update_columns, "updated_at")})
                )
                self.conn.execute(statement, changed_rows)

    _update_columns = tuple(f for f in COMPANY_FIELDS) + ("city_key", "territory_key", "market_key") + DEAL_COLUMNS

    def _insert_companies(self, items: list[dict[str, Any]]) -> None:
        """Create the new companies of one batch through the domain's bulk form of `add company`."""
        from dossier_cli.records.companies import add_companies

        ids = add_companies(self.session, self.settings, items, note="imported")
        for company_id, item in zip(ids, items):
            self.companies.add(company_id, item["fields"].get("tax_number"), item["search_key"], item["name_key"])
            if self.options.skip_errors and item["fields"].get("tax_number"):  # a later row may refuse it (_match_in_file)
                self.created_lines[item["line"]] = company_id
            for kind, value in item["contacts"]:
                self.points.setdefault((kind, value), (company_id, None))
        self.result.created += len(ids)

    def _add_points(self, company_id: int, contacts: list[tuple[str, str]]) -> bool:
        rows = []
        for kind, value in dict.fromkeys(contacts):
            if (kind, value) not in self.points:
                self.points[(kind, value)] = (company_id, None)
                rows.append({"kind": kind, "value": value, "company_id": company_id, "person_id": None, "created_at": self.now})
        if rows:
            self.conn.execute(self.point_table.insert(), rows)
        return bool(rows)

    def _links(self, company_id: int, branches: list[str | None], tags: list[str]) -> bool:
        from sqlalchemy import select

        added = False
        if branches:
            have = {fold(c) for c in self.session.execute(select(self.branch_table.c.city).where(self.branch_table.c.company_id == company_id)).scalars()}
            for city in branches:
                if city and fold(city) not in have:
                    have.add(fold(city))
                    self.conn.execute(self.branch_table.insert(), [{"company_id": company_id, "city": city}])
                    added = True
        if tags:
            have_tags = set(self.session.execute(select(self.tag_table.c.tag).where(self.tag_table.c.company_id == company_id)).scalars())
            for tag in sorted(set(tags) - have_tags):
                self.conn.execute(self.tag_table.insert(), [{"company_id": company_id, "tag": tag}])
                added = True
        return added
