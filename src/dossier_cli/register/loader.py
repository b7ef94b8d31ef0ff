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

Files are read as a stream (`iterparse`): each document is turned into an `Entry` and its
element cleared, so memory stays flat however large the file. Nothing here writes: the
store decides what to do with the entries.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

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


def _parse(stream: IO[bytes], source: Source) -> Iterator[Entry]:
    from xml.etree.ElementTree import ParseError, iterparse

    root = None
    number = 0
    events = iterparse(stream, events=("start", "end"))
    try:
        for event, element in events:
            if root is None:
                root = element
                if element.tag != "Файл":
                    raise InvalidInput(
                        _("{file}: not the SME register: the root element is <{tag}>, expected <Файл>").format(
                            file=source.label, tag=element.tag
                        ),
                        hint=_("the loaded register is unchanged"),
                    )
                continue
            if event != "end" or element.tag != "Документ":
                continue
            number += 1
            yield _entry(element, source, number)
            # Drop the document and everything read so far: memory stays flat.
            element.clear()
            root.clear()
    except ParseError as exc:
        line, column = exc.position
        raise InvalidInput(
            _("{file}: malformed XML at line {line}, column {column}: {reason}").format(
                file=source.label, line=line, column=column + 1, reason=str(exc).split(":")[0]
            ),
            hint=_("the loaded register is unchanged"),
        ) from None
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise InvalidInput(
            _("{file}: cannot read it ({reason})").format(file=source.label, reason=exc),
            hint=_("the loaded register is unchanged"),
        ) from None
    if root is None:
        raise InvalidInput(_("{file}: the file is empty").format(file=source.label), hint=_("the loaded register is unchanged"))


def _bad(source: Source, number: int, element, what: str) -> InvalidInput:  # type: ignore[no-untyped-def]
    ident = element.get("ИдДок")
    where = _("document {number}").format(number=number) + (f" (ИдДок {ident})" if ident else "")
    return InvalidInput(
        _("{file}: {where}: {what}").format(file=source.label, where=where, what=what),
        hint=_("the loaded register is unchanged"),
    )


def _date(text: str | None) -> str | None:
    """`10.11.2026` -> `2026-11-10`; None when absent; ValueError when not a date."""
    if not text:
        return None
    day, month, year = text.strip().split(".")
    return date(int(year), int(month), int(day)).isoformat()


def _entry(element, source: Source, number: int) -> Entry:  # type: ignore[no-untyped-def]
    get = element.get
    try:
        as_of = _date(get("ДатаСост"))
        included_on = _date(get("ДатаВклМСП"))
    except ValueError:
        raise _bad(source, number, element, _("a date is not DD.MM.YYYY (ДатаСост or ДатаВклМСП)")) from None
    if as_of is None:
        raise _bad(source, number, element, _("no ДатаСост (the date the register describes)"))
    try:
        kind = int(get("ВидСубМСП") or 0)
        category = int(get("КатСубМСП") or 0)
    except ValueError:
        raise _bad(source, number, element, _("ВидСубМСП and КатСубМСП must be 1, 2 or 3")) from None
    if kind not in (1, 2, 3) or category not in (1, 2, 3):
        raise _bad(source, number, element, _("ВидСубМСП and КатСубМСП must be 1, 2 or 3"))
    inn = ogrn = full_name = short_name = None
    region = region_name = city = locality = region_type = None
    okved = okved_name = None
    extra: list[tuple[str, str | None]] = []
    for child in element:
        tag = child.tag
        if tag == "ОргВклМСП":
            inn, ogrn = child.get("ИННЮЛ"), child.get("ОГРН")
            full_name, short_name = child.get("НаимОрг"), child.get("НаимОргСокр")
        elif tag == "ИПВклМСП":
            inn, ogrn = child.get("ИННФЛ"), child.get("ОГРНИП")
            person = child.find("ФИОИП")
            if person is not None:
                words = (person.get("Фамилия"), person.get("Имя"), person.get("Отчество"))
                full_name = " ".join(w.strip() for w in words if w and w.strip())
                if full_name.upper() == full_name:  # ИВАНОВ ИВАН ИВАНОВИЧ -> Иванов Иван Иванович
                    full_name = _title(full_name)
        elif tag == "СведМН":
            region = child.get("КодРегион")
            for part in child:
                if part.tag == "Регион":
                    region_name, region_type = part.get("Наим"), part.get("Тип")
                elif part.tag == "Город":
                    city = part.get("Наим")
                elif part.tag == "НаселПункт":
                    locality = part.get("Наим")
        elif tag == "СвОКВЭД":
            for activity in child:
                code = activity.get("КодОКВЭД")
                if not code:
                    continue
                if activity.tag == "СвОКВЭДОсн":
                    okved, okved_name = code.strip(), activity.get("НаимОКВЭД")
                elif activity.tag == "СвОКВЭДДоп":
                    extra.append((code.strip(), activity.get("НаимОКВЭД")))
    if not inn or not inn.strip().isdigit() or len(inn.strip()) not in (10, 12):
        raise _bad(source, number, element, _("no valid INN (ИННЮЛ in ОргВклМСП or ИННФЛ in ИПВклМСП)"))
    if not full_name:
        raise _bad(source, number, element, _("no name (НаимОрг, or ФИОИП for a sole trader)"))
    if not region or not region.strip().isdigit():
        raise _bad(source, number, element, _("no region code (КодРегион in СведМН)"))
    region = region.strip().zfill(2)
    if city is None:
        city = locality
    if city is None and region_type and region_type.strip().casefold() in ("г", "г.", "город"):
        city = region_name  # Москва, Санкт-Петербург, Севастополь: the region is the city
    if kind == 1:
        name = (short_name or full_name).strip()
    else:
        name = f"ИП {full_name}"
    return Entry(
        inn=inn.strip(),
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
        okved_name=okved_name,
        extra=extra,
    )


_SMALL_WORDS = {"на", "над", "под", "де", "и", "в", "у"}


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
