"""Companies and people named in a file, resolved in memory as `find_company` / `find_person` resolve them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier_cli.errors import DossierError
from dossier_cli.text import company_key, fold, person_key
from dossier_cli.transfer.results import BadRow
from dossier_cli.transfer.values import domain_message
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session


# ---------------------------------------------------------------- company lookup
class CompanyIndex:
    """Company references resolved in memory the way `find_company` resolves them (id, tax number, name).

    Kept small for 100,000 companies: names by their key only, and the full folded name
    only for the few keys several companies share (where it tells them apart).
    """

    _CACHE_LIMIT = 100_000  # references as given in the file; a sales file names each customer many times

    def __init__(self, session: Session) -> None:
        from sqlmodel import select

        from dossier_cli.models import Company

        self.session = session
        self.ids: set[int] = set()
        self.by_tax: dict[str, int] = {}
        self.tax_of: dict[int, str] = {}
        self.by_key: dict[str, int] = {}  # -1: several companies share the key
        self.by_search: dict[str, int] = {}  # only for shared keys
        self._cache: dict[str, int | str] = {}
        self.known = self._cache  # reference as given -> id (or why it names none); emptied at times
        # read in parts (yield_per), not as one list of 100,000 rows held beside the dictionaries
        query = select(Company.id, Company.tax_number, Company.name_key).execution_options(yield_per=5000)
        for company_id, tax, name_key in session.execute(query):
            self.ids.add(company_id)
            if tax:
                self.by_tax[tax] = company_id
                self.tax_of[company_id] = tax
            self.by_key[name_key] = -1 if name_key in self.by_key else company_id
        shared = [key for key, value in self.by_key.items() if value == -1]
        for start in range(0, len(shared), 500):
            query = select(Company.id, Company.search_key).where(Company.name_key.in_(shared[start : start + 500]))  # type: ignore[attr-defined]
            for company_id, search_key in session.execute(query):
                self.by_search[search_key] = -1 if search_key in self.by_search else company_id

    def add(self, company_id: int, tax: str | None, search_key: str, name_key: str) -> None:
        self.ids.add(company_id)
        if tax:
            self.by_tax[tax] = company_id
            self.tax_of[company_id] = tax
        if name_key in self.by_key:
            self.by_key[name_key] = -1
            self.by_search[search_key] = -1 if search_key in self.by_search else company_id
        else:
            self.by_key[name_key] = company_id
        self._cache.clear()

    def forget(self, company_id: int) -> None:
        self.ids.discard(company_id)
        tax = self.tax_of.pop(company_id, None)
        if tax is not None:
            self.by_tax.pop(tax, None)
        for key in [k for k, v in self.by_key.items() if v == company_id]:
            del self.by_key[key]
        self._cache.clear()

    def set_tax(self, company_id: int, tax: str) -> None:
        self.by_tax[tax] = company_id
        self.tax_of[company_id] = tax

    def match(self, name_key: str, search_key: str, tax: str | None) -> int | None:
        """The company a companies-file row is (the row-matching rule of the README), or None for a new one.

        The tax number decides when it is known; otherwise the name with legal forms, case and
        quotes ignored, and among several companies of that name the exact (folded) name.
        A row whose name matches a company with another tax number is refused (a BadRow without column).
        """
        if tax:
            found = self.by_tax.get(tax)
            if found is not None:
                return found
        found = self.by_key.get(name_key)
        if found == -1:
            found = self.by_search.get(search_key)
            if found == -1 or found is None:
                raise BadRow(None, _("several companies of this name are already listed; add a tax number column to tell them apart"))
        if found is not None and tax and self.tax_of.get(found) not in (None, tax):
            raise BadRow(None, _("company #{found} of the same name has tax number {value}, this row {tax}").format(found=found, value=self.tax_of[found], tax=tax))
        return found

    def resolve(self, ref: Any, tax: Any, *, ref_column: str, tax_column: str) -> int:
        if tax is not None and str(tax).strip():
            found = self.by_tax.get(str(tax).strip())
            if found is None:
                raise BadRow(tax_column, _("no company with tax number '{tax}'").format(tax=tax))
            return found
        if ref is None or not str(ref).strip():
            raise BadRow(ref_column, _("no company given"))
        ref = str(ref).strip()
        cached = self._cache.get(ref)
        if cached is None:
            cached = self._resolve(ref)
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[ref] = cached
        if isinstance(cached, str):
            raise BadRow(ref_column, cached)
        return cached

    def _resolve(self, ref: str) -> int | str:
        if ref.isdigit() and len(ref) < 12 and int(ref) in self.ids:
            return int(ref)
        if ref in self.by_tax:
            return self.by_tax[ref]
        found = self.by_key.get(company_key(ref))
        if found == -1:
            found = self.by_search.get(fold(ref))
        if found is not None and found != -1:
            return found
        from dossier_cli.records.companies import find_company

        try:  # a unique part of a name, as on the command line
            return int(find_company(self.session, ref).id or 0)
        except DossierError as exc:
            return domain_message(exc)


class PersonIndex:
    def __init__(self, session: Session) -> None:
        from sqlmodel import select

        from dossier_cli.models import Person

        self.session = session
        self.ids: set[int] = set()
        self.by_key: dict[str, int] = {}
        for person_id, name_key in session.execute(select(Person.id, Person.name_key)).all():
            self.ids.add(person_id)
            self.by_key[name_key] = -1 if name_key in self.by_key else person_id

    def resolve(self, ref: Any, column: str) -> int | None:
        if ref is None or not str(ref).strip():
            return None
        ref = str(ref).strip()
        if ref.isdigit() and len(ref) < 12 and int(ref) in self.ids:
            return int(ref)
        found = self.by_key.get(person_key(ref))
        if found is not None and found != -1:
            return found
        from dossier_cli.records.people import find_person

        try:
            return int(find_person(self.session, ref).id or 0)
        except DossierError as exc:
            raise BadRow(column, domain_message(exc)) from None
