#!/usr/bin/env python3
"""Counts the findings of an accuracy run and draws the seeded stratified sample.

Reads RESULTS/json/<owner>+<name>.json (paved's `--format json`, one file per repository)
and RESULTS/runs.tsv (written by bench/accuracy.sh), prints the findings per repository and
per rule, and writes the review worksheet RESULTS/sample.md and RESULTS/sample.tsv.

The sample (docs/accuracy.md, "Method"): SIZE findings in all, at most PER_RULE per rule.
Every rule gets the same share, rules with fewer findings give their unused share to the
others. Within a rule the findings are drawn at random with SEED from the findings sorted by
(path, line, column, message), so the same findings and the same seed give the same sample.

With --classes FILE (default bench/accuracy/baseline-classes.tsv when it exists), it also
says for each class of the last hand review how many of its findings are still reported and
how many findings are new (not in that review): the review's classes are matched by
repository path, line and rule, so this holds only for checkouts at the listed commits.

Usage: report.py RESULTS_DIR CHECKOUTS_DIR [--seed N] [--size N] [--per-rule N] [--classes FILE]
"""

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path


def load_findings(results: Path):
    findings = []
    for path in sorted((results / "json").glob("*.json")):
        repo = path.stem
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError) as err:
            print(f"warning: {path}: not a JSON report ({err}); skipped", file=sys.stderr)
            continue
        for diag in report.get("diagnostics", []):
            diag["repo"] = repo
            findings.append(diag)
    return findings


def sort_key(finding):
    return (finding["repo"], finding["path"], finding["line"], finding["column"],
            finding["rule"], finding["message"])


def quotas(counts: dict, size: int, per_rule: int) -> dict:
    """Equal shares, capped at per_rule and at what a rule has (water-filling).

    A share that does not divide evenly goes to the rules with the most findings first."""
    quota = {rule: 0 for rule in counts}
    left = size
    by_size = sorted(counts, key=lambda rule: (-counts[rule], rule))
    while left > 0:
        open_rules = [r for r in by_size if quota[r] < min(per_rule, counts[r])]
        if not open_rules:
            break
        for rule in open_rules:
            if left == 0:
                break
            quota[rule] += 1
            left -= 1
    return quota


def draw_sample(findings, seed: int, size: int, per_rule: int):
    by_rule = defaultdict(list)
    for finding in sorted(findings, key=sort_key):
        by_rule[finding["rule"]].append(finding)
    quota = quotas({r: len(f) for r, f in by_rule.items()}, size, per_rule)
    sample = []
    for rule in sorted(by_rule):
        rng = random.Random(f"{seed}:{rule}")
        sample.extend(sorted(rng.sample(by_rule[rule], quota[rule]), key=sort_key))
    return sample


def source_line(checkouts: Path, finding) -> str:
    try:
        lines = (checkouts / finding["path"]).read_text(errors="replace").splitlines()
        text = lines[finding["line"] - 1].strip()
    except (OSError, IndexError):
        return ""
    return text if len(text) <= 140 else text[:137] + "..."


def print_counts(findings, runs):
    per_repo = Counter(f["repo"] for f in findings)
    print("\n## Findings per repository\n")
    print(f"{'repository':40} {'findings':>8} {'wall s':>7} {'cpu s':>7} {'peak MiB':>8} {'exit':>4}")
    for run in runs:
        repo = run["repo"]
        peak = run.get("peak_kib", "-")
        peak = f"{int(peak) / 1024:.0f}" if peak.isdigit() else peak
        print(f"{repo:40} {per_repo.get(repo, 0):8} {run['seconds']:>7} "
              f"{run.get('cpu_seconds', '-'):>7} {peak:>8} {run['exit']:>4}")
    print(f"{'total':40} {len(findings):8}")

    per_rule = Counter(f["rule"] for f in findings)
    rule_repo = defaultdict(Counter)
    for finding in findings:
        rule_repo[finding["rule"]][finding["repo"]] += 1
    print("\n## Findings per rule (top repositories)\n")
    for rule, count in per_rule.most_common():
        top = ", ".join(f"{r} {n}" for r, n in rule_repo[rule].most_common(4))
        print(f"{rule:28} {count:6}  {top}")


def md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_worksheet(results: Path, checkouts: Path, sample, seed: int):
    columns = ["id", "location", "rule", "message", "source", "verdict", "class", "note"]
    with open(results / "sample.tsv", "w", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(columns)
        for n, finding in enumerate(sample, 1):
            writer.writerow([n, f"{finding['path']}:{finding['line']}", finding["rule"],
                             finding["message"], source_line(checkouts, finding), "", "", ""])
    with open(results / "sample.md", "w") as out:
        out.write(f"# Accuracy sample (seed {seed}, {len(sample)} findings)\n\n")
        out.write("verdict: TRUE (worth acting on), WRONG (false by the rule's own docs), "
                  "NOISE (right by the letter, not worth acting on)\n\n")
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("|" + "---|" * len(columns) + "\n")
        for n, finding in enumerate(sample, 1):
            cells = [str(n), f"`{finding['path']}:{finding['line']}`", finding["rule"],
                     md_cell(finding["message"]),
                     f"`{md_cell(source_line(checkouts, finding))}`", "", "", ""]
            out.write("| " + " | ".join(cells) + " |\n")


def finding_key(finding):
    return (finding["path"], int(finding["line"]), finding["rule"])


def compare_with_review(findings, classes_file: Path, linted: set):
    """Per class of the last review: findings then, findings still reported now.

    Only the repositories linted in this run count: a missing checkout is not a fix."""
    with open(classes_file) as table:
        rows = [row for row in csv.DictReader(table, delimiter="\t")
                if row["path"].split("/", 1)[0] in linted]
    reviewed = {finding_key(row) for row in rows}
    now = {finding_key(f) for f in findings}
    then = Counter(row["class"] for row in rows)
    still = Counter(row["class"] for row in rows if finding_key(row) in now)
    verdict = {row["class"]: row["verdict"] for row in rows}
    print(f"\n## Against the review in {classes_file.name}\n")
    print(f"{'class':40} {'verdict':7} {'then':>5} {'now':>5}")
    for cls, count in then.most_common():
        print(f"{cls:40} {verdict[cls]:7} {count:5} {still.get(cls, 0):5}")
    new = [f for f in findings if finding_key(f) not in reviewed]
    print(f"\nnew findings (not in the review): {len(new)}; "
          + ", ".join(f"{r} {n}" for r, n in Counter(f["rule"] for f in new).most_common()))


def load_runs(results: Path):
    runs_file = results / "runs.tsv"
    if not runs_file.exists():
        return []
    with open(runs_file) as runs:
        return list(csv.DictReader(runs, delimiter="\t"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("checkouts", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=70)
    parser.add_argument("--per-rule", type=int, default=10)
    parser.add_argument("--classes", type=Path,
                        default=Path(__file__).with_name("baseline-classes.tsv"))
    args = parser.parse_args()

    findings = load_findings(args.results)
    runs = load_runs(args.results)
    print_counts(findings, runs)
    sample = draw_sample(findings, args.seed, args.size, args.per_rule)
    write_worksheet(args.results, args.checkouts, sample, args.seed)
    per_rule = Counter(f["rule"] for f in sample)
    print(f"\n## Sample: {len(sample)} findings, seed {args.seed}\n")
    print(", ".join(f"{rule} {n}" for rule, n in sorted(per_rule.items())))
    if args.classes.exists():
        linted = {run["repo"] for run in runs if run["exit"] == "0"}
        compare_with_review(findings, args.classes, linted)
    print(f"\nworksheet: {args.results / 'sample.md'} and {args.results / 'sample.tsv'}")


if __name__ == "__main__":
    main()
