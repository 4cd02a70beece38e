#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs packages,
# builds with AddressSanitizer and UndefinedBehaviorSanitizer, starts a
# throwaway PostgreSQL, runs every test with CTest, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# ccache keys on paths relative to the checkout, so clones share one cache.
export CCACHE_BASEDIR=$PWD

build=build/test
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSAGAFLOW_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"

pg_dir=$(mktemp -d /tmp/sagaflow-test-pg.XXXXXX)
cleanup() { bash scripts/test-postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"; }
trap cleanup EXIT
DATABASE_URL=$(bash scripts/test-postgres.sh start "$pg_dir")
export SAGAFLOW_TEST_DATABASE_URL=$DATABASE_URL
export SAGAFLOW_TEST_PG_DIR=$pg_dir
# Known leaks inside libpq/libpqxx only; see the file.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"

ctest --test-dir "$build" --output-on-failure --timeout 1200 "$@"
