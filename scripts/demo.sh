#!/usr/bin/env bash
# The project's main command: builds what the flow needs and runs the whole
# MLOps flow end to end on the bundled German credit data, with the embedded
# defaults, in the workspace ./mlops (or $CTML_WORKSPACE):
#
#   train -> approve -> register -> package -> deploy to test -> functional test
#   -> a sample prediction and its explanation -> batch scoring -> drift checks
#   -> the model report -> stop
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
  credit-package credit-deploy credit-serve credit-score credit-explain credit-drift credit-report

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
echo "== why: the same applicant, POST /explain on test (contributions in log-odds of good credit)"
curl -s -X POST "http://127.0.0.1:$port/explain" -H "Authorization: Bearer $(cat "$CTML_WORKSPACE/deployments/test.token")" \
  -H 'Content-Type: application/json' -d "$request" | /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)["explanations"][0]
base, logit, p_good = e["base_value"], e["logit"], e["p_good"]
print(f"base {base:+.3f} + contributions = logit {logit:+.3f}, p_good {p_good:.3f}")
for column, v in sorted(e["contributions"].items(), key=lambda kv: -abs(kv[1])):
    print(f"  {column:17s} {v:+.3f}")'

echo
echo "== batch scoring: every row of the data with credit@test, 2 threads"
scores=$CTML_WORKSPACE/scores.csv
$bin/credit-score --model credit@test --in $data --out "$scores" --threads 2
echo "$scores:"
head -4 "$scores"
echo "..."

echo
echo "== explanations of three applicants of the holdout, and global importance"
run_dir=$(/usr/bin/python3 -c 'import os, sys; d = sys.argv[1]; print(max((os.path.join(d, r) for r in os.listdir(d)), key=os.path.getmtime) + "/")' "$CTML_WORKSPACE/runs")
$bin/credit-explain --model credit@test --in "${run_dir}holdout.csv" --rows "$(sed -n 2p "${run_dir}holdout.csv" | cut -d, -f1),$(sed -n 3p "${run_dir}holdout.csv" | cut -d, -f1),$(sed -n 4p "${run_dir}holdout.csv" | cut -d, -f1)"

echo
echo "== drift: the training data against itself (stable, exit 0)"
$bin/credit-drift --model credit@test --in $data
echo
echo "== drift: a shifted batch, every Age + 20 and every Purpose \"car\" (flagged, exit 1)"
shifted=$CTML_WORKSPACE/shifted_batch.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $2 = $2 + 20; $10 = "car"; print }' $data > "$shifted"
set +e
$bin/credit-drift --model credit@test --in "$shifted"
drift_rc=$?
set -e
[ "$drift_rc" -eq 1 ] || { echo "expected credit-drift to flag the shifted batch (exit 1), got exit $drift_rc" >&2; exit 1; }

echo
echo "== the model report: model card and plots, with the shifted batch's drift"
report=$CTML_WORKSPACE/report.html
$bin/credit-report --model credit@test --in "$shifted" --out "$report"

echo
echo "== stop"
$bin/credit-deploy --stop --env test
echo
echo "workspace: $CTML_WORKSPACE (runs/, registry.db, artifacts/, packages/, deployments/)"
