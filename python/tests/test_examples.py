"""The examples' loop (optscale.solve, which python/examples/ run per problem)
makes `eval`'s decisions drawing a pool's samples in order; the examples'
samplers work with stand-ins for vLLM and the OpenAI client; and the PRM
helpers they use read what vLLM sends."""

import collections
import importlib.util
import json
import types

import pytest

import optscale
from conftest import ROOT

SPEC = "optscale-seq:n=16,peek=5,batch=4"


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "python" / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text_of(sample):
    return f"Step 1.\n\nSo the answer is \\boxed{{{sample['answer']}}}." if "answer" in sample else "I give up."


class PoolDraws:
    """draw(problem, k): the next k samples of that problem in the pool."""

    def __init__(self, problems):
        self.by_text = {p["problem"]: p for p in problems}
        self.drawn = collections.Counter()

    def __call__(self, problem, k):
        start = self.drawn[problem]
        self.drawn[problem] += k
        samples = self.by_text[problem]["samples"][start : start + k]
        return [(text_of(s), s["score"], s["tokens"]) for s in samples]


def test_solve_makes_evals_decisions(pool_problems):
    """optscale.solve, the loop both examples run per problem."""
    problems = pool_problems[:100]
    (expected,) = optscale.eval(problems, SPEC)
    draw = PoolDraws(problems)
    results = [optscale.solve(p["problem"], SPEC, draw, prior=p.get("prior")) for p in problems]
    assert all(r["budget"] == 16 and len(r["scores"]) == r["samples"] for r in results)
    assert sum(r["samples"] for r in results) / 100 == pytest.approx(expected["mean_samples"], rel=1e-12)
    assert sum(r["tokens"] for r in results) / 100 == pytest.approx(expected["mean_tokens"], rel=1e-12)
    assert dict(collections.Counter(r["stop_reason"] for r in results)) == expected["stop_reasons"]
    correct = [r["selected"] >= 0 and p["samples"][r["selected"]]["correct"] for p, r in zip(problems, results)]
    assert sum(correct) / 100 == pytest.approx(expected["accuracy"], rel=1e-12)
    assert all(r["answer"] == p["samples"][r["selected"]].get("answer") for p, r in zip(problems, results) if r["selected"] >= 0)


def test_the_vllm_sampler_with_stand_ins_for_vllm():
    example = load_example("vllm_offline")
    calls = {}

    class Tokenizer:
        def apply_chat_template(self, messages, tokenize, add_generation_prompt):
            return "PROMPT:" + messages[-1]["content"]

    class Generator:
        def generate(self, prompts, params, use_tqdm):
            calls["prompts"] = prompts
            outputs = [types.SimpleNamespace(text=f"Step.\n\n\\boxed{{{i}}}", token_ids=[0] * (10 + i)) for i in range(params)]
            return [types.SimpleNamespace(outputs=outputs)]

    class Prm:
        def reward(self, inputs, use_tqdm):
            calls["prm_inputs"] = inputs
            rows = lambda i: types.SimpleNamespace(tolist=lambda: [[0.9, 0.1], [1 - 0.1 * i, 0.1 * i]])
            return [types.SimpleNamespace(outputs=types.SimpleNamespace(data=rows(i))) for i in range(len(inputs))]

    sampler = object.__new__(example.VllmSampler)
    sampler.llm, sampler.prm, sampler.tokenizer = Generator(), Prm(), Tokenizer()
    sampler.sampling, sampler.aggregation = (lambda k: k), "mean"
    drawn = sampler("What is 1+1?", 3)
    assert calls["prompts"] == ["PROMPT:What is 1+1?"]
    assert calls["prm_inputs"][1] == optscale.prm_input("What is 1+1?", "Step.\n\n\\boxed{1}")
    assert [t for t, _, _ in drawn] == ["Step.\n\n\\boxed{0}", "Step.\n\n\\boxed{1}", "Step.\n\n\\boxed{2}"]
    assert [s for _, s, _ in drawn] == pytest.approx([0.05, 0.1, 0.15])
    assert [n for _, _, n in drawn] == [10, 11, 12]


def test_the_openai_sampler_with_stand_ins_for_the_client_and_the_prm_server(monkeypatch):
    example = load_example("openai_client")

    def create(**request):
        assert request["messages"][-1]["content"] == "What is 1+1?"
        choice = types.SimpleNamespace(message=types.SimpleNamespace(content=f"Two.\n\n\\boxed{{{request['seed']}}}"))
        return types.SimpleNamespace(choices=[choice], usage=types.SimpleNamespace(completion_tokens=7))

    class Reply:
        def __init__(self, body):
            self.body = body

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return self.body

    def urlopen(request, timeout):
        sent = json.loads(request.data)
        assert request.full_url == "http://prm:8001/pooling" and sent["model"] == "prm"
        assert sent["input"].count("<extra_0>") == 2
        return Reply(json.dumps({"data": [{"index": 0, "data": [[0.2, 0.8], [0.4, 0.6]]}]}).encode())

    monkeypatch.setattr(example.urllib.request, "urlopen", urlopen)
    sampler = object.__new__(example.OpenAISampler)
    sampler.client = types.SimpleNamespace(chat=types.SimpleNamespace(completions=types.SimpleNamespace(create=create)))
    sampler.model, sampler.scorer, sampler.scorer_model = "m", "http://prm:8001", "prm"
    sampler.max_tokens, sampler.temperature, sampler.drawn = 100, 0.7, 0
    drawn = sampler("What is 1+1?", 2)
    assert drawn == [("Two.\n\n\\boxed{0}", pytest.approx(0.7), 7), ("Two.\n\n\\boxed{1}", pytest.approx(0.7), 7)]


def test_the_prm_helpers():
    text = optscale.prm_input("What is 1+1?", "One.\n\nTwo.")
    assert text.startswith("<|im_start|>system\nPlease reason step by step")
    assert "<|im_start|>user\nWhat is 1+1?<|im_end|>" in text
    assert "<|im_start|>assistant\nOne.<extra_0>Two.<extra_0><|im_end|>" in text
    assert optscale.aggregate_steps([0.5, 1.0]) == 0.75
    assert optscale.aggregate_steps([0.5, 1.0], "min") == 0.5
    assert optscale.aggregate_steps([]) == 0.0
    body = json.dumps({"data": [{"index": 1, "data": [0.3]}, {"index": 0, "data": [[0.1, 0.9], [0.5, 0.5]]}]})
    assert optscale.pooling_rewards(body, ["a\n\nb", "c"]) == [[0.9, 0.5], [0.3]]
    with pytest.raises(optscale.Error, match="item"):
        optscale.pooling_rewards(body, ["a", "c"])
