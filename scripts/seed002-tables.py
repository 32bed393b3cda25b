#!/usr/bin/env python3
"""Seed 002's Tables I-III from the study's exports (results/seed002/), in the seed's layout, beside its figures.

runs.csv holds each run's final test figures but no train or validation figures, so those are the last epoch of
each run in epochs.csv.gz (by default the file beside runs.csv). Train figures are the means over the last
epoch's minibatches as trained (augmented images, training mode, any noise on), validation figures a clean
pass over the held-out images. Every cell is the mean ± the sample standard deviation (n - 1) over the finished
runs (seeds) of the cell; the seed's figures are its CIFAR-10 single values.

After the tables: where the adaptive controller fired (epochs with weight or gradient noise, per seed), the
Gaussian - uniform differences paired by seed, and sign counts of the paired differences from no noise.

    python3 scripts/seed002-tables.py results/seed002/runs.csv [results/seed002/epochs.csv.gz] [--label LABEL]

--label takes the runs of one labelled group of the spec (e.g. long in seed002-gap-more-fashion.yaml); without it,
the runs without a label.
"""
import csv
import gzip
import math
import os
import statistics
import sys

MODELS = [("tinycnn", "TinyCNN"), ("babycnn", "BabyCNN")]
# (configuration's optimizer field, label, the seed's table)
OPTIMIZERS = [("sgd:0.05", "SGD, lr 0.05", "I"), ("momentum:0.01", "momentum 0.9, lr 0.01", "II"), ("adam:0.001", "Adam, lr 0.001", "III")]
PLANS = [("none", "no noise"), ("gaussian-adaptive", "Gaussian"), ("uniform-adaptive", "uniform")]
# Seed 002, Tables I-III (CIFAR-10): train accuracy, val accuracy, train loss, val loss.
SEED_TABLES = {
    ("tinycnn", "sgd:0.05", "none"): (0.8971, 0.8318, 0.2963, 0.5491),
    ("tinycnn", "sgd:0.05", "gaussian-adaptive"): (0.7497, 0.7564, 0.7132, 0.7205),
    ("tinycnn", "sgd:0.05", "uniform-adaptive"): (0.7489, 0.7524, 0.7138, 0.7322),
    ("babycnn", "sgd:0.05", "none"): (0.5451, 0.5770, 1.3067, 1.2235),
    ("babycnn", "sgd:0.05", "gaussian-adaptive"): (0.5441, 0.5748, 1.3089, 1.2262),
    ("babycnn", "sgd:0.05", "uniform-adaptive"): (0.5435, 0.5748, 1.3091, 1.2271),
    ("tinycnn", "momentum:0.01", "none"): (0.9006, 0.8326, 0.2861, 0.5249),
    ("tinycnn", "momentum:0.01", "gaussian-adaptive"): (0.7529, 0.7598, 0.7027, 0.7158),
    ("tinycnn", "momentum:0.01", "uniform-adaptive"): (0.7887, 0.7886, 0.6084, 0.6178),
    ("babycnn", "momentum:0.01", "none"): (0.5909, 0.6296, 1.1908, 1.1053),
    ("babycnn", "momentum:0.01", "gaussian-adaptive"): (0.5799, 0.6174, 1.2220, 1.1262),
    ("babycnn", "momentum:0.01", "uniform-adaptive"): (0.5528, 0.5900, 1.2796, 1.1904),
    ("tinycnn", "adam:0.001", "none"): (0.8480, 0.8078, 0.4435, 0.5677),
    ("tinycnn", "adam:0.001", "gaussian-adaptive"): (0.7948, 0.7858, 0.5912, 0.6250),
    ("tinycnn", "adam:0.001", "uniform-adaptive"): (0.7942, 0.7858, 0.5921, 0.6300),
    ("babycnn", "adam:0.001", "none"): (0.5890, 0.6218, 1.1941, 1.1140),
    ("babycnn", "adam:0.001", "gaussian-adaptive"): (0.5525, 0.5938, 1.2859, 1.1879),
    ("babycnn", "adam:0.001", "uniform-adaptive"): (0.5579, 0.5906, 1.2790, 1.1945),
}
RUN_COLUMNS = ["run", "configuration", "plan", "seed", "status", "epochs", "test_accuracy"]
EPOCH_COLUMNS = ["run", "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate",
                 "sigmas.adaptive.gradient", "sigmas.adaptive.weight",
                 "diagnostics.adaptive.stuck", "diagnostics.adaptive.overfitting"]


def fail(message):
    print(f"seed002-tables: {message}", file=sys.stderr)
    sys.exit(1)


def read_csv(path, required, opener=open):
    """The rows of a CSV file, after checking that it exists and has the required columns."""
    if not os.path.isfile(path):
        fail(f"{path} does not exist; pass the study's runs.csv (its epochs.csv.gz beside it), e.g. results/seed002/runs.csv.")
    with opener(path, "rt", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            fail(f"{path} lacks the column(s) {', '.join(missing)}; is it the export of the seed 002 study?")
        return list(reader)


def mean_sd(values, digits=4):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def signed(x):
    """x with its sign and 4 decimals, never -0.0000."""
    text = f"{x:+.4f}"
    return "+0.0000" if text == "-0.0000" else text


def sigma(row, kind):
    """The σ of this kind of adaptive noise applied in an epoch, or 0 when none was."""
    text = row[f"sigmas.adaptive.{kind}"]
    return float(text) if text else 0.0


def load(runs_path, epochs_path, label=None):
    """The finished runs by (model, optimizer, plan): those without a group label, or with `label` only; in a labelled
    group a plan named BASE-LABEL (e.g. gaussian-adaptive-long) counts as BASE."""
    runs = read_csv(runs_path, RUN_COLUMNS)
    epochs = read_csv(epochs_path, EPOCH_COLUMNS, gzip.open if epochs_path.endswith(".gz") else open)
    history = {}
    for row in epochs:
        history.setdefault(row["run"], []).append(row)
    cells = {}
    for run in runs:
        fields = run["configuration"].split("|")
        if len(fields) < 3:
            fail(f"run {run['run']} has the configuration '{run['configuration']}', not data|model|optimizer|clip.")
        if run["status"] != "finished" or (fields[4] if len(fields) > 4 else None) != label:
            continue
        plan = run["plan"][: -len(label) - 1] if label and run["plan"].endswith("-" + label) else run["plan"]
        record = sorted(history.get(run["run"], []), key=lambda r: int(r["epoch"]))
        if not record or int(record[-1]["epoch"]) != int(run["epochs"]):
            fail(f"run {run['run']} has {run['epochs']} epochs in runs.csv but its history in {epochs_path} ends at "
                 f"{record[-1]['epoch'] if record else 'no epoch'}; export both files from the same store.")
        last = record[-1]
        cells.setdefault((fields[1], fields[2], plan), []).append({
            "seed": int(run["seed"]),
            "train_accuracy": float(last["train_accuracy"]),
            "val_accuracy": float(last["val_accuracy"]),
            "train_loss": float(last["train_loss"]),
            "val_loss": float(last["val_loss"]),
            "test_accuracy": float(run["test_accuracy"]),
            "history": record,
        })
    for runs_of_cell in cells.values():
        runs_of_cell.sort(key=lambda r: r["seed"])
    return cells


def print_tables(cells):
    print("Last epoch's train and validation figures and the final test accuracy, mean ± sd over the seeds "
          "(Fashion-MNIST, this study); the seed's single CIFAR-10 values beside them. Gap = val loss − train loss.")
    for model, model_label in MODELS:
        print(f"\n{model_label}\n")
        print("| optimizer (seed's table) | plan | runs | train acc | val acc | train loss | val loss | gap (val − train loss) "
              "| test acc | seed CIFAR-10: train / val acc | seed: train / val loss | seed: gap |")
        print("| --- " * 12 + "|")
        for optimizer, optimizer_label, table in OPTIMIZERS:
            for plan, plan_label in PLANS:
                runs = cells.get((model, optimizer, plan), [])
                ours = [mean_sd([r[k] for r in runs]) for k in ("train_accuracy", "val_accuracy", "train_loss", "val_loss")]
                gap = mean_sd([r["val_loss"] - r["train_loss"] for r in runs])
                test = mean_sd([r["test_accuracy"] for r in runs])
                tr_acc, va_acc, tr_loss, va_loss = SEED_TABLES[(model, optimizer, plan)]
                print(f"| {optimizer_label} ({table}) | {plan_label} | {len(runs)} | " + " | ".join(ours) + f" | {gap} | {test} "
                      f"| {tr_acc:.4f} / {va_acc:.4f} | {tr_loss:.4f} / {va_loss:.4f} | {va_loss - tr_loss:+.4f} |")
    below = [r for (m, o, p), runs in cells.items() if p == "none" for r in runs]
    k = sum(1 for r in below if r["val_loss"] < r["train_loss"])
    j = sum(1 for r in below if r["val_accuracy"] > r["train_accuracy"])
    print(f"\nNo-noise runs with val loss below train loss: {k} of {len(below)}; with val accuracy above train accuracy: {j} of {len(below)}.")


def noisy_epochs(history, kind):
    return [int(r["epoch"]) for r in history if sigma(r, kind) > 0]


def first_flag(history):
    """The first epoch the controller flagged, its flags (o overfitting, s stuck), and whether the learning rate restarted in it."""
    previous_rate = None
    for r in history:
        rate = float(r["learning_rate"])
        restarted = previous_rate is not None and rate > previous_rate
        previous_rate = rate
        kinds = ("o" if r["diagnostics.adaptive.overfitting"] == "1" else "") + ("s" if r["diagnostics.adaptive.stuck"] == "1" else "")
        if kinds:
            return int(r["epoch"]), kinds, restarted
    return None


def flag_text(flag):
    return "never" if flag is None else f"{flag[0]}{flag[1]}{'*' if flag[2] else ''}"


def first_noise_jump(history):
    """The validation loss of the epoch before the first noisy one and of the first noisy one, or None without noise."""
    for i, r in enumerate(history):
        if i > 0 and (sigma(r, "weight") > 0 or sigma(r, "gradient") > 0):
            return float(history[i - 1]["val_loss"]), float(r["val_loss"])
    return None


def sign_test(positive, negative):
    """Exact two-sided sign-test p (binomial, p = 1/2) for the counts of positive and negative differences."""
    n = positive + negative
    k = min(positive, negative)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def print_controller(cells):
    some = next(iter(cells.values()))[0]["history"]
    restarts = [int(b["epoch"]) for a, b in zip(some, some[1:]) if float(b["learning_rate"]) > float(a["learning_rate"])]
    print("\nWhere the controller fired: per seed (0, 1, 2), the number of epochs trained with weight noise (W) and with "
          "gradient noise (G), the σ range applied, and the first flagged epoch (o overfitting, s stuck; * = the learning "
          f"rate restarted in that epoch; restarts at epochs {', '.join(map(str, restarts))}).\n")
    print("| model | optimizer | plan | W epochs | G epochs | epochs with noise, mean | σ applied (min–max) | first flag "
          "| val loss before → in the first noisy epoch, mean |")
    print("| --- " * 9 + "|")
    totals = {}
    flags = []
    for model, model_label in MODELS:
        for optimizer, optimizer_label, _ in OPTIMIZERS:
            for plan, plan_label in PLANS[1:]:
                runs = cells.get((model, optimizer, plan), [])
                if not runs:
                    print(f"| {model_label} | {optimizer_label} | {plan_label} | not run |" + " |" * 5)
                    continue
                w = [len(noisy_epochs(r["history"], "weight")) for r in runs]
                g = [len(noisy_epochs(r["history"], "gradient")) for r in runs]
                anyk = [len(set(noisy_epochs(r["history"], "weight")) | set(noisy_epochs(r["history"], "gradient"))) for r in runs]
                sig = [sigma(e, k) for r in runs for e in r["history"] for k in ("weight", "gradient") if sigma(e, k) > 0]
                t = totals.setdefault(plan_label, [0, 0, 0])
                t[0] += sum(w); t[1] += sum(g); t[2] += len(runs)
                span = f"{min(sig):.2g}–{max(sig):.2g}" if sig else "–"
                first = [first_flag(r["history"]) for r in runs]
                flags.extend(first)
                jumps = [j for j in (first_noise_jump(r["history"]) for r in runs) if j is not None]
                jump = f"{statistics.mean(a for a, _ in jumps):.3f} → {statistics.mean(b for _, b in jumps):.3f}" if jumps else "–"
                print(f"| {model_label} | {optimizer_label} | {plan_label} | {', '.join(map(str, w))} | {', '.join(map(str, g))} "
                      f"| {statistics.mean(anyk):.1f} | {span} | {', '.join(flag_text(f) for f in first)} | {jump} |")
    for plan_label, (w, g, n) in totals.items():
        print(f"\n{plan_label}: {w} weight-noise and {g} gradient-noise epochs over {n} runs.", end="")
    at_restart = sum(1 for f in flags if f is not None and f[1] == "o" and f[2])
    print(f"\nFirst flag an overfitting flag in an epoch where the learning rate restarted: {at_restart} of {len(flags)} runs.")


def print_pairs(cells):
    print("\nPaired by seed (same initial weights and data order): Gaussian − uniform, and each plan − no noise, "
          "in test accuracy and in the gap (val − train loss); per seed, then the mean.\n")
    print("| model | optimizer | Gaussian − uniform, test acc | mean | Gaussian − uniform, gap | mean "
          "| Gaussian − none, test acc | uniform − none, test acc |")
    print("| --- " * 8 + "|")
    signs = {"gaussian-adaptive": [0, 0], "uniform-adaptive": [0, 0]}
    all_gu = []
    for model, model_label in MODELS:
        for optimizer, optimizer_label, _ in OPTIMIZERS:
            by_seed = {p: {r["seed"]: r for r in cells.get((model, optimizer, p), [])} for p, _ in PLANS}
            seeds = sorted(set.intersection(*(set(s) for s in by_seed.values())))
            if not seeds:
                print(f"| {model_label} | {optimizer_label} | no seed finished every plan |" + " |" * 5)
                continue
            gu_acc = [by_seed["gaussian-adaptive"][s]["test_accuracy"] - by_seed["uniform-adaptive"][s]["test_accuracy"] for s in seeds]
            gap = lambda r: r["val_loss"] - r["train_loss"]
            all_gu.extend(gu_acc)
            gu_gap = [gap(by_seed["gaussian-adaptive"][s]) - gap(by_seed["uniform-adaptive"][s]) for s in seeds]
            versus = {}
            for plan in signs:
                d = [by_seed[plan][s]["test_accuracy"] - by_seed["none"][s]["test_accuracy"] for s in seeds]
                signs[plan][0] += sum(1 for x in d if x < 0)
                signs[plan][1] += len(d)
                versus[plan] = ", ".join(signed(x) for x in d)
            print(f"| {model_label} | {optimizer_label} | {', '.join(signed(x) for x in gu_acc)} | {signed(statistics.mean(gu_acc))} "
                  f"| {', '.join(signed(x) for x in gu_gap)} | {signed(statistics.mean(gu_gap))} "
                  f"| {versus['gaussian-adaptive']} | {versus['uniform-adaptive']} |")
    for plan, (negative, n) in signs.items():
        print(f"\n{plan} − none: {negative} of {n} paired differences in test accuracy are negative.", end="")
    if not all_gu:
        print()
        return
    positive = sum(1 for d in all_gu if d > 0)
    negative = sum(1 for d in all_gu if d < 0)
    print(f"\nGaussian − uniform in test accuracy over all {len(all_gu)} seed pairs: mean {statistics.mean(all_gu):+.4f}, "
          f"{positive} positive, {negative} negative, {len(all_gu) - positive - negative} equal, "
          f"{sum(1 for d in all_gu if abs(d) < 0.001)} within ±0.001; exact sign-test p {sign_test(positive, negative):.4f}.")


def main(argv):
    args = list(argv[1:])
    label = None
    if "--label" in args:
        at = args.index("--label")
        if at + 1 >= len(args):
            fail("--label takes a group label, e.g. --label long.")
        label = args[at + 1]
        del args[at:at + 2]
    if len(args) not in (1, 2):
        print("usage: python3 scripts/seed002-tables.py results/seed002/runs.csv [results/seed002/epochs.csv.gz] [--label LABEL]", file=sys.stderr)
        sys.exit(2)
    runs_path = args[0]
    epochs_path = args[1] if len(args) == 2 else os.path.join(os.path.dirname(runs_path), "epochs.csv.gz")
    cells = load(runs_path, epochs_path, label)
    if not cells:
        fail(f"{runs_path} holds no finished run{f' labelled {label}' if label else ' without a label'}; run the study first (scripts/reproduce.sh seed002).")
    print_tables(cells)
    print_controller(cells)
    print_pairs(cells)


if __name__ == "__main__":
    main(sys.argv)
