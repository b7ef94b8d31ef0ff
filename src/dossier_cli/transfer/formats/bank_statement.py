"""1C bank statements: the 1CClientBankExchange text format.

Every Russian bank client and 1C read and write it. A file starts with the line
`1CClientBankExchange`, then `Key=value` lines: the header (`ВерсияФормата`,
`Кодировка=Windows` for cp1251 or `DOS` for cp866, `РасчСчет`, the dates …), account
sections `СекцияРасчСчет … КонецРасчСчет`, one `СекцияДокумент=Платежное поручение …
КонецДокумента` section per payment, and `КонецФайла`. A payment's keys used here:
`Номер`, `Дата`, `Сумма`, `ДатаПоступило` (the day the money came in), `ПлательщикИНН`,
`Плательщик1` (or `Плательщик`, often written `ИНН 7701234567 ООО "Ромашка"`),
`ПлательщикСчет`, `ПолучательИНН`, `ПолучательСчет`, `НазначениеПлатежа`.

This module only reads: `StatementReader` gives the documents with the line of each key,
so every problem names its line. What becomes of them is `transfer.payments`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _

SIGNATURE = "1CClientBankExchange"
ENCODINGS = {"windows": "cp1251", "dos": "cp866", "utf-8": "utf-8", "utf8": "utf-8"}
MAX_VALUE_CHARS = 2_000  # the format's longest field (НазначениеПлатежа) holds 210
_KEY = "Кодировка"
_PAYER_NAME = re.compile(r"^\s*ИНН\s*\d{10,12}\s*", re.IGNORECASE)


@dataclass
class Document:
    """One `СекцияДокумент` section: its kind, the line it starts on, each key's value and line."""

    kind: str
    line: int
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problem: tuple[int, str] | None = None  # (line, what is wrong) when the section itself is broken

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def payer_name(self) -> str:
        """Плательщик1, else Плательщик without the `ИНН …` 1C puts in front of it."""
        name = self.get("Плательщик1") or _PAYER_NAME.sub("", self.get("Плательщик"))
        return " ".join(name.split())


def detect_encoding(data: bytes, name: str) -> str:
    """The encoding the file names in `Кодировка=` (the key itself is Cyrillic, so look for
    it in each candidate encoding); Windows (cp1251) when the line is missing."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    head = data[:4096]
    for encoding in ("cp1251", "cp866", "utf-8"):
        marker = (_KEY + "=").encode(encoding)
        at = head.find(marker)
        if at >= 0:
            value = head[at + len(marker):].split(b"\n", 1)[0].strip().decode("ascii", errors="replace").casefold()
            if value in ENCODINGS:
                return ENCODINGS[value]
            raise InvalidInput(
                _("{file}: line {n}: unknown Кодировка '{value}'").format(
                    file=name, n=head[:at].count(b"\n") + 1, value=value),
                hint=_("a 1C statement is Кодировка=Windows or Кодировка=DOS"),
            )
    return "cp1251"


KEYS = frozenset((
    "Номер", "Дата", "Сумма", "ДатаПоступило", "ДатаСписано", "Плательщик", "Плательщик1", "ПлательщикИНН",
    "ПлательщикСчет", "ПлательщикРасчСчет", "Получатель", "Получатель1", "ПолучательИНН", "ПолучательСчет",
    "ПолучательРасчСчет", "НазначениеПлатежа",
))  # the keys kept of each document (a statement of 100,000 payments stays small in memory)


class StatementReader:
    """Reads a statement file in two passes if need be, never holding all of it decoded.

    `documents()` yields each `СекцияДокумент` section with the line of each key; `accounts`
    (our accounts, from `РасчСчет` lines outside documents) is complete once it has run.
    """

    def __init__(self, source: str | Path | bytes, name: str) -> None:
        self.name = name
        self._path = None if isinstance(source, bytes) else Path(source)
        self._data = source if isinstance(source, bytes) else None
        head = self._data[:4096] if self._data is not None else self._read_head()
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[: len(SIGNATURE)] != SIGNATURE.encode("ascii"):
            raise InvalidInput(
                _("{file}: not a 1C bank statement (the first line is not {signature})").format(file=name, signature=SIGNATURE),
                hint=_("save the statement from the bank client or 1C as a 1CClientBankExchange .txt file"),
            )
        self.encoding = detect_encoding(head, name)
        self.header: dict[str, str] = {}
        self.accounts: list[str] = []

    def _read_head(self) -> bytes:
        assert self._path is not None
        try:
            with self._path.open("rb") as stream:
                return stream.read(4096)
        except OSError as exc:
            raise InvalidInput(_("cannot read '{file}': {why}").format(file=self.name, why=exc.strerror)) from None

    def _lines(self) -> Iterator[tuple[int, str]]:
        raw: Iterator[bytes] = (
            iter(self._data.splitlines()) if self._data is not None else self._path.open("rb")  # type: ignore[union-attr]
        )
        encoding = "utf-8" if self.encoding == "utf-8-sig" else self.encoding
        try:
            for number, line in enumerate(raw, start=1):
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                try:
                    yield number, line.decode(encoding)
                except UnicodeDecodeError:
                    raise InvalidInput(_("{file}: line {n}: not {encoding} text, as the file's Кодировка says").format(
                        file=self.name, n=number, encoding=self.encoding)) from None
        finally:
            close = getattr(raw, "close", None)
            if close is not None:
                close()

    def documents(self) -> Iterator[Document]:
        current: Document | None = None
        in_account = False
        for number, raw in self._lines():
            line = raw.strip()
            if number == 1 or not line:
                continue
            key, sep, value = line.partition("=")
            key = key.strip()
            if key == "КонецФайла":
                break
            if key == "СекцияДокумент":
                if current is not None:
                    current.problem = (current.line, _("the document begun here has no КонецДокумента"))
                    yield current
                current = Document(kind=value.strip(), line=number)
                continue
            if key == "КонецДокумента":
                if current is None:
                    yield Document(kind="", line=number, problem=(number, _("КонецДокумента without a СекцияДокумент")))
                else:
                    yield current
                    current = None
                continue
            if key == "СекцияРасчСчет":
                in_account = True
                continue
            if key == "КонецРасчСчет":
                in_account = False
                continue
            if current is not None:
                if current.problem is not None:
                    continue
                if not sep:
                    current.problem = (number, _("'{text}' is not a Key=value line").format(text=line[:60]))
                elif len(value) > MAX_VALUE_CHARS:
                    current.problem = (number, _("{key} holds {n} characters (at most {limit})").format(
                        key=key, n=len(value), limit=MAX_VALUE_CHARS))
                elif key in KEYS and key not in current.values:
                    current.values[key] = value
                    current.lines[key] = number
            elif sep:
                if key == "РасчСчет" and value.strip() and value.strip() not in self.accounts:
                    self.accounts.append(value.strip())
                if not in_account:
                    self.header.setdefault(key, value.strip())
        if current is not None:
            current.problem = (current.line, _("the document begun here has no КонецДокумента"))
            yield current
