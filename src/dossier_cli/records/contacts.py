"""Phones, e-mails, websites, tax numbers and tags: stored in one form, found by any.

Phones are parsed with `phonenumbers` and stored in E.164 (`+74212411234`), the
settings' `phone_region` deciding what a number without a country code means, and
shown in the international form. E-mails are validated with `email-validator` and
stored lower-cased. A website is reduced to its bare host (`https://www.romashka.ru/`
-> `romashka.ru`). Each value belongs to one company or one person (a unique
constraint on kind and value), so the same phone typed in any format finds its owner.

Russian tax numbers are checked with their check digits: the INN (10 digits for an
organisation, 12 for an individual entrepreneur), the KPP (9 characters) and the
OGRN (13 digits; 15 for an entrepreneur's OGRNIP). Another country's number is stored
as given when it starts with letters (a country prefix such as `KZ` or `DE`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dossier_cli.errors import Conflict, InvalidInput, NotFound
from dossier_cli.text import check_text, fold
from dossier_cli.i18n import _, N_

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person

KINDS: tuple[str, ...] = ("phone", "email", "website")
PLURALS = {"phone": "phones", "email": "emails", "website": "websites"}
_LABELS = {"phone": "phone", "email": "e-mail", "website": "website"}
_PHONE_CHARS = re.compile(r"^[+\d\s().\-–/]+$")
_HOST_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")


# ---------------------------------------------------------------- phones
def normalise_phone(value: str, region: str = "RU") -> str:
    """A phone number in E.164; `8 (4212) 41-12-34` and `+7 4212 411234` give `+74212411234`."""
    import phonenumbers

    text = check_text(value, field=N_("phone"), max_length=100).strip()
    if not text:
        raise InvalidInput(_("the phone number is empty"))
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        raise InvalidInput(
            _("'{value}' is not a phone number").format(value=value), hint=_("write it as +7 4212 41-12-34 or 8 (4212) 41-12-34")
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            _("'{value}' is not a valid phone number").format(value=value),
            hint=_("check the digits; a number without a country code is read as {value}").format(value=region.upper()),
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """The international form for people to read: `+7 421 241-12-34`."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# ---------------------------------------------------------------- e-mails and websites
def normalise_email(value: str) -> str:
    """A valid e-mail address, lower-cased: `Ivan.Petrov@Romashka.RU` -> `ivan.petrov@romashka.ru`."""
    from email_validator import EmailNotValidError, validate_email

    text = check_text(value, field=N_("e-mail"), max_length=320).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    if not text:
        raise InvalidInput(_("the e-mail address is empty"))
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(_("'{value}' is not a valid e-mail address: {exc}").format(value=value, exc=exc)) from None
    return fold(result.normalized)


def normalise_website(value: str) -> str:
    """A website's bare host: `https://www.romashka.ru/about` -> `romashka.ru`."""
    text = check_text(value, field=N_("website"), max_length=2000).strip()
    if not text:
        raise InvalidInput(_("the website is empty"))
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    host = fold(host).rstrip(".")
    if host.startswith("www."):
        host = host[len("www.") :]
    labels = host.split(".")
    if "xn--" in host:
        try:
            labels = [fold(label.encode("ascii").decode("idna")) if label.startswith("xn--") else label for label in labels]
        except (UnicodeError, ValueError):
            labels = []
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidInput(_("'{value}' is not a website address").format(value=value), hint=_("write it as romashka.ru or https://www.romashka.ru/"))
    return ".".join(labels)


def normalise(kind: str, value: str, settings: Settings | None = None) -> str:
    if kind == "phone":
        return normalise_phone(value, settings.phone_region if settings else "RU")
    if kind == "email":
        return normalise_email(value)
    if kind == "website":
        return normalise_website(value)
    raise InvalidInput(_("unknown kind of contact '{kind}'").format(kind=kind), hint=_("phone, email or website"))


def display(kind: str, value: str) -> str:
    return format_phone(value) if kind == "phone" else value


# ---------------------------------------------------------------- tax numbers
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10


def inn_is_valid(inn: str) -> bool:
    """Whether a Russian INN's check digits are right (10 or 12 digits)."""
    if not inn.isdigit() or not inn.isascii():
        return False
    if len(inn) == 10:
        return _check_digit(inn, _INN10_WEIGHTS) == int(inn[9])
    if len(inn) == 12:
        return _check_digit(inn, _INN12_WEIGHTS_11) == int(inn[10]) and _check_digit(inn, _INN12_WEIGHTS_12) == int(inn[11])
    return False


def ogrn_is_valid(ogrn: str) -> bool:
    """OGRN (13 digits) or OGRNIP (15): the last digit is the rest modulo 11 (13), modulo 10."""
    if not ogrn.isdigit() or not ogrn.isascii():
        return False
    if len(ogrn) == 13:
        return int(ogrn[:12]) % 11 % 10 == int(ogrn[12])
    if len(ogrn) == 15:
        return int(ogrn[:14]) % 13 % 10 == int(ogrn[14])
    return False


def _compact(value: str) -> str:
    return re.sub(r"[\s\-–.]", "", value)


def check_tax_number(value: str) -> str:
    """A tax number as stored: a Russian INN checked, another country's kept as given."""
    text = " ".join(check_text(value, field=N_("tax number"), max_length=50).split())
    compact = _compact(text)
    if not compact.isdigit():
        if compact[:2].isalpha():
            return text  # another country's number, with its country prefix
        raise InvalidInput(
            _("tax number '{value}' is neither an INN nor a number with a country prefix").format(value=value),
            hint=_("an INN has 10 digits (12 for an entrepreneur); prefix a foreign one with its country, e.g. KZ123456789012"),
        )
    if len(compact) not in (10, 12):
        raise InvalidInput(
            _("INN '{value}' has {n} digits; an INN has 10 (an organisation) or 12 (an entrepreneur)").format(value=value, n=len(compact)),
            hint=_("prefix another country's number with its country code, e.g. KZ123456789012"),
        )
    if not inn_is_valid(compact):
        raise InvalidInput(_("INN '{value}' has a wrong check digit; check it for a typo").format(value=value))
    return compact


def check_kpp(value: str) -> str:
    compact = _compact(check_text(value, field=N_("KPP"), max_length=50)).upper()
    if not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", compact):
        raise InvalidInput(_("KPP '{value}' is not 9 characters like 770701001").format(value=value))
    return compact


def check_ogrn(value: str) -> str:
    compact = _compact(check_text(value, field=N_("OGRN"), max_length=50))
    if not compact.isdigit() or len(compact) not in (13, 15):
        raise InvalidInput(_("OGRN '{value}' must have 13 digits (15 for an entrepreneur's OGRNIP)").format(value=value))
    if not ogrn_is_valid(compact):
        raise InvalidInput(_("OGRN '{value}' has a wrong check digit; check it for a typo").format(value=value))
    return compact


def clean_registration_field(field: str, value: str) -> str:
    """tax_number, kpp or ogrn as stored."""
    if field == "tax_number":
        return check_tax_number(value)
    if field == "kpp":
        return check_kpp(value)
    if field == "ogrn":
        return check_ogrn(value)
    raise InvalidInput(_("unknown registration field '{field}'").format(field=field))


def refuse_taken_tax_number(session: Session, tax_number: str | None, *, exclude_id: int | None = None) -> None:
    """A tax number names one company: refuse one that another company already has."""
    from dossier_cli.models import Company
    from dossier_cli.records.finding import other_holder

    if not tax_number:
        return
    owner = other_holder(session, Company, Company.tax_number, tax_number, exclude_id=exclude_id)
    if owner is not None:
        raise Conflict(
            _("tax number {tax_number} belongs to company #{id} {name}").format(tax_number=tax_number, id=owner.id, name=owner.name),
            hint=_("if they are one firm: dossier merge company {id} <the other>").format(id=owner.id),
        )


# ---------------------------------------------------------------- owning contacts
def owner_label(session: Session, company_id: int | None, person_id: int | None) -> str:
    """"company #5 Ромашка" or "person #7 Иван Петров": who a phone, e-mail or website belongs to."""
    from types import SimpleNamespace

    return _owner_label(session, SimpleNamespace(company_id=company_id, person_id=person_id))


def taken_message(session: Session, kind: str, value: str, company_id: int | None, person_id: int | None) -> str:
    """What `add_contacts` says of a value another record has (the import says the same)."""
    return f"{_LABELS[kind]} {display(kind, value)} belongs to {owner_label(session, company_id, person_id)}"


def _owner_label(session: Session, point: Any) -> str:
    from dossier_cli.models import Company, Person

    if point.company_id is not None:
        company = session.get(Company, point.company_id)
        return f"company #{point.company_id} {company.name if company else ''}".rstrip()
    person = session.get(Person, point.person_id)
    return f"person #{point.person_id} {person.name if person else ''}".rstrip()


def contact_owners(session: Session, points: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int | None, int | None]]:
    """(kind, normalised value) -> (company id, person id) of the record that has it, for those some record has;
    a few queries for many values (an import's batch)."""
    from sqlalchemy import select

    from dossier_cli.models import ContactPoint

    table = ContactPoint.__table__
    wanted = set(points)
    values = sorted({value for _kind, value in wanted})
    owners: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for start in range(0, len(values), 500):
        query = select(table.c.kind, table.c.value, table.c.company_id, table.c.person_id).where(
            table.c.value.in_(values[start : start + 500]))
        for kind, value, company_id, person_id in session.execute(query):
            if (kind, value) in wanted:
                owners[(kind, value)] = (company_id, person_id)
    return owners


def check_contacts(
    session: Session, settings: Settings, values: dict[str, list[str]] | None, *, owner: tuple[int | None, int | None] = (None, None)
) -> list[tuple[str, str]]:
    """Phones, e-mails and websites normalised, each refused (Conflict) when another record has it;
    [(kind, value)] without repeats. `owner` (company id, person id) may have them already."""
    found = list(dict.fromkeys((kind, normalise(kind, raw, settings)) for kind, raw_values in (values or {}).items()
                               for raw in raw_values or []))
    owners = contact_owners(session, found)
    for point in found:
        held = owners.get(point)
        if held is not None and held != owner:
            raise Conflict(taken_message(session, *point, *held))
    return found


def add_contacts(
    session: Session,
    settings: Settings,
    *,
    company: Company | None = None,
    person: Person | None = None,
    values: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Attach phones, e-mails and websites; returns what was new, by kind (plural keys).

    A value the record already has is a silent no-op; one that another record has is
    refused with Conflict naming that record.
    """
    from dossier_cli.models import ContactPoint

    company_id, person_id = (company.id if company is not None else None), (person.id if person is not None else None)
    added: dict[str, list[str]] = {}
    for kind, value in _normalised(settings, values):
        if _point_of(session, kind, value, (company_id, person_id)) is not None:
            continue  # the record has it already
        session.add(ContactPoint(kind=kind, value=value, company_id=company_id, person_id=person_id))
        session.flush()
        added.setdefault(PLURALS[kind], []).append(display(kind, value))
    return added


def remove_contacts(
    session: Session,
    settings: Settings,
    *,
    company: Company | None = None,
    person: Person | None = None,
    values: dict[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """Detach phones, e-mails and websites; a value the record does not have is NotFound."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    removed: dict[str, list[str]] = {}
    owner_name = company.name if company is not None else person.name if person is not None else ""
    for kind, value in _normalised(settings, values):
        query = select(ContactPoint).where(ContactPoint.kind == kind, ContactPoint.value == value)
        if company is not None:
            query = query.where(ContactPoint.company_id == company.id)
        else:
            query = query.where(ContactPoint.person_id == (person.id if person is not None else None))
        point = session.exec(query).first()
        if point is None:
            raise NotFound(_("'{owner_name}' has no {value} {value2}").format(owner_name=owner_name, value=_LABELS[kind], value2=display(kind, value)))
        session.delete(point)
        if person is not None and kind in ("phone", "email") and getattr(person, kind) == value:
            setattr(person, kind, None)  # the primary one went; sync_primary picks the next
            session.add(person)
        session.flush()
        removed.setdefault(PLURALS[kind], []).append(display(kind, value))
    return removed


def _normalised(settings: Settings, values: dict[str, list[str]] | None) -> Iterator[tuple[str, str]]:
    """(kind, normalised value) for each value given, by kind, in order."""
    for kind, raw_values in (values or {}).items():
        for raw in raw_values or []:
            yield kind, normalise(kind, raw, settings)


def _point_of(session: Session, kind: str, value: str, owner: tuple[int | None, int | None]) -> Any:
    """The contact point holding `value`, or None; Conflict when a record other than `owner`
    (company id, person id) holds it."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    point = session.exec(select(ContactPoint).where(ContactPoint.kind == kind, ContactPoint.value == value)).first()
    if point is not None and (point.company_id, point.person_id) != owner:
        raise Conflict(taken_message(session, kind, value, point.company_id, point.person_id))
    return point


def sync_primary(session: Session, person: Person) -> None:
    """A person without a primary phone / e-mail gets their first remaining one."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    for kind in ("phone", "email"):
        if getattr(person, kind):
            continue
        first = session.exec(
            select(ContactPoint.value)
            .where(ContactPoint.person_id == person.id, ContactPoint.kind == kind)
            .order_by(ContactPoint.id)
        ).first()
        if first is not None:
            setattr(person, kind, first)
            session.add(person)
    session.flush()


def replace_primary(session: Session, settings: Settings, person: Person, kind: str, raw: str) -> None:
    """Set a person's primary phone or e-mail (`edit person --phone`); "" clears it."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    old = getattr(person, kind)
    new = normalise(kind, raw, settings) if raw.strip() else None
    if new == old:
        return
    if new is not None:
        add_contacts(session, settings, person=person, values={kind: [new]})
    if old:
        point = session.exec(
            select(ContactPoint).where(
                ContactPoint.kind == kind, ContactPoint.value == old, ContactPoint.person_id == person.id
            )
        ).first()
        if point is not None:
            session.delete(point)
    setattr(person, kind, new)
    session.add(person)
    session.flush()


def contacts_of(session: Session, *, company_id: int | None = None, person_id: int | None = None) -> dict[str, list[str]]:
    """{"phones": [...], "emails": [...], "websites": [...]} in display form, oldest first."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    query = select(ContactPoint)
    if company_id is not None:
        query = query.where(ContactPoint.company_id == company_id)
    else:
        query = query.where(ContactPoint.person_id == person_id)
    result: dict[str, list[str]] = {PLURALS[kind]: [] for kind in KINDS}
    for point in session.exec(query.order_by(ContactPoint.id)):
        result[PLURALS[point.kind]].append(display(point.kind, point.value))
    return result


# ---------------------------------------------------------------- tags
def clean_tag(tag: str) -> str:
    """Tags are stored case-folded, so `Fair-2026` and `fair-2026` are one tag."""
    cleaned = fold(check_text(tag, field=N_("tag"), max_length=100))
    if not cleaned:
        raise InvalidInput(_("the tag is empty"))
    return cleaned


def change_tags(
    session: Session,
    *,
    company: Company | None = None,
    person: Person | None = None,
    add: list[str] | None = None,
    remove: list[str] | None = None,
) -> dict[str, list[str]]:
    """Add and remove tags; an existing tag is a no-op, removing a missing one is NotFound."""
    from dossier_cli.models import CompanyTag, PersonTag

    changes: dict[str, list[str]] = {}
    for raw in add or []:
        tag = clean_tag(raw)
        if company is not None:
            if session.get(CompanyTag, (company.id, tag)) is None:
                session.add(CompanyTag(company_id=company.id, tag=tag))
                changes.setdefault("tags_added", []).append(tag)
        elif person is not None and session.get(PersonTag, (person.id, tag)) is None:
            session.add(PersonTag(person_id=person.id, tag=tag))
            changes.setdefault("tags_added", []).append(tag)
        session.flush()
    for raw in remove or []:
        tag = clean_tag(raw)
        row = (
            session.get(CompanyTag, (company.id, tag))
            if company is not None
            else session.get(PersonTag, (person.id if person is not None else None, tag))
        )
        if row is None:
            owner_name = company.name if company is not None else person.name if person is not None else ""
            raise NotFound(_("'{owner_name}' has no tag '{tag}'").format(owner_name=owner_name, tag=tag))
        session.delete(row)
        session.flush()
        changes.setdefault("tags_removed", []).append(tag)
    return changes


def tags_of(session: Session, *, company_id: int | None = None, person_id: int | None = None) -> list[str]:
    from sqlmodel import select

    from dossier_cli.models import CompanyTag, PersonTag

    if company_id is not None:
        return list(session.exec(select(CompanyTag.tag).where(CompanyTag.company_id == company_id).order_by(CompanyTag.tag)))
    return list(session.exec(select(PersonTag.tag).where(PersonTag.person_id == person_id).order_by(PersonTag.tag)))


def company_section(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """What `show company` adds: phones, e-mails, websites and tags."""
    return {**contacts_of(session, company_id=company.id), "tags": tags_of(session, company_id=company.id)}


def person_section(session: Session, person: Person) -> dict[str, Any]:
    """What `show person` adds: phones, e-mails and tags."""
    return {**contacts_of(session, person_id=person.id), "tags": tags_of(session, person_id=person.id)}


# ---------------------------------------------------------------- lookup
def _contact_candidates(ref: str, settings: Settings | None) -> list[tuple[str, str]]:
    """The (kind, value) pairs a command-line reference could be, tried cheaply."""
    candidates: list[tuple[str, str]] = []
    text = ref.strip()
    if "@" in text:
        try:
            candidates.append(("email", normalise_email(text)))
        except InvalidInput:
            pass
        return candidates
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 6 and _PHONE_CHARS.match(text):
        try:
            candidates.append(("phone", normalise_phone(text, settings.phone_region if settings else "RU")))
        except InvalidInput:
            pass
    if "." in text and " " not in text:
        try:
            candidates.append(("website", normalise_website(text)))
        except InvalidInput:
            pass
    return candidates


def _settings_or_none() -> Settings | None:
    """The settings for the phone region (finders are called with a session and a reference only)."""
    from dossier_cli.config import load_settings
    from dossier_cli.errors import DossierError

    try:
        return load_settings()
    except DossierError:  # a broken config file is reported by the command itself
        return None


def find_company_by_contact(session: Session, ref: str) -> Company | None:
    """A company by its INN, OGRN, phone, e-mail or website, or None (then names are tried)."""
    from sqlmodel import select

    from dossier_cli.models import Company, ContactPoint

    text = ref.strip()
    if not any(ch.isdigit() for ch in text) and "@" not in text and "." not in text:
        return None  # a plain name: nothing to look up
    compact = _compact(text)
    if compact.isdigit() and len(compact) in (10, 12):
        found = session.exec(select(Company).where(Company.tax_number == compact).limit(1)).first()
        if found is not None:
            return found
    if compact.isdigit() and len(compact) in (13, 15):
        same_ogrn = session.exec(select(Company).where(Company.ogrn == compact).limit(2)).all()
        if len(same_ogrn) == 1:
            return same_ogrn[0]
    if any(ch.isdigit() for ch in text) and not compact.isdigit():
        found = session.exec(select(Company).where(Company.tax_number == " ".join(text.split())).limit(1)).first()
        if found is not None:
            return found
    for kind, value in _contact_candidates(text, _settings_or_none()):
        point = session.exec(select(ContactPoint).where(ContactPoint.kind == kind, ContactPoint.value == value)).first()
        if point is not None and point.company_id is not None:
            return session.get(Company, point.company_id)
    return None


def find_person_by_contact(session: Session, ref: str) -> Person | None:
    """A person by their phone or e-mail, or None (then names are tried)."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint, Person

    text = ref.strip()
    if not any(ch.isdigit() for ch in text) and "@" not in text:
        return None
    for kind, value in _contact_candidates(text, _settings_or_none()):
        point = session.exec(select(ContactPoint).where(ContactPoint.kind == kind, ContactPoint.value == value)).first()
        if point is not None and point.person_id is not None:
            return session.get(Person, point.person_id)
        if kind in ("phone", "email"):
            column = Person.phone if kind == "phone" else Person.email
            same = session.exec(select(Person).where(column == value).limit(2)).all()
            if len(same) == 1:
                return same[0]
    return None
