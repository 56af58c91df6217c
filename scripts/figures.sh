#!/usr/bin/env bash
# Prints the counts the tests wrote to test-results/figures/ (kind, what, tried, bad, when) as a Markdown table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "| kind | what | tried | bad (escapes / jobs lost / 500s) | run |"
echo "| --- | --- | --- | --- | --- |"
cat test-results/figures/*.tsv 2>/dev/null | sort | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
