#!/usr/bin/env bash
# npm test: the type check runs beside mocha (its files in two workers), so the suite's wall time is
# about mocha's rather than the sum. Each one's output is printed whole, in a fixed order; the exit
# code is non-zero when either failed. The lint (npm run lint) is a step of its own in CI: on two cores
# a third process beside these pushed the suite past a minute.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf -- "$out"' EXIT

npx --no-install tsc --noEmit >"$out/typecheck" 2>&1 &
typecheck=$!
npx --no-install mocha --parallel --jobs 2 "tests/**/*.test.ts" >"$out/mocha" 2>&1
mocha=$?
wait "$typecheck"; typecheck=$?

status=0
for step in typecheck mocha; do
    code=${!step}
    printf '\n> %s (exit %s)\n' "$step" "$code"
    cat -- "$out/$step"
    ((code == 0)) || status=1
done
exit "$status"
