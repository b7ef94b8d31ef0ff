#!/bin/sh
# Development only: extract the messages, merge them into the Russian catalog, compile it.
#   scripts/i18n.sh            extract + update + compile
#   scripts/i18n.sh compile    compile only (after editing dossier.po)
# Needs Babel (pip install -e '.[test]'). The compiled .mo is committed with the .po.
set -eu
cd "$(dirname "$0")/.."
LOCALE=src/dossier_cli/locale
if [ "${1:-}" != "compile" ]; then
    PYTHONPATH=scripts pybabel extract -F scripts/babel.toml -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-location \
        --sort-output --project dossier -o "$LOCALE/dossier.pot" src/dossier_cli
    if [ -f "$LOCALE/ru/LC_MESSAGES/dossier.po" ]; then
        pybabel update -i "$LOCALE/dossier.pot" -d "$LOCALE" -D dossier -l ru --no-fuzzy-matching --ignore-obsolete
    else
        pybabel init -i "$LOCALE/dossier.pot" -d "$LOCALE" -D dossier -l ru
    fi
fi
pybabel compile -d "$LOCALE" -D dossier -l ru --statistics
