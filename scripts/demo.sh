#!/usr/bin/env bash
# The project's main command: builds what the flow needs and runs the whole
# MLOps flow end to end on the bundled German credit data, with the embedded
# defaults, in the workspace ./mlops (or $CTML_WORKSPACE):
#
#   train -> approve -> register -> package -> deploy to test -> functional test
#   -> a sample prediction -> batch scoring -> stop
#
# The stages up to the functional test are scripts/release.sh's (the same
# stages the YAML release pipeline runs), approved here with --yes --approver
# demo. Safe to run again: each run adds a training run, the next model
# version and its package, and switches test over to it. It leaves nothing
# running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target credit-data-summary credit-train credit-approve credit-register \
  credit-package credit-deploy credit-serve credit-score

bin=build/bin
data=dataset/german_credit_data.csv
export CTML_WORKSPACE=${CTML_WORKSPACE:-$PWD/mlops}
# Whatever happens, the test deployment does not outlive the demo.
trap '"$bin/credit-deploy" --stop --env test >/dev/null 2>&1 || true' EXIT

echo "== the data, read through the typed CSV reader"
$bin/credit-data-summary --data $data

bash scripts/release.sh --yes --approver demo --data "$data"

port=$($bin/credit-deploy --status --env test --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["deployment"]["port"])')
echo
echo "== a sample prediction: the seed's applicant, POST /score on test"
request='{"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"], "Saving accounts": ["little"], "Checking account": ["little"], "Credit amount": [100], "Duration": [48], "Purpose": ["radio/TV"]}}'
echo "request:  $request"
echo "response: $(curl -s -X POST "http://127.0.0.1:$port/score" -H "Authorization: Bearer $(cat "$CTML_WORKSPACE/deployments/test.token")" \
  -H 'Content-Type: application/json' -d "$request")"

echo
echo "== batch scoring: every row of the data with credit@test, 2 threads"
scores=$CTML_WORKSPACE/scores.csv
$bin/credit-score --model credit@test --in $data --out "$scores" --threads 2
echo "$scores:"
head -4 "$scores"
echo "..."

echo
echo "== stop"
$bin/credit-deploy --stop --env test
echo
echo "workspace: $CTML_WORKSPACE (runs/, registry.db, artifacts/, packages/, deployments/)"
