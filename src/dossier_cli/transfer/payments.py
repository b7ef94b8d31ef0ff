"""`dossier import payments`: a 1C bank statement's incoming payments become sales.

A payment is incoming when its recipient is us: `ПолучательИНН` is our tax number
(`our_inn` in the config, or `--our-inn`); without one, when `ПолучательСчет` is one of
the statement's own accounts (its `РасчСчет`). Payments we made are skipped and counted,
and so are transfers between our own accounts. Each incoming payment becomes a sale of
the company whose tax number is the payer's `ПлательщикИНН`, on the day the money came in
(`ДатаПоступило`, else `Дата`), for `Сумма`, with the reference `п/п № <Номер> от <Дата>`
and the payment's purpose as the note. Sales are written by the sales import (the same
checks and write path as `import sales`), so a payment imported twice is one sale.

A payer with no company is a bad row, listed with its line, unless `--create-missing`:
then the company is added first (named from `Плательщик1`, with the payer's tax number),
by `companies.add_company`, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dossier_cli.errors import DossierError, InvalidInput
from dossier_cli.i18n import _
from dossier_cli.transfer.formats.bank_statement import Document, StatementReader
from dossier_cli.transfer.reading import ROW_ERROR

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings

HEADERS: list[str] = ["tax_number", "date", "amount", "reference", "note"]


@dataclass
class Payer:
    tax_number: str
    name: str
    line: int  # the first payment from it
    payments: int = 0
    first_day: date | None = None  # a company added for it is listed from its first payment


@dataclass
class Survey:
    """What the statement holds, before anything is written."""

    incoming: int = 0
    outgoing: int = 0
    own_transfers: int = 0
    not_ours: int = 0
    payers: dict[str, Payer] = field(default_factory=dict)
    missing: list[Payer] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # companies added by --create-missing
    refused_payers: dict[str, str] = field(default_factory=dict)  # tax number -> why no company


def _digits(value: str) -> str:
    return "".join(value.split())


class PaymentSource:
    """The statement's incoming payments as rows of a sales import (a row source, see `transfer.reading`)."""

    delimiter: str | None = None
    columns: dict[str, str] = {}

    def __init__(self, source: str | Path | bytes, name: str, *, our_inn: str | None) -> None:
        self.name = name
        self.headers = list(HEADERS)
        self.reader = StatementReader(source, name)
        self.encoding = self.reader.encoding
        self.our_inn = _digits(our_inn) if our_inn else None
        self.survey = Survey()
        self._surveyed = False

    # -------------------------------------------------------- which side are we on
    def side(self, doc: Document) -> str:
        """incoming, outgoing, own (between our accounts) or other."""
        if self.our_inn:
            to_us = _digits(doc.get("ПолучательИНН")) == self.our_inn
            from_us = _digits(doc.get("ПлательщикИНН")) == self.our_inn
        else:
            accounts = set(self.reader.accounts)
            to_us = (doc.get("ПолучательСчет") or doc.get("ПолучательРасчСчет")) in accounts
            from_us = (doc.get("ПлательщикСчет") or doc.get("ПлательщикРасчСчет")) in accounts
        if to_us and from_us:
            return "own"
        return "incoming" if to_us else "outgoing" if from_us else "other"

    def survey_file(self) -> Survey:
        """First pass: count the payments by side and gather the payers of the incoming ones."""
        self.survey = Survey()
        for doc in self.reader.documents():
            if not self.our_inn and not self.reader.accounts:
                raise InvalidInput(
                    _("{file}: which payments are ours? No tax number of ours is set").format(file=self.name),
                    hint=_("give --our-inn 7701234567, or set our_inn in the config file"),
                )
            self._count(doc)
        self._surveyed = True
        return self.survey

    def _count(self, doc: Document) -> None:
        survey = self.survey
        if doc.problem is not None:
            return
        side = self.side(doc)
        if side == "incoming":
            survey.incoming += 1
            inn = _digits(doc.get("ПлательщикИНН"))
            if inn:
                payer = survey.payers.get(inn)
                if payer is None:
                    payer = survey.payers[inn] = Payer(inn, doc.payer_name, doc.line_of("ПлательщикИНН"))
                payer.payments += 1
                day = _day(doc.get("ДатаПоступило") or doc.get("Дата"))
                if day is not None and (payer.first_day is None or day < payer.first_day):
                    payer.first_day = day
        elif side == "outgoing":
            survey.outgoing += 1
        elif side == "own":
            survey.own_transfers += 1
        else:
            survey.not_ours += 1

    # -------------------------------------------------------- companies
    def resolve_payers(self, session: Session, settings: Settings, *, create_missing: bool) -> Survey:
        """Find each payer's company by tax number; add the missing ones when asked to."""
        from sqlalchemy import select

        from dossier_cli.models import Company

        if not self._surveyed:
            self.survey_file()
        survey = self.survey
        numbers = list(survey.payers)
        known: set[str] = set()
        for start in range(0, len(numbers), 500):
            chunk = numbers[start:start + 500]
            known.update(t for (t,) in session.execute(select(Company.tax_number).where(Company.tax_number.in_(chunk))))
        survey.missing = [survey.payers[n] for n in numbers if n not in known]
        if create_missing:
            from dossier_cli.records.companies import add_company
            from dossier_cli.records.contacts import check_tax_number

            for payer in survey.missing:
                name = payer.name or f"ИНН {payer.tax_number}"
                try:
                    check_tax_number(payer.tax_number)
                    with session.begin_nested():
                        add_company(session, settings, name=name, fields={"tax_number": payer.tax_number},
                                    stage=settings.client_stage, listed_on=payer.first_day)
                except DossierError as exc:
                    survey.refused_payers[payer.tax_number] = _("cannot add the payer '{name}': {why}").format(
                        name=name, why=exc.message)
                    continue
                survey.created.append(name)
        else:
            for payer in survey.missing:
                survey.refused_payers[payer.tax_number] = _(
                    "no company has the payer's tax number {inn} ({name}); add it, or import with --create-missing"
                ).format(inn=payer.tax_number, name=payer.name or "?")
        return survey

    # -------------------------------------------------------- the rows
    def rows(self) -> Iterator[tuple[str, dict[str, str]]]:
        """Second pass: each incoming payment as (line N, a sale row), or a bad row at the line that is wrong."""
        from dossier_cli.parsing import format_amount, parse_amount

        for doc in self.reader.documents():
            if doc.problem is not None:
                line, problem = doc.problem
                yield _("line {n}").format(n=line), {ROW_ERROR: problem}
                continue
            if self.side(doc) != "incoming":
                continue
            here = _("line {n}").format(n=doc.line)
            inn = _digits(doc.get("ПлательщикИНН"))
            if not inn:
                yield here, {ROW_ERROR: _("the payer has no ИНН (ПлательщикИНН): the payment cannot be matched to a company")}
                continue
            if inn in self.survey.refused_payers:
                yield _("line {n}").format(n=doc.line_of("ПлательщикИНН")), {ROW_ERROR: self.survey.refused_payers[inn]}
                continue
            number = doc.get("Номер")
            if not number:
                yield here, {ROW_ERROR: _("the payment has no Номер")}
                continue
            day_key = "ДатаПоступило" if doc.get("ДатаПоступило") else "Дата"
            try:
                document_day = _parse_day(doc.get("Дата"), "Дата")
                day = _parse_day(doc.get(day_key), day_key) if day_key != "Дата" else document_day
            except InvalidInput as exc:
                bad = "Дата" if day_key == "Дата" or not _parses(doc.get("Дата")) else day_key
                yield _("line {n}").format(n=doc.line_of(bad)), {ROW_ERROR: exc.message}
                continue
            try:
                minor = parse_amount(doc.get("Сумма"))
                if minor <= 0:
                    raise InvalidInput(_("bad Сумма '{value}': a payment is more than zero").format(value=doc.get("Сумма")))
            except InvalidInput as exc:
                yield _("line {n}").format(n=doc.line_of("Сумма")), {ROW_ERROR: exc.message}
                continue
            row = {
                "tax_number": inn,
                "date": day.isoformat(),
                "amount": format_amount(minor),
                # data, not a message: the same in every language, so that a second import matches it
                "reference": f"п/п № {number} от {document_day.strftime('%d.%m.%Y')}",
            }
            purpose = " ".join(doc.get("НазначениеПлатежа").split())
            if purpose:
                row["note"] = purpose
            yield here, row


def _parse_day(value: str, key: str) -> date:
    """A statement's DD.MM.YYYY (read directly: there are 100,000 of them), else as `parse_date` reads dates."""
    if len(value) == 10 and value[2] == "." and value[5] == "." and value.isascii():
        day, month, year = value[:2], value[3:5], value[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            try:
                return date(int(year), int(month), int(day))
            except ValueError:
                pass
    from dossier_cli.parsing import parse_date

    return parse_date(value, field=key)


def _day(value: str) -> date | None:
    try:
        return _parse_day(value, "Дата")
    except InvalidInput:
        return None


def _parses(value: str) -> bool:
    return _day(value) is not None
