#!/usr/bin/env bash
# The project's main command: builds what the flow needs and runs it end to end
# on the bundled German credit data -- train -> approve -> register -- in the
# workspace ./mlops (or $CTML_WORKSPACE). Safe to run again: each run adds a
# new training run and, once it passes the gates, the next model version.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target credit-data-summary credit-train credit-approve credit-register

bin=build/bin
data=dataset/german_credit_data.csv
export CTML_WORKSPACE=${CTML_WORKSPACE:-$PWD/mlops}
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "== 1. the data, read through the typed CSV reader"
$bin/credit-data-summary --data $data
echo
echo "== 2. train: stratified 80/20 split (seed 42), logistic regression C=1, evaluated on the holdout"
trained=$(mktemp)
trap 'rm -f "$trained"' EXIT
$bin/credit-train --data $data --test-size 0.2 --seed 42 --C 1.0 --json >"$trained"
run_id=$(json 'd["run_id"]' <"$trained")
json '"run %s\n  test accuracy %.4f  ROC AUC %.4f  F1 %.4f  expected cost %.4f\n  artifact %s" % (d["run_id"], d["metrics"]["test"]["accuracy"], d["metrics"]["test"]["roc_auc"], d["metrics"]["test"]["f1"], d["metrics"]["test"]["expected_cost"], d["artifact"])' <"$trained"
echo
echo "== 3. approve: automatic gates (ROC AUC >= 0.70, no regression against credit@champion), then the recorded decision"
$bin/credit-approve --run "$run_id" --min-auc 0.70 --max-regression 0.005 --yes --approver demo \
  --comment "scripts/demo.sh: gates passed"
echo
echo "== 4. register: the next version of \"credit\", stored content-addressed; it becomes the champion"
out=$($bin/credit-register --run "$run_id" --name credit --tag source=demo --json)
version=$(json 'd["version"]' <<<"$out")
echo "registered credit:$version (sha256 $(json 'd["sha256"]' <<<"$out"))"
$bin/credit-register --alias "credit:$version" champion --actor demo
echo
$bin/credit-register --list
echo
echo "workspace: $CTML_WORKSPACE (runs/, registry.db, artifacts/)"
