# Helpers the flow tests share; source it after setting `failures=0`.
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect CODE PATTERN -- COMMAND...: runs COMMAND, checks its exit code and that stderr+stdout match PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  [ "$rc" -eq "$code" ] || { fail "exit $rc (wanted $code): $*"$'\n'"$out"; return; }
  [ -z "$pattern" ] || grep -Eq -- "$pattern" <<<"$out" || fail "output of '$*' lacks /$pattern/:"$'\n'"$out"
}
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
