#!/usr/bin/env bash
# The project's main command: builds what the flow needs and runs it end to end
# on the bundled German credit data. Safe to run again: every step is idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake --preset default
cmake --build --preset default --target credit-data-summary credit-evaluate

echo "== 1. the data, read through the typed CSV reader"
build/bin/credit-data-summary --data dataset/german_credit_data.csv
echo
echo "== 2. fit the credit pipeline on a stratified 80/20 split (seed 42) and evaluate the holdout"
mkdir -p build/demo
build/bin/credit-evaluate --data dataset/german_credit_data.csv --test-size 0.2 --seed 42 --C 1.0 \
  --model-out build/demo/credit_model.json
