#!/usr/bin/env bash
# The release pipeline, run locally: the same stages, programs and flags as
# .github/workflows/release.yml, in order, stopping at the first failure.
#
#   train -> approve (the manual gate) -> register -> package -> deploy to test -> functional tests
#
# Usage: scripts/release.sh [--yes --approver NAME] [--data CSV] [--port N] [--out DIR]
#   --yes --approver NAME   approve without asking (automation); otherwise the gate asks on the terminal
#   --data CSV              training data (default: the bundled German credit data)
#   --port N                the test environment's port (default: its current port, else 8080, else a free one)
#   --out DIR               where packages go (default: WORKSPACE/packages)
# The workspace is $CTML_WORKSPACE (default ./mlops); the programs must be built
# (scripts/demo.sh builds them). The test deployment is left serving; stop it
# with: build/bin/credit-deploy --stop --env test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

yes=() approver=() data=dataset/german_credit_data.csv port= out=
while [ $# -gt 0 ]; do
  case $1 in
    --yes) yes=(--yes); shift ;;
    --approver) approver=(--approver "$2"); shift 2 ;;
    --data) data=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bin=build/bin
export CTML_WORKSPACE=${CTML_WORKSPACE:-$PWD/mlops}
out=${out:-$CTML_WORKSPACE/packages}
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
stage() { echo; echo "== release: $*"; }
for program in credit-train credit-approve credit-register credit-package credit-deploy credit-serve; do
  [ -x "$bin/$program" ] || { echo "release.sh: $bin/$program is not built (run scripts/demo.sh or cmake --build --preset default)" >&2; exit 2; }
done

stage "1/6 train: stratified 80/20 split (seed 42), logistic regression C=1, evaluated on the holdout"
trained=$("$bin/credit-train" --data "$data" --test-size 0.2 --seed 42 --C 1.0 --json)
run_id=$(json 'd["run_id"]' <<<"$trained")
json '"run %s: test accuracy %.4f, ROC AUC %.4f, F1 %.4f, expected cost %.4f" % (d["run_id"], d["metrics"]["test"]["accuracy"], d["metrics"]["test"]["roc_auc"], d["metrics"]["test"]["f1"], d["metrics"]["test"]["expected_cost"])' <<<"$trained"

stage "2/6 approve: automatic gates (ROC AUC >= 0.70, no regression against credit@champion), then the manual gate"
"$bin/credit-approve" --run "$run_id" --min-auc 0.70 --max-regression 0.005 "${yes[@]}" "${approver[@]}" \
  --comment "scripts/release.sh"

stage "3/6 register: the next version of credit, content-addressed; it becomes the champion"
registered=$("$bin/credit-register" --run "$run_id" --name credit --tag source=release --json)
version=$(json 'd["version"]' <<<"$registered")
echo "registered credit:$version (sha256 $(json 'd["sha256"]' <<<"$registered"))"
"$bin/credit-register" --alias "credit:$version" champion --actor release

stage "4/6 package credit:$version"
"$bin/credit-package" --model "credit:$version" --out "$out"

stage "5/6 deploy credit:$version to test, smoke-tested before it takes the environment's port"
deploy_port=()
if [ -n "$port" ]; then
  deploy_port=(--port "$port")
elif ! "$bin/credit-deploy" --status --env test >/dev/null 2>&1; then
  # Nothing serves test yet: 8080 if it is free, else any free port.
  port=$(/usr/bin/python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a just-stopped service leaves TIME_WAIT behind
try:
    s.bind(("127.0.0.1", 8080))
except OSError:
    s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
  deploy_port=(--port "$port")
fi
token_file=$CTML_WORKSPACE/deployments/test.token
if [ ! -s "$token_file" ]; then
  mkdir -p "$(dirname "$token_file")"
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$token_file")
fi
"$bin/credit-deploy" --package "$out/credit-$version.tar.gz" --env test "${deploy_port[@]}" --token-file "$token_file" \
  --actor release
port=$("$bin/credit-deploy" --status --env test --json | json 'd["deployment"]["port"]')

stage "6/6 functional tests (newman) against the deployed service on port $port"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if ! tests/functional/node_modules/.bin/newman run tests/functional/credit-service.postman_collection.json --color off \
  --env-var "base=http://127.0.0.1:$port" --env-var "token=$(cat "$token_file")" --env-var "model=credit" >"$report" 2>&1; then
  cat "$report" >&2
  echo "release.sh: the functional tests failed against test" >&2
  exit 1
fi
awk -F'│' '/│ +(requests|assertions) +│/ { gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4);
  printf "  %s: %s run, %s failed\n", $2, $3, $4 }' "$report"
echo
echo "released credit:$version to test: http://127.0.0.1:$port (token in $token_file)"
