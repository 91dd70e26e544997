#!/usr/bin/env bash
# The MLOps flow, part 1, through the real programs against the team registry
# on a real PostgreSQL server (started by ctest: fixture "postgresql"):
#   train -> register refused before approval -> approve -> register 1, 2 ->
#   aliases with their audit trail -> score by NAME@ALIAS; eight registrations
#   started at once as eight processes on an empty database get versions
#   1..8; a wrong password or an unreachable server exits 2 with a clear
#   message that does not show the password. The artifacts stay in the
#   workspace directory, content-addressed; no SQLite file is created.
# Usage: postgresql_flow.sh BIN_DIR DATA_CSV STATE_FILE
set -uo pipefail
bin=$1 data=$2 state=$3
# shellcheck disable=SC1090
source "$state" || { echo "FAIL: no server state in $state (did postgresql.start run?)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CTML_WORKSPACE=$work/ws
failures=0
# shellcheck source=../flow/flow_lib.sh
source "$(dirname "$0")/../flow/flow_lib.sh"
train() { "$bin/credit-train" --data "$data" --json "$@" | json 'd["run_id"]'; }
psql_admin() { PGOPTIONS="-c client_min_messages=warning" "$CTML_PG_BIN/psql" -q -v ON_ERROR_STOP=1 "$CTML_PG_URL" "$@" >/dev/null; }
fresh_database() {
  psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" || fail "cannot create database $1"
  echo "${CTML_PG_URL%/*}/$1"
}

echo "== train, approve, register and alias against PostgreSQL"
export CTML_REGISTRY
CTML_REGISTRY=$(fresh_database flow)
run1=$(train) || fail "credit-train failed"
expect 1 "not approved" -- "$bin/credit-register" --run "$run1" --name credit
expect 0 "approved by ci" -- "$bin/credit-approve" --run "$run1" --yes --approver ci --comment "first model"
out=$("$bin/credit-register" --run "$run1" --name credit --json) || fail "register failed"
[ "$(json 'd["version"]' <<<"$out")" = 1 ] || fail "first registration is not version 1: $out"
sha=$(json 'd["sha256"]' <<<"$out")
[ -f "$CTML_WORKSPACE/artifacts/$sha.json" ] || fail "artifact not stored content-addressed in the workspace"
expect 1 "already registered as credit:1" -- "$bin/credit-register" --run "$run1" --name credit
run2=$(train --seed 7)
expect 0 "" -- "$bin/credit-approve" --run "$run2" --yes --approver ci
expect 0 "registered credit:2" -- "$bin/credit-register" --run "$run2" --name credit
expect 0 "credit@champion: \(new\) -> 1" -- "$bin/credit-register" --alias credit:1 champion --actor alice
expect 0 "credit@champion: 1 -> 2" -- "$bin/credit-register" --alias credit:2 champion --actor bob
out=$("$bin/credit-register" --show credit --json)
[ "$(json 'len(d["alias_history"])' <<<"$out")" = 2 ] || fail "alias history: $out"
[ "$(json 'd["alias_history"][1]["moved_by"]' <<<"$out")" = bob ] || fail "alias history lacks who: $out"
[ "$(json 'd["approval"]["approver"]' <<<"$out")" = ci ] || fail "lineage lacks the approval: $out"
expect 0 "credit +2 .*champion" -- "$bin/credit-register" --list
head -21 "$data" >"$work/twenty.csv"
expect 0 "" -- "$bin/credit-score" --model credit@champion --in "$work/twenty.csv" --out "$work/scores.csv"
[ "$(wc -l <"$work/scores.csv")" = 21 ] || fail "credit-score by alias through PostgreSQL wrote $(wc -l <"$work/scores.csv") lines"
"$CTML_PG_BIN/psql" -At "$CTML_REGISTRY" -c "SELECT name || ':' || version || ' ' || sha256 FROM model_versions ORDER BY version" \
  >"$work/rows.txt" || fail "psql could not read the registry"
grep -q "^credit:1 $sha$" "$work/rows.txt" || fail "the database lacks credit:1 with its SHA-256: $(cat "$work/rows.txt")"
[ ! -e "$CTML_WORKSPACE/registry.db" ] || fail "an SQLite registry was created next to the PostgreSQL one"

echo "== eight registrations at once, as eight processes, on an empty database: versions 1..8"
runs=()
for i in 1 2 3 4 5 6 7 8; do
  r=$(train --seed "$i") || fail "run $i"
  runs+=("$r")
done
# A fresh database: the eight approvals, started at once, also race to create the schema.
racers=$(fresh_database racers)
pids=()
for r in "${runs[@]}"; do
  CTML_REGISTRY=$racers "$bin/credit-approve" --run "$r" --yes --approver ci --min-auc 0.5 >"$work/approve-$r.out" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent approval failed: $(cat "$work"/approve-*.out)"; done
pids=()
for r in "${runs[@]}"; do
  CTML_REGISTRY=$racers "$bin/credit-register" --run "$r" --name racer --json >"$work/reg-$r.json" 2>"$work/reg-$r.err" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent registration failed"; done
versions=$(for r in "${runs[@]}"; do json 'd["version"]' <"$work/reg-$r.json"; done | sort -n | tr '\n' ' ')
[ "$versions" = "1 2 3 4 5 6 7 8 " ] || { fail "versions were: $versions"; cat "$work"/reg-*.err >&2; }
echo "   versions: $versions"

echo "== a wrong password or an unreachable server: exit 2, a clear message, no password shown"
wrong=${CTML_PG_URL/:ctml-test-secret@/:not-the-password@}
out=$("$bin/credit-register" --list --registry "$wrong" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "wrong password: exit $rc (wanted 2): $out"
grep -q "password authentication failed" <<<"$out" || fail "wrong password: message lacks the reason: $out"
grep -q "not-the-password" <<<"$out" && fail "the message shows the password: $out"
expect 2 "postgresql://ctml@127.0.0.1:1/ctml: cannot connect to the registry" -- \
  "$bin/credit-register" --list --registry "postgresql://ctml:x@127.0.0.1:1/ctml"
CTML_REGISTRY="postgresql://ctml:x@127.0.0.1:1/ctml" expect 2 "cannot connect to the registry" -- \
  "$bin/credit-approve" --run "$run1" --yes --approver ci

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "postgresql flow: all checks passed"
