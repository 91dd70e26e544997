#!/usr/bin/python3
"""ctml and scikit-learn side by side, in one run, on the same files.

Runs, in this order, on this machine:
  1. ctml_bench_data (once): the shared data files, under BUILD/bench-data
  2. ctml_bench (Google Benchmark, 5 repetitions, medians)
  3. bench/peers/sklearn_credit.py (scikit-learn + pandas, medians)
  4. credit-score (all cores, then one thread) on the 1,000,000-row CSV and the peer's same task, each under
     /usr/bin/time (wall time and peak RSS), 3 runs each, alternating
  5. wrk -t2 -c32 -d10s against credit-serve, POST /score with one row, then
     against bench/httplib_ceiling.cpp (cpp-httplib alone, a fixed answer)
  6. the compile time and memory of the credit programs' translation units (-O2)
and prints a Markdown table: each task's median for both, the ratio, peak
memory, machine, compiler and load average. Writes it to BUILD/bench-compare.md.

Usage: bench/compare.py [BUILD_DIR] [--v3 BUILD_V3_DIR]
  BUILD_DIR: the portable release build (default: build, the default preset).
  --v3: also run ctml_bench from an x86-64-v3 build (cmake --preset x86-64-v3; AVX2, FMA) right after the
        portable one, and give its medians and ratios in two more columns.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

source = Path(__file__).resolve().parent.parent
arguments = argparse.ArgumentParser(description="ctml and scikit-learn side by side")
arguments.add_argument("build", nargs="?", default=str(source / "build"))
arguments.add_argument("--v3", help="an x86-64-v3 build directory whose ctml_bench runs too")
options = arguments.parse_args()
build = Path(options.build)
v3_build = Path(options.v3) if options.v3 else None
bin_dir = build / "bin"
data_dir = build / "bench-data"


def run(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw)


def timed_process(args, env=None):
    """Wall seconds and peak RSS (MiB) of one run, from /usr/bin/time."""
    out = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + args, text=True, capture_output=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr}")
    m = re.search(r"TIME ([0-9.]+) ([0-9]+)", out.stderr)
    return float(m.group(1)), int(m.group(2)) / 1024


def load_average():
    return open("/proc/loadavg").read().split()[:3]


started_load = load_average()
for program in ["ctml_bench", "ctml_bench_data", "credit-score", "credit-serve", "credit-train"]:
    if not (bin_dir / program).exists():
        raise SystemExit(f"{bin_dir / program} is not built: cmake --build --preset default")

# 1. data
if not (data_dir / "credit_1m.csv").exists():
    print("writing the shared data files ...", file=sys.stderr)
    run([str(bin_dir / "ctml_bench_data"), str(data_dir)])

# 2. ctml
env = dict(os.environ, CTML_BENCH_DATA=str(data_dir))


def google_benchmark(binary):
    out = run([str(binary), "--benchmark_format=json", "--benchmark_repetitions=5",
               "--benchmark_report_aggregates_only=true"], env=env)
    medians = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
            medians[re.sub(r"/iterations:[0-9]+$", "", b["run_name"])] = b["real_time"] * unit
    return medians


print("ctml_bench ...", file=sys.stderr)
ctml = google_benchmark(bin_dir / "ctml_bench")
ctml_v3 = None
if v3_build:
    if not (v3_build / "bin/ctml_bench").exists():
        raise SystemExit(f"{v3_build / 'bin/ctml_bench'} is not built: cmake --build --preset x86-64-v3 --target ctml_bench")
    print("ctml_bench, x86-64-v3 build ...", file=sys.stderr)
    ctml_v3 = google_benchmark(v3_build / "bin/ctml_bench")

# 3. the peer
print("scikit-learn peer ...", file=sys.stderr)
peer = json.loads(run(["/usr/bin/python3", str(source / "bench/peers/sklearn_credit.py"), str(data_dir), "5"]).stdout)

# 4. the credit-score path, and the peer's, as processes
print("credit-score vs pandas + scikit-learn on the 1M-row file ...", file=sys.stderr)
work = Path(tempfile.mkdtemp())
try:
    trained = json.loads(run([str(bin_dir / "credit-train"), "--workspace", str(work / "ws"), "--data",
                              str(data_dir / "credit_1000.csv"), "--test-size", "0", "--json"]).stdout)
    model = trained["artifact"]
    score_runs, score_one_thread_runs, peer_runs = [], [], []
    score_command = [str(bin_dir / "credit-score"), "--model", model, "--in", str(data_dir / "credit_1m.csv"), "--out",
                     str(work / "scores.csv")]
    for _ in range(3):
        score_runs.append(timed_process(score_command))  # the default: all cores
        score_one_thread_runs.append(timed_process(score_command + ["--threads", "1"]))
        peer_runs.append(timed_process(["/usr/bin/python3", str(source / "bench/peers/sklearn_credit.py"),
                                        str(data_dir), "1", "csv_1m_rows_to_scores"]))

    # 5. the service under wrk, then the HTTP layer alone (bench/httplib_ceiling.cpp) the same way
    print("wrk against credit-serve ...", file=sys.stderr)
    wrk = shutil.which("wrk")
    (work / "post.lua").write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"], '
        '"Saving accounts": ["little"], "Checking account": ["little"], "Credit amount": [100], '
        '"Duration": [48], "Purpose": ["radio/TV"]}}\'\n')

    def under_wrk(command, log_name):
        log_path = work / log_name
        with open(log_path, "w") as log:
            server = subprocess.Popen(command, stderr=log)
        try:
            port = None
            for _ in range(200):
                m = re.search(r"127\.0\.0\.1:([0-9]+)", log_path.read_text())
                if m:
                    port = int(m.group(1))
                    break
                time.sleep(0.05)
            text = run([wrk, "-t2", "-c32", "-d10s", "--latency", "-s", str(work / "post.lua"),
                        f"http://127.0.0.1:{port}/score"]).stdout
        finally:
            server.terminate()
            server.wait()
        rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))

        def percentile(name):
            m = re.search(rf"\s{name}%\s+([0-9.]+)(us|ms|s)", text)
            return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

        return (rps, percentile("50"), percentile("99"), "non-2xx" in text)

    http = ceiling = None
    if wrk:
        http = under_wrk([str(bin_dir / "credit-serve"), "--model", model, "--port", "0"], "serve.log")
        flags = run(["pkg-config", "--cflags", "--libs", "cpp-httplib"]).stdout.split()
        run(["c++", "-O2", "-std=c++20", str(Path(__file__).resolve().parent / "httplib_ceiling.cpp"),
             "-o", str(work / "httplib_ceiling"), *flags, "-pthread"])
        ceiling = under_wrk([str(work / "httplib_ceiling")], "ceiling.log")

    # 6. compile time and memory of the programs' translation units, at -O2 as the target is stated:
    # credit-score and credit-train as built (they link credit_model, where the model's fit, save and
    # load are instantiated once), that library's two units (the fit; save and load), and save_load.cpp,
    # which fits, saves, loads and scores all in one file.
    compile_units = [("credit-score", "credit/score.cpp", "credit-score: loads, streams, scores"),
                     ("credit-train", "credit/train.cpp", "credit-train: reads, fits, evaluates, saves"),
                     ("credit_model", "credit/credit_model.cpp",
                      "credit_model: the model's fit, compiled once for every program"),
                     ("credit_model", "credit/credit_artifact.cpp",
                      "credit_model: the model's save and load, compiled once for every program"),
                     ("save_load", "save_load.cpp", "save_load: fits, saves, loads, scores, all in one file")]
    compile_runs = {}
    for target, source, _ in compile_units:
        print(f"compiling {source} ...", file=sys.stderr)
        command = run(["ninja", "-C", str(build), "-t", "commands",
                       f"examples/CMakeFiles/{target}.dir/{source}.o"]).stdout.strip().splitlines()[-1]
        command = re.sub(r" -MD -MT \S+ -MF \S+", "", command)
        command = re.sub(r" -o \S+", f" -o {work / 'unit.o'}", command)
        command = re.sub(r" -O3 ", " -O2 ", command)
        compile_runs[source] = [timed_process(["bash", "-c", f"cd {build} && {command}"]) for _ in range(2)]
finally:
    shutil.rmtree(work, ignore_errors=True)

# The table.
def fmt(seconds):
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def ratio(ours, theirs):
    return f"{theirs / ours:,.0f}×" if ours and theirs and theirs / ours >= 10 else (
        f"{theirs / ours:.2f}×" if ours and theirs else "—")


# (what, ctml_bench's name, the peer's value, target)
rows = [
    ("fit, 800 rows", "fit_800_rows", peer.get("fit_800_rows"), "≥ 100×"),
    ("fit, 1,000,000 rows", "fit_1m_rows", peer.get("fit_1m_rows"), "≥ 30×"),
    ("one record → predict_proba, learned categories", "one_record_learned_categories_features_only",
     peer.get("one_record"), "≥ 10,000×, ≤ 1.5× hand-written"),
    ("one record, declared categories", "one_record_declared_categories", peer.get("one_record"), "—"),
    ("one record, hand-written scorer (reference)", "one_record_hand_written", None, "—"),
    ("1,000-row frame → predict_proba", "frame_1000_rows", peer.get("frame_1000_rows"), "—"),
    ("1,000,000 rows in memory → predict_proba", "in_memory_1m_rows", peer.get("in_memory_1m_rows"),
     "≥ 100×, ≤ 1.5× hand-written"),
    ("1,000,000 rows in memory, hand-written loop (reference)", "in_memory_1m_rows_hand_written", None, "—"),
    ("1,000,000-row CSV → frame", "csv_1m_rows_to_frame", peer.get("csv_1m_rows_to_frame"), "—"),
    ("one `POST /score` body → response body (parse, score, serialize; no network)",
     "post_score_body_to_response", None, "—"),
]
score_s = statistics.median(t for t, _ in score_runs)
score_mb = max(m for _, m in score_runs)
score_one_s = statistics.median(t for t, _ in score_one_thread_runs)
score_one_mb = max(m for _, m in score_one_thread_runs)
peer_s = statistics.median(t for t, _ in peer_runs)
peer_mb = max(m for _, m in peer_runs)

lines = []
v3_header = " ctml, x86-64-v3 build | its ratio |" if ctml_v3 else ""
v3_blank = " — | — |" if ctml_v3 else ""
lines.append(f"| work | ctml | scikit-learn | ratio |{v3_header} target |")
lines.append("|---|---|---|---|" + ("---|---|" if ctml_v3 else "") + "---|")
for name, key, theirs, target in rows:
    ours = ctml.get(key)
    v3 = f" {fmt(ctml_v3.get(key))} | {ratio(ctml_v3.get(key), theirs)} |" if ctml_v3 else ""
    lines.append(f"| {name} | {fmt(ours)} | {fmt(theirs)} | {ratio(ours, theirs)} |{v3} {target} |")
lines.append(f"| 1,000,000-row CSV → scores CSV (`credit-score`, default threads: all {os.cpu_count()} cores; "
             f"the peer: pandas read, predict, write) | "
             f"{score_s:.2f} s, {score_mb:.0f} MiB peak | {peer_s:.2f} s, {peer_mb:.0f} MiB peak "
             f"(process, Python start included) | {ratio(score_s, peer_s)} |{v3_blank} ≥ 20×, ≤ 32 MiB |")
lines.append(f"| the same, `credit-score --threads 1` | {score_one_s:.2f} s, {score_one_mb:.0f} MiB peak | "
             f"{peer_s:.2f} s | {ratio(score_one_s, peer_s)} |{v3_blank} — |")
if http:
    lines.append(f"| `POST /score`, one row, `wrk -t2 -c32 -d10s` | {http[0]:,.0f} req/s, p50 {http[1]:.2f} ms, "
                 f"p99 {http[2]:.2f} ms{' (non-2xx seen)' if http[3] else ''} | — | — |{v3_blank} ≥ 50,000 req/s, p99 ≤ 5 ms |")
    lines.append(f"| the same against cpp-httplib alone (`bench/httplib_ceiling.cpp`: a fixed body, no work; reference) | "
                 f"{ceiling[0]:,.0f} req/s, p50 {ceiling[1]:.2f} ms, p99 {ceiling[2]:.2f} ms | — | — |{v3_blank} — |")
else:
    lines.append(f"| `POST /score`, one row | wrk not installed | — | — |{v3_blank} ≥ 50,000 req/s, p99 ≤ 5 ms |")
for _, source, what in compile_units:
    best_compile = min(compile_runs[source])
    lines.append(f"| compile `examples/{source}` ({what}; -O2), best of 2 | "
                 f"{best_compile[0]:.1f} s, {best_compile[1]:.0f} MiB | — | — |{v3_blank} ≤ 8 s, ≤ 500 MB |")

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
compiler = run(["c++", "--version"]).stdout.splitlines()[0]
lines.append("")
lines.append(f"Machine: {os.cpu_count()} vCPU ({cpu}), {compiler}; scikit-learn {peer['versions']['scikit-learn']}, "
             f"pandas {peer['versions']['pandas']}, NumPy {peer['versions']['numpy']}. "
             f"Load average {' '.join(started_load)} at the start, {' '.join(load_average())} at the end. "
             f"Medians of 5 repetitions (Google Benchmark for ctml, time.perf_counter for the peer; the 1M-row "
             f"peer tasks 3), processes 3 runs each, alternating."
             + (" The x86-64-v3 columns: the same ctml_bench built with -march=x86-64-v3 (AVX2, FMA), run right "
                "after the portable one." if ctml_v3 else ""))
table = "\n".join(lines)
(build / "bench-compare.md").write_text(table + "\n")
print(table)
