"""A reproducible (seeded) data set for the benchmarks, as the files `dossier import` reads.

At scale 1.0: 100,000 companies (Russian and English names, every stage, source,
territory and market; 0.5% more rows at the end name one of them again in another case,
with another legal form or «» as "", as real 1C exports do), 10,000 people linked to them, 1,000,000 sales over three years
where a few customers buy most (Pareto-distributed weights over the client companies),
200,000 touches with next steps, and dossier answers for 5% of the companies.
Other scales multiply every count. The same seed and scale give the same files.

    python benchmarks/generate.py DIR [--scale 0.1]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 20261102

RU_WORDS = ["Амур", "Восток", "Тайга", "Ромашка", "Сталь", "Лес", "Рыба", "Снаб", "Логистик", "Строй", "Дальпром",
            "Хлеб", "Энерго", "Транс", "Сервис", "Агро", "Медтех", "Ёлка", "Берёза", "Уссури"]
EN_WORDS = ["Pacific", "Amur", "Harbour", "Northern", "Taiga", "Steel", "Timber", "Fisheries", "Trade", "Freight",
            "Logistics", "Foods", "Energy", "Marine", "Systems", "Builders"]
RU_FORMS = ["ООО", "АО", "ПАО", "ИП"]
EN_FORMS = ["LLC", "JSC", "Inc", "Ltd"]
CITIES = ["Хабаровск", "Владивосток", "Благовещенск", "Комсомольск-на-Амуре", "Находка", "Уссурийск", "Khabarovsk",
          "Vladivostok", "Биробиджан", "Южно-Сахалинск"]
TERRITORIES = ["Хабаровский край", "Приморский край", "Амурская область", "Сахалинская область", "ЕАО", "Primorye"]
MARKETS = ["food production", "retail", "logistics", "construction", "fishing", "timber", "mining", "energy",
           "медицина", "общепит", "сельское хозяйство", "машиностроение"]
SOURCES = ["internet search", "company website", "media", "exhibition", "referral", "existing client", "tender",
           "directory", "cold call", "chamber of commerce", "business club", "inbound enquiry"]
ACTIVITIES = ["extraction", "production", "trade", "services"]
# Most companies on a long list are still targets; a fifth have bought.
STAGES = [("target", 50), ("researching", 15), ("contacted", 10), ("negotiating", 5), ("client", 12), ("regular", 5),
          ("key", 3)]
BUYING_STAGES = {"client", "regular", "key"}
ROLES = ["economic-buyer", "technical-buyer", "user", "coach", "owner", "other"]
RU_FIRST = ["Иван", "Ольга", "Сергей", "Анна", "Дмитрий", "Елена", "Алексей", "Мария", "Пётр", "Наталья"]
RU_LAST = ["Петров", "Иванова", "Сидоров", "Ким", "Ли", "Смирнова", "Кузнецов", "Попова", "Волков", "Фёдорова"]
EN_FIRST = ["John", "Mary", "Peter", "Olga", "Alex", "Kate", "Mark", "Lena"]
EN_LAST = ["Smith", "Brown", "Kim", "Lee", "Walker", "Young", "Hill", "Ward"]
TOUCH_KINDS = ["call", "call", "call", "email", "email", "letter", "meeting", "visit", "exhibition"]
OUTCOMES = ["positive", "neutral", "no", "no-answer", ""]
NEXT_ACTIONS = ["перезвонить", "отправить КП", "send the price list", "назначить встречу", "follow up", "visit the plant"]
DOSSIER_ITEMS = {
    "common_ground": ["общие партнёры", "same exhibition every year", "один рынок сбыта"],
    "contradictions": ["работают с конкурентом", "long payment terms", "нет бюджета до осени"],
    "company_needs": ["доставка за 24 часа", "cold storage", "упаковка", "сервис на месте"],
    "reputation": ["платят вовремя", "slow to decide", "хорошие отзывы партнёров"],
    "contact_channels": ["phone; email", "выставки; звонки", "Telegram"],
}

COUNTS = {"companies": 100_000, "people": 10_000, "sales": 1_000_000, "touches": 200_000, "dossier_share": 0.05}


def company_name(rng: random.Random, number: int) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(RU_FORMS)} «{rng.choice(RU_WORDS)}-{rng.choice(RU_WORDS)} {number}»"
    return f"{rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)} {number} {rng.choice(EN_FORMS)}"


NEAR_DUPLICATE_SHARE = 0.005


def respelt(rng: random.Random, name: str) -> str:
    """The same company as another export writes it: another case, legal form or kind of quotes."""
    how = rng.randrange(3)
    if how == 0:
        return name.upper()
    if how == 1 and "«" in name:
        return name.replace("«", '"').replace("»", '"')
    for forms in (RU_FORMS, EN_FORMS):
        for form in forms:
            other = rng.choice([f for f in forms if f != form])
            if name.startswith(form + " "):
                return other + name[len(form):]
            if name.endswith(" " + form):
                return name[: -len(form)] + other
    return name.lower()


def generate(folder: Path, *, scale: float = 1.0, seed: int = SEED, today: date | None = None) -> dict[str, Path]:
    """Write companies.csv, people.csv, sales.csv, touches.jsonl and dossier.jsonl; return their paths."""
    rng = random.Random(seed)
    today = today or date.today()
    folder.mkdir(parents=True, exist_ok=True)
    n_companies = max(10, round(COUNTS["companies"] * scale))
    n_people = max(5, round(COUNTS["people"] * scale))
    n_sales = max(10, round(COUNTS["sales"] * scale))
    n_touches = max(10, round(COUNTS["touches"] * scale))
    paths = {kind: folder / name for kind, name in (
        ("companies", "companies.csv"), ("people", "people.csv"), ("sales", "sales.csv"),
        ("touches", "touches.jsonl"), ("dossier", "dossier.jsonl"))}

    names: list[str] = []
    stages: list[str] = []
    stage_names = [s for s, _ in STAGES]
    stage_weights = [w for _, w in STAGES]
    with paths["companies"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "city", "territory", "market", "source", "activity", "founded", "stage", "listed on"])
        for number in range(1, n_companies + 1):
            name = company_name(rng, number)
            stage = rng.choices(stage_names, weights=stage_weights)[0]
            names.append(name)
            stages.append(stage)
            writer.writerow([name, rng.choice(CITIES), rng.choice(TERRITORIES), rng.choice(MARKETS), rng.choice(SOURCES),
                             rng.choice(ACTIVITIES), rng.randint(1991, 2024), stage,
                             (today - timedelta(days=rng.randrange(1500))).isoformat()])
        # Near-duplicates (their own random stream, so every other file stays as it was).
        again = random.Random(seed + 1)
        for index in again.sample(range(n_companies), k=round(n_companies * NEAR_DUPLICATE_SHARE)):
            writer.writerow([respelt(again, names[index]), again.choice(CITIES), "", "", "", "", "", "", ""])

    with paths["people"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "company", "role", "phone", "email"])
        for number in range(1, n_people + 1):
            if rng.random() < 0.7:
                person = f"{rng.choice(RU_FIRST)} {rng.choice(RU_LAST)} {number}"
            else:
                person = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)} {number}"
            writer.writerow([person, rng.choice(names), rng.choice(ROLES), f"+7 4212 {number // 100 % 100:02d}-{number % 100:02d}-{rng.randint(10, 99)}",
                             f"person{number}@example.com" if rng.random() < 0.6 else ""])

    # A few customers buy most: Pareto weights over the companies that have become clients.
    buyers = [i for i, stage in enumerate(stages) if stage in BUYING_STAGES] or list(range(len(names)))
    weights = [rng.paretovariate(1.16) for _ in buyers]
    with paths["sales"].open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["company", "date", "amount", "reference"])
        chosen = rng.choices(buyers, weights=weights, k=n_sales)
        for number, index in enumerate(chosen, start=1):
            amount = int(rng.lognormvariate(11, 1.2))
            writer.writerow([names[index], (today - timedelta(days=rng.randrange(3 * 365))).isoformat(),
                             f"{amount}.{rng.randrange(100):02d}", f"INV-{number}"])

    with paths["touches"].open("w", encoding="utf-8") as stream:
        for _ in range(n_touches):
            index = rng.randrange(len(names))
            touched = today - timedelta(days=rng.randrange(2 * 365))
            record = {"company": names[index], "date": touched.isoformat(), "kind": rng.choice(TOUCH_KINDS),
                      "outcome": rng.choice(OUTCOMES), "note": rng.choice(["", "обсудили цены", "left a message", "просят КП"])}
            if rng.random() < 0.6:
                record["next_on"] = (touched + timedelta(days=rng.randint(1, 30))).isoformat()
                record["next_action"] = rng.choice(NEXT_ACTIONS)
                record["done"] = "yes" if touched < today - timedelta(days=60) or rng.random() < 0.5 else "no"
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    with paths["dossier"].open("w", encoding="utf-8") as stream:
        for index in rng.sample(range(len(names)), k=max(1, round(len(names) * COUNTS["dossier_share"]))):
            for item in rng.sample(sorted(DOSSIER_ITEMS), k=rng.randint(2, len(DOSSIER_ITEMS))):
                stream.write(json.dumps({"company": names[index], "item": item, "value": rng.choice(DOSSIER_ITEMS[item])},
                                        ensure_ascii=False) + "\n")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for kind, path in generate(args.folder, scale=args.scale, seed=args.seed).items():
        print(f"{kind}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
