#!/usr/bin/python3
"""The release pipeline as YAML, checked against the programs it calls.

Both workflow files parse as YAML; ci.yml runs on push; release.yml runs only
when started by hand, its stages come in the seed's order with the approval
job behind an environment (the manual gate) and the package uploaded; and
every credit-* program that the workflows, scripts/release.sh and
scripts/demo.sh call exists in BIN_DIR and takes every flag they pass it
(checked against its --help).

Usage: check_pipelines.py SOURCE_DIR BIN_DIR
"""
import re
import subprocess
import sys
from pathlib import Path

import yaml

source, bin_dir = Path(sys.argv[1]), Path(sys.argv[2])
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def triggers(workflow):
    # YAML 1.1 reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


ci = load(source / ".github/workflows/ci.yml")
release = load(source / ".github/workflows/release.yml")

if "push" not in (triggers(ci) or {}):
    fail("ci.yml does not run on push")
if not any(".ci/run" in str(step.get("run", "")) for job in ci["jobs"].values() for step in job["steps"]):
    fail("ci.yml does not call .ci/run")

if set(triggers(release) or {}) != {"workflow_dispatch"}:
    fail(f"release.yml must start by hand only (workflow_dispatch), not {triggers(release)}")
jobs = release["jobs"]
stages = ["train", "approve", "register", "package", "deploy-test", "functional-tests"]
for stage in stages:
    if stage not in jobs:
        fail(f"release.yml has no {stage} job")


def needs(job):
    n = jobs.get(job, {}).get("needs", [])
    return [n] if isinstance(n, str) else n


def before(job):
    seen, todo = set(), list(needs(job))
    while todo:
        j = todo.pop()
        if j not in seen:
            seen.add(j)
            todo.extend(needs(j))
    return seen


for earlier, later in zip(stages, stages[1:]):
    if earlier not in before(later):
        fail(f"release.yml: {later} does not wait for {earlier}")
if jobs.get("approve", {}).get("environment") is None:
    fail("release.yml: the approve job has no environment (the manual gate)")
if not any("upload-artifact" in str(step.get("uses", "")) for step in jobs.get("package", {}).get("steps", [])):
    fail("release.yml: the package job does not upload the package")

# Every call of a credit-* program, with its flags.
commands = []
for name, job in jobs.items():
    for step in job.get("steps", []):
        if "run" in step:
            commands.append((f"release.yml:{name}", step["run"]))
for job in ci["jobs"].values():
    for step in job["steps"]:
        if "run" in step:
            commands.append(("ci.yml", step["run"]))
for script in ["scripts/release.sh", "scripts/demo.sh"]:
    commands.append((script, (source / script).read_text()))

call = re.compile(r'(?:build/bin/|\$bin/|"\$bin/)(credit-[a-z-]+)"?((?:[^|;&>\n]|&(?!&))*)')
help_flags = {}
calls = 0
for where, text in commands:
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for program, rest in call.findall(line):
            if program == "credit-":
                continue
            path = bin_dir / program
            if not path.exists():
                fail(f"{where}: calls {program}, which is not built in {bin_dir}")
                continue
            if program not in help_flags:
                out = subprocess.run([str(path), "--help"], capture_output=True, text=True)
                help_flags[program] = set(re.findall(r"--[a-z][a-z0-9-]*", out.stdout + out.stderr))
            calls += 1
            for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", rest):
                if flag not in help_flags[program]:
                    fail(f"{where}: {program} has no flag {flag}")

if calls < 20:
    fail(f"found only {calls} program calls: the pattern no longer matches how they are written")
if failures:
    sys.exit(1)
print(f"pipelines: {calls} program calls checked against {len(help_flags)} programs' --help")
