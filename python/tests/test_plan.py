"""optscale.plan and plan_many: the sample-count bound, the numbers `optscale plan` prints."""

import json

import numpy as np
import pytest

import optscale


def test_the_readme_example():
    result = optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=0.95)
    assert result["n"] == 21
    assert result["outcome"] == "reached"
    assert result["p_success"] == pytest.approx(0.956914, abs=1e-6)


def test_plan_equals_the_cli_json(cli):
    for args in [
        dict(mu=0.9, sigma=0.05, target=0.95, confidence=0.95),
        dict(mu=0.5, sigma=0.1, target=0.99, confidence=0.9, budget=16, peek=5),
        dict(mu=0.7, sigma=0.2, target=0.95, confidence=0.95, method="grid"),
        dict(mu=0.9, sigma=0.05, target=1.0, confidence=0.95),
    ]:
        flags = [f"--{k}={v}" for k, v in args.items()]
        assert optscale.plan(**args) == json.loads(cli("plan", "--json", *flags))


def seeded_laws(count, seed):
    rng = np.random.default_rng(seed)
    budget = rng.integers(1, 129, count)
    laws = {
        "mu": rng.uniform(-0.5, 1.5, count),
        "sigma": np.exp(rng.uniform(np.log(1e-4), np.log(2.0), count)),
        "target": rng.uniform(0.0, 1.0, count),
        "confidence": rng.uniform(0.5, 0.999, count),
        "budget": budget,
        "peek": (rng.uniform(0, 1, count) * (budget + 1)).astype(np.int64).clip(0, budget),
    }
    # The edge cases of the bound's documented rules, among them.
    laws["target"][:40] = [0.0, 1.0, -0.5, 1.5] * 10
    laws["sigma"][40:60] = 1e-12
    laws["mu"][60:80] = laws["target"][60:80]
    return laws


def test_plan_many_equals_plan_batch_over_10000_seeded_laws(cli, tmp_path):
    laws = seeded_laws(10_000, seed=20261203)
    batch = tmp_path / "laws.jsonl"
    with open(batch, "w") as f:
        for i in range(10_000):
            f.write(json.dumps({k: (int(v[i]) if k in ("budget", "peek") else float(v[i])) for k, v in laws.items()}))
            f.write("\n")
    expected = [json.loads(line) for line in cli("plan", "--batch", batch).splitlines()]
    got = optscale.plan_many(**laws)
    assert len(expected) == 10_000
    assert got["n"].tolist() == [e["n"] for e in expected]
    assert got["outcome"].tolist() == [e["outcome"] for e in expected]
    # The CLI prints the shortest text that reads back as the same double.
    assert got["p_success"].tolist() == [e["p_success"] for e in expected]
    assert set(got["outcome"].tolist()) == {"reached", "capped", "unreachable", "certain"}


def test_plan_many_broadcasts_and_keeps_the_shape():
    result = optscale.plan_many(mu=[[0.8], [0.9]], sigma=0.05, target=[0.9, 0.95, 0.99], confidence=0.95)
    assert result["n"].shape == (2, 3)
    assert result["outcome"].shape == (2, 3)
    for i, mu in enumerate([0.8, 0.9]):
        for j, target in enumerate([0.9, 0.95, 0.99]):
            one = optscale.plan(mu=mu, sigma=0.05, target=target, confidence=0.95)
            assert (result["n"][i, j], result["outcome"][i, j], result["p_success"][i, j]) == (
                one["n"],
                one["outcome"],
                one["p_success"],
            )


def test_plan_many_of_scalars_is_zero_dimensional():
    result = optscale.plan_many(0.9, 0.05, 0.95, 0.95)
    assert result["n"].shape == ()
    assert int(result["n"]) == 21


def test_errors_carry_the_library_messages():
    with pytest.raises(optscale.Error, match=r"^plan: confidence must be in \(0, 1\), got 1\.5$"):
        optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=1.5)
    with pytest.raises(optscale.Error, match=r"sigma must be finite and > 0, got 0"):
        optscale.plan(mu=0.9, sigma=0.0, target=0.95, confidence=0.95)
    with pytest.raises(optscale.Error, match=r"method must be \"exact\" or \"grid\", got \"fast\""):
        optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=0.95, method="fast")
    with pytest.raises(ValueError):  # optscale.Error is a ValueError
        optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=0.95, budget=0)


def test_plan_many_names_the_bad_element():
    with pytest.raises(optscale.Error, match=r"^plan_many: element 2 \(mu=0\.9, sigma=-1, .*sigma must be finite and > 0"):
        optscale.plan_many(mu=0.9, sigma=[0.1, 0.2, -1.0], target=0.95, confidence=0.95)
    with pytest.raises(optscale.Error, match=r"budget must be whole numbers"):
        optscale.plan_many(0.9, 0.05, 0.95, 0.95, budget=2.5)
    with pytest.raises(ValueError, match="shape mismatch|broadcast"):
        optscale.plan_many(mu=[0.9, 0.8], sigma=[0.1, 0.2, 0.3], target=0.95, confidence=0.95)


def test_plan_requires_keywords():
    with pytest.raises(TypeError):
        optscale.plan(0.9, 0.05, 0.95, 0.95)
