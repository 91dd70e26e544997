#!/usr/bin/env bash
# Data-parallel fit under mpirun, against one process on the same file:
#   - on a generated 200,000-row file whose quoted line breaks straddle the
#     ranks' byte boundaries, 1, 2 and 4 ranks give the model one process
#     gives (every coefficient, scaler moment and training statistic within
#     1e-12, categories and counts exactly), the same split (holdout.csv byte
#     for byte, the same train/test counts), the same metrics (1e-12), and a
#     lineage that records the rank count;
#   - a bad row at a rank boundary stops every rank count with exit 2 and the
#     very message one process gives (the first bad row in the file, with the
#     file's line number), and no run is written.
# Usage: mpi_train.sh BIN_DIR DATA_CSV
set -uo pipefail
bin=$1 data=$2
# shellcheck source=mpi_lib.sh
source "$(dirname "$0")/mpi_lib.sh"

# 200,000 rows resampled from the data set (fixed seed), Credit amount jittered
# so rows are distinct; every 101st Purpose quoted; the rows within 3 KB of
# each quarter, third and half of the file have a Purpose with a quoted line
# break (a category of its own), so records straddle the ranks' boundaries.
/usr/bin/python3 - "$data" "$work/big.csv" <<'EOF'
import random, sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, newline="").read().splitlines()
header, rows = lines[0], [l.split(",") for l in lines[1:]]
rng = random.Random(13)
out = []
for n in range(200000):
    f = list(rng.choice(rows))
    f[0] = str(n)
    f[7] = str(int(f[7]) + rng.randint(-50, 50))
    if n % 101 == 0:
        f[9] = '"' + f[9] + '"'
    out.append(f)
sizes = [len(",".join(f)) + 1 for f in out]
total = sum(sizes) + len(header) + 1
targets = [total * k // d for d in (2, 3, 4) for k in range(1, d)]
offset = len(header) + 1
for f, size in zip(out, sizes):
    if any(abs(offset - t) < 3000 for t in targets):
        f[9] = '"' + f[9].strip('"') + '\nsecond line"'
    offset += size
open(dst, "w", newline="").write(header + "\n" + "".join(",".join(f) + "\n" for f in out))
EOF
[ "$(grep -c 'second line' "$work/big.csv")" -gt 100 ] || fail "the generated file has too few quoted line breaks"

# Compares two runs: model (lineage apart), metrics and split within 1e-12, holdout byte for byte.
compare_runs() {  # compare_runs RUN_DIR_ONE RUN_DIR_K RANKS
  cmp -s "$1/holdout.csv" "$2/holdout.csv" || { fail "$3 ranks: holdout.csv differs from one process"; return; }
  /usr/bin/python3 - "$1" "$2" "$3" <<'EOF' || fail "$3 ranks: the run differs from one process"
import json, sys
one, k, ranks = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(d, name): return json.load(open(f"{d}/{name}"))
def close(a, b, at):
    if isinstance(a, float) or isinstance(b, float):
        if abs(a - b) > 1e-12 * max(1.0, abs(a), abs(b)): sys.exit(f"{at}: {a!r} vs {b!r}")
    elif isinstance(a, dict):
        if a.keys() != b.keys(): sys.exit(f"{at}: keys {sorted(a)} vs {sorted(b)}")
        for key in a:
            if key != "gradient_max": close(a[key], b[key], f"{at}.{key}")
    elif isinstance(a, list):
        if len(a) != len(b): sys.exit(f"{at}: length {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)): close(x, y, f"{at}[{i}]")
    elif a != b: sys.exit(f"{at}: {a!r} vs {b!r}")
m1, mk = load(one, "model.json"), load(k, "model.json")
l1, lk = m1.pop("lineage"), mk.pop("lineage")
if lk.get("ranks") != str(ranks): sys.exit(f"lineage ranks {lk.get('ranks')!r}, wanted {ranks}")
for key in ("data_sha256", "rows", "seed", "test_size", "C"):
    if l1[key] != lk[key]: sys.exit(f"lineage {key}: {l1[key]} vs {lk[key]}")
close(m1, mk, "model")
close(load(one, "metrics.json"), load(k, "metrics.json"), "metrics")
r1, rk = load(one, "run.json"), load(k, "run.json")
if r1["split"] != rk["split"] or r1["data"]["rows"] != rk["data"]["rows"]: sys.exit("split or rows differ")
if rk["ranks"] != ranks: sys.exit(f"run.json ranks {rk['ranks']}")
if r1["solver"]["iterations"] != rk["solver"]["iterations"]: sys.exit("Newton iterations differ")
EOF
}

echo "== 1, 2 and 4 ranks: the model, split and metrics of one process"
one=$("$bin/credit-train" --data "$work/big.csv" --json | json 'd["run_dir"]') || { echo "FAIL: one process" >&2; exit 1; }
for ranks in 1 2 4; do
  out=$(mpirun -n "$ranks" "$bin/credit-train" --data "$work/big.csv" --json 2>"$work/k.err") ||
    { fail "$ranks ranks failed: $(cat "$work/k.err")"; continue; }
  [ "$(wc -l <<<"$out")" = 1 ] || fail "$ranks ranks: more than one report: $out"
  compare_runs "$one" "$(json 'd["run_dir"]' <<<"$out")" "$ranks"
done
runs_before=$(ls "$CTML_WORKSPACE/runs" | wc -l)

echo "== a bad row at a rank boundary: exit 2 and the message one process gives"
bytes=$(stat -c %s "$work/big.csv")
for spoil in "$((bytes / 2))" "$((bytes / 4)) $((3 * bytes / 4))" "$((3 * bytes / 4)) $((bytes / 4 + 500))"; do
  # Spoil the first plain record at or after each byte offset (Age "old"); the
  # first in the file must be the one reported, whichever rank reads it.
  /usr/bin/python3 - "$work/big.csv" "$work/bad.csv" $spoil <<'EOF'
import sys
src, dst, offsets = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
text = open(src, newline="").read()
for at in offsets:
    start = text.index("\n", at) + 1
    while '"' in text[start:text.index("\n", start)]:
        start = text.index("\n", start) + 1
    end = text.index("\n", start)
    f = text[start:end].split(",")
    f[1] = "old"
    text = text[:start] + ",".join(f) + text[end:]
open(dst, "w", newline="").write(text)
EOF
  "$bin/credit-train" --data "$work/bad.csv" 2>"$work/one.err" >/dev/null; rc1=$?
  [ "$rc1" = 2 ] || fail "one process on a bad row: exit $rc1"
  grep -q "Age" "$work/one.err" || fail "one process: the message does not name the column: $(cat "$work/one.err")"
  for ranks in 2 4; do
    mpirun -n "$ranks" "$bin/credit-train" --data "$work/bad.csv" >/dev/null 2>"$work/k.err"; rc=$?
    [ "$rc" = 2 ] || fail "$ranks ranks, bad row at byte $spoil: exit $rc (wanted 2)"
    [ "$(head -1 "$work/k.err")" = "$(cat "$work/one.err")" ] ||
      fail "$ranks ranks, bad row at byte $spoil: \"$(head -1 "$work/k.err")\" is not \"$(cat "$work/one.err")\""
  done
done
[ "$(ls "$CTML_WORKSPACE/runs" | wc -l)" = "$runs_before" ] || fail "a failed fit left a run behind"

echo "== a file no rank can fit on: one message, exit 2"
head -1 "$data" >"$work/empty.csv"
mpirun -n 2 "$bin/credit-train" --data "$work/empty.csv" >/dev/null 2>"$work/k.err"; rc=$?
[ "$rc" = 2 ] || fail "header only, 2 ranks: exit $rc"
grep -q "no data rows below the header" "$work/k.err" || fail "header only, 2 ranks: $(cat "$work/k.err")"
[ "$(grep -c "credit-train:" "$work/k.err")" = 1 ] || fail "header only, 2 ranks: more than one message: $(cat "$work/k.err")"

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "mpi training: all checks passed"
