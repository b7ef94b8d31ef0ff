"""vCard files (.vcf): people in, people out.

Reading takes vCard 2.1, 3.0 and 4.0. What phones export (Android's
`FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2…=` with `=` soft line breaks,
old phones' cp1251 files, 4.0's `tel:` URIs) is first brought to plain unfolded 3.0
lines here: vobject, which parses the cards, fails on quoted-printable soft breaks.
Each card becomes one row of `import people` (a row source, see `transfer.reading`):
`name` (FN, or N), `company` (the first part of ORG), `phone` and `email` (every TEL and
EMAIL, `; `-separated), `notes` (TITLE as a `Job title: …` line, then NOTE). A card
that cannot be read is a bad row at the line where it begins (or where it breaks).

Writing gives vCard 3.0 (UTF-8, CRLF, folded lines), which Android, iOS and Thunderbird
import: one card per person, with the company, phones, e-mails, job title and notes.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _
from dossier_cli.transfer.reading import ROW_ERROR

HEADERS: list[str] = ["name", "company", "phone", "email", "notes"]
TITLE_PREFIX = "Job title: "  # how a card's TITLE is kept in the person's notes (and found again on export)
MAX_CARD_LINES = 10_000
_PARSE_LINE = re.compile(r"line (\d+)", re.IGNORECASE)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The file's text and the encoding it was in: UTF-8 (with or without BOM), else cp1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise InvalidInput(_("{file}: neither UTF-8 nor Windows-1251 text").format(file=name),
                           hint=_("save the contacts as UTF-8 vCard")) from None


def _split_property(line: str) -> tuple[str, list[str], str] | None:
    """NAME;PARAM;PARAM:value -> (NAME, params, value); None when there is no colon."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
            name, *params = head.split(";")
            return name, params, value
    return None


def _is_qp(params: list[str]) -> bool:
    return any(p.strip().upper() in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE") for p in params)


def _charset(params: list[str]) -> str:
    for p in params:
        key, _sep, value = p.partition("=")
        if key.strip().upper() == "CHARSET" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


_STRUCTURED = frozenset(("N", "ADR", "ORG", "GENDER", "CLIENTPIDMAP"))


def _escape(name: str, text: str, *, backslashes: bool) -> str:
    """A value written the 2.1 way (or decoded from quoted-printable) as 3.0 text: commas, and
    semicolons outside the structured properties (N, ADR, ORG), escaped; line breaks as `\\n`."""
    if backslashes:
        text = text.replace("\\", "\\\\")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    text = re.sub(r"(?<!\\),", r"\\,", text)
    if name.upper() not in _STRUCTURED:
        text = re.sub(r"(?<!\\);", r"\\;", text)
    return text


def logical_lines(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Unfold a card: RFC folding (a line starting with a space or tab continues the one
    before) and quoted-printable soft breaks (a QP value ending in `=` goes on on the next
    line). Yields (the physical line it started on, the whole line)."""
    current: list[str] = []
    start = 0
    qp = False
    for number, line in lines:
        if current and (line[:1] in (" ", "\t") or (qp and current[-1].endswith("="))):
            if qp and current[-1].endswith("="):
                current[-1] = current[-1][:-1]
                current.append(line)  # a space there is part of the value
            else:
                current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        if not line.strip():
            current, qp = [], False
            continue
        current, start = [line], number
        parts = _split_property(line)
        qp = parts is not None and _is_qp(parts[1])
    if current:
        yield start, "".join(current)


def _normalised(name: str, params: list[str], value: str, version: str) -> str:
    """One property as a 3.0 line vobject reads: QP decoded, CHARSET and ENCODING dropped."""
    if _is_qp(params):
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        charset = _charset(params)
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1251", errors="replace")
        value = _escape(name, text, backslashes=True)
    elif version == "2.1" and name.upper() not in ("TEL", "EMAIL", "URL", "UID", "REV", "BDAY"):
        value = _escape(name, value, backslashes=False)
    kept = [p for p in params if p.split("=", 1)[0].strip().upper() not in ("ENCODING", "CHARSET", "QUOTED-PRINTABLE")]
    if version == "2.1":
        # 2.1's bare parameters (TEL;CELL;VOICE) are 3.0's TYPE=…
        kept = [p if "=" in p else f"TYPE={p}" for p in kept]
    upper = name.upper()
    if upper == "TEL" and value.lower().startswith("tel:"):
        value = value[4:]
    elif upper == "EMAIL" and value.lower().startswith("mailto:"):
        value = value[7:]
    return ";".join([name, *kept]) + ":" + value


class VCardSource:
    """A row source of the people in a .vcf file (see the module's doc)."""

    delimiter: str | None = None
    columns: dict[str, str] = {}

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.headers = list(HEADERS)
        self.text, self.encoding = decode(data, name)
        if "BEGIN:VCARD" not in self.text.upper():
            raise InvalidInput(_("{file}: no vCard in it (no BEGIN:VCARD line)").format(file=name),
                               hint=_("export the contacts as .vcf, or import a CSV with --format csv"))

    def cards(self) -> Iterator[tuple[int, list[tuple[int, str]] | str]]:
        """(line of BEGIN, the card's physical lines) or (line, what is wrong)."""
        card: list[tuple[int, str]] | None = None
        begin = 0
        for number, line in enumerate(self.text.splitlines(), start=1):
            marker = line.strip().upper()
            if marker == "BEGIN:VCARD":
                if card is not None:
                    yield begin, _("the card begun here has no END:VCARD before the next BEGIN:VCARD")
                card, begin = [], number
            elif marker == "END:VCARD":
                if card is None:
                    yield number, _("END:VCARD without a BEGIN:VCARD")
                else:
                    yield begin, card
                card = None
            elif card is not None:
                if len(card) >= MAX_CARD_LINES:
                    yield begin, _("the card begun here runs over {n} lines").format(n=MAX_CARD_LINES)
                    card = None
                    continue
                card.append((number, line))
            elif line.strip():
                yield number, _("text outside a vCard (BEGIN:VCARD … END:VCARD)")
        if card is not None:
            yield begin, _("the card begun here has no END:VCARD")

    def rows(self) -> Iterator[tuple[str, dict[str, str]]]:
        import vobject

        for begin, card in self.cards():
            if isinstance(card, str):
                yield _("line {n}").format(n=begin), {ROW_ERROR: card}
                continue
            where = begin
            try:
                unfolded = list(logical_lines(card))
                version = _version(unfolded)
                text_lines = ["BEGIN:VCARD"]
                numbers = [begin]
                for number, line in unfolded:
                    parts = _split_property(line)
                    if parts is None:
                        where = number
                        raise ValueError(_("not a vCard property (no ':')"))
                    name, params, value = parts
                    if name.upper() in ("VERSION", "PHOTO", "LOGO", "SOUND", "KEY"):
                        continue  # pictures and keys are not kept; VERSION is set below
                    text_lines.append(_normalised(name, params, value, version))
                    numbers.append(number)
                text_lines.insert(1, "VERSION:3.0")
                numbers.insert(1, begin)
                text_lines.append("END:VCARD")
                parsed = vobject.readOne("\r\n".join(text_lines) + "\r\n", ignoreUnreadable=False)
            except Exception as exc:  # noqa: BLE001 - vobject raises several kinds for a broken card
                message = " ".join(str(exc).split())
                found = _PARSE_LINE.search(message)
                if found and where == begin:
                    index = int(found.group(1)) - 1
                    where = numbers[index] if 0 <= index < len(numbers) else begin
                    message = _PARSE_LINE.sub("", message).strip(" :,")
                yield _("line {n}").format(n=where), {ROW_ERROR: _("not a readable vCard: {why}").format(why=message[:200] or type(exc).__name__)}
                continue
            yield _("line {n}").format(n=begin), _row(parsed)


def _version(lines: list[tuple[int, str]]) -> str:
    for _number, line in lines:
        parts = _split_property(line)
        if parts is not None and parts[0].strip().upper() == "VERSION":
            return parts[2].strip()
    return "3.0"


def _values(card: Any, key: str) -> list[Any]:
    return [item.value for item in card.contents.get(key, [])]


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if str(v).strip())
    return str(value)


def _row(card: Any) -> dict[str, str]:
    row: dict[str, str] = {}
    names = [_text(v).strip() for v in _values(card, "fn") if _text(v).strip()]
    if names:
        row["name"] = names[0]
    else:
        for n in _values(card, "n"):
            parts = [getattr(n, part, "") for part in ("family", "given", "additional")]
            joined = " ".join(_text(p).strip() for p in parts if _text(p).strip())
            if joined:
                row["name"] = joined
                break
    for org in _values(card, "org"):
        first = org[0] if isinstance(org, (list, tuple)) and org else org
        if _text(first).strip():
            row["company"] = _text(first).strip()
            break
    phones = [_text(v).strip() for v in _values(card, "tel") if _text(v).strip()]
    if phones:
        row["phone"] = "; ".join(dict.fromkeys(phones))
    emails = [_text(v).strip() for v in _values(card, "email") if _text(v).strip()]
    if emails:
        row["email"] = "; ".join(dict.fromkeys(emails))
    notes = [TITLE_PREFIX + _text(v).strip() for v in _values(card, "title") if _text(v).strip()]
    notes += [_text(v).strip() for v in _values(card, "note") if _text(v).strip()]
    if notes:
        row["notes"] = "\n".join(notes)
    return row


# ---------------------------------------------------------------- writing
def _split_notes(notes: str | None) -> tuple[str | None, str | None]:
    """(job title, the rest of the notes) from notes an import wrote."""
    if not notes:
        return None, None
    title = None
    rest = []
    for line in notes.splitlines():
        if title is None and line.startswith(TITLE_PREFIX):
            title = line[len(TITLE_PREFIX):].strip() or None
        else:
            rest.append(line)
    return title, "\n".join(rest).strip() or None


def _e164(phone: str) -> str:
    """A phone as phones store it (+79145551234); the export's display form has spaces and dashes."""
    from dossier_cli.records.contacts import normalise_phone

    try:
        return normalise_phone(phone)
    except InvalidInput:  # an odd value is written as it is
        return phone


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return [v.strip() for v in re.split(r"[;,]", str(value)) if v.strip()]


def _people(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One person per run of records with the same id (export gives one record per company link)."""
    current: dict[str, Any] | None = None
    for record in records:
        if current is not None and record.get("id") == current.get("id"):
            if not current.get("company") or (record.get("active") and not current.get("active")):
                current["company"], current["active"] = record.get("company"), record.get("active")
            continue
        if current is not None:
            yield current
        current = dict(record)
    if current is not None:
        yield current


def write_vcards(records: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """The people as vCard 3.0 cards; the number of cards written."""
    import vobject

    written = 0
    for person in _people(records):
        card = vobject.vCard()
        name = str(person.get("name") or "").strip()
        card.add("n").value = vobject.vcard.Name(given=name)
        card.add("fn").value = name
        if person.get("company"):
            card.add("org").value = [str(person["company"])]
        phones = _as_list(person.get("phones")) or _as_list(person.get("phone"))
        for phone in dict.fromkeys(_e164(p) for p in phones):
            tel = card.add("tel")
            tel.value = phone
            tel.type_param = "VOICE"
        emails = _as_list(person.get("emails")) or _as_list(person.get("email"))
        for email in dict.fromkeys(emails):
            mail = card.add("email")
            mail.value = email
            mail.type_param = "INTERNET"
        title, notes = _split_notes(person.get("notes"))
        if title:
            card.add("title").value = title
        if notes:
            card.add("note").value = notes
        tags = _as_list(person.get("tags"))
        if tags:
            card.add("categories").value = tags
        stream.write(card.serialize())
        written += 1
    return written
