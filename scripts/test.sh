#!/usr/bin/env bash
# npm test: the type check and the lint run beside mocha (each is one process on one core), so the
# suite's wall time is the longest of the three rather than their sum. Each one's output is printed
# whole, in a fixed order; the exit code is non-zero when any of them failed.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf -- "$out"' EXIT

npx --no-install tsc --noEmit >"$out/typecheck" 2>&1 &
typecheck=$!
npx --no-install eslint . >"$out/lint" 2>&1 &
lint=$!
npx --no-install mocha --parallel --jobs 2 "tests/**/*.test.ts" >"$out/mocha" 2>&1
mocha=$?
wait "$typecheck"; typecheck=$?
wait "$lint"; lint=$?

status=0
for step in typecheck lint mocha; do
    code=${!step}
    printf '\n> %s (exit %s)\n' "$step" "$code"
    cat -- "$out/$step"
    ((code == 0)) || status=1
done
exit "$status"
