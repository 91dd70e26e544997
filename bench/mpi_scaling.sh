#!/usr/bin/env bash
# Fit and batch-scoring times for one process and 1, 2 and 4 MPI ranks on the
# same file, interleaved run by run so a noisy machine affects every column
# alike; prints the medians as a Markdown table (docs/scale-out.md).
#
#   bench/mpi_scaling.sh BUILD_DIR CSV [RUNS]     e.g. CSV = BUILD/bench-data/credit_1m.csv (ctml_bench_data)
#
# Wall time and peak RSS per rank come from /usr/bin/time; "in program" is
# what run.json records (credit-train) or what credit-score prints, so the
# difference is MPI's start-up and shut-down.
set -euo pipefail
build=$1 data=$2 runs=${3:-3}
bin=$build/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CTML_WORKSPACE=$work/ws
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

model=$("$bin/credit-train" --data "$data" --json | json 'd["artifact"]')
configs=(plain 1 2 4)
for ((run = 1; run <= runs; run++)); do
  for ranks in "${configs[@]}"; do
    launch=()
    [ "$ranks" = plain ] || launch=(mpirun -n "$ranks")
    /usr/bin/time -f "%e %M" -o "$work/time" "${launch[@]}" "$bin/credit-train" --data "$data" --json >"$work/out"
    total=$(json 'd["run_dir"]' <"$work/out")
    timings=$(json '" ".join(str(d["timings_ms"][k]) for k in ("read", "fit", "total"))' <"$total/run.json")
    echo "train $ranks $(cat "$work/time") $timings" >>"$work/results"
    /usr/bin/time -f "%e %M" -o "$work/time" "${launch[@]}" "$bin/credit-score" --model "$model" --in "$data" \
      --out "$work/scores-$ranks.csv" 2>"$work/err"
    seconds=$(grep -o "in [0-9.]* s" "$work/err" | head -1 | tr -dc '0-9.')
    echo "score $ranks $(cat "$work/time") $seconds" >>"$work/results"
  done
done
for ranks in 1 2 4; do cmp -s "$work/scores-plain.csv" "$work/scores-$ranks.csv" || echo "WARNING: $ranks ranks: scores differ"; done

/usr/bin/python3 - "$work/results" "$data" <<'EOF'
import os, statistics, subprocess, sys
rows = [line.split() for line in open(sys.argv[1])]
def med(job, ranks, col):
    values = [float(r[col]) for r in rows if r[0] == job and r[1] == ranks and r[col] != "-"]
    return statistics.median(values) if values else float("nan")
lines = sum(1 for _ in open(sys.argv[2])) - 1
print(f"{lines:,} rows, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; medians of {len(rows) // 8} runs\n")
print("| processes | train: read | fit | whole run | wall | peak RSS (largest rank) "
      "| score: in program | wall | peak RSS (largest rank) |")
print("|---|---|---|---|---|---|---|---|---|")
for ranks in ["plain", "1", "2", "4"]:
    name = "one process" if ranks == "plain" else f"mpirun -n {ranks}"
    print(f"| {name} | {med('train', ranks, 4) / 1000:.2f} s | {med('train', ranks, 5) / 1000:.2f} s | "
          f"{med('train', ranks, 6) / 1000:.2f} s | {med('train', ranks, 2):.2f} s | {med('train', ranks, 3) / 1024:.0f} MiB "
          f"| {med('score', ranks, 4):.2f} s | {med('score', ranks, 2):.2f} s | {med('score', ranks, 3) / 1024:.0f} MiB |")
EOF
