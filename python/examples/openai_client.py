"""Compute-optimal best-of-N against OpenAI-compatible servers, driven by
optscale.Policy.

The generator is any OpenAI-compatible chat server (vLLM, SGLang, llama.cpp
server, Ollama, OpenAI) called through the `openai` client; the verifier is a
process reward model served by vLLM (`vllm serve Qwen/Qwen2.5-Math-PRM-7B
--runner pooling`), called on its /pooling route with the input
optscale.prm_input renders. Each problem's optscale.Policy decides how many
samples to draw and which to answer with.

    python3 python/examples/openai_client.py --problems problems.jsonl \
        --base-url http://gpu1:8000/v1 --model Qwen/Qwen2.5-Math-7B-Instruct \
        --scorer http://gpu2:8001 --scorer-model Qwen/Qwen2.5-Math-PRM-7B --out results.jsonl

Needs the `openai` package and the optscale package. (With no GPU, the
project's `optscale mock-server --pool POOL` plays both servers.)
"""

import argparse
import json
import os
import urllib.request

import optscale


class OpenAISampler:
    """draw(problem, k): k chat completions (one request each, so every sample's
    completion tokens are known exactly), each scored by the PRM server."""

    def __init__(self, base_url, model, scorer, scorer_model, api_key=None, max_tokens=4096, temperature=0.7):
        from openai import OpenAI  # only here: the rest of the file runs without it

        self.client = OpenAI(base_url=base_url, api_key=api_key or os.environ.get("OPENAI_API_KEY", "none"))
        self.model, self.scorer, self.scorer_model = model, scorer.rstrip("/"), scorer_model
        self.max_tokens, self.temperature = max_tokens, temperature
        self.drawn = 0  # seeds: a different sample each time, reproducible

    def __call__(self, problem, k):
        samples = []
        for _ in range(k):
            response = self.client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": "Please reason step by step, and put your final answer within \\boxed{}."},
                    {"role": "user", "content": problem},
                ],
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                seed=self.drawn,
            )
            self.drawn += 1
            text = response.choices[0].message.content or ""
            samples.append((text, self.score(problem, text), response.usage.completion_tokens))
        return samples

    def score(self, problem, text):
        body = json.dumps({"model": self.scorer_model, "input": optscale.prm_input(problem, text)}).encode()
        request = urllib.request.Request(self.scorer + "/pooling", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as reply:
            (rewards,) = optscale.pooling_rewards(reply.read().decode(), [text])
        return optscale.aggregate_steps(rewards)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--scorer", required=True)
    parser.add_argument("--scorer-model", required=True)
    parser.add_argument("--policy", default="optscale-seq:n=16,peek=5,batch=4")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sampler = OpenAISampler(args.base_url, args.model, args.scorer, args.scorer_model)
    with open(args.problems) as f, open(args.out, "w") as out:
        for line in f:
            if line.strip():
                item = json.loads(line)
                result = optscale.solve(item["problem"], args.policy, sampler, prior=item.get("prior"))
                out.write(json.dumps({"id": item.get("id"), **result}) + "\n")


if __name__ == "__main__":
    main()
