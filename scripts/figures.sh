#!/usr/bin/env bash
# Prints the counts the tests wrote to test-results/figures/ (kind, what, tried, bad, when) as Markdown: a summary per
# kind (hostile media classes / escapes, faults injected / jobs lost, fuzz cases / 500s), then every row.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows=$(cat test-results/figures/*.tsv 2>/dev/null | sort || true)
echo "| figure | tried | bad | tests |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "$rows" | awk -F'\t' '
  NF >= 4 { tried[$1] += $3; bad[$1] += $4; n[$1]++ }
  END {
    split("hostile fault fuzz", order, " ")
    label["hostile"] = "hostile media classes tried / escapes"
    label["fault"] = "faults injected / jobs lost"
    label["fuzz"] = "fuzz cases run / 500s"
    for (i = 1; i <= 3; i++) { k = order[i]; printf "| %s | %d | %d | %d |\n", label[k], tried[k], bad[k], n[k] }
    for (k in n) if (!(k in label)) printf "| %s | %d | %d | %d |\n", k, tried[k], bad[k], n[k]
  }'
echo
echo "| kind | what | tried | bad (escapes / jobs lost / 500s) | run |"
echo "| --- | --- | --- | --- | --- |"
printf '%s\n' "$rows" | awk -F'\t' 'NF >= 4 { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
