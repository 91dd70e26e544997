#!/usr/bin/env bash
# The MLOps flow, part 1, end to end through the real programs and a real
# SQLite registry in a temporary workspace:
#   train; register refused before approval (exit 1); approve; register -> 1;
#   a second run -> 2; alias moves recorded and listed; eight registrations
#   started at once as eight processes get versions 1..8 with no gap or
#   duplicate; a tampered artifact, a failed gate, bad --data files and bad
#   registry files are refused with the documented exit codes and reasons.
# Usage: flow_part1.sh BIN_DIR DATA_CSV
set -uo pipefail
bin=$1 data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CTML_WORKSPACE=$work/ws
unset CTML_REGISTRY
failures=0

# shellcheck source=flow_lib.sh
source "$(dirname "$0")/flow_lib.sh"
train() { "$bin/credit-train" --data "$data" --json "$@" | json 'd["run_id"]'; }

echo "== train, then register before approval"
run1=$(train) || fail "credit-train failed"
[ -f "$CTML_WORKSPACE/runs/$run1/model.json" ] || fail "no model.json in the run"
for f in metrics.json run.json holdout.csv; do [ -f "$CTML_WORKSPACE/runs/$run1/$f" ] || fail "no $f in the run"; done
expect 1 "not approved" -- "$bin/credit-register" --run "$run1" --name credit
expect 0 "approved by ci" -- "$bin/credit-approve" --run "$run1" --yes --approver ci --comment "first model"
out=$("$bin/credit-register" --run "$run1" --name credit --tag stage=demo --json) || fail "register failed"
[ "$(json 'd["version"]' <<<"$out")" = 1 ] || fail "first registration is not version 1: $out"
sha=$(json 'd["sha256"]' <<<"$out")
[ -f "$CTML_WORKSPACE/artifacts/$sha.json" ] || fail "artifact not stored content-addressed"
[ ! -w "$CTML_WORKSPACE/artifacts/$sha.json" ] || [ "$(id -u)" -eq 0 ] || fail "stored artifact is writable"
[ "$(stat -c %a "$CTML_WORKSPACE/artifacts/$sha.json")" = 444 ] || fail "stored artifact is not read-only"
expect 1 "already registered as credit:1" -- "$bin/credit-register" --run "$run1" --name credit

echo "== a second run becomes version 2; aliases move with an audit trail"
run2=$(train --seed 7)
expect 0 "" -- "$bin/credit-approve" --run "$run2" --yes --approver ci
expect 0 "registered credit:2" -- "$bin/credit-register" --run "$run2" --name credit
expect 0 "credit@champion: \(new\) -> 1" -- "$bin/credit-register" --alias credit:1 champion --actor alice
expect 0 "credit@champion: 1 -> 2" -- "$bin/credit-register" --alias credit:2 champion --actor bob
expect 2 "no registered model credit:9" -- "$bin/credit-register" --alias credit:9 champion
expect 2 "is not an alias name" -- "$bin/credit-register" --alias credit:1 "two words"
expect 2 "--tag expects KEY=VALUE" -- "$bin/credit-register" --run "$run2" --name credit --tag novalue
expect 2 "nothing to do" -- "$bin/credit-register"
out=$("$bin/credit-register" --show credit --json)
[ "$(json 'len(d["alias_history"])' <<<"$out")" = 2 ] || fail "alias history: $out"
[ "$(json 'd["alias_history"][1]["from_version"]' <<<"$out")" = 1 ] || fail "alias history lacks the old version: $out"
[ "$(json 'd["alias_history"][1]["moved_by"]' <<<"$out")" = bob ] || fail "alias history lacks who: $out"
[ "$(json 'd["approval"]["approver"]' <<<"$out")" = ci ] || fail "lineage lacks the approval: $out"
expect 0 "credit +2 .*champion" -- "$bin/credit-register" --list
out=$("$bin/credit-register" --list --json)
[ "$(json 'len(d)' <<<"$out")" = 2 ] || fail "--list --json: $out"

echo "== the champion gate: a run no worse than the champion on its own holdout passes"
run3=$(train --seed 7 --C 1.0)
expect 0 "champion_regression +pass" -- "$bin/credit-approve" --run "$run3" --yes --approver ci
run4=$(train --C 0.0001)
expect 1 "gate champion_regression +FAIL" -- "$bin/credit-approve" --run "$run4" --yes --approver ci --max-regression 0
out=$("$bin/credit-approve" --run "$run4" --yes --approver ci --max-regression 0 --min-auc 0.99 --json 2>/dev/null)
[ "$(json 'd["decision"]' <<<"$out")" = rejected ] || fail "gate failure not recorded as rejected: $out"
expect 1 "rejected" -- "$bin/credit-register" --run "$run4" --name credit
expect 2 "in automation pass --yes --approver NAME" -- "$bin/credit-approve" --run "$run3" </dev/null
expect 2 "--yes needs --approver" -- "$bin/credit-approve" --run "$run4" --yes

echo "== on a terminal, credit-approve asks for the approver, a comment and the decision"
run6=$(train --seed 7)
answer() { (sleep 0.5; printf '%s\r' "$@") | script -qec "$bin/credit-approve --run $run6" /dev/null; }
out=$(answer alice "" n); rc=$?
[ "$rc" -eq 1 ] && grep -q "rejected by alice" <<<"$out" || fail "a 'no' on the terminal was not a rejection (exit $rc): $out"
out=$(answer alice "fine by me" y); rc=$?
[ "$rc" -eq 0 ] && grep -q "approved by alice" <<<"$out" || fail "a 'yes' on the terminal was not an approval (exit $rc): $out"
[ "$("$bin/credit-register" --run "$run6" --name credit --json | json 'd["version"]')" = 3 ] || fail "terminal-approved run not registered as 3"

echo "== a tampered run artifact is refused"
run5=$(train --seed 7)  # the champion's split: the champion gate compares like with like
expect 0 "" -- "$bin/credit-approve" --run "$run5" --yes --approver ci
printf " " >>"$CTML_WORKSPACE/runs/$run5/model.json"  # one byte more: still valid JSON, another hash
expect 1 "altered since training" -- "$bin/credit-register" --run "$run5" --name credit
expect 1 "gate artifact_integrity +FAIL" -- "$bin/credit-approve" --run "$run5" --yes --approver ci

echo "== bad --data files exit 2 naming the problem"
: >"$work/empty.csv"
expect 2 "empty.csv: empty file" -- "$bin/credit-train" --data "$work/empty.csv"
expect 2 "missing.csv: cannot open file" -- "$bin/credit-train" --data "$work/missing.csv"
printf 'Sno,Age\n1,2\n' >"$work/short.csv"
expect 2 "short.csv:1: column \"Sex\": missing from the header" -- "$bin/credit-train" --data "$work/short.csv"
{ head -1 "$data"; sed -n 2p "$data" | sed 's/,male,/,male,oops,/'; } >"$work/ragged.csv"
expect 2 "ragged.csv:2: .*expected 11 fields, found 12" -- "$bin/credit-train" --data "$work/ragged.csv"
{ head -1 "$data"; sed -n 2p "$data" | awk -F, 'BEGIN{OFS=","} {$2="old"; print}'; } >"$work/word.csv"
expect 2 "word.csv:2: column \"Age\": expected an integer, found \"old\"" -- "$bin/credit-train" --data "$work/word.csv"
{ head -1 "$data"; sed -n 2p "$data" | sed 's/,good$/,maybe/'; sed -n 3p "$data"; } >"$work/three-classes.csv"
expect 2 "must hold the two classes \"bad\" and \"good\"" -- "$bin/credit-train" --data "$work/three-classes.csv"
head -1 "$data" >"$work/header-only.csv"
expect 2 "no data rows" -- "$bin/credit-train" --data "$work/header-only.csv"

echo "== a registry that is not a database, or from a newer schema, is refused and left untouched"
mkdir -p "$work/notdb" && echo "not a database at all, just text" >"$work/notdb/registry.db"
before=$(sha256sum "$work/notdb/registry.db")
expect 2 "not an SQLite database" -- "$bin/credit-register" --list --workspace "$work/notdb"
[ "$(sha256sum "$work/notdb/registry.db")" = "$before" ] || fail "a non-database registry file was changed"
mkdir -p "$work/newer" && cp "$CTML_WORKSPACE/registry.db" "$work/newer/registry.db"
sqlite3 "$work/newer/registry.db" "PRAGMA user_version = 99" || fail "sqlite3 could not set user_version"
before=$(sha256sum "$work/newer/registry.db")
expect 2 "schema version 99, newer than this build knows" -- "$bin/credit-register" --list --workspace "$work/newer"
[ "$(sha256sum "$work/newer/registry.db")" = "$before" ] || fail "a newer-schema registry was changed"

echo "== eight registrations at once, as eight processes: versions 1..8, no gap, no duplicate"
export CTML_WORKSPACE=$work/concurrent
runs=()
for i in 1 2 3 4 5 6 7 8; do
  r=$(train --seed "$i") && "$bin/credit-approve" --run "$r" --yes --approver ci --min-auc 0.5 >/dev/null 2>&1 || fail "run $i"
  runs+=("$r")
done
pids=()
for r in "${runs[@]}"; do
  "$bin/credit-register" --run "$r" --name racer --json >"$work/reg-$r.json" 2>"$work/reg-$r.err" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent registration failed"; done
versions=$(for r in "${runs[@]}"; do json 'd["version"]' <"$work/reg-$r.json"; done | sort -n | tr '\n' ' ')
[ "$versions" = "1 2 3 4 5 6 7 8 " ] || { fail "versions were: $versions"; cat "$work"/reg-*.err >&2; }

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "flow part 1: all checks passed"
