"""Reading the tax service's SME register as published (dataset 7707329152-rsmp).

The dataset is a monthly ZIP of XML files. Each file is a `Файл` of `Документ` elements,
one per firm or sole trader:

    <Документ ИдДок="…" ДатаСост="10.11.2026" ДатаВклМСП="01.08.2016" ВидСубМСП="1" КатСубМСП="1" ПризНовМСП="2">
      <ОргВклМСП НаимОрг="ОБЩЕСТВО С ОГРАНИЧЕННОЙ …" НаимОргСокр="ООО «…»" ИННЮЛ="2721000000" ОГРН="…"/>
        (or, for a sole trader: <ИПВклМСП ИННФЛ="…" ОГРНИП="…"><ФИОИП Фамилия="…" Имя="…" Отчество="…"/></ИПВклМСП>)
      <СведМН КодРегион="27"><Регион Тип="КРАЙ" Наим="ХАБАРОВСКИЙ"/><Город Тип="Г" Наим="ХАБАРОВСК"/></СведМН>
      <СвОКВЭД><СвОКВЭДОсн КодОКВЭД="46.71" НаимОКВЭД="…" ВерсОКВЭД="2014"/><СвОКВЭДДоп …/>…</СвОКВЭД>
      (licences, products, contracts: not read)
    </Документ>

ДатаСост is the date the register describes; ВидСубМСП 1 a firm, 2 a sole trader, 3 a farm
run by a sole trader; КатСубМСП 1 micro, 2 small, 3 medium; ДатаВклМСП the day it entered
the register; ПризНовМСП 1 for a newly created business. Files declare their encoding
(windows-1251 or UTF-8), which the XML parser honours.

Files are read as a stream: the XML parser (expat, which `iterparse` is built on) calls back
per element, each document's attributes are kept only until the document ends and becomes an
`Entry`, and no element tree is built, so memory stays flat however large the file. Nothing
here writes: the store decides what to do with the entries.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from dossier_cli.errors import InvalidInput, NotFound
from dossier_cli.i18n import _

# (bytes read so far, bytes in all, documents read so far)
Progress = Callable[[int, int, int], None]
_PROGRESS_EVERY = 2_000  # documents


@dataclass(slots=True)
class Entry:
    """One register document: a firm or a sole trader."""

    inn: str
    ogrn: str | None
    kind: int  # 1 firm, 2 sole trader, 3 farm
    category: int  # 1 micro, 2 small, 3 medium
    name: str  # the short name when there is one, else the full name; "ИП Фамилия Имя Отчество"
    full_name: str
    region: str
    region_name: str | None
    city: str | None
    included_on: str | None  # ISO date
    is_new: bool
    as_of: str  # ISO date the register describes
    okved: str | None
    okved_name: str | None
    extra: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class Source:
    """One XML file to read: on disk, or a member of a ZIP."""

    label: str  # what an error message names
    size: int
    path: Path
    member: str | None = None

    def open(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        archive = zipfile.ZipFile(self.path)
        stream = archive.open(self.member)
        stream._dossier_archive = archive  # type: ignore[attr-defined]  # closed with the stream below
        return stream


def find_sources(paths: list[str]) -> list[Source]:
    """The XML files named by paths: XML files, ZIPs of them, or folders holding either."""
    sources: list[Source] = []
    for text in paths:
        path = Path(text).expanduser()
        if not path.exists():
            raise NotFound(_("no such file or folder: {path}").format(path=text))
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".xml", ".zip") and p.is_file())
            if not found:
                raise InvalidInput(_("{path}: no .xml or .zip files in this folder").format(path=text))
            for item in found:
                sources.extend(_sources_of(item))
        else:
            sources.extend(_sources_of(path))
    if not sources:
        raise InvalidInput(_("no register files given"), hint=_("name the dataset's ZIP, a folder or XML files"))
    return sources


def _sources_of(path: Path) -> list[Source]:
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted((i for i in archive.infolist() if i.filename.lower().endswith(".xml")), key=lambda i: i.filename)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InvalidInput(_("{path}: not a readable ZIP file ({reason})").format(path=path.name, reason=exc)) from None
        if not members:
            raise InvalidInput(_("{path}: the ZIP holds no .xml files").format(path=path.name))
        return [Source(f"{path.name}:{m.filename}", m.file_size, path, m.filename) for m in members]
    return [Source(path.name, path.stat().st_size, path)]


class _Counting(io.RawIOBase):
    """A read-only stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def read_entries(sources: list[Source], progress: Progress | None = None) -> Iterator[Entry]:
    """Every document of every source, in order; InvalidInput naming the file and place on bad input."""
    total = sum(s.size for s in sources) or 1
    done_before = 0
    documents = 0
    for source in sources:
        raw = source.open()
        counter = _Counting(raw)
        try:
            for entry in _parse(counter, source):
                documents += 1
                if progress is not None and documents % _PROGRESS_EVERY == 0:
                    progress(done_before + counter.count, total, documents)
                yield entry
        finally:
            raw.close()
            archive = getattr(raw, "_dossier_archive", None)
            if archive is not None:
                archive.close()
        done_before += source.size
        if progress is not None:
            progress(done_before, total, documents)


class _Document:
    """What the parser has gathered of the document being read."""

    __slots__ = ("attrs", "line", "subject", "sole", "person", "region", "places", "main", "extra")

    def __init__(self, attrs: dict[str, str], line: int) -> None:
        self.attrs = attrs
        self.line = line
        self.subject: dict[str, str] | None = None
        self.sole = False
        self.person: dict[str, str] | None = None
        self.region: str | None = None
        self.places: dict[str, dict[str, str]] = {}
        self.main: dict[str, str] | None = None
        self.extra: list[dict[str, str]] = []


_CHUNK = 1 << 16


def _parse(stream: IO[bytes], source: Source) -> Iterator[Entry]:
    """The documents of one file, streamed: expat (what iterparse is built on) calls back per
    element, each document's attributes are kept only until it ends, and no tree is built."""
    from xml.parsers import expat

    parser = expat.ParserCreate()  # the encoding is the one the file declares
    ready: list[Entry] = []
    state: dict[str, Any] = {"root": None, "doc": None, "number": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        doc: _Document | None = state["doc"]
        if doc is None:
            if tag == "Документ":
                state["doc"] = _Document(attrs, parser.CurrentLineNumber)
                state["number"] += 1
            elif state["root"] is None:
                state["root"] = tag
                if tag != "Файл":
                    raise InvalidInput(
                        _("{file}: not the SME register: the root element is <{tag}>, expected <Файл>").format(
                            file=source.label, tag=tag
                        ),
                        hint=_("the loaded register is unchanged"),
                    )
            return
        if tag == "СвОКВЭДДоп":
            doc.extra.append(attrs)
        elif tag == "СвОКВЭДОсн":
            doc.main = attrs
        elif tag == "ОргВклМСП":
            doc.subject = attrs
        elif tag == "ИПВклМСП":
            doc.subject, doc.sole = attrs, True
        elif tag == "ФИОИП":
            doc.person = attrs
        elif tag == "СведМН":
            doc.region = attrs.get("КодРегион")
        elif tag in ("Регион", "Город", "НаселПункт"):
            doc.places[tag] = attrs

    def end(tag: str) -> None:
        if tag == "Документ" and state["doc"] is not None:
            ready.append(_entry(state["doc"], source, state["number"]))
            state["doc"] = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        while True:
            chunk = stream.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            yield from ready
            ready.clear()
            if not chunk:
                break
    except expat.ExpatError as exc:
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS] and state["root"] is None:
            raise InvalidInput(_("{file}: the file is empty").format(file=source.label), hint=_("the loaded register is unchanged")) from None
        raise InvalidInput(
            _("{file}: malformed XML at line {line}, column {column}: {reason}").format(
                file=source.label, line=exc.lineno, column=exc.offset + 1, reason=expat.errors.messages[exc.code]
            ),
            hint=_("the loaded register is unchanged"),
        ) from None
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise InvalidInput(
            _("{file}: cannot read it ({reason})").format(file=source.label, reason=exc),
            hint=_("the loaded register is unchanged"),
        ) from None


def _bad(source: Source, number: int, doc: _Document, what: str) -> InvalidInput:
    ident = doc.attrs.get("ИдДок")
    where = _("document {number} at line {line}").format(number=number, line=doc.line) + (f" (ИдДок {ident})" if ident else "")
    return InvalidInput(
        _("{file}: {where}: {what}").format(file=source.label, where=where, what=what),
        hint=_("the loaded register is unchanged"),
    )


@lru_cache(maxsize=8192)
def _date(text: str | None) -> str | None:
    """`10.11.2026` -> `2026-11-10`; None when absent; ValueError when not a date."""
    if not text:
        return None
    day, month, year = text.strip().split(".")
    return date(int(year), int(month), int(day)).isoformat()


def _entry(doc: _Document, source: Source, number: int) -> Entry:
    get = doc.attrs.get
    try:
        as_of = _date(get("ДатаСост"))
        included_on = _date(get("ДатаВклМСП"))
    except ValueError:
        raise _bad(source, number, doc, _("a date is not DD.MM.YYYY (ДатаСост or ДатаВклМСП)")) from None
    if as_of is None:
        raise _bad(source, number, doc, _("no ДатаСост (the date the register describes)"))
    kind, category = _KIND_CODES.get(get("ВидСубМСП") or ""), _KIND_CODES.get(get("КатСубМСП") or "")
    if kind is None or category is None:
        raise _bad(source, number, doc, _("ВидСубМСП and КатСубМСП must be 1, 2 or 3"))
    subject = doc.subject or {}
    full_name: str | None
    if doc.sole:
        inn, ogrn = subject.get("ИННФЛ"), subject.get("ОГРНИП")
        person = doc.person or {}
        full_name = " ".join(w.strip() for w in (person.get("Фамилия"), person.get("Имя"), person.get("Отчество")) if w and w.strip())
        if full_name.upper() == full_name:  # ИВАНОВ ИВАН ИВАНОВИЧ -> Иванов Иван Иванович
            full_name = _title(full_name)
    else:
        inn, ogrn = subject.get("ИННЮЛ"), subject.get("ОГРН")
        full_name = subject.get("НаимОрг")
    inn = (inn or "").strip()
    if not inn.isdigit() or len(inn) not in (10, 12):
        raise _bad(source, number, doc, _("no valid INN (ИННЮЛ in ОргВклМСП or ИННФЛ in ИПВклМСП)"))
    if not full_name:
        raise _bad(source, number, doc, _("no name (НаимОрг, or ФИОИП for a sole trader)"))
    region = (doc.region or "").strip()
    if not region.isdigit():
        raise _bad(source, number, doc, _("no region code (КодРегион in СведМН)"))
    region = region.zfill(2)
    place = doc.places.get("Город") or doc.places.get("НаселПункт")
    region_place = doc.places.get("Регион") or {}
    region_name, region_type = region_place.get("Наим"), region_place.get("Тип")
    city = place.get("Наим") if place else None
    if city is None and region_type and region_type.strip().casefold() in ("г", "г.", "город"):
        city = region_name  # Москва, Санкт-Петербург, Севастополь: the region is the city
    name = (subject.get("НаимОргСокр") or full_name).strip() if not doc.sole else f"ИП {full_name}"
    main = doc.main or {}
    okved = (main.get("КодОКВЭД") or "").strip() or None
    extra = [(code, a.get("НаимОКВЭД")) for a in doc.extra if (code := (a.get("КодОКВЭД") or "").strip())]
    return Entry(
        inn=inn,
        ogrn=(ogrn or "").strip() or None,
        kind=kind,
        category=category,
        name=name,
        full_name=full_name.strip(),
        region=region,
        region_name=_pretty(region_name, region_type),
        city=_pretty(city),
        included_on=included_on,
        is_new=get("ПризНовМСП") == "1",
        as_of=as_of,
        okved=okved,
        okved_name=main.get("НаимОКВЭД") if okved else None,
        extra=extra,
    )


_KIND_CODES = {"1": 1, "2": 2, "3": 3}
_SMALL_WORDS = {"на", "над", "под", "де", "и", "в", "у"}


@lru_cache(maxsize=65536)
def _pretty(name: str | None, kind: str | None = None) -> str | None:
    """The register writes places in capitals (ХАБАРОВСК); people read Хабаровск."""
    if not name or not name.strip():
        return None
    text = " ".join(name.split())
    if text.upper() == text:
        text = _title(text)
    if kind and kind.strip().casefold() not in ("г", "г.", "город"):
        return f"{text} {kind.strip().casefold()}"
    return text


def _title(text: str) -> str:
    """ХАБАРОВСК -> Хабаровск, КОМСОМОЛЬСК-НА-АМУРЕ -> Комсомольск-на-Амуре."""
    words = []
    for word in text.casefold().split(" "):
        parts = word.split("-")
        words.append("-".join(p if j and p in _SMALL_WORDS else p.capitalize() for j, p in enumerate(parts)))
    return " ".join(words)
