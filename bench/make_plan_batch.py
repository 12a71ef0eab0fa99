#!/usr/bin/env python3
"""Writes a seeded `optscale plan --batch` input: one JSON object per line,
shaped like the paper's decisions (mu mostly in [0.3, 1.3], a few runaway fits
far above 1, sigma 1e-3..0.5, its target and confidence grids, budget 64,
every fourth line with a peek).

Usage: python3 bench/make_plan_batch.py 100000 > /tmp/plans.jsonl
"""
import json
import math
import random
import sys


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(2506)
    targets = [0.85, 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.99]
    deltas = [0.01, 0.02, 0.035, 0.05, 0.075, 0.1]
    out = sys.stdout
    for i in range(count):
        mu = 50.0 if i % 50 == 0 else rng.uniform(0.3, 1.3)
        line = {
            "mu": round(mu, 4),
            "sigma": round(math.exp(rng.uniform(math.log(1e-3), math.log(0.5))), 4) or 1e-4,
            "target": rng.choice(targets),
            "confidence": round(1 - rng.choice(deltas), 3),
            "budget": 64,
        }
        if i % 4 == 0:
            line["peek"] = 10
        out.write(json.dumps(line, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
