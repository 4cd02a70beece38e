#!/usr/bin/env bash
# Runs sagaflow on a fresh Debian 12 machine: installs packages, builds in
# release mode, starts the local stand-ins for Scalekit, Salesforce, Stripe
# and Workday, serves the shipped workflows on the embedded PostgreSQL (data
# in ./.sagaflow), runs two customer onboardings — one completes, one fails
# at the Stripe step and is rolled back — prints both histories, and keeps
# serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# ccache keys on paths relative to the checkout, so clones share one cache.
export CCACHE_BASEDIR=$PWD
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DSAGAFLOW_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target sagaflow sagaflow-standin

bin=build/release/sagaflow
"$bin" validate workflows/*.yaml

standin_port=${SAGAFLOW_STANDIN_PORT:-8099}
standin=http://127.0.0.1:$standin_port
export SAGAFLOW_LISTEN=${SAGAFLOW_LISTEN:-127.0.0.1:8080}
export SAGAFLOW_TOKENS=${SAGAFLOW_TOKENS:-"demo:admin:demo-admin-token"}
export SAGAFLOW_TOKEN=demo-admin-token SAGAFLOW_URL=http://$SAGAFLOW_LISTEN
# Every vendor connection points at the stand-in (see examples/standin/README.md).
export SAGAFLOW_SCALEKIT_URL=$standin SAGAFLOW_SCALEKIT_CLIENT_ID=skc_standin SAGAFLOW_SCALEKIT_CLIENT_SECRET=standin-secret
export SAGAFLOW_SALESFORCE_URL=$standin SAGAFLOW_SALESFORCE_CLIENT_ID=sf_standin SAGAFLOW_SALESFORCE_CLIENT_SECRET=standin-secret
export SAGAFLOW_STRIPE_URL=$standin SAGAFLOW_STRIPE_API_KEY=sk_test_standin
export SAGAFLOW_WORKDAY_URL=$standin SAGAFLOW_WORKDAY_TENANT=acme SAGAFLOW_WORKDAY_CLIENT_ID=wd_standin
export SAGAFLOW_WORKDAY_CLIENT_SECRET=standin-secret SAGAFLOW_WORKDAY_REFRESH_TOKEN=standin-refresh-token
export SAGAFLOW_FEATURES_URL=$standin/features SAGAFLOW_NOTIFICATIONS_URL=$standin/hooks

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

build/release/sagaflow-standin --listen "127.0.0.1:$standin_port" &
pids+=($!)
"$bin" serve &
pids+=($!)

echo "sagaflow: waiting until ready…"
for _ in $(seq 1 300); do
  curl -sf "http://$SAGAFLOW_LISTEN/readyz" >/dev/null && curl -sf "$standin/_control/health" >/dev/null && break
  sleep 0.2
done
curl -sf "http://$SAGAFLOW_LISTEN/readyz" >/dev/null || { echo "sagaflow did not become ready" >&2; exit 1; }
curl -sf -X POST "$standin/_control/reset" >/dev/null

# Waits for a run to finish and prints it with its history.
show() {
  local id=$1 status=""
  for _ in $(seq 1 300); do
    status=$("$bin" runs show "$id" --json | sed -n 's/^  "status": "\(.*\)",$/\1/p')
    case "$status" in completed|compensated|cancelled|stuck|paused) break ;; esac
    sleep 0.2
  done
  "$bin" runs show "$id"
  echo
  "$bin" runs history "$id"
  echo
}

echo
echo "== Onboarding Acme Corp: every step succeeds =="
acme=$(printf '%s' '{"company_name": "Acme Corp", "admin_email": "ada@acme.example",
  "admin_first_name": "Ada", "admin_last_name": "Lovelace", "plan_type": "pro",
  "stripe_customer_id": "cus_demo001", "salesforce_account_id": "001000000000001AAA"}' |
  "$bin" start customer_onboarding --input -)
show "$acme"

echo "== Onboarding Globex: Stripe refuses the metadata update, so everything is undone =="
curl -sf -X POST "$standin/_control/faults" -H 'Content-Type: application/json' \
  -d '{"system": "stripe", "method": "POST", "path": "/v1/customers/*", "times": -1,
       "status": 400, "error_code": "parameter_invalid_string",
       "message": "demo: this customer cannot be updated"}' >/dev/null
globex=$(printf '%s' '{"company_name": "Globex", "admin_email": "hank@globex.example",
  "stripe_customer_id": "cus_demo002", "salesforce_account_id": "001000000000002AAA"}' |
  "$bin" start customer_onboarding --input -)
show "$globex"
curl -sf -X DELETE "$standin/_control/faults" >/dev/null

cat <<MSG
sagaflow is serving on http://$SAGAFLOW_LISTEN (admin token: demo-admin-token)
  runs:        $bin runs list            (SAGAFLOW_TOKEN and SAGAFLOW_URL are set in this shell only)
  API:         curl -H 'Authorization: Bearer demo-admin-token' http://$SAGAFLOW_LISTEN/v1/runs
  OpenAPI:     http://$SAGAFLOW_LISTEN/openapi.json
  metrics:     http://$SAGAFLOW_LISTEN/metrics
  stand-ins:   $standin/_control/state
Press Ctrl-C to stop.
MSG
wait "${pids[1]}"
