#!/usr/bin/env bash
# Runs the sample project's tests. Flaky on purpose: the first attempt of each run fails, so the
# workflow's retry policy is exercised (BATON_ATTEMPT is 1 on the first attempt).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BATON_ATTEMPT:-1}" = "1" ] && [ -z "${NO_FLAKE:-}" ]; then
  echo "tests: flaky network test failed on attempt 1 (this is expected; the step retries)" >&2
  exit 1
fi
node --test src/ 2>&1
