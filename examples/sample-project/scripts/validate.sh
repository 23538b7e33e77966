#!/usr/bin/env bash
# Validates the data files (well-formed JSON with an "id") and reports a PR URL for the approval.
set -euo pipefail
cd "$(dirname "$0")/.."
checked=0
for f in data/*.json; do
  node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!d.id) { console.error(process.argv[1] + ": missing id"); process.exit(1) }' "$f"
  checked=$((checked + 1))
done
echo "validate: $checked data files ok"
echo "checked=$checked" >> "$BATON_OUTPUT"
echo "pr_url=${PR_URL-local://sample-project/pulls/1}" >> "$BATON_OUTPUT"
