#!/usr/bin/env python3
"""Seed 003's results from the study's exports (results/seed003/): accuracy, sharpness and the claims' comparisons.

Then the transformers (claim e) and the LSTM (claim f), each from its configurations whose runs have all finished.
Per image configuration, one row per noise plan: finished runs of all runs, test accuracy mean ± sample sd (n - 1) over the
finished runs, min-max, and the difference from `none` as independent samples: the 95 % percentile bootstrap interval
(10,000 resamples of each group, generator seeded with 0 for every comparison), Welch's t-test and Holm's correction.
Plans share seeds (same initial weights and data order), so each row also counts the seeds on which the plan ends
above / below / equal to `none`. Then the same for the sharpness at the end (top Hessian eigenvalue, Hessian trace).

Holm families (each corrected on its own, over all image configurations): test accuracy vs none; top eigenvalue vs
none; trace vs none; layerwise - all layers (same timing and sigma), claim (a); after - before GD (same scope and
sigma), claim (b). Then each configuration's plans ranked by mean test accuracy (claims b and c), and, from the
per-epoch history beside runs.csv (epochs.csv.gz, else epochs.csv), the mean validation accuracy per epoch ("falls off").

Transformers: the same test-accuracy table and layerwise - all layers, Holm-corrected over the transformer comparisons
only, and the ranking. LSTM: per sigma and plan, the final validation MAE (mean ± sd, Welch p vs none) and the epochs
to reach the no-noise plan's median final validation MAE (a run's first epoch at or below it; never reached counts as
the last epoch + 1): median, range, reached n/N, Welch p vs none on those censored epochs, Holm over the LSTM plans.

    python3 scripts/seed003-tables.py results/seed003/runs.csv [results/seed003/epochs.csv.gz]
"""
import csv
import gzip
import math
import os
import random
import re
import statistics
import sys

RESAMPLES = 10_000
BOOTSTRAP_SEED = 0
IMAGE_MODEL = re.compile(r"mnistnet\d$")
TEXT_MODEL = re.compile(r"transformer(:|$)")
SERIES_MODEL = re.compile(r"lstm$")
MAE_COLUMN = "val_metrics.mae"
PLAN = re.compile(r"(before|after)-(all|layerwise)-(\d+e-\d+)$")
RUN_COLUMNS = ["run", "configuration", "plan", "seed", "status", "seconds", "test_accuracy",
               "sharpness.top_eigenvalue", "sharpness.trace"]
EPOCH_COLUMNS = ["run", "epoch", "val_accuracy"]
MEASURES = [("sharpness.top_eigenvalue", "top eigenvalue", 2), ("sharpness.trace", "trace", 1)]


def fail(message):
    print(f"seed003-tables: {message}", file=sys.stderr)
    sys.exit(1)


def read_csv(path, required, what):
    if not os.path.isfile(path):
        fail(f"{path} does not exist; pass the study's {what}, e.g. results/seed003/{what}.")
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                fail(f"{path} lacks the column(s) {', '.join(missing)}; is it the seed 003 study's {what} (noiselab export)?")
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        fail(f"{path} cannot be read as CSV ({error}); pass the study's {what} as noiselab export wrote it.")


def number(text, where):
    """A finite float from a CSV cell, None for an empty or non-finite one; bad text ends the script."""
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        fail(f"{where} is '{text}', not a number; export the store again (noiselab export --format csv).")
    return value if math.isfinite(value) else None


def plan_key(plan):
    """Sort order: none, then sigma from large to small, before before after, all before layerwise."""
    if plan == "none":
        return (0, 0.0, "", "")
    when, scope, sigma = PLAN.match(plan).groups()
    return (1, -float(sigma), when != "before", scope)


def load(path, model=IMAGE_MODEL):
    """{configuration: {plan: [run, ...]}} for the configurations whose model matches `model`, each run a dict of its
    figures; and every run's status, counted."""
    cells = {}
    statuses = {}
    for row in read_csv(path, RUN_COLUMNS, "runs.csv"):
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
        fields = row["configuration"].split("|")
        if len(fields) < 2:
            fail(f"run {row['run']} has the configuration '{row['configuration']}', not data|model|optimizer|clip.")
        if not model.match(fields[1]):
            continue
        plan = row["plan"]
        if plan != "none" and not PLAN.match(plan):
            fail(f"run {row['run']} has the plan '{plan}', not none or WHEN-SCOPE-SIGMA; is this the seed 003 study's export?")
        try:
            seed = int(row["seed"])
        except ValueError:
            fail(f"run {row['run']} has the seed '{row['seed']}', not a whole number; export the store again.")
        finished = row["status"] == "finished"
        run = {"run": row["run"], "seed": seed, "status": row["status"],
               "seconds": number(row["seconds"], f"the seconds of run {row['run']}") or 0.0,
               "accuracy": number(row["test_accuracy"], f"the test accuracy of run {row['run']}") if finished else None}
        for column, _, _ in MEASURES:
            run[column] = number(row[column], f"the {column} of run {row['run']}") if finished else None
        cells.setdefault(row["configuration"], {}).setdefault(plan, []).append(run)
    return cells, statuses


def finished_values(runs, column):
    return {r["seed"]: r[column] for r in runs if r["status"] == "finished" and r[column] is not None}


# --- statistics -------------------------------------------------------------------------------------------------

def log_beta_front(x, a, b):
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x)


def beta_fraction(x, a, b):
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, epsilon = 1e-300, 1e-15
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (tiny if abs(d) < tiny else d)
    result = d
    for m in range(1, 501):
        for coefficient in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + coefficient * d
            c = 1 + coefficient / c
            d = 1 / (tiny if abs(d) < tiny else d)
            c = tiny if abs(c) < tiny else c
            result *= d * c
        if abs(d * c - 1) < epsilon:
            break
    return result


def regularized_beta(x, a, b):
    """I_x(a, b), through the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly."""
    if x <= 0 or x >= 1:
        return max(0.0, min(1.0, x))
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_beta_front(x, a, b)) * beta_fraction(x, a, b) / a
    return 1 - math.exp(log_beta_front(x, a, b)) * beta_fraction(1 - x, b, a) / b


def welch_p(a, b):
    """Two-sided p of Welch's t-test (Welch-Satterthwaite degrees of freedom); None with fewer than 2 values a group."""
    if len(a) < 2 or len(b) < 2:
        return None
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    difference = statistics.mean(a) - statistics.mean(b)
    if va + vb == 0:
        return 1.0 if difference == 0 else 0.0
    t = difference / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return regularized_beta(df / (df + t * t), df / 2, 0.5)


def quantile(ordered, q):
    """Linear interpolation between order statistics (type 7)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def bootstrap_difference(a, b):
    """mean(a) - mean(b) and its 95 % percentile bootstrap interval, each group resampled with replacement."""
    generator = random.Random(BOOTSTRAP_SEED)
    draws = sorted(sum(generator.choices(a, k=len(a))) / len(a) - sum(generator.choices(b, k=len(b))) / len(b)
                   for _ in range(RESAMPLES))
    return statistics.mean(a) - statistics.mean(b), quantile(draws, 0.025), quantile(draws, 0.975)


def holm(p_values):
    """Holm's step-down adjustment, in the input order; None stays None and is not counted in the family."""
    indexed = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    adjusted = [None] * len(p_values)
    running = 0.0
    for k, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, p * (len(indexed) - k)))
        adjusted[i] = running
    return adjusted


class Family:
    """One Holm family: comparisons added in print order, corrected together before anything is printed."""

    def __init__(self, name):
        self.name = name
        self.comparisons = []

    def add(self, plan_values, baseline_values):
        """A comparison of two {seed: value} maps; returns its index in the family."""
        a, b = list(plan_values.values()), list(baseline_values.values())
        paired = [plan_values[s] - baseline_values[s] for s in plan_values if s in baseline_values]
        self.comparisons.append({
            "interval": bootstrap_difference(a, b) if a and b else None,
            "p": welch_p(a, b),
            "signs": (sum(d > 0 for d in paired), sum(d < 0 for d in paired), sum(d == 0 for d in paired)),
        })
        return len(self.comparisons) - 1

    def correct(self):
        for c, adjusted in zip(self.comparisons, holm([c["p"] for c in self.comparisons])):
            c["holm"] = adjusted

    def size(self):
        return sum(1 for c in self.comparisons if c["p"] is not None)


# --- text -------------------------------------------------------------------------------------------------------

def signed(x, digits):
    text = f"{x:+.{digits}f}"
    return text.replace("-", "+") if float(text) == 0 else text


def p_text(p):
    return "–" if p is None else ("< 0.0001" if p < 0.0001 else f"{p:.4f}")


def mean_sd(values, digits):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def comparison_cells(c, digits):
    """Δ [interval], Welch p, Holm p, paired signs."""
    if c["interval"] is None:
        return ["–", "–", "–", "–"]
    d, low, high = c["interval"]
    up, down, same = c["signs"]
    return [f"{signed(d, digits)} [{signed(low, digits)}, {signed(high, digits)}]", p_text(c["p"]), p_text(c["holm"]),
            f"{up} / {down} / {same}"]


def status_note(runs):
    counts = {}
    for r in runs:
        if r["status"] != "finished":
            counts[r["status"]] = counts.get(r["status"], 0) + 1
    return "" if not counts else " (" + ", ".join(f"{k} {s}" for s, k in sorted(counts.items())) + ")"


def label(configuration):
    """A configuration's name without the |s that would split a Markdown table's cell (clip=none left out)."""
    return ", ".join(f for f in configuration.split("|") if f != "clip=none")


def row(cells):
    return "| " + " | ".join(cells) + " |"


def head(*names):
    return row(list(names)) + "\n" + "| --- " * len(names) + "|"


# --- the tables ---------------------------------------------------------------------------------------------------

def partner(plan, swap):
    """The plan that differs from `plan` only in scope (swap='scope') or timing (swap='when'), or None."""
    match = PLAN.match(plan)
    if not match:
        return None
    when, scope, sigma = match.groups()
    if swap == "scope":
        return f"{when}-all-{sigma}" if scope == "layerwise" else None
    return f"before-{scope}-{sigma}" if when == "after" else None


def build(cells):
    families = {"accuracy": Family("test accuracy vs none")}
    for column, measure, _ in MEASURES:
        families[column] = Family(f"{measure} vs none")
    families["scope"] = Family("layerwise − all layers, test accuracy")
    families["when"] = Family("after − before GD, test accuracy")
    index = {}
    for configuration, plans in cells.items():
        baseline = plans.get("none", [])
        for plan in sorted(plans, key=plan_key):
            if plan == "none":
                continue
            for column, family in [("accuracy", "accuracy")] + [(m, m) for m, _, _ in MEASURES]:
                index[(configuration, plan, family)] = families[family].add(
                    finished_values(plans[plan], column), finished_values(baseline, column))
            for swap in ("scope", "when"):
                other = partner(plan, swap)
                if other in plans:
                    index[(configuration, plan, swap)] = families[swap].add(
                        finished_values(plans[plan], "accuracy"), finished_values(plans[other], "accuracy"))
    for family in families.values():
        family.correct()
    return families, index


def print_accuracy(configuration, plans, families, index):
    family = families["accuracy"]
    print(f"\n### {label(configuration)}: test accuracy\n")
    print(head("plan", "finished / runs", "test accuracy", "min–max", "Δ vs none [95 % CI]", "Welch p",
               f"Holm p ({family.size()})", "seeds above / below / equal none"))
    for plan in sorted(plans, key=plan_key):
        runs = plans[plan]
        values = list(finished_values(runs, "accuracy").values())
        spread = f"{min(values):.4f}–{max(values):.4f}" if values else "–"
        finished = sum(r["status"] == "finished" for r in runs)
        compared = (comparison_cells(family.comparisons[index[(configuration, plan, "accuracy")]], 4)
                    if plan != "none" else ["", "", "", ""])
        print(row([plan, f"{finished}/{len(runs)}{status_note(runs)}", mean_sd(values, 4), spread] + compared))


def print_sharpness(configuration, plans, families, index):
    if not any(finished_values(runs, m) for runs in plans.values() for m, _, _ in MEASURES):
        print(f"\n{label(configuration)}: no finished run measured sharpness.")
        return
    print(f"\n### {label(configuration)}: sharpness at the end (smaller is flatter)\n")
    names = ["plan", "runs"]
    for column, measure, _ in MEASURES:
        names += [measure, "Δ vs none [95 % CI]", "Welch p", f"Holm p ({families[column].size()})"]
    print(head(*names))
    for plan in sorted(plans, key=plan_key):
        cells_of_row = [plan, str(len(finished_values(plans[plan], MEASURES[0][0])))]
        for column, _, digits in MEASURES:
            cells_of_row.append(mean_sd(list(finished_values(plans[plan], column).values()), digits))
            cells_of_row += (comparison_cells(families[column].comparisons[index[(configuration, plan, column)]], digits)[:3]
                             if plan != "none" else ["", "", ""])
        print(row(cells_of_row))


def print_pairs(cells, families, index, swap, title):
    family = families[swap]
    print(f"\n### {title}\n")
    print(head("configuration", "plan", "against", "Δ test accuracy [95 % CI]", "Welch p", f"Holm p ({family.size()})",
               "seeds above / below / equal"))
    for configuration, plans in cells.items():
        for plan in sorted(plans, key=plan_key):
            key = (configuration, plan, swap)
            if key in index:
                print(row([label(configuration), plan, partner(plan, swap)] + comparison_cells(family.comparisons[index[key]], 4)))


def print_ranking(cells):
    print("\n### Plans ranked by mean test accuracy (best first)\n")
    print(head("configuration", "ranking (mean test accuracy)"))
    for configuration, plans in cells.items():
        means = [(statistics.mean(v), plan) for plan in plans for v in [list(finished_values(plans[plan], "accuracy").values())] if v]
        means.sort(key=lambda m: (-m[0], plan_key(m[1])))
        print(row([label(configuration), ", ".join(f"{plan} {mean:.4f}" for mean, plan in means)]))


def epochs_path(runs_path, given):
    if given:
        return given
    for name in ("epochs.csv.gz", "epochs.csv"):
        candidate = os.path.join(os.path.dirname(runs_path), name)
        if os.path.isfile(candidate):
            return candidate
    return None


def epoch_of(record, path):
    """A history row's epoch as a whole number; other text ends the script."""
    try:
        return int(record["epoch"])
    except ValueError:
        fail(f"run {record['run']} has the epoch '{record['epoch']}' in {path}, not a whole number; export the store again.")


def load_curves(cells, path):
    """{(configuration, plan): {epoch: [validation accuracy of each finished run]}}, or None without the file."""
    if path is None:
        return None
    finished = {r["run"]: (configuration, plan) for configuration, plans in cells.items()
                for plan, runs in plans.items() for r in runs if r["status"] == "finished"}
    curves = {}
    for record in read_csv(path, EPOCH_COLUMNS, "epochs.csv.gz"):
        if record["run"] in finished:
            value = number(record["val_accuracy"], f"the val_accuracy of run {record['run']} at epoch {record['epoch']}")
            epoch = epoch_of(record, path)
            if value is not None:
                curves.setdefault(finished[record["run"]], {}).setdefault(epoch, []).append(value)
    return curves


def print_curves(cells, curves, path):
    if curves is None:
        print("\nNo epochs.csv.gz or epochs.csv beside runs.csv: the per-epoch validation accuracy is left out "
              "(pass the file as the second argument).")
        return
    print(f"\n### Validation accuracy per epoch, mean over the finished runs ({os.path.basename(path)})\n")
    print(head("configuration", "plan", "epoch 1 → last", "last − best epoch"))
    for configuration, plans in cells.items():
        for plan in sorted(plans, key=plan_key):
            by_epoch = curves.get((configuration, plan))
            if not by_epoch:
                continue
            means = [statistics.mean(v) for _, v in sorted(by_epoch.items())]
            print(row([label(configuration), plan, " ".join(f"{m:.3f}" for m in means), signed(means[-1] - max(means), 3)]))


# --- the transformers and the LSTM ------------------------------------------------------------------------------

def complete(loaded):
    """The configurations whose runs have all finished, and the others as 'name (finished/runs)'."""
    done, open_ = {}, []
    for configuration, plans in sorted(loaded.items()):
        runs = [r for p in plans.values() for r in p]
        finished = sum(r["status"] == "finished" for r in runs)
        if finished == len(runs):
            done[configuration] = plans
        else:
            open_.append(f"{label(configuration)} ({finished}/{len(runs)} finished)")
    return done, open_


def encoder_layers(configuration):
    """The transformer's encoder layers (1 unless the model names layers=N): the configurations print smallest first."""
    match = re.search(r"layers=(\d+)", configuration)
    return int(match.group(1)) if match else 1


def print_text(path):
    """Claim (e): the transformers' test accuracy per plan, Holm-corrected over the complete transformer
    configurations only, then layerwise − all layers and the ranking."""
    loaded, _ = load(path, TEXT_MODEL)
    cells, open_ = complete(loaded)
    cells = dict(sorted(cells.items(), key=lambda item: encoder_layers(item[0])))
    print("\n## Transformers on synthetic:sentiment")
    if open_:
        print(f"\nLeft out, not all runs finished: {'; '.join(open_)}.")
    if not cells:
        print("\nNo transformer configuration has all its runs finished.")
        return
    families, index = build(cells)
    print(f"Holm families (transformers only): {families['accuracy'].name} ({families['accuracy'].size()}); "
          f"{families['scope'].name} ({families['scope'].size()}).")
    for configuration, plans in cells.items():
        print_accuracy(configuration, plans, families, index)
    print_pairs(cells, families, index, "scope", "Transformers: layerwise − all layers, same timing and σ")
    print_ranking(cells)


def sigma_of(plan):
    return PLAN.match(plan).group(3)


def first_reached(curve, target, censored):
    """The first epoch whose validation MAE is at or below `target`, else `censored`."""
    return next((epoch for epoch, mae in sorted(curve.items()) if mae <= target), censored)


def load_mae_curves(runs, path):
    """{run: {epoch: validation MAE}} for the given runs, from the per-epoch history."""
    wanted = {r["run"] for r in runs}
    curves = {}
    for record in read_csv(path, ["run", "epoch", MAE_COLUMN], "epochs.csv.gz"):
        if record["run"] in wanted:
            value = number(record[MAE_COLUMN], f"the {MAE_COLUMN} of run {record['run']} at epoch {record['epoch']}")
            epoch = epoch_of(record, path)
            if value is not None:
                curves.setdefault(record["run"], {})[epoch] = value
    return curves


def print_series(path, epochs_file):
    """Claim (f): per σ and plan, the final validation MAE and the epochs to reach the no-noise plan's median final
    validation MAE (a run that never reaches it counts as one epoch past the last), with Welch's p against none."""
    loaded, _ = load(path, SERIES_MODEL)
    cells, open_ = complete(loaded)
    print("\n## The LSTM on seattle-temp")
    if open_:
        print(f"\nLeft out, not all runs finished: {'; '.join(open_)}.")
    if not cells:
        print("\nNo LSTM configuration has all its runs finished.")
        return
    if epochs_file is None:
        print("\nNo epochs.csv.gz or epochs.csv beside runs.csv: the LSTM's validation MAE per epoch is needed "
              "(pass the file as the second argument).")
        return
    for configuration, plans in cells.items():
        curves = load_mae_curves([r for p in plans.values() for r in p], epochs_file)
        if "none" not in plans or any(r["run"] not in curves for p in plans.values() for r in p):
            fail(f"{epochs_file} lacks the validation MAE of some {label(configuration)} run; export the store again.")
        last = max(max(c) for c in curves.values())
        censored = last + 1
        final = {plan: {r["seed"]: curves[r["run"]][max(curves[r["run"]])] for r in runs} for plan, runs in plans.items()}
        target = statistics.median(final["none"].values())
        reached = {plan: {r["seed"]: first_reached(curves[r["run"]], target, censored) for r in runs}
                   for plan, runs in plans.items()}
        mae_family, epoch_family = Family("final validation MAE vs none"), Family("epochs to the target vs none")
        order = sorted((p for p in plans if p != "none"), key=plan_key)
        compared = {p: (mae_family.add(final[p], final["none"]), epoch_family.add(reached[p], reached["none"])) for p in order}
        mae_family.correct()
        epoch_family.correct()
        print(f"\nTarget: the no-noise plan's median final (epoch {last}) validation MAE, {target:.4f}; a run's epochs "
              f"to the target are its first epoch at or below it, {censored} where it never gets there. Welch p "
              f"on those censored epochs; each Holm family holds the {epoch_family.size()} noise plans.")
        for sigma in sorted({sigma_of(p) for p in order}, key=lambda s: -float(s)):
            print(f"\n### {label(configuration)}, σ {sigma}: final validation MAE and epochs to {target:.4f}\n")
            print(head("plan", "finished / runs", "final val MAE", "MAE Welch p", f"MAE Holm p ({mae_family.size()})",
                       "epochs to target: median", "range", "reached", "epochs Welch p", f"epochs Holm p ({epoch_family.size()})"))
            for plan in ["none"] + [p for p in order if sigma_of(p) == sigma]:
                runs = plans[plan]
                epochs = list(reached[plan].values())
                hits = sum(e < censored for e in epochs)
                cells_of_row = [plan, f"{len(runs)}/{len(runs)}", mean_sd(list(final[plan].values()), 4)]
                if plan == "none":
                    cells_of_row += ["", ""]
                else:
                    c = mae_family.comparisons[compared[plan][0]]
                    cells_of_row += [p_text(c["p"]), p_text(c["holm"])]
                cells_of_row += [f"{statistics.median(epochs):g}", f"{min(epochs)}–{max(epochs)}", f"{hits}/{len(epochs)}"]
                if plan == "none":
                    cells_of_row += ["", ""]
                else:
                    c = epoch_family.comparisons[compared[plan][1]]
                    cells_of_row += [p_text(c["p"]), p_text(c["holm"])]
                print(row(cells_of_row))


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: python3 scripts/seed003-tables.py results/seed003/runs.csv [results/seed003/epochs.csv.gz]", file=sys.stderr)
        sys.exit(2)
    loaded, statuses = load(argv[1])
    cells = {c: plans for c, plans in sorted(loaded.items())
             if any(r["status"] == "finished" for runs in plans.values() for r in runs)}
    if not cells:
        fail(f"{argv[1]} holds no finished MNISTNet run; run the study first (scripts/reproduce.sh seed003).")
    path = epochs_path(argv[1], argv[2] if len(argv) == 3 else None)
    curves = load_curves(cells, path)
    families, index = build(cells)
    skipped = sorted(set(loaded) - set(cells))
    image_runs = [r for plans in cells.values() for runs in plans.values() for r in runs]
    print(f"{argv[1]}: {sum(statuses.values())} runs (" + ", ".join(f"{k} {s}" for s, k in sorted(statuses.items()))
          + f"); {len(image_runs)} of them in the image configurations below, whose run times add up to "
          f"{sum(r['seconds'] for r in image_runs) / 60:.0f} minutes.")
    print(f"Image configurations with finished runs: {len(cells)}"
          + (f"; skipped, none finished: {'; '.join(label(c) for c in skipped)}" if skipped else "") + ".")
    print("Holm families: " + "; ".join(f"{f.name} ({f.size()})" for f in families.values())
          + f". Bootstrap: {RESAMPLES:,} resamples, seed {BOOTSTRAP_SEED}.")
    for configuration, plans in cells.items():
        print_accuracy(configuration, plans, families, index)
        print_sharpness(configuration, plans, families, index)
    print_pairs(cells, families, index, "scope", "Claim (a): layerwise − all layers, same timing and σ")
    print_pairs(cells, families, index, "when", "Claim (b): after GD − before GD, same scope and σ")
    print_ranking(cells)
    print_curves(cells, curves, path)
    print_text(argv[1])
    print_series(argv[1], path)


if __name__ == "__main__":
    main(sys.argv)
