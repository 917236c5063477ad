#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "tests: N passed, N failed".
# Installs what the tests need that `dotnet test` cannot bring itself, when it is missing.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet SDK 10 is required: https://dot.net" >&2
  exit 1
fi

# The playground's browser test drives Debian's Chromium (browsers cannot be downloaded here);
# the emoji font only makes its screenshot show the cards' emoji instead of boxes.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser test…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) || echo "Chromium could not be installed; the browser test will fail" >&2
  else
    echo "Chromium is missing (/usr/bin/chromium): install Debian's chromium package for the browser test" >&2
  fi
fi

# The storage suite also runs on PostgreSQL: a throw-away cluster of Debian's postgresql-15 that the tests
# start themselves (initdb/pg_ctl in a temp folder), unless BOT_TEST_POSTGRES names a server to use instead.
if [ -z "${BOT_TEST_POSTGRES:-}" ] && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL 15 for the storage tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null) || echo "PostgreSQL 15 could not be installed; the PostgreSQL storage tests will fail" >&2
  else
    echo "PostgreSQL 15 is missing (/usr/lib/postgresql/15/bin/initdb): install Debian's postgresql-15, or set BOT_TEST_POSTGRES to a connection string" >&2
  fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

status=0
dotnet build Bot.sln --configuration Release || status=$?
if [ "$status" -eq 0 ]; then
  # The formatting the build does not enforce (whitespace, style): a drifted file fails the run, and the tests still run.
  if ! dotnet format Bot.sln --verify-no-changes --no-restore; then
    echo "dotnet format found files to fix: run 'dotnet format Bot.sln' and commit" >&2
    format_failed=1
  fi
  # One results folder per project: trx file names carry only a timestamp and would collide.
  for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --configuration Release --no-build --logger trx --results-directory "$results/$name" "$@" || status=$?
  done
  [ -z "${format_failed:-}" ] || status=1
fi

passed=0
failed=0
for trx in "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build or host failure: no test failed, but the run did; count it so it cannot pass unnoticed.
  failed=1
fi

echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
