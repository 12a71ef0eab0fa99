#!/usr/bin/env python3
"""Fits the simulator's constants to the real data (docs/simulator.md, "Calibration").

Runs `optscale simulate --calibration-report --json --param NAME=VALUE ...` and
minimises, with Nelder-Mead in log space (standard library only), a weighted sum
of squared differences: quantiles of the per-problem score mean and std against
the real labels, the Best-of-N and majority-vote curves against the published
MATH500 ones, and tokens per sample. A second stage fits the prior's shrink and
noise so that its MAE and Spearman correlation hit the predictor targets.

    python3 tools/calibration/tune_simulator.py --binary build/optscale \
        --shared-data ../shared/data --problems 4000 --iterations 400

It prints the best constants found; copy them into src/pool/simulator_profiles.cpp.
"""
import argparse
import json
import math
import subprocess
import sys

from nelder_mead import nelder_mead

# Constants fitted in the first stage, searched in log space except the signed
# ones in SIGNED_PARAMS (searched as they are).
SHAPE_PARAMS = [
    "weight_mixed", "weight_hard", "easy_a", "easy_b", "mixed_a", "mixed_b", "hard_a", "hard_b",
    "correct_deficit_median", "correct_deficit_log_sd", "correct_deficit_difficulty_slope",
    "correct_shape_b_median", "correct_shape_b_log_sd",
    "wrong_mean_logit", "wrong_mean_logit_sd", "fooled_weight", "fooled_gap_mean", "fooled_gap_sd",
    "wrong_concentration",
    "tokens_median",
]
SIGNED_PARAMS = {"fooled_gap_mean"}
PRIOR_PARAMS = ["prior_mu_centre", "prior_mu_shrink", "prior_mu_noise_sd",
                "prior_sigma_centre", "prior_sigma_shrink", "prior_sigma_noise_sd"]
PRIOR_TARGETS = {"mu": (0.032, 0.5), "sigma": (0.023, 0.45)}


def report(args, params, seed):
    cmd = [args.binary, "simulate", "--calibration-report", "--json", "--problems", str(args.problems),
           "--samples", "64", "--seed", str(seed), "--shared-data", args.shared_data]
    for name, value in params.items():
        cmd += ["--param", f"{name}={value!r}"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:  # constants outside their valid ranges: the search steps back
        return None
    return json.loads(run.stdout)


def shape_loss(r):
    loss = 0.0
    for key, scale in (("score_mean_quantiles", 0.01), ("score_std_quantiles", 0.007)):
        for q in r[key]:
            loss += ((q["simulated"] - q["reference"]) / scale) ** 2
    n = len(r["best_of_n"])
    for key, weight in (("best_of_n", 2.0), ("majority", 1.0)):
        for c in r[key]:
            loss += weight * 7.0 / n * ((c["simulated"] - c["reference"]) / 0.005) ** 2
    t = r["tokens_per_sample"]
    loss += ((t["simulated"] - t["reference"]) / 100.0) ** 2
    return loss


def prior_loss(r):
    loss = 0.0
    for key, (mae, rho) in PRIOR_TARGETS.items():
        e = r["prior_vs_truth"][key]
        loss += ((e["mae"] - mae) / 0.001) ** 2 + ((e["spearman"] - rho) / 0.01) ** 2
    return loss



def current_params(args):
    out = subprocess.run([args.binary, "simulate", "--show-params", "--profile", args.profile],
                         check=True, capture_output=True, text=True).stdout
    return {line.split(" = ")[0]: float(line.split(" = ")[1]) for line in out.splitlines()}


def to_search(name, value):
    return value if name in SIGNED_PARAMS else math.log(value)


def from_search(name, x):
    return x if name in SIGNED_PARAMS else math.exp(x)


def fit(args, names, loss, start):
    def f(x):
        params = {n: from_search(n, v) for n, v in zip(names, x)}
        total = 0.0
        for seed in args.seeds:
            r = report(args, params, seed)
            total += 1e12 if r is None else loss(r)
        return total
    x, value = nelder_mead(
        f, [to_search(n, start[n]) for n in names], args.iterations,
        report=lambda it, best: print(f"iteration {it}: best loss {best:.2f}", file=sys.stderr))
    return {n: from_search(n, v) for n, v in zip(names, x)}, value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="build/optscale")
    parser.add_argument("--shared-data", default="../shared/data")
    parser.add_argument("--profile", default="math500")
    parser.add_argument("--problems", type=int, default=4000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--stage", choices=["shape", "prior", "both"], default="both")
    args = parser.parse_args()
    params = current_params(args)
    if args.stage in ("shape", "both"):
        best, value = fit(args, SHAPE_PARAMS, shape_loss, params)
        params.update(best)
        print(f"# shape stage: loss {value:.2f}")
    if args.stage in ("prior", "both"):
        best, value = fit(args, PRIOR_PARAMS, prior_loss, params)
        params.update(best)
        print(f"# prior stage: loss {value:.2f}")
    for name in SHAPE_PARAMS + PRIOR_PARAMS:
        print(f"{name} = {params[name]:.4g}")


if __name__ == "__main__":
    main()
