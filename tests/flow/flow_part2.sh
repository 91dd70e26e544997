#!/usr/bin/env bash
# The MLOps flow, part 2, end to end through the real programs, a real SQLite
# registry and real server processes in a temporary workspace:
#   two registered versions; packaging twice gives identical tarball bytes;
#   an edited or an added file is refused by credit-deploy naming it;
#   deploy v1 (with a token), run the functional collection against the
#   deployed service; deploy v2 while a client keeps calling the environment's
#   port (the switch: at most two resets, none after it); a package whose server never becomes ready fails, exit
#   1, v2 still serving and the attempt recorded; --status; --stop leaves no
#   process and no listener.
# Usage: flow_part2.sh BIN_DIR DATA_CSV FUNCTIONAL_DIR
set -uo pipefail
bin=$1 data=$2 functional=$3
work=$(mktemp -d)
export CTML_WORKSPACE=$work/ws
unset CTML_REGISTRY
cleanup() { "$bin/credit-deploy" --stop --env test >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
failures=0

# shellcheck source=flow_lib.sh
source "$(dirname "$0")/flow_lib.sh"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# A live process (a zombie waiting for init to reap it is not).
running() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [[ $state != Z* ]]; }
port_open() { /usr/bin/python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', $1)) == 0 else 1)"; }
score() {  # score PORT TOKEN: the seed's request; prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/score" -H "Authorization: Bearer $2" \
    -H 'Content-Type: application/json' \
    -d '{"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"], "Saving accounts": ["little"],
         "Checking account": ["little"], "Credit amount": [100], "Duration": [48], "Purpose": ["radio/TV"]}}'
}

echo "== two registered versions"
for seed in 42 7; do
  run=$("$bin/credit-train" --data "$data" --seed "$seed" --json | json 'd["run_id"]') || fail "credit-train failed"
  expect 0 "" -- "$bin/credit-approve" --run "$run" --yes --approver ci
  expect 0 "registered credit:" -- "$bin/credit-register" --run "$run" --name credit
done

echo "== package twice: identical bytes; refusals"
expect 0 "answered ready" -- "$bin/credit-package" --model credit:1 --out "$work/a"
expect 0 "answered ready" -- "$bin/credit-package" --model credit:1 --out "$work/b"
cmp -s "$work/a/credit-1.tar.gz" "$work/b/credit-1.tar.gz" || fail "packaging credit:1 twice gave different tarballs"
for f in bin/credit-serve model/model.json manifest.json openapi.json Dockerfile README.md; do
  [ -f "$work/a/credit-1/$f" ] || fail "the package lacks $f"
done
listing=$(tar -tzvf "$work/a/credit-1.tar.gz")
grep -q "credit-1/bin/credit-serve" <<<"$listing" || fail "the tarball lacks the server: $listing"
grep -Eq "root/root|0/0" <<<"$listing" || fail "tarball owners are not 0/0: $listing"
manifest=$work/a/credit-1/manifest.json
[ "$(json 'd["name"] + ":" + str(d["version"])' <"$manifest")" = credit:1 ] || fail "manifest name/version"
[ "$(json 'len(d["files"])' <"$manifest")" = 5 ] || fail "manifest does not list the five other files"
[ "$(json 'd["lineage"]["approval"]["approver"]' <"$manifest")" = ci ] || fail "manifest lacks the approval"
json 'd["metrics"]["holdout"]["roc_auc"] if "holdout" in d["metrics"] else d["metrics"]' <"$manifest" >/dev/null || fail "manifest lacks metrics"
grep -q "HEALTHCHECK.*/v2/health/ready" "$work/a/credit-1/Dockerfile" || fail "Dockerfile has no HEALTHCHECK"
grep -q "^USER ctml" "$work/a/credit-1/Dockerfile" || fail "Dockerfile does not drop root"
expect 0 "answered ready" -- "$bin/credit-package" --model credit:2 --out "$work/a"
expect 2 "packages registered versions" -- "$bin/credit-package" --model "$work/a/credit-1/model/model.json" --out "$work/c"
expect 2 "no registered model credit:9" -- "$bin/credit-package" --model credit:9 --out "$work/c"

port=$(free_port)
cp -r "$work/a/credit-1" "$work/edited"
echo "tampered" >>"$work/edited/README.md"
expect 1 "edited/README.md: changed since packaging" -- "$bin/credit-deploy" --package "$work/edited" --env test --port "$port"
cp -r "$work/a/credit-1" "$work/added"
echo "#!/bin/sh" >"$work/added/bin/helper"
expect 1 "added/bin/helper: not in the manifest" -- "$bin/credit-deploy" --package "$work/added" --env test --port "$port"
expect 2 "no such package" -- "$bin/credit-deploy" --package "$work/none.tar.gz" --env test --port "$port"
head -c 2000 "$work/a/credit-1.tar.gz" >"$work/cut.tar.gz"
expect 2 "cut.tar.gz" -- "$bin/credit-deploy" --package "$work/cut.tar.gz" --env test --port "$port"
ls -a "$CTML_WORKSPACE/deployments/test/releases" 2>/dev/null | grep -q incoming && fail "a failed unpack left its scratch directory"
expect 2 "is a lowercase name" -- "$bin/credit-deploy" --package "$work/a/credit-1.tar.gz" --env "Te st"

echo "== deploy v1 from the tarball, with a token; the functional collection against it"
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/token"
token=$(cat "$work/token")
expect 0 "credit:1 serving on http://127.0.0.1:$port" -- \
  "$bin/credit-deploy" --package "$work/a/credit-1.tar.gz" --env test --port "$port" --token-file "$work/token"
[ "$(score "$port" "$token")" = 200 ] || fail "the deployed v1 does not score"
"$functional/node_modules/.bin/newman" run "$functional/credit-service.postman_collection.json" --color off \
  --env-var "base=http://127.0.0.1:$port" --env-var "token=$token" --env-var "model=credit" >"$work/newman.txt" 2>&1 ||
  fail "the functional collection failed against the deployed service:"$'\n'"$(cat "$work/newman.txt")"
status=$("$bin/credit-deploy" --status --env test --json)
[ "$(json 'd["deployment"]["version"]' <<<"$status")" = 1 ] || fail "status after v1: $status"
pid1=$(json 'd["deployment"]["pid"]' <<<"$status")

echo "== deploy v2 while a client keeps calling the environment's port"
: >"$work/during.txt"
( while [ ! -f "$work/stop-client" ]; do echo "$(score "$port" "$token")" >>"$work/during.txt"; done ) &
client=$!
expect 0 "credit:2 serving on http://127.0.0.1:$port .*replacing credit:1" -- \
  "$bin/credit-deploy" --package "$work/a/credit-2" --env test --token-file "$work/token"
echo switched >>"$work/during.txt"
sleep 0.5
touch "$work/stop-client"
wait "$client"
during=$(sed '/^switched$/q' "$work/during.txt" | grep -v '^switched$' | grep .)
after=$(sed '1,/^switched$/d' "$work/during.txt" | grep .)
calls=$(grep -c . <<<"$during")
bad=$(grep -vc '^200$' <<<"$during")
echo "   $calls calls during the switch, $bad not 200; $(grep -c . <<<"$after") after it"
[ "$calls" -ge 2 ] || fail "the client made only $calls calls during the switch"
# A connection still queued on the old version's listener when it closes is
# reset by Linux (docs/mlops-flow.md, "Known limit of the switch"): allow one or
# two of those, never more, and none once the switch is done.
[ "$bad" -le 2 ] || fail "$bad of $calls calls failed during the switch: $(sort <<<"$during" | uniq -c | tr '\n' ' ')"
[ -z "$(grep -v '^200$' <<<"$after")" ] || fail "calls failed after the switch: $(sort <<<"$after" | uniq -c | tr '\n' ' ')"
running "$pid1" && fail "v1 (pid $pid1) still runs after the switch"
status=$("$bin/credit-deploy" --status --env test --json)
[ "$(json 'd["deployment"]["version"]' <<<"$status")" = 2 ] || fail "status after v2: $status"
[ "$(json 'd["deployment"]["port"]' <<<"$status")" = "$port" ] || fail "v2 is not on the environment's port: $status"
show=$("$bin/credit-register" --show credit:2 --json)
grep -q '"test"' <<<"$show" || fail "the test alias does not point at credit:2: $show"

echo "== a package whose server never becomes ready: refused, v2 still serving"
cp -r "$work/a/credit-2" "$work/broken"
printf '#!/bin/sh\nexec sleep 600\n' >"$work/broken/bin/credit-serve"
/usr/bin/python3 - "$work/broken" <<'EOF'
import hashlib, json, sys
root = sys.argv[1]
m = json.load(open(root + "/manifest.json"))
for f in m["files"]:
    f["sha256"] = hashlib.sha256(open(root + "/" + f["path"], "rb").read()).hexdigest()
json.dump(m, open(root + "/manifest.json", "w"), indent=2)
EOF
expect 1 "did not become ready within .*credit:2 is still serving" -- \
  "$bin/credit-deploy" --package "$work/broken" --env test --token-file "$work/token" --ready-timeout 2
[ "$(score "$port" "$token")" = 200 ] || fail "v2 stopped answering after the failed deployment"
expect 0 "credit:2 .*serving, ready" -- "$bin/credit-deploy" --status --env test
pgrep -fx "sleep 600" >/dev/null && fail "the broken server was left running"
history=$(sqlite3 "$CTML_WORKSPACE/registry.db" "SELECT version || ' ' || status FROM deployments WHERE environment = 'test' ORDER BY id")
[ "$history" = "1 replaced"$'\n'"2 serving"$'\n'"2 failed" ] || fail "deployment history: $history"

echo "== stop: no process, no listener"
pid2=$(json 'd["deployment"]["pid"]' <<<"$status")
private=$(json 'd["deployment"]["private_port"]' <<<"$status")
expect 0 "stopped credit:2 .*nothing listens on port $port" -- "$bin/credit-deploy" --stop --env test
running "$pid2" && fail "v2 (pid $pid2) still runs after --stop"
port_open "$port" && fail "something still listens on $port"
port_open "$private" && fail "something still listens on $private"
expect 1 "nothing deployed" -- "$bin/credit-deploy" --status --env test
expect 0 "nothing to stop" -- "$bin/credit-deploy" --stop --env test

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "flow part 2: all checks passed"
