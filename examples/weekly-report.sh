#!/usr/bin/env bash
# A script the way a salesperson's cron job would use dossier: JSON out, exit codes in.
# Usage: bash examples/weekly-report.sh [CITY]
set -uo pipefail
city="${1:-Хабаровск}"

if ! companies_json=$(dossier list companies --city "$city" --format json); then
  echo "could not list companies (exit $?)" >&2
  exit 1
fi
count=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$companies_json")
echo "Companies in $city: $count"

dossier show company "no such company" --format json >/dev/null 2>&1
case $? in
  0) echo "unexpectedly found it" ;;
  3) echo "not found, as expected (exit 3)" ;;
  5) echo "ambiguous: be more precise (exit 5)" ;;
  *) echo "something else went wrong" >&2; exit 1 ;;
esac
