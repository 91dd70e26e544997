#!/usr/bin/env bash
# Partitioned batch scoring under mpirun, against one process on the same file:
#   - 1, 2, 3 and 4 ranks write output byte-identical to one process, on a
#     file with quoted fields, quoted line breaks (rows that become rejects),
#     CRLF line ends and rows of every length;
#   - with --rejects, the rejects file is byte-identical too;
#   - without --rejects, a bad row stops every rank count with exit 2 and the
#     very message one process gives (the first bad row, with the file's line
#     number), whichever rank it falls to, and no output file is left;
#   - stdin/stdout with several ranks is refused with exit 2.
# Usage: mpi_score.sh BIN_DIR DATA_CSV
set -uo pipefail
bin=$1 data=$2
# shellcheck source=mpi_lib.sh
source "$(dirname "$0")/mpi_lib.sh"

run=$("$bin/credit-train" --data "$data" --json | json 'd["run_id"]') || { echo "FAIL: credit-train" >&2; exit 1; }
model=$CTML_WORKSPACE/runs/$run/model.json

# 30 copies of the data set with distinct Sno: every 97th Purpose quoted, every
# 1013th with a quoted line break (an unknown category: a reject), every 89th
# line ending in CRLF.
/usr/bin/python3 - "$data" "$work/tricky.csv" <<'EOF'
import sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, newline="").read().splitlines()
header, rows = lines[0], lines[1:]
out = [header + "\n"]
n = 0
for copy in range(30):
    for row in rows:
        f = row.split(",")
        f[0] = str(n)
        if n % 97 == 0:
            f[9] = '"' + f[9] + '"'
        if n % 1013 == 0:
            f[9] = '"radio\n""TV"""'
        out.append(",".join(f) + ("\r\n" if n % 89 == 0 else "\n"))
        n += 1
open(dst, "w", newline="").write("".join(out))
EOF

echo "== 1..4 ranks: the same bytes as one process, rejects included"
"$bin/credit-score" --model "$model" --in "$work/tricky.csv" --out "$work/one.csv" --rejects "$work/one-rejects.csv" 2>/dev/null ||
  fail "one process failed"
[ "$(wc -l <"$work/one-rejects.csv")" -gt 20 ] || fail "the generated file has too few rejects"
for ranks in 1 2 3 4; do
  mpirun -n "$ranks" "$bin/credit-score" --model "$model" --in "$work/tricky.csv" --out "$work/k.csv" \
    --rejects "$work/k-rejects.csv" 2>"$work/k.err" || { fail "$ranks ranks failed: $(cat "$work/k.err")"; continue; }
  cmp -s "$work/one.csv" "$work/k.csv" || fail "$ranks ranks: output differs from one process"
  cmp -s "$work/one-rejects.csv" "$work/k-rejects.csv" || fail "$ranks ranks: rejects differ from one process"
  grep -q "rows scored" "$work/k.err" || fail "$ranks ranks: no summary: $(cat "$work/k.err")"
  [ "$(grep -c "rows scored" "$work/k.err")" = 1 ] || fail "$ranks ranks: more than one summary line"
  ls "$work" | grep -q "\.part-" && fail "$ranks ranks: part files left behind: $(ls "$work")"
done

echo "== a bad row: exit 2 and the message one process gives, wherever the row falls"
lines=$(wc -l <"$work/tricky.csv")
for at in 3 $((lines / 4 + 1)) $((lines / 2)) $((lines / 2 + 1)) $((3 * lines / 4)) $((lines - 1)); do
  # Spoil the first plain record from physical line $at on (Age "old"), and one 40 lines later (Sex "robot").
  /usr/bin/python3 - "$work/tricky.csv" "$work/bad2.csv" "$at" <<'EOF'
import sys
src, dst, at = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, newline="").read().splitlines(keepends=True)
def spoil(start, column, value):
    for i in range(start - 1, len(lines)):
        f = lines[i].rstrip("\r\n").split(",")
        if len(f) == 11 and f[0].isdigit() and '"' not in lines[i]:
            f[column] = value
            lines[i] = ",".join(f) + lines[i][len(lines[i].rstrip("\r\n")):]
            return
spoil(at, 1, "old")
spoil(min(at + 40, len(lines)), 2, "robot")
open(dst, "w", newline="").write("".join(lines))
EOF
  "$bin/credit-score" --model "$model" --in "$work/bad2.csv" --out "$work/bad-one.csv" 2>"$work/one.err"; rc1=$?
  [ "$rc1" = 2 ] || fail "one process on a bad row: exit $rc1"
  for ranks in 2 4; do
    mpirun -n "$ranks" "$bin/credit-score" --model "$model" --in "$work/bad2.csv" --out "$work/bad-k.csv" \
      >/dev/null 2>"$work/k.err"; rc=$?
    [ "$rc" = 2 ] || fail "$ranks ranks, bad row at line $at: exit $rc (wanted 2)"
    [ "$(head -1 "$work/k.err")" = "$(cat "$work/one.err")" ] ||
      fail "$ranks ranks, bad row at line $at: \"$(head -1 "$work/k.err")\" is not \"$(cat "$work/one.err")\""
    [ ! -e "$work/bad-k.csv" ] || fail "$ranks ranks: an output file was left after a failure"
    ls "$work" | grep -q "\.part-" && fail "$ranks ranks: part files left behind after a failure"
  done
done

echo "== stdin or stdout with several ranks is refused"
out=$(mpirun -n 2 "$bin/credit-score" --model "$model" --in - --out "$work/x.csv" <"$work/tricky.csv" 2>&1); rc=$?
[ "$rc" = 2 ] || fail "--in - with 2 ranks: exit $rc"
grep -q "must be files" <<<"$out" || fail "--in - with 2 ranks: $out"
expect 0 "" -- "$bin/credit-score" --model "$model" --in "$work/tricky.csv" --out - --rejects "$work/r.csv"

if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "mpi scoring: all checks passed"
