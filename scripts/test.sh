#!/usr/bin/env bash
# Builds and runs every test twice: a release build, then under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

for preset in default sanitize; do
  echo "== $preset: configure, build, test" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done

# The parsers that read untrusted bytes, fuzzed for a short bounded time
# (libFuzzer needs clang). Seeds are committed under fuzz/corpus/; the
# working corpus lives in the build tree so runs never dirty the checkout.
echo "== fuzz: CSV reader and artifact loader, ${CTML_FUZZ_SECONDS:=30} s each" >&2
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCTML_BUILD_FUZZERS=ON \
  -DCTML_BUILD_TESTS=OFF -DCTML_BUILD_EXAMPLES=OFF -DCTML_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j2 --target csv_reader_fuzz artifact_loader_fuzz
for target in csv_reader:csv artifact_loader:artifact; do
  name=${target%%:*} seeds=${target##*:}
  mkdir -p "build-fuzz/corpus/$name"
  build-fuzz/bin/${name}_fuzz -max_total_time="$CTML_FUZZ_SECONDS" -max_len=20000 \
    "build-fuzz/corpus/$name" "fuzz/corpus/$seeds" 2>"build-fuzz/$name.log" ||
    { tail -40 "build-fuzz/$name.log" >&2; echo "fuzz: $name found a problem" >&2; exit 1; }
  tail -1 "build-fuzz/$name.log" >&2
done
