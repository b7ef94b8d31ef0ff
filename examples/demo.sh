#!/usr/bin/env bash
# Loads the example data set into a fresh SQLite file and shows what dossier is for.
# Usage: bash examples/demo.sh   (DOSSIER_DB overrides where the demo database goes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DOSSIER_DB="${DOSSIER_DB:-$here/demo.db}"
rm -f "$DOSSIER_DB" "$DOSSIER_DB-wal" "$DOSSIER_DB-shm"

echo "== Loading the example companies into $DOSSIER_DB" >&2
while IFS=';' read -r name city industry activity source founded; do
  [ "$name" = "name" ] && continue
  args=(add company "$name")
  [ -n "$city" ] && args+=(--city "$city")
  [ -n "$industry" ] && args+=(--industry "$industry")
  [ -n "$activity" ] && args+=(--activity "$activity")
  [ -n "$source" ] && args+=(--source "$source")
  [ -n "$founded" ] && args+=(--founded "$founded")
  dossier "${args[@]}"
done < "$here/companies.csv"

echo "== Our companies" >&2
dossier list companies
echo "== One of them, found by part of its name" >&2
dossier show company ромашка
