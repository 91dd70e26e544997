#!/usr/bin/env bash
# The seed's functional test, run by newman against a real credit-serve: trains
# a model in a temporary workspace, starts the service on a free loopback port
# with a bearer token, runs credit-service.postman_collection.json, stops the
# service. Exit 0 when every check passes.
# Usage: run_functional.sh BIN_DIR DATA_CSV
set -euo pipefail
bin=$1 data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
[ -x "$here/node_modules/.bin/newman" ] || { echo "newman is not installed: run scripts/install-deps.sh" >&2; exit 1; }

artifact=$("$bin/credit-train" --workspace "$work/ws" --data "$data" --json |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["artifact"])')
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/token"
"$bin/credit-serve" --model "$artifact" --port 0 --token-file "$work/token" 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.05; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2)
[ -n "$port" ] || { cat "$work/serve.log" >&2; exit 1; }

"$here/node_modules/.bin/newman" run "$here/credit-service.postman_collection.json" --color off \
  --env-var "base=http://127.0.0.1:$port" --env-var "token=$(cat "$work/token")" --env-var "model=model"
