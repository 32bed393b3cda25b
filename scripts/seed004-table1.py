#!/usr/bin/env python3
"""Seed 004's Table 1 from the study's per-run export (results/seed004/runs.csv), in the seed's layout.

The seed pools each row over both learning rates (20 restarts at lr 0.1 and 20 at lr 0.01, 40 runs); this
prints that pooled table, then the same rows per learning rate. Best is the highest test accuracy of a
finished run; mean is over the finished runs (diverged runs have no test accuracy); success counts the runs
whose test accuracy reaches 0.5 (the spec's success_at) among all runs of the cell, diverged ones included.

    python3 scripts/seed004-table1.py results/seed004/runs.csv
"""
import csv
import statistics
import sys

SUCCESS_AT = 0.5
LEARNING_RATES = ["0.1", "0.01"]
# (row label, model arguments, clipping, the seed's no-noise and with-noise best / average, in %)
ROWS = [
    ("simple init, no clipping", "init=simple", "none", (89.9, 43.1), (96.7, 52.7)),
    ("simple init + dropout 0.1, no clipping", "init=simple,dropout=0.1", "none", (11.3, 10.8), None),
    ("simple init, clip 100", "init=simple", "100", (90.0, 40.3), (96.7, 52.3)),
    ("simple init, clip 10", "init=simple", "10", (95.7, 51.6), (97.0, 53.6)),
    ("good (He) init, clip 10", "init=he", "10", (97.4, 91.7), (97.2, 91.7)),
    ("zero init, clip 10", "init=zero", "10", (11.4, 10.1), (94.5, 49.7)),
]
PLANS = [("none", "no noise"), ("annealed-0.01", "η = 0.01"), ("annealed-1", "η = 1")]


def cell(runs):
    """best, mean ± sd (finished), success k / n, diverged, failed, unsettled for a list of runs."""
    finished = [float(r["test_accuracy"]) for r in runs if r["status"] == "finished"]
    n = len(runs)
    if n == 0:
        return "not run"
    best = f"{100 * max(finished):.1f}" if finished else "–"
    if len(finished) > 1:
        mean = f"{100 * statistics.mean(finished):.1f} ± {100 * statistics.stdev(finished):.1f}"
    elif finished:
        mean = f"{100 * finished[0]:.1f}"
    else:
        mean = "–"
    wins = sum(1 for a in finished if a >= SUCCESS_AT)
    notes = []
    for status in ("diverged", "failed", "pending", "running", "interrupted"):
        k = sum(1 for r in runs if r["status"] == status)
        if k:
            notes.append(f"{k} {status}")
    return f"{best} / {mean} / {wins}/{n}" + (f" ({', '.join(notes)})" if notes else "")


def seed_text(pair):
    return "–" if pair is None else f"{pair[0]} / {pair[1]}"


def main(path):
    with open(path, newline="") as f:
        runs = list(csv.DictReader(f))
    by = {}
    for r in runs:
        by.setdefault((r["configuration"], r["plan"]), []).append(r)

    def runs_of(model, clip, plan, rates):
        return [r for lr in rates for r in by.get((f"mnist-10k|deepmlp:{model}|sgd:{lr}|clip={clip}", plan), [])]

    header = "| setting | seed: no noise | seed: with noise | " + " | ".join(label for _, label in PLANS) + " |"
    print("Pooled over lr 0.1 and 0.01 (the seed's 40 runs a row). Cells: best / mean ± sd (finished) / successes, in %.\n")
    print(header)
    print("| --- " * (3 + len(PLANS)) + "|")
    for label, model, clip, plain, noisy in ROWS:
        cells = [cell(runs_of(model, clip, plan, LEARNING_RATES)) for plan, _ in PLANS]
        print(f"| {label} | {seed_text(plain)} | {seed_text(noisy)} | " + " | ".join(cells) + " |")
    for lr in LEARNING_RATES:
        print(f"\nlr {lr} only (20 restarts a cell).\n")
        print("| setting | " + " | ".join(label for _, label in PLANS) + " |")
        print("| --- " * (1 + len(PLANS)) + "|")
        for label, model, clip, _, _ in ROWS:
            print(f"| {label} | " + " | ".join(cell(runs_of(model, clip, plan, [lr])) for plan, _ in PLANS) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 scripts/seed004-table1.py results/seed004/runs.csv")
    main(sys.argv[1])
