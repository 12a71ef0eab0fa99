#!/usr/bin/env python3
"""The bar of issue 12 for the `hybrid` strategy (docs/strategies.md, "hybrid"):
on each structured simulator profile x verifier strength, held-out
`optscale tune` (5-fold CV) at budgets 8, 16, 32, 64 over every shipped
strategy family; hybrid passes at a budget when no other tuned cell (any
family, any budget) has accuracy >= hybrid's + 0.2 points with tokens <=
hybrid's.

    python3 scripts/hybrid_bar.py --binary build/optscale --out-dir /tmp/hybrid-bar

Writes, per profile and strength, the pool, the tune JSON and its SVG plot
(the Pareto plot) under --out-dir, and prints the table as Markdown.
Everything is SIMULATED. Modest sizes by default (400 problems x 64 samples,
8 sample orders): a few minutes on 2 cores.
"""
import argparse
import json
import os
import subprocess
import sys

BUDGETS = "8|16|32|64"
TARGETS = "0.9|0.95|0.98"
STRATEGIES = [
    f"bon:n={BUDGETS}",
    f"sc:n={BUDGETS}",
    f"wsc:n={BUDGETS}",
    f"esc:n={BUDGETS},window=4|8",
    f"asc:n={BUDGETS},threshold=0.8|0.9|0.95|0.99",
    f"dsc:n={BUDGETS}",
    f"optscale0:n={BUDGETS},target={TARGETS}",
    f"optscalet:n={BUDGETS},target={TARGETS}",
    f"optscale-seq:n={BUDGETS},target={TARGETS},futility=0.05|0.2",
    f"hybrid:n={BUDGETS},threshold=0.8|0.9|0.95|0.99,verified_votes=1|4|16,target=0.95|0.98,futility=0|0.05",
]
MARGIN = 0.002  # 0.2 points


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr}")


def short(spec):
    """The spec without the keys left at their defaults that every config shares."""
    keep = ("threshold", "verified_votes", "target", "futility", "window")
    name, _, keys = spec.partition(":")
    parts = [k for k in keys.split(",") if k.split("=")[0] in keep]
    return name + (":" + ",".join(parts) if parts else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/optscale")
    parser.add_argument("--out-dir", default="/tmp/hybrid-bar")
    parser.add_argument("--problems", type=int, default=400)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--orders", type=int, default=8)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--profiles", nargs="+", default=["strong-reasoner", "mixed-reasoner"])
    parser.add_argument("--aurocs", nargs="+", default=["0.5", "0.75", "0.95"])
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    rows, failures = [], 0
    for profile in args.profiles:
        for auroc in args.aurocs:
            stem = os.path.join(args.out_dir, f"{profile}-auroc{auroc}")
            run([args.binary, "simulate", "--profile", profile, "--verifier-auroc", auroc,
                 "--problems", str(args.problems), "--samples", str(args.samples),
                 "--seed", str(args.seed), "--out", stem + ".jsonl"])
            cmd = [args.binary, "tune", "--pool", stem + ".jsonl", "--orders", str(args.orders),
                   "--threads", str(args.threads), "--json-out", stem + ".json", "--plot", stem + ".svg"]
            for s in STRATEGIES:
                cmd += ["--strategy", s]
            run(cmd)
            cells = json.load(open(stem + ".json"))["tuned"]
            hybrid = [c for c in cells if c["family"] == "hybrid"]
            others = [c for c in cells if c["family"] != "hybrid"]
            for h in sorted(hybrid, key=lambda c: c["budget"]):
                cheaper = [c for c in others if c["mean_tokens"] <= h["mean_tokens"]]
                best = max(cheaper, key=lambda c: (c["accuracy"], -c["mean_tokens"]), default=None)
                dominated = [c for c in cheaper if c["accuracy"] >= h["accuracy"] + MARGIN - 1e-12]
                def cell(family):
                    return next(c for c in others if c["family"] == family and c["budget"] == h["budget"])
                asc, seq = cell("asc"), cell("optscale-seq")
                verdict = "pass" if not dominated else "FAIL: " + ", ".join(
                    f"{c['family']} n={c['budget']}" for c in dominated)
                failures += bool(dominated)
                rows.append((profile, auroc, h["budget"],
                             f"{100 * h['accuracy']:.2f} / {h['mean_tokens']:.0f}",
                             short(h["chosen_most_often"]),
                             f"{100 * asc['accuracy']:.2f} / {asc['mean_tokens']:.0f}",
                             f"{100 * seq['accuracy']:.2f} / {seq['mean_tokens']:.0f}",
                             (f"{best['family']} n={best['budget']}: {100 * best['accuracy']:.2f} / "
                              f"{best['mean_tokens']:.0f}") if best else "none",
                             verdict))
    print(f"SIMULATED. `python3 scripts/hybrid_bar.py` ({args.problems} problems x {args.samples} "
          f"samples, seed {args.seed}, {args.orders} orders, 5-fold CV; accuracy % / mean tokens)\n")
    print("| profile | AUROC | n | hybrid | hybrid chosen | asc | optscale-seq | "
          "most accurate other cell with tokens <= hybrid's | bar |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print(f"\n{len(rows) - failures} of {len(rows)} cells pass.")


if __name__ == "__main__":
    main()
