#!/usr/bin/env python3
"""Writes a synthetic scored pool with realistic completion texts, shaped like
an imported reasoning-model pool (`optscale pool import`): each sample has a
`text` (LaTeX reasoning ending in \\boxed{answer}, escapes, newlines, a few
non-ASCII characters) but no `answer` and no `correct` field, so every reader
extracts the answer from the text and grades it against `gold`, as it would
for a real pool. Scores, tokens and answers come from the bundled simulated
pool (examples/simulated-math500.jsonl), repeated with new ids past 500
problems. Seeded: the same arguments write the same bytes.

Usage: python3 bench/make_big_pool.py [--problems 500] [--samples 64]
           [--text-bytes 7200] [--answers] OUT.jsonl
(500 x 64 x 7200 is about 245 MB, ~7.6 KB of JSON a sample; --answers also
writes each sample's `answer` field, so nothing is extracted.)
"""
import argparse
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "..", "examples", "simulated-math500.jsonl")

STEPS = [
    "Let $x = \\frac{{{a}}}{{{b}}}$ and note that $x^2 + {c}x - {d} = 0$.",
    "We have $\\sqrt{{{a}}} \\cdot \\sqrt{{{b}}} = \\sqrt{{{e}}}$, so the product is {e}.",
    "Substituting $n = {a}$ gives $\\sum_{{k=1}}^{{n}} k = \\frac{{n(n+1)}}{{2}} = {f}$.",
    "Wait, let me double-check this step: {a} \u00d7 {b} = {e}, which matches.",
    "Since $\\angle ABC = {c}^\\circ$, the remaining angle is $180^\\circ - {c}^\\circ = {g}^\\circ$.",
    "Hmm, that doesn't look right. Let's try again with $y = {b}$ instead.",
    "By the triangle inequality, $|a - b| \\le {a} + {b}$, and equality needs \"collinear\" points.",
    "So the probability is $\\dfrac{{{c}}}{{{d}}}$, which is already in lowest terms \u2264 1.",
    "Therefore $\\pi r^2 = {a}\\pi$ and $r = \\sqrt{{{a}}}$.",
    "Okay, so now I need to compute $\\binom{{{a}}}{{2}} = {h}$.\n\nThat gives the count.",
]


def text_for(rng, answer, target):
    parts = ["Okay, let's see. I need to solve this problem step by step.\n\n"]
    size = len(parts[0])
    while size < target:
        a, b = rng.randint(2, 99), rng.randint(2, 99)
        step = rng.choice(STEPS).format(a=a, b=b, c=rng.randint(1, 89), d=rng.randint(2, 999),
                                        e=a * b, f=a * (a + 1) // 2, g=rng.randint(91, 179),
                                        h=a * (a - 1) // 2)
        step += "\n\n" if rng.random() < 0.3 else " "
        parts.append(step)
        size += len(step)
    parts.append("\n\n**Final Answer**\nThe answer is $\\boxed{" + answer + "}$.")
    return "".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--problems", type=int, default=500)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--text-bytes", type=int, default=7200, help="mean completion length in characters")
    parser.add_argument("--answers", action="store_true", help="also write each sample's answer")
    args = parser.parse_args()
    with open(BASE) as f:
        base = [json.loads(line) for line in f if line.strip()]
    rng = random.Random(2506)
    with open(args.out, "w") as out:
        for i in range(args.problems):
            src = base[i % len(base)]
            line = {"id": "big-%d" % i, "problem": src["problem"], "gold": src["gold"],
                    "prior": src["prior"], "generator": "synthetic-texts", "verifier": src["verifier"],
                    "synthetic": True, "samples": []}
            samples = src["samples"]
            for k in range(args.samples):
                s = samples[k % len(samples)]
                answer = s.get("answer") or "?"
                target = int(args.text_bytes * rng.uniform(0.5, 1.5))
                sample = {"text": text_for(rng, answer, target)}
                if args.answers:
                    sample["answer"] = answer
                sample["score"] = s["score"]
                sample["tokens"] = s["tokens"]
                line["samples"].append(sample)
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
