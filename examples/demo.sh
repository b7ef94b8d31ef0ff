#!/usr/bin/env bash
# Loads the example data set into a fresh SQLite file and shows what dossier is for:
# the top-10 exercise, the pipeline, the prospect dossier, the contact log, the plan, the
# forecast, prospects from a sample of the tax register, and last the manager's printable
# report (examples/report.html).
# Usage: bash examples/demo.sh   (DOSSIER_DB overrides where the demo database goes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOSSIER_DB="${DOSSIER_DB:-$here/demo.db}"
export DOSSIER_USER="${DOSSIER_USER:-demo}"
rm -f "$DOSSIER_DB" "$DOSSIER_DB-wal" "$DOSSIER_DB-shm"
# The narration speaks the language dossier speaks (DOSSIER_LANG, `language:` in the config, the locale).
lang="$(dossier config show --format json 2>/dev/null | python3 -c \
    'import json, sys; print(next(r["value"] for r in json.load(sys.stdin)["settings"] if r["setting"] == "language"))' \
    2>/dev/null || echo en)"
step() { if [ "$lang" = ru ]; then printf '\n== %s\n' "$2" >&2; else printf '\n== %s\n' "$1" >&2; fi; }

step "Loading the example companies and a year of sales into $DOSSIER_DB" \
    "Загружаем примеры компаний и продажи за год в $DOSSIER_DB"
dossier import companies "$here/companies.csv"
dossier import sales "$here/sales.csv" --map company=Контрагент --map reference=Номер

step "People at our companies, with their buying roles" \
    "Люди в наших компаниях и их роли в закупке"
dossier add person "Иван Петров" --company ромашка --role economic-buyer --phone "+7 4212 55-01-02"
dossier add person "Olga Kim" --company "Amur Logistics" --role owner
dossier list people

step "How close each relationship is (0..10)" \
    "Насколько близки отношения с каждой (0..10)"
dossier rate ромашка 8 --note "weekly calls with the owner"
dossier rate Дальсталь 3
dossier rate Amur 9
dossier rate "Khabarovsk Dairy" 10
dossier rate "Pacific Fish" 6

step "The top-10 exercise: largest by sales beside closest by relationship" \
    "Упражнение «топ-10»: крупнейшие по продажам рядом с самыми близкими по отношениям"
dossier top10 --compare --limit 5 || true   # exits 1 while the lists differ, like diff

step "ABC groups by sales" \
    "ABC-группы по продажам"
dossier abc

step "The pipeline: stages only move forward" \
    "Воронка: стадии идут только вперёд"
dossier promote "Таёжный лес"
dossier promote "Северный ветер" --to researching --note "found at the Dalexpo fair"
dossier pipeline

step "The prospect dossier of a company we want to win" \
    "Досье компании, которую мы хотим завоевать"
dossier fill "Таёжный лес" --set competitors="Восток-Трейд, Амур-Снаб" \
    --set arguments="доставка за сутки; отсрочка 30 дней" --set payment_reputation="платит в срок"
dossier checklist "Таёжный лес" --missing
dossier ready

step "The contact log and what is due" \
    "Журнал контактов и что пора сделать"
dossier add touch "Таёжный лес" --kind call --outcome no --note "not before the new budget" \
    --next tomorrow --next-action "call about the Q1 budget"
dossier add touch "Amur Logistics" --kind meeting --outcome positive --date yesterday
dossier agenda --days 7
dossier stats

step "This quarter's prospecting plan against what was done" \
    "План поиска клиентов на квартал против сделанного"
quarter="$(date +%Y)-Q$(( ($(date +%-m) - 1) / 3 + 1 ))"
dossier plan set "$quarter" --territory Хабаровск --territory Владивосток --market "food production" \
    --market retail --who "Анна (new hire)" --with exhibition --with referrals \
    --goal-prospects 10 --goal-touches 40 --goal-clients 2
dossier plan show

step "Clean data: a phone in any format, a checked INN, a website, tags" \
    "Чистые данные: телефон в любом формате, проверенный ИНН, сайт, метки"
dossier edit company ромашка --inn 2721000018 --add-phone "8 (4212) 41-12-34" \
    --add-website https://www.romashka.ru/ --add-tag fair-2026
dossier show company "+7 4212 411234" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])'
dossier add company "Romashka" --city Khabarovsk --allow-duplicate   # warns: looks like ООО «Ромашка»
dossier dupes

step "Search, Cyrillic or not" \
    "Поиск — кириллицей и латиницей"
dossier search ромашка

step "Who changed what" \
    "Кто что изменил"
dossier audit --limit 8

step "Deals in the pipeline, a lost one, and the weighted forecast" \
    "Сделки в воронке, одна потерянная, и взвешенный прогноз"
month="$(date +%Y-%m)"
dossier add company "ООО «Бурея»" --city Хабаровск --industry "food production" --source exhibition
dossier add company "Primorye Foods" --city Vladivostok --industry "food production" --source referral
dossier promote "Primorye Foods" --to researching
dossier lose "Primorye Foods" --reason competitor --note "chose Vostok-Trade LLC"
dossier edit company "Таёжный лес" --deal-value 300000 --close-by "$month" --every 14
dossier edit company "Северный ветер" --deal-value 450000 --close-by "$month"
dossier edit company "Бурея" --deal-value 120000 --close-by "$month"
dossier edit company ромашка --deal-value 200000 --close-by "$month" --every 30
dossier plan set "$quarter" --goal-revenue 1500000
dossier forecast --by stage
dossier stats --by reason

step "Where to look and whom for: prospects from the tax service's SME register (a sample of it)" \
    "Где и кого искать: потенциальные клиенты из реестра МСП налоговой службы (выборка)"
dossier register load "$here/register-sample.xml" "$here/register-sample-cp1251.xml" --force
dossier prospects --region 27 --okved 46.7 --category micro --category small
dossier prospects --region 27 --okved 46.7 --add --limit 2
dossier show company 2721010016

step "The manager's report: one printable page ($here/report.html)" \
    "Отчёт руководителю: одна страница для печати ($here/report.html)"
dossier report --output "$here/report.html"
