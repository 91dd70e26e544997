#!/usr/bin/env bash
# The model report as people see it: train, approve and register a model in a
# temporary workspace, write the report with a shifted batch, and check it:
#   - the page is one self-contained file: every section of the model card,
#     the plots as inline SVG (5, plus one drift plot per column), no scripts,
#     nothing loaded from outside;
#   - headless Chromium loads it with no console message and no error, and its
#     screenshot is not blank (page_pixels.py counts the colours drawn);
#   - bad requests exit 2 with the reason and leave no file behind.
# Usage: report_page.sh BIN_DIR DATA_CSV
set -uo pipefail
bin=$1 data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CTML_WORKSPACE=$work/ws
unset CTML_REGISTRY
failures=0
# shellcheck source=../flow/flow_lib.sh
source "$here/../flow/flow_lib.sh"

run=$("$bin/credit-train" --data "$data" --json | json 'd["run_id"]') || fail "credit-train failed"
"$bin/credit-approve" --run "$run" --yes --approver report-test --comment "for the report" >/dev/null || fail "approve failed"
"$bin/credit-register" --run "$run" --name credit >/dev/null || fail "register failed"
shifted=$work/shifted.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $2 = $2 + 20; $10 = "car"; print }' "$data" >"$shifted"

echo "== the report"
page=$work/report.html
expect 0 "wrote .*credit:1, 14 plots" -- "$bin/credit-report" --model credit:1 --in "$shifted" --out "$page"
[ -s "$page" ] || fail "no report written"
for section in "Model details" "Intended use" "Training data" "Metrics" "Cost matrix" "Coefficients" \
  "Explanation: the sample applicant" "Data drift" "Caveats" "Lineage and approval" "approved by report-test"; do
  grep -q "$section" "$page" || fail "the report has no \"$section\""
done
svgs=$(grep -o "<svg" "$page" | wc -l)
[ "$svgs" -eq 14 ] || fail "expected 14 inline SVG plots, found $svgs"
grep -qi "<script" "$page" && fail "the report carries a script"
grep -Eqi "(src|href)=\"(https?:)?//" "$page" && fail "the report loads something from outside"
grep -q "Age: PSI" "$page" || fail "no drift plot for Age"
grep -q "<strong>Major drift</strong>" "$page" || fail "the shifted batch's major drift is not shown"
grep -Eq "Age: PSI [0-9.]+, major" "$page" || fail "Age is not shown drifting majorly"
grep -Eq "Sex: PSI [0-9.]+, stable" "$page" || fail "Sex is not shown stable"
# By run id, without a batch: the card and five plots.
expect 0 "5 plots" -- "$bin/credit-report" --run "$run" --out "$work/by_run.html"
[ "$(grep -o "<svg" "$work/by_run.html" | wc -l)" -eq 5 ] || fail "the report by run id should have 5 plots"

echo "== in headless Chromium"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  fail "chromium is not installed (scripts/install-deps.sh installs it)"
else
  shot=$work/report.png
  # --enable-logging=stderr --v=0 prints every console message and uncaught error as INFO:CONSOLE lines.
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
    --window-size=1100,2400 --screenshot="$shot" "file://$page" >"$work/chromium.out" 2>"$work/chromium.err"
  if grep -E "INFO:CONSOLE|Uncaught" "$work/chromium.err"; then fail "the page logged to the console"; fi
  # Chromium exits 0 even when it cannot load the page: the PNG is the proof.
  [ -s "$shot" ] || fail "chromium wrote no screenshot"
  [ -s "$shot" ] && { /usr/bin/python3 "$here/page_pixels.py" "$shot" || fail "the screenshot is blank"; }
  dom=$("$chromium" --headless --no-sandbox --disable-gpu --dump-dom "file://$page" 2>/dev/null)
  grep -q "<title>Model report: credit:1</title>" <<<"$dom" || fail "chromium did not load the page"
fi

echo "== a run that held nothing out"
run0=$("$bin/credit-train" --data "$data" --test-size 0 --json | json 'd["run_id"]') || fail "credit-train --test-size 0 failed"
expect 0 "2 plots" -- "$bin/credit-report" --run "$run0" --out "$work/no_holdout.html"
grep -q "held no rows out" "$work/no_holdout.html" || fail "the report does not say the run held nothing out"

echo "== bad requests"
expect 2 "exactly one of --run" -- "$bin/credit-report" --out "$work/none.html"
expect 2 "no such|not" -- "$bin/credit-report" --run 20990101-000000-nope --out "$work/none.html"
expect 2 "credit:9" -- "$bin/credit-report" --model credit:9 --out "$work/none.html"
expect 2 "absent.csv" -- "$bin/credit-report" --run "$run" --in "$work/absent.csv" --out "$work/none.html"
[ -e "$work/none.html" ] && fail "a failed report left a file behind"
# gnuplot missing: a clear message, not an empty page.
expect 2 "gnuplot is not installed" -- env PATH=/nonexistent "$bin/credit-report" --run "$run" --out "$work/none.html"
[ -e "$work/none.html" ] && fail "a failed report left a file behind"

[ "$failures" -eq 0 ] && echo "report: all checks passed"
exit $((failures > 0))
