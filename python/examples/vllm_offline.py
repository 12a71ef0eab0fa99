"""Compute-optimal best-of-N with vLLM offline, driven by optscale.Policy.

vLLM's LLM.generate draws the samples, a process reward model loaded in vLLM
as a reward model scores them (LLM.reward, or LLM.encode on newer vLLM), and
for each problem optscale.Policy decides how many samples to draw and which
one to answer with, exactly as `optscale run` would with the same samples.

    python3 python/examples/vllm_offline.py --problems problems.jsonl \
        --model Qwen/Qwen2.5-Math-7B-Instruct --prm Qwen/Qwen2.5-Math-PRM-7B \
        --policy optscale-seq:n=16,peek=5,batch=4 --out results.jsonl

problems.jsonl: one {"id": ..., "problem": ...} per line (a pool's lines do).
Needs a GPU with vllm installed, and the optscale package
(`python3 -m pip install --no-build-isolation .` in the optscale checkout).
"""

import argparse
import json

import optscale


class VllmSampler:
    """draw(problem, k): k completions from `model`, each scored by the PRM `prm`
    (inputs in the Qwen2.5-Math-PRM format optscale.prm_input renders; step
    rewards to one score by optscale.aggregate_steps, the engine's rule)."""

    def __init__(self, model, prm, temperature=0.7, top_p=0.95, max_tokens=4096, seed=0, aggregation="mean"):
        from vllm import LLM, SamplingParams  # only here: the rest of the file runs without vllm

        self.llm = LLM(model=model, seed=seed, gpu_memory_utilization=0.45)
        # vLLM <= 0.9: task="reward"; newer: runner="pooling".
        try:
            self.prm = LLM(model=prm, runner="pooling", gpu_memory_utilization=0.45)
        except TypeError:
            self.prm = LLM(model=prm, task="reward", gpu_memory_utilization=0.45)
        self.tokenizer = self.llm.get_tokenizer()
        self.sampling = lambda k: SamplingParams(n=k, temperature=temperature, top_p=top_p, max_tokens=max_tokens)
        self.aggregation = aggregation

    def __call__(self, problem, k):
        prompt = self.tokenizer.apply_chat_template(
            [
                {"role": "system", "content": "Please reason step by step, and put your final answer within \\boxed{}."},
                {"role": "user", "content": problem},
            ],
            tokenize=False,
            add_generation_prompt=True,
        )
        completions = self.llm.generate([prompt], self.sampling(k), use_tqdm=False)[0].outputs
        texts = [c.text for c in completions]
        inputs = [optscale.prm_input(problem, text) for text in texts]
        if hasattr(self.prm, "reward"):
            rewarded = self.prm.reward(inputs, use_tqdm=False)
        else:
            rewarded = self.prm.encode(inputs, pooling_task="token_classify", use_tqdm=False)
        scores = [optscale.aggregate_steps(step_rewards(r), self.aggregation) for r in rewarded]
        return [(text, score, len(c.token_ids)) for text, score, c in zip(texts, scores, completions)]


def step_rewards(output):
    """P(step is good) at each <extra_0>: the positive column of the PRM's
    two-class output (one number per step for single-label heads)."""
    rows = output.outputs.data.tolist()
    return [row[1] if isinstance(row, list) else row for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--prm", required=True)
    parser.add_argument("--policy", default="optscale-seq:n=16,peek=5,batch=4")
    parser.add_argument("--max-tokens", type=int, default=4096)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sampler = VllmSampler(args.model, args.prm, max_tokens=args.max_tokens, seed=args.seed)
    with open(args.problems) as f, open(args.out, "w") as out:
        for line in f:
            if line.strip():
                item = json.loads(line)
                result = optscale.solve(item["problem"], args.policy, sampler, prior=item.get("prior"))
                out.write(json.dumps({"id": item.get("id"), **result}) + "\n")


if __name__ == "__main__":
    main()
