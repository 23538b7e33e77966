#!/usr/bin/env bash
# Lints the sample project: no trailing whitespace, no tabs in src/ (warnings fail with --strict).
set -euo pipefail
cd "$(dirname "$0")/.."
problems=0
while IFS= read -r -d '' f; do
  if grep -nE '[[:space:]]+$' "$f"; then echo "lint: trailing whitespace in $f"; problems=$((problems + 1)); fi
  if grep -nP '\t' "$f" >/dev/null; then echo "lint: warning: tab in $f"; [ "${1:-}" = "--strict" ] && problems=$((problems + 1)); fi
done < <(find src -type f -print0)
echo "lint: $(find src -type f | wc -l) files checked, $problems problem(s)"
[ "$problems" -eq 0 ]
