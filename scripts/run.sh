#!/usr/bin/env bash
# Runs sagaflow on a fresh Debian 12 machine: installs packages, builds in
# release mode, validates the shipped workflows and serves them on the
# embedded PostgreSQL (data in ./.sagaflow) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSAGAFLOW_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

bin=build/release/sagaflow
"$bin" validate workflows/*.yaml
export SAGAFLOW_TOKENS=${SAGAFLOW_TOKENS:-"demo:admin:demo-admin-token"}
echo "sagaflow: serving on http://${SAGAFLOW_LISTEN:-127.0.0.1:8080} (token: demo-admin-token)"
exec "$bin" serve
