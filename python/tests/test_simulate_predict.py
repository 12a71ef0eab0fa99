"""optscale.simulate and optscale.Predictor: the same pools and priors as the program."""

import json

import pytest

import optscale


def test_simulate_equals_the_cli_pool(cli, tmp_path):
    out = tmp_path / "cli.jsonl"
    cli("simulate", "--problems", 20, "--samples", 8, "--seed", 3, "--out", out)
    expected = [json.loads(line) for line in out.read_text().splitlines()]
    written = tmp_path / "py.jsonl"
    got = optscale.simulate(problems=20, samples=8, seed=3, out=str(written))
    assert got == expected
    assert written.read_text() == out.read_text()
    assert all(p["synthetic"] for p in got)


def test_a_simulated_pool_replays(cli):
    pool = optscale.simulate(problems=30, samples=16, seed=5)
    (result,) = optscale.eval(pool, "bon:n=16")
    assert result["budget"] == 16 and 0.0 <= result["accuracy"] <= 1.0


def test_simulate_errors():
    with pytest.raises(optscale.Error, match="no-such-profile"):
        optscale.simulate(problems=2, samples=2, profile="no-such-profile")
    with pytest.raises(optscale.Error, match="no_such_constant"):
        optscale.simulate(problems=2, samples=2, params={"no_such_constant": 1.0})


PROBLEMS = ["What is the smallest prime greater than 100?", r"Compute $\int_0^1 x^2\,dx$."]


def test_predictor_equals_the_cli(cli):
    predictor = optscale.Predictor.load("default")
    got = predictor.predict(PROBLEMS)
    for text, prediction in zip(PROBLEMS, got):
        expected = json.loads(cli("predictor", "predict", "--problem", text, "--json"))
        assert prediction == (expected["mu"], expected["sigma"], expected["mu_std"], expected["sigma_std"])
    assert predictor.predict(PROBLEMS[0]) == got[:1]
    assert "text model" in repr(predictor)


def test_predictor_errors(tmp_path):
    with pytest.raises(optscale.Error, match="no-such-model.json"):
        optscale.Predictor.load(str(tmp_path / "no-such-model.json"))
    with pytest.raises(optscale.Error, match="no text to predict from"):
        optscale.Predictor.load("default").predict([""])
