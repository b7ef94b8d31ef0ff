"""The benchmark's Excel sheet and 1C bank statement, and the time `dossier import` takes for them.

`companies.xlsx`: 100,000 companies (at scale 1) under 1C-style title rows, with tax
numbers, typed "listed on" dates and the other columns as text. `statement.txt`: a
1CClientBankExchange statement (cp1251) of 100,000 payments, 95% of them to us from those
companies, the rest ours to suppliers. They are imported into a database of their own:
the sheet first, then the statement (its payers are the sheet's companies).
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

COMPANIES = 100_000
PAYMENTS = 100_000
OUR_INN = "2504000003"
OUR_ACCOUNT = "40702810900000012345"
_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)


def inn(number: int) -> str:
    """A valid 10-digit INN made from a number (the check digit computed as the tax service does)."""
    body = f"{1000000000 + number * 7919 % 899999999:09d}"[-9:]
    check = sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11 % 10
    return body + str(check)


def generate(folder: Path, *, scale: float = 1.0, seed: int = 20261130, today: date | None = None) -> dict[str, Path]:
    import xlsxwriter

    sys.path.insert(0, str(Path(__file__).parent))
    from generate import CITIES, MARKETS, company_name

    rng = random.Random(seed)
    today = today or date.today()
    folder.mkdir(parents=True, exist_ok=True)
    n_companies = max(10, round(COMPANIES * scale))
    n_payments = max(10, round(PAYMENTS * scale))
    sheet_path, statement_path = folder / "companies.xlsx", folder / "statement.txt"
    names: list[str] = []
    book = xlsxwriter.Workbook(str(sheet_path), {"constant_memory": True})
    out = book.add_worksheet("Контрагенты")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    out.write_row(0, 0, ["Список контрагентов"])
    out.write_row(1, 0, [f"Сформирован: {today.strftime('%d.%m.%Y')}"])
    out.write_row(3, 0, ["№", "Наименование", "ИНН", "Город", "Отрасль", "Дата добавления"])
    for number in range(1, n_companies + 1):
        name = company_name(rng, number)
        names.append(name)
        row = 3 + number
        out.write_number(row, 0, number)
        out.write_string(row, 1, name)
        out.write_string(row, 2, inn(number))
        out.write_string(row, 3, rng.choice(CITIES))
        out.write_string(row, 4, rng.choice(MARKETS))
        out.write_datetime(row, 5, datetime.combine(today - timedelta(days=rng.randrange(1500)), time()), day)
    book.close()

    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "Отправитель=benchmark",
             f"ДатаНачала={(today - timedelta(days=365)).strftime('%d.%m.%Y')}", f"ДатаКонца={today.strftime('%d.%m.%Y')}",
             f"РасчСчет={OUR_ACCOUNT}"]
    with statement_path.open("w", encoding="cp1251", newline="\r\n") as stream:
        stream.write("\n".join(lines) + "\n")
        for number in range(1, n_payments + 1):
            paid = today - timedelta(days=rng.randrange(365))
            company = rng.randrange(1, n_companies + 1)
            amount = f"{int(rng.lognormvariate(11, 1.2))}.{rng.randrange(100):02d}"
            if rng.random() < 0.95:
                payer, payer_inn, payer_account = names[company - 1], inn(company), f"40702810{company:012d}"
                to, to_inn, to_account = 'ООО "Дальпром"', OUR_INN, OUR_ACCOUNT
            else:
                payer, payer_inn, payer_account = 'ООО "Дальпром"', OUR_INN, OUR_ACCOUNT
                to, to_inn, to_account = names[company - 1], inn(company), f"40702810{company:012d}"
            stream.write("\n".join([
                "СекцияДокумент=Платежное поручение", f"Номер={number}", f"Дата={paid.strftime('%d.%m.%Y')}",
                f"Сумма={amount}", f"ПлательщикСчет={payer_account}", f"Плательщик=ИНН {payer_inn} {payer}",
                f"ПлательщикИНН={payer_inn}", f"Плательщик1={payer}", f"ПолучательСчет={to_account}",
                f"ДатаПоступило={paid.strftime('%d.%m.%Y')}", f"Получатель=ИНН {to_inn} {to}", f"ПолучательИНН={to_inn}",
                f"Получатель1={to}", "ВидОплаты=01", "Очередность=5",
                f"НазначениеПлатежа=Оплата по счету {number} от {paid.strftime('%d.%m.%Y')}. В т.ч. НДС 20%",
                "КонецДокумента",
            ]) + "\n")
        stream.write("КонецФайла\n")
    return {"xlsx": sheet_path, "statement": statement_path}


def measure(folder: Path, scale: float, *, dossier: str, env_for: Callable[[Path], dict[str, str]],
            run_process: Callable[..., tuple], report: Callable[[str], None]) -> dict[str, tuple[float, float]]:
    """Import the sheet, then the statement, into a fresh database; (wall s, peak MB) of each."""
    files = generate(folder, scale=scale)
    env = env_for(folder / "formats.db")
    subprocess.run([dossier, "db", "upgrade"], env=env, check=True, capture_output=True)
    timings: dict[str, tuple[float, float]] = {}
    for label, argv in (
        ("import companies companies.xlsx", [dossier, "import", "companies", str(files["xlsx"])]),
        ("import payments statement.txt", [dossier, "import", "payments", str(files["statement"]), "--our-inn", OUR_INN]),
    ):
        wall, _cpu, peak, code, message = run_process(argv, env, with_peak=True)
        if code != 0:
            sys.exit(f"dossier {label} failed: {message.strip()[-800:]}")
        timings[label] = (wall, peak)
        report(f"  dossier {label}: {wall:.1f} s, {peak:.0f} MB")
    return timings
