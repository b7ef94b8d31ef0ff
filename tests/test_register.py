"""The tax service's SME register: load it, replace it, look firms up, find and list prospects.

The files are small ones written here in the published structure (dataset 7707329152-rsmp):
a `Файл` of `Документ`s, firms (ОргВклМСП) and sole traders (ИПВклМСП), declared in UTF-8
or windows-1251 as the tax service publishes them.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

# ---------------------------------------------------------------- making register files


def _check_digit(digits: str, weights: list[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)


def inn10(body: str) -> str:
    """A firm's INN with a valid check digit from nine digits."""
    return body + _check_digit(body, [2, 4, 10, 3, 5, 9, 4, 6, 8])


def inn12(body: str) -> str:
    """A sole trader's INN with valid check digits from ten digits."""
    first = _check_digit(body, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    return body + first + _check_digit(body + first, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])


def ogrn(body: str) -> str:
    """An OGRN (12 digits + check) or an OGRNIP (14 digits + check)."""
    divisor = 11 if len(body) == 12 else 13
    return body + str(int(body) % divisor % 10)


def firm(inn: str, name: str, *, short: str | None = None, region: str = "27", city: str | None = "ХАБАРОВСК",
         okved: str = "46.71", extra: tuple[str, ...] = (), category: int = 2, since: str = "01.08.2016",
         as_of: str = "10.11.2026") -> str:
    short_attr = f" НаимОргСокр={quoteattr(short)}" if short else ""
    return _document(
        f"<ОргВклМСП НаимОрг={quoteattr(name)}{short_attr} ИННЮЛ=\"{inn}\" ОГРН=\"{ogrn('102' + inn[:9])}\"/>",
        kind=1, region=region, city=city, okved=okved, extra=extra, category=category, since=since, as_of=as_of,
    )


def sole_trader(inn: str, surname: str, first: str, middle: str, *, region: str = "27", city: str | None = "ХАБАРОВСК",
                okved: str = "10.11", extra: tuple[str, ...] = (), category: int = 1, since: str = "10.01.2026",
                as_of: str = "10.11.2026") -> str:
    return _document(
        f"<ИПВклМСП ИННФЛ=\"{inn}\" ОГРНИП=\"{ogrn('326' + inn[:11])}\">"
        f"<ФИОИП Фамилия=\"{surname}\" Имя=\"{first}\" Отчество=\"{middle}\"/></ИПВклМСП>",
        kind=2, region=region, city=city, okved=okved, extra=extra, category=category, since=since, as_of=as_of,
    )


NAMES = {"46.71": "Торговля оптовая твердым, жидким и газообразным топливом и подобными продуктами",
         "46.73": "Торговля оптовая лесоматериалами, строительными материалами и санитарно-техническим оборудованием",
         "46.19": "Деятельность агентов по оптовой торговле универсальным ассортиментом товаров",
         "10.11": "Переработка и консервирование мяса", "49.41": "Деятельность автомобильного грузового транспорта",
         "62.01": "Разработка компьютерного программного обеспечения", "16.10": "Распиловка и строгание древесины",
         "41.20": "Строительство жилых и нежилых зданий", "46.32": "Торговля оптовая мясом и мясными продуктами",
         "46.72": "Торговля оптовая металлами и металлическими рудами",
         "46.75": "Торговля оптовая химическими продуктами",
         "47.11": "Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах"}


def _document(subject: str, *, kind: int, region: str, city: str | None, okved: str, extra: tuple[str, ...],
              category: int, since: str, as_of: str) -> str:
    town = f"<Город Тип=\"Г\" Наим=\"{city}\"/>" if city else ""
    activities = f"<СвОКВЭДОсн КодОКВЭД=\"{okved}\" НаимОКВЭД=\"{NAMES.get(okved, 'Прочее')}\" ВерсОКВЭД=\"2014\"/>" + "".join(
        f"<СвОКВЭДДоп КодОКВЭД=\"{code}\" НаимОКВЭД=\"{NAMES.get(code, 'Прочее')}\" ВерсОКВЭД=\"2014\"/>" for code in extra
    )
    return (
        f"<Документ ИдДок=\"{abs(hash(subject)) % 10**8}\" ДатаСост=\"{as_of}\" ДатаВклМСП=\"{since}\" ВидСубМСП=\"{kind}\" "
        f"КатСубМСП=\"{category}\" ПризНовМСП=\"2\" СведСоцПред=\"2\" ССЧР=\"5\">\n  {subject}\n"
        f"  <СведМН КодРегион=\"{region}\"><Регион Тип=\"КРАЙ\" Наим=\"ХАБАРОВСКИЙ\"/>{town}</СведМН>\n"
        f"  <СвОКВЭД>{activities}</СвОКВЭД>\n</Документ>\n"
    )


def register_xml(documents: list[str], *, encoding: str = "utf-8") -> bytes:
    declared = "windows-1251" if encoding == "cp1251" else "UTF-8"
    text = (
        f"<?xml version=\"1.0\" encoding=\"{declared}\"?>\n"
        f"<Файл ИдФайл=\"VO_RRMSPSV_0000_9965_20261110_test\" ВерсФорм=\"4.05\" ТипИнф=\"РЕЕСТРМСП\" КолДок=\"{len(documents)}\">\n"
        + "".join(documents) + "</Файл>\n"
    )
    return text.encode(encoding)


def register_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


AMURSNAB = inn10("272100001")
TAIGA = inn10("272100002")
VOSTOK = inn10("272500003")  # Приморский край
BOREY = inn10("272100004")
IVANOVA = inn12("2721000000")
PETROV = inn12("2703000000")


def november(tmp_path: Path) -> Path:
    """A ZIP of two files, one UTF-8 and one windows-1251, firms and sole traders."""
    utf8 = register_xml([
        firm(AMURSNAB, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "АМУРСНАБ"', short='ООО "АМУРСНАБ"', okved="46.71",
             extra=("49.41",), category=2),
        firm(TAIGA, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ТАЙГА"', short='ООО "ТАЙГА"', okved="62.01",
             extra=("46.73",), category=1, since="15.02.2026"),
        firm(VOSTOK, 'АКЦИОНЕРНОЕ ОБЩЕСТВО "ВОСТОК"', short='АО "ВОСТОК"', region="25", city="ВЛАДИВОСТОК", okved="46.71", category=3),
    ])
    cp1251 = register_xml([
        sole_trader(IVANOVA, "ИВАНОВА", "ЕЛЕНА", "ПЕТРОВНА", okved="46.19", category=1),
        sole_trader(PETROV, "ПЕТРОВ", "СЕРГЕЙ", "ЮРЬЕВИЧ", city="КОМСОМОЛЬСК-НА-АМУРЕ", okved="46.71", category=1),
    ], encoding="cp1251")
    return register_zip(tmp_path / "data-10112026-structure-10032024.zip",
                        {"VO_RRMSPSV_0000_9965_20261110_1.xml": utf8, "VO_RRMSPSV_0000_9965_20261110_2.xml": cp1251})


def december(tmp_path: Path) -> Path:
    """The next month: ТАЙГА has left the register, БОРЕЙ has joined."""
    documents = [
        firm(AMURSNAB, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "АМУРСНАБ"', short='ООО "АМУРСНАБ"', category=3, as_of="10.12.2026"),
        firm(BOREY, 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "БОРЕЙ"', short='ООО "БОРЕЙ"', okved="46.73", as_of="10.12.2026"),
    ]
    path = tmp_path / "december.xml"
    path.write_bytes(register_xml(documents))
    return path


@pytest.fixture
def loaded(tmp_path, dossier):
    dossier("register", "load", str(november(tmp_path)))
    return tmp_path


# ---------------------------------------------------------------- loading


def test_load_reads_firms_and_sole_traders_in_both_declared_encodings(tmp_path, dossier):
    result = dossier("register", "load", str(november(tmp_path)))
    assert "Loaded the tax register of 2026-11-10: 5 documents, 3 firms and 2 sole traders, from 2 file(s)." in result.stderr

    status = dossier.json("register", "status")
    assert (status["as_of"], status["documents"], status["firms"], status["sole_traders"]) == ("2026-11-10", 5, 3, 2)
    assert (status["category_micro"], status["category_small"], status["category_medium"]) == (3, 1, 1)
    assert status["size_bytes"] > 0
    table = dossier("register", "status").stdout
    assert "2026-11-10" in table and "KB" in table

    trader = dossier.json("register", "show", PETROV)  # from the windows-1251 file
    assert trader["name"] == "ИП Петров Сергей Юрьевич"
    assert (trader["kind"], trader["category"], trader["legal_form"]) == ("sole trader", "micro", "ИП")
    assert trader["city"] == "Комсомольск-на-Амуре"
    assert (trader["region"], trader["region_name"]) == ("27", "Хабаровский край")

    company = dossier.json("register", "show", AMURSNAB)
    assert company["name"] == 'ООО "АМУРСНАБ"' and company["legal_form"] == "ООО"
    assert (company["okved"], company["okved_name"]) == ("46.71", NAMES["46.71"])
    assert company["additional_okved"] == [f"49.41 {NAMES['49.41']}"]


def test_a_folder_and_plain_xml_files_load_too(tmp_path, dossier):
    folder = tmp_path / "unpacked"
    folder.mkdir()
    with zipfile.ZipFile(november(tmp_path)) as archive:
        archive.extractall(folder)
    dossier("register", "load", str(folder))
    assert dossier.json("register", "status")["documents"] == 5


def test_a_newer_month_replaces_the_older_and_an_older_one_is_refused(loaded, dossier):
    dossier("register", "load", str(december(loaded)))
    status = dossier.json("register", "status")
    assert (status["as_of"], status["documents"]) == ("2026-12-10", 2)
    assert dossier.json("register", "show", AMURSNAB)["category"] == "medium"
    gone = dossier("register", "show", TAIGA, expect=3)
    assert f"INN {TAIGA} is not in the tax register of 2026-12-10" in gone.stderr

    again = loaded / "again"
    again.mkdir()
    older = dossier("register", "load", str(november(again)), expect=4)
    assert "an older month" in older.stderr and "--force" in older.stderr
    assert dossier.json("register", "status")["as_of"] == "2026-12-10"


def test_a_malformed_file_is_refused_with_its_name_and_place_and_nothing_changes(loaded, dossier):
    broken = loaded / "broken.xml"
    good = register_xml([firm(BOREY, 'ООО "БОРЕЙ"', as_of="10.12.2026")]).decode()
    broken.write_text(good.replace("</Документ>", "</Документ", 1), encoding="utf-8")
    result = dossier("register", "load", str(broken), expect=2)
    assert result.stderr.startswith("Error: broken.xml: malformed XML at line ")
    assert "column" in result.stderr and "unchanged" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    no_inn = loaded / "no-inn.zip"
    register_zip(no_inn, {"part1.xml": register_xml([firm(BOREY, "ООО БОРЕЙ", as_of="10.12.2026")]),
                          "part2.xml": register_xml([firm("27", "ООО БЕЗ ИНН", as_of="10.12.2026")])})
    result = dossier("register", "load", str(no_inn), expect=2)
    assert "Error: no-inn.zip:part2.xml: document 1" in result.stderr and "INN" in result.stderr

    # Declared UTF-8 but written in windows-1251: refused at the first Cyrillic letter.
    mislabelled = loaded / "mislabelled.xml"
    mislabelled.write_bytes(register_xml([firm(BOREY, "ООО БОРЕЙ", as_of="10.12.2026")], encoding="cp1251").replace(b"windows-1251", b"UTF-8"))
    result = dossier("register", "load", str(mislabelled), expect=2)
    assert result.stderr.startswith("Error: mislabelled.xml: malformed XML at line 2")

    not_a_zip = loaded / "register.zip"
    not_a_zip.write_bytes(b"PK\x03\x04 this is not a zip")
    assert "register.zip: not a readable ZIP file" in dossier("register", "load", str(not_a_zip), expect=2).stderr
    assert "no such file or folder" in dossier("register", "load", str(loaded / "nowhere.zip"), expect=3).stderr

    status = dossier.json("register", "status")
    assert (status["as_of"], status["documents"]) == ("2026-11-10", 5)
    dossier("register", "show", TAIGA)
    dossier("register", "show", BOREY, expect=3)


def test_without_a_loaded_register_the_commands_say_how_to_get_one(dossier):
    result = dossier("register", "status", expect=3)
    assert "no tax register is loaded" in result.stderr and "7707329152-rsmp" in result.stderr
    dossier("prospects", "--region", "27", expect=3)
    dossier("add", "company", "--inn", AMURSNAB, expect=3)


# ---------------------------------------------------------------- filling a company


def test_add_company_by_inn_fills_its_facts_from_the_register(loaded, dossier):
    dossier("add", "company", "--inn", AMURSNAB)
    company = dossier.json("show", "company", AMURSNAB)
    assert company["name"] == 'ООО "АМУРСНАБ"'
    assert (company["legal_form"], company["tax_number"], company["city"]) == ("ООО", AMURSNAB, "Хабаровск")
    assert company["territory"] == "Хабаровский край"
    assert company["market"] == f"46.71 {NAMES['46.71']}"
    assert company["activity"] == "trade"
    assert "small business in the tax register of 2026-11-10" in company["tax_register"]

    # What is typed wins over the register.
    dossier("add", "company", "--inn", IVANOVA, "--city", "Хабаровск, ул. Ленина")
    trader = dossier.json("show", "company", IVANOVA)
    assert (trader["name"], trader["city"], trader["legal_form"]) == ("ИП Иванова Елена Петровна", "Хабаровск, ул. Ленина", "ИП")

    missing = dossier("add", "company", expect=2)
    assert "--inn" in missing.stderr
    unknown = dossier("add", "company", "--inn", BOREY, expect=3)
    assert f"INN {BOREY} is not in the tax register" in unknown.stderr
    dossier("add", "company", "--inn", "12345", expect=2)


def test_fill_keeps_existing_fields_unless_refresh(loaded, dossier):
    dossier("add", "company", "Амурснаб", "--inn", AMURSNAB, "--city", "Хабаровск-2", "--industry", "fuel")
    result = dossier("register", "fill", "Амурснаб")
    assert "legal_form: ООО" in result.stderr and "territory: Хабаровский край" in result.stderr
    company = dossier.json("show", "company", "Амурснаб")
    assert (company["name"], company["city"], company["market"]) == ("Амурснаб", "Хабаровск-2", "fuel")
    assert company["legal_form"] == "ООО" and company["ogrn"]

    dossier("register", "fill", "Амурснаб", "--refresh")
    company = dossier.json("show", "company", AMURSNAB)
    assert (company["name"], company["city"], company["market"]) == ('ООО "АМУРСНАБ"', "Хабаровск", f"46.71 {NAMES['46.71']}")
    events = dossier.json("audit", "--company", AMURSNAB)
    assert any(e["action"] == "update" and "register fill" in e["command"] for e in events)


def test_show_company_notes_an_inn_no_longer_in_the_register(loaded, dossier):
    dossier("add", "company", "--inn", TAIGA)
    assert "tax register of 2026-11-10" in dossier.json("show", "company", TAIGA)["tax_register"]
    dossier("register", "load", str(december(loaded)))
    company = dossier.json("show", "company", TAIGA)
    assert company["tax_register"].startswith("no longer in the tax register of 2026-12-10")
    assert "no longer in the tax register" in dossier("show", "company", TAIGA).stdout


# ---------------------------------------------------------------- prospects


def inns(rows: list[dict]) -> list[str]:
    return [row["inn"] for row in rows]


def test_prospects_by_region_city_code_prefix_and_category(loaded, dossier):
    # 46.7 takes the main code 46.71 and ТАЙГА's additional 46.73, not ИВАНОВА's 46.19.
    rows = dossier.json("prospects", "--region", "27", "--okved", "46.7")
    assert inns(rows) == [AMURSNAB, PETROV, TAIGA]  # sorted by name, legal forms aside
    assert rows[0]["okved_name"] == NAMES["46.71"] and rows[0]["city"] == "Хабаровск"

    assert inns(dossier.json("prospects", "--region", "Приморский край", "--okved", "46.7")) == [VOSTOK]
    assert set(inns(dossier.json("prospects", "--okved", "46.71"))) == {AMURSNAB, PETROV, VOSTOK}
    assert inns(dossier.json("prospects", "--region", "27", "--okved", "46.7", "--city", "комсомольск-на-амуре")) == [PETROV]
    assert inns(dossier.json("prospects", "--region", "27", "--okved", "46.7", "--category", "micro")) == [PETROV, TAIGA]
    assert inns(dossier.json("prospects", "--region", "27", "--okved", "46.1", "--okved", "62")) == [IVANOVA, TAIGA]
    assert inns(dossier.json("prospects", "--region", "27", "--okved", "G", "--category", "small")) == [AMURSNAB]
    assert inns(dossier.json("prospects", "--region", "27", "--new-since", "2026-02-01")) == [TAIGA]
    assert len(dossier.json("prospects", "--region", "27", "--limit", "2")) == 2

    table = dossier("prospects", "--region", "27", "--okved", "46.7").stdout
    assert 'ООО "АМУРСНАБ"' in table and "small" in table

    # A firm already in the database is not a prospect.
    dossier("add", "company", "--inn", AMURSNAB)
    assert inns(dossier.json("prospects", "--region", "27", "--okved", "46.7")) == [PETROV, TAIGA]

    assert "no register firms match" in dossier("prospects", "--region", "27", "--okved", "01").stderr
    assert "unknown region '98'" in dossier("prospects", "--region", "98", expect=2).stderr
    assert "bad OKVED code 'торговля'" in dossier("prospects", "--okved", "торговля", expect=2).stderr
    assert "micro, small or medium" in dossier("prospects", "--region", "27", "--category", "large", expect=2).stderr
    assert "--region" in dossier("prospects", "--category", "small", expect=2).stderr


def test_prospects_add_lists_them_as_targets_with_their_facts_and_audit_events(loaded, dossier):
    result = dossier("prospects", "--region", "27", "--okved", "46.7", "--category", "micro", "--add")
    assert 'Listed 2 firm(s) as targets, source "tax register".' in result.stderr
    listed = dossier.json("list", "companies", "--source", "tax register")
    assert {c["tax_number"] for c in listed} == {PETROV, TAIGA}
    assert {c["stage"] for c in listed} == {"target"}
    petrov = dossier.json("show", "company", PETROV)
    assert (petrov["name"], petrov["city"], petrov["market"]) == ("ИП Петров Сергей Юрьевич", "Комсомольск-на-Амуре", f"46.71 {NAMES['46.71']}")

    events = [e for e in dossier.json("audit") if e["action"] == "create" and e["entity"] == "company"]
    assert len(events) == 2 and all(e["command"].startswith("dossier prospects") for e in events)
    assert all(e["changes"]["source"]["new"] == "tax register" for e in events)

    # A firm typed in by hand without its INN is not listed twice: it is named instead.
    dossier("add", "company", "Амурснаб", "--city", "Хабаровск")
    result = dossier("prospects", "--region", "27", "--okved", "46.71", "--add")
    assert 'Listed 0 firm(s) as targets' in result.stderr
    assert f"Warning: not added: {AMURSNAB} has the name of #3 Амурснаб, listed without an INN" in result.stderr
    assert f"dossier edit company 3 --inn {AMURSNAB} && dossier register fill 3" in result.stderr
    dossier("edit", "company", "3", "--inn", AMURSNAB)
    dossier("register", "fill", "3")
    assert dossier.json("show", "company", "3")["market"] == f"46.71 {NAMES['46.71']}"

    # Listed now: a second search finds no one new.
    assert dossier.json("prospects", "--region", "27", "--okved", "46.7", "--category", "micro") == []


def test_the_plan_names_regions_and_codes_and_counts_the_unlisted_register_firms(loaded, dossier):
    dossier("plan", "set", "2027-Q1", "--territory", "27", "--market", "46.7", "--goal-prospects", "10")
    shown = dossier("plan", "show", "2027-Q1")
    assert "The tax register of 2026-11-10 holds 3 firm(s) matching the plan that are not listed yet" in shown.stderr
    assert dossier.json("plan", "show", "2027-Q1")["tax_register"] == {"register_date": "2026-11-10", "unlisted": 3}

    assert inns(dossier.json("prospects", "--plan", "2027-Q1")) == [AMURSNAB, PETROV, TAIGA]
    dossier("prospects", "--plan", "2027-Q1", "--limit", "1", "--add")
    assert dossier.json("plan", "show", "2027-Q1")["tax_register"]["unlisted"] == 2

    # What --add lists counts toward the current quarter's plan that named the region and code.
    from dossier_cli.parsing import current_quarter

    quarter = current_quarter().label
    dossier("plan", "set", quarter, "--territory", "27", "--market", "46.7", "--goal-prospects", "10")
    dossier("prospects", "--plan", quarter, "--category", "micro", "--add")
    goals = {g["goal"]: g for g in dossier.json("plan", "show", quarter)["goals"]}
    # АМУРСНАБ and ПЕТРОВ trade wholesale (46.71) in region 27: in the plan. ТАЙГА matched by its
    # additional 46.73, but its industry is its main activity, 62.01: outside the plan's markets.
    assert (goals["prospects"]["done"], goals["prospects"]["outside_plan"]) == (2, 1)

    # A territory that is no region is a city.
    dossier("plan", "set", "2027-Q2", "--territory", "хабаровск", "--market", "46")
    assert inns(dossier.json("prospects", "--plan", "2027-Q2")) == [IVANOVA]
    dossier("plan", "set", "2027-Q3", "--market", "food production")
    assert "names no region or OKVED code" in dossier("prospects", "--plan", "2027-Q3", expect=2).stderr


def test_the_register_file_sits_beside_the_database_for_its_owner_only(loaded, dossier, db_path, sqlite_only):
    path = db_path.with_name("dossier.register.db")
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert dossier.json("register", "status")["where"] == str(path)
    assert json.loads(dossier("register", "status", "--format", "json").stdout)["size_bytes"] == path.stat().st_size


def test_codes_and_regions_have_names_from_the_register_or_the_shipped_classifier(tmp_path, dossier):
    # Without a register the shipped OK 029-2014 table names sections, classes, subclasses and groups.
    rows = dossier.json("register", "codes", "46.7")
    assert rows[0] == {"code": "46.7", "name": "Торговля оптовая специализированная прочая"}
    assert {"code": "46.71", "name": NAMES["46.71"]} in rows and all(r["code"].startswith("46.7") for r in rows)
    assert [r["code"] for r in dossier.json("register", "codes", "G")][:2] == ["G", "45"]
    assert "46.71" in [r["code"] for r in dossier.json("register", "codes", "топливо")]
    assert "no OKVED code matches" in dossier("register", "codes", "нетакогослова").stderr
    regions = {r["code"]: r["name"] for r in dossier.json("register", "regions")}
    assert regions["27"] == "Хабаровский край" and regions["77"] == "Москва"

    # A finer code the table does not hold takes the register's own name; a code the register
    # leaves unnamed takes the table's.
    document = firm(BOREY, "ООО БОРЕЙ", okved="46.73.6", extra=("47.11",))
    document = document.replace(f'НаимОКВЭД="{NAMES["47.11"]}" ', "").replace('НаимОКВЭД="Прочее"', 'НаимОКВЭД="Торговля оптовая прочими строительными материалами и изделиями"')
    path = tmp_path / "one.xml"
    path.write_bytes(register_xml([document]))
    dossier("register", "load", str(path))
    shown = dossier.json("register", "show", BOREY)
    assert shown["okved_name"] == "Торговля оптовая прочими строительными материалами и изделиями"
    assert shown["additional_okved"] == [f"47.11 {NAMES['47.11']}"]
    assert {"code": "46.73.6", "name": shown["okved_name"]} in dossier.json("register", "codes", "46.73")


def test_loading_reports_its_progress_for_the_bar(tmp_path):
    from dossier_cli.config import load_settings
    from dossier_cli.register import store

    calls = []
    store.load(load_settings().database, [str(november(tmp_path))], progress=lambda done, total, docs: calls.append((done, total, docs)))
    assert calls and calls == sorted(calls)  # bytes and documents only grow
    done, total, documents = calls[-1]
    assert done == total and documents == 5


def test_register_kind_and_category_read_in_russian_tables_and_stay_english_in_json(loaded, dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    shown = dossier("register", "show", PETROV).stdout
    assert "микро" in shown and "ИП" in shown, shown
    assert "sole trader" not in shown and "micro" not in shown, shown
    listed = dossier("prospects", "--region", "27").stdout
    assert "малое" in listed and "микро" in listed, listed
    assert "small" not in listed and "micro" not in listed, listed
    trader = dossier.json("register", "show", PETROV)
    assert (trader["kind"], trader["category"]) == ("sole trader", "micro")
    assert {row["category"] for row in dossier.json("prospects", "--region", "27")} >= {"small", "micro"}


def test_register_dates_in_russian_messages_read_as_russians_write_them(tmp_path, dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    result = dossier("register", "load", str(november(tmp_path)))
    assert "10.11.2026" in result.stderr and "2026-11-10" not in result.stderr, result.stderr
    result = dossier("register", "show", inn10("2799999999"[:9]), expect=3)
    assert "10.11.2026" in result.stderr and "2026-11-10" not in result.stderr, result.stderr
