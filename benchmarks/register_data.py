"""A generated SME register in the published structure (dataset 7707329152-rsmp), any size.

    python benchmarks/register_data.py OUT.zip --documents 1000000 [--as-of 10.11.2026] [--seed 7]

Writes a ZIP of XML files of 100,000 documents each, as the tax service publishes them:
a `Файл` of `Документ`s, firms (ОргВклМСП) and sole traders (ИПВклМСП) with valid INN
and OGRN check digits, a region and city (СведМН), a main and 0-8 additional OKVED codes
(СвОКВЭД). Every other file is declared windows-1251, the rest UTF-8. Seeded: the same
arguments give the same files. Streams to the ZIP, so memory stays small at any size.
"""

from __future__ import annotations

import argparse
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

PER_FILE = 100_000
# (region code, its name in the register's words, main city, weight)
REGIONS = [
    ("77", "МОСКВА", "ГОРОД", None, 20), ("78", "САНКТ-ПЕТЕРБУРГ", "ГОРОД", None, 9), ("50", "МОСКОВСКАЯ", "ОБЛАСТЬ", "ПОДОЛЬСК", 8),
    ("23", "КРАСНОДАРСКИЙ", "КРАЙ", "КРАСНОДАР", 6), ("66", "СВЕРДЛОВСКАЯ", "ОБЛАСТЬ", "ЕКАТЕРИНБУРГ", 4),
    ("16", "ТАТАРСТАН", "РЕСПУБЛИКА", "КАЗАНЬ", 3), ("54", "НОВОСИБИРСКАЯ", "ОБЛАСТЬ", "НОВОСИБИРСК", 3),
    ("61", "РОСТОВСКАЯ", "ОБЛАСТЬ", "РОСТОВ-НА-ДОНУ", 3), ("25", "ПРИМОРСКИЙ", "КРАЙ", "ВЛАДИВОСТОК", 2),
    ("27", "ХАБАРОВСКИЙ", "КРАЙ", "ХАБАРОВСК", 2), ("28", "АМУРСКАЯ", "ОБЛАСТЬ", "БЛАГОВЕЩЕНСК", 1),
    ("38", "ИРКУТСКАЯ", "ОБЛАСТЬ", "ИРКУТСК", 2), ("24", "КРАСНОЯРСКИЙ", "КРАЙ", "КРАСНОЯРСК", 2),
    ("02", "БАШКОРТОСТАН", "РЕСПУБЛИКА", "УФА", 2), ("63", "САМАРСКАЯ", "ОБЛАСТЬ", "САМАРА", 2),
    ("52", "НИЖЕГОРОДСКАЯ", "ОБЛАСТЬ", "НИЖНИЙ НОВГОРОД", 2), ("74", "ЧЕЛЯБИНСКАЯ", "ОБЛАСТЬ", "ЧЕЛЯБИНСК", 2),
    *[(f"{n:02d}", "ПРОЧАЯ", "ОБЛАСТЬ", "ОБЛАСТНОЙ ЦЕНТР", 1) for n in (3, 10, 11, 12, 18, 21, 29, 31, 33, 36, 43, 55, 56, 59, 64, 70, 72, 76)],
]
OTHER_CITIES = ["РАЙЦЕНТР", "ПОСЕЛОК ГОРОДСКОГО ТИПА", "КОМСОМОЛЬСК-НА-АМУРЕ", "АМУРСК", "БИКИН"]
# Common OKVED groups and subgroups, trade and services first, as in the real register.
CODES = [
    "47.11", "47.19", "47.21", "47.25", "47.71", "47.91", "46.19", "46.69", "46.71", "46.72", "46.73", "46.74",
    "46.75", "46.90", "46.31", "46.32", "46.38", "46.39", "46.41", "46.43", "46.49", "46.51", "46.52",
    "49.41", "49.42", "52.10", "52.29", "41.20", "43.21", "43.22", "43.29", "43.31", "43.32", "43.33", "43.39",
    "43.99", "68.20", "68.31", "68.32", "62.01", "62.02", "62.09", "63.11", "70.22", "69.10", "69.20", "73.11",
    "74.90", "82.99", "96.02", "96.09", "56.10", "56.29", "55.10", "10.11", "10.13", "10.71", "16.10", "25.11",
    "25.62", "33.12", "45.20", "45.32", "01.11", "01.41", "02.20", "03.11", "85.41", "86.23", "93.29", "95.11",
    "46.71.1", "46.71.2", "46.73.1", "46.73.6", "47.11.2", "47.19.1", "10.71.1", "16.10.1", "43.21.1",
]
OKVED_NAME = "Наименование вида деятельности по ОКВЭД 2"


def _digit(digits: str, weights: list[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10)


def inn10(region: str, n: int) -> str:
    body = f"{region}{n % 10**7:07d}"
    return body + _digit(body, [2, 4, 10, 3, 5, 9, 4, 6, 8])


def inn12(region: str, n: int) -> str:
    body = f"{region}{n % 10**8:08d}"
    first = _digit(body, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
    return body + first + _digit(body + first, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])


def ogrn(body: str) -> str:
    return body + str(int(body) % (11 if len(body) == 12 else 13) % 10)


def document(rng: random.Random, n: int, as_of: str) -> str:
    code, region, kind_word, city, _weight = rng.choices(REGIONS, weights=[r[4] for r in REGIONS])[0]
    town = city if rng.random() < 0.8 else rng.choice(OTHER_CITIES)
    sole = rng.random() < 0.55
    category = 1 if rng.random() < 0.93 else (2 if rng.random() < 0.8 else 3)
    since = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2016, 2026)}"
    if sole:
        inn = inn12(code, n)
        subject = (
            f'<ИПВклМСП ИННФЛ="{inn}" ОГРНИП="{ogrn("3" + inn[:2] + f"{n % 10**11:011d}")}">'
            f'<ФИОИП Фамилия="ФАМИЛИЯ{n}" Имя="ИМЯ" Отчество="ОТЧЕСТВО"/></ИПВклМСП>'
        )
    else:
        inn = inn10(code, n)
        name = f'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ФИРМА {n}"'
        subject = (
            f'<ОргВклМСП НаимОрг={quoteattr(name)} НаимОргСокр=\'ООО "ФИРМА {n}"\' ИННЮЛ="{inn}" '
            f'ОГРН="{ogrn("1" + inn[:2] + f"{n % 10**9:09d}")}"/>'
        )
    codes = rng.sample(CODES, 1 + min(8, int(rng.expovariate(1 / 3))))
    activities = f'<СвОКВЭДОсн КодОКВЭД="{codes[0]}" НаимОКВЭД="{OKVED_NAME}" ВерсОКВЭД="2014"/>' + "".join(
        f'<СвОКВЭДДоп КодОКВЭД="{c}" НаимОКВЭД="{OKVED_NAME}" ВерсОКВЭД="2014"/>' for c in codes[1:]
    )
    place = f'<Регион Тип="{kind_word}" Наим="{region}"/>'
    if town:
        place += f'<Город Тип="Г" Наим="{town}"/>'
    return (
        f'<Документ ИдДок="{n:012d}" ДатаСост="{as_of}" ДатаВклМСП="{since}" ВидСубМСП="{2 if sole else 1}" '
        f'КатСубМСП="{category}" ПризНовМСП="2" СведСоцПред="2">{subject}'
        f'<СведМН КодРегион="{code}">{place}</СведМН><СвОКВЭД>{activities}</СвОКВЭД></Документ>\n'
    )


def write_register(path: Path, documents: int, *, as_of: str = "10.11.2026", seed: int = 7) -> Path:
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index, start in enumerate(range(0, documents, PER_FILE)):
            count = min(PER_FILE, documents - start)
            encoding, declared = ("cp1251", "windows-1251") if index % 2 else ("utf-8", "UTF-8")
            name = f"VO_RRMSPSV_0000_9965_{as_of[6:]}{as_of[3:5]}{as_of[:2]}_{index:04d}.xml"
            with archive.open(name, "w") as member:
                member.write(
                    f'<?xml version="1.0" encoding="{declared}"?>\n<Файл ИдФайл="{name[:-4]}" ВерсФорм="4.05" '
                    f'ТипИнф="РЕЕСТРМСП" КолДок="{count}">\n'.encode(encoding)
                )
                chunk: list[str] = []
                for n in range(start, start + count):
                    chunk.append(document(rng, n, as_of))
                    if len(chunk) == 2_000:
                        member.write("".join(chunk).encode(encoding))
                        chunk.clear()
                member.write(("".join(chunk) + "</Файл>\n").encode(encoding))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--as-of", default="10.11.2026", help="ДатаСост, DD.MM.YYYY")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_register(args.output, args.documents, as_of=args.as_of, seed=args.seed)


if __name__ == "__main__":
    main()
