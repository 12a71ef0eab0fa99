"""optscale.Policy: a Python loop over the pool's samples makes exactly
`eval`'s decisions (the same per-problem driver), and misuse is refused with
a message."""

import collections

import pytest

import optscale

PER_PROBLEM = [
    "bon:n=8",
    "sc:n=16",
    "wsc:n=16",
    "esc:n=32,window=4",
    "asc:n=32",
    "optscale0:n=16,peek=5,target=0.95,confidence=0.95",
    "optscalet:n=16,peek=5,target=0.95,confidence=0.9",
    "optscale-seq:n=16,peek=5,batch=4",
]


def run_loop(spec, problem, prior="pool"):
    """The loop a user writes, drawing from the problem's pool samples in order."""
    if prior == "pool":
        prior = problem.get("prior")
    policy = optscale.Policy(spec, prior=prior, problem=problem["problem"], id=problem["id"])
    drawn = 0
    k = policy.next()
    while k > 0:
        for sample in problem["samples"][drawn : drawn + k]:
            policy.observe(sample["score"], answer=sample.get("answer"), tokens=sample["tokens"], text=sample.get("text"))
        drawn += k
        k = policy.next()
    return policy


def correct(problem, index):
    if index < 0:
        return False
    sample = problem["samples"][index]
    if "correct" in sample:
        return sample["correct"]
    return optscale.answers_equivalent(sample["answer"], problem["gold"])


@pytest.mark.parametrize("spec", PER_PROBLEM)
def test_a_policy_loop_over_the_pool_equals_eval(spec, pool_problems):
    (expected,) = optscale.eval(pool_problems, spec)
    policies = [run_loop(spec, problem) for problem in pool_problems]
    count = len(pool_problems)
    accuracy = sum(correct(p, policy.select()) for p, policy in zip(pool_problems, policies)) / count
    assert accuracy == pytest.approx(expected["accuracy"], rel=1e-12, abs=1e-15)
    assert sum(p.observed for p in policies) / count == pytest.approx(expected["mean_samples"], rel=1e-12)
    assert sum(p.tokens for p in policies) / count == pytest.approx(expected["mean_tokens"], rel=1e-12)
    assert dict(collections.Counter(p.stop_reason for p in policies)) == expected["stop_reasons"]


def test_priors_from_a_predictor_loaded_once_equal_eval_with_predictor_default(pool_problems):
    spec = "optscalet:n=16,peek=5,target=0.95,confidence=0.9"
    (expected,) = optscale.eval(pool_problems, spec + ",predictor=default")
    priors = optscale.Predictor.load("default").predict([p["problem"] for p in pool_problems])
    # The predicted std is the prior's only where the spec says so (as predictor= implies).
    policies = [run_loop(spec + ",prior_std=predictor", p, prior) for p, prior in zip(pool_problems, priors)]
    assert sum(p.observed for p in policies) / len(policies) == pytest.approx(expected["mean_samples"], rel=1e-12)
    assert dict(collections.Counter(p.stop_reason for p in policies)) == expected["stop_reasons"]
    # A spec naming the predictor predicts the same prior itself (loading the model each time).
    first = run_loop(spec + ",predictor=default", pool_problems[0], prior=None)
    assert (first.observed, first.select()) == (policies[0].observed, policies[0].select())


def test_the_selected_sample_and_its_answer():
    policy = optscale.Policy("bon:n=3")
    assert policy.stop_reason is None and not policy.stopped
    assert policy.next() == 3
    for score, text in [(0.2, r"\boxed{1}"), (0.9, r"so \boxed{\frac{1}{2}}"), (0.5, "no answer")]:
        policy.observe(score, text=text, tokens=10)
    assert policy.next() == 0 and policy.stopped
    assert policy.select() == 1
    assert policy.answer == r"\frac{1}{2}"
    assert policy.answers == ["1", r"\frac{1}{2}", None]
    assert policy.scores == [0.2, 0.9, 0.5] and policy.tokens == 30
    assert policy.next() == 0  # stays stopped


def test_misuse_is_refused_with_a_message():
    policy = optscale.Policy("bon:n=2")
    with pytest.raises(optscale.Error, match=r"^Policy.observe\(\): call next\(\) first"):
        policy.observe(0.5)
    with pytest.raises(optscale.Error, match=r"^Policy.select\(\): the policy has not stopped yet"):
        policy.select()
    assert policy.next() == 2
    policy.observe(0.5, answer="1")
    with pytest.raises(optscale.Error, match=r"^Policy.next\(\): 1 of the 2 samples asked for are not observed yet$"):
        policy.next()
    with pytest.raises(optscale.Error, match=r"score must be finite and in \[0, 1\]"):
        policy.observe(1.5, answer="1")
    policy.observe(0.7, answer="2")
    with pytest.raises(optscale.Error, match=r"^Policy.observe\(\): all 2 samples asked for are observed; call next\(\)$"):
        policy.observe(0.7, answer="2")
    assert policy.next() == 0
    with pytest.raises(optscale.Error, match=r"^Policy.observe\(\): the policy has stopped \(budget\)$"):
        policy.observe(0.7)


def test_bad_specs_and_priors():
    with pytest.raises(optscale.Error, match=r"is a sweep of 2 configurations"):
        optscale.Policy("bon:n=8|16")
    with pytest.raises(optscale.Error, match=r"nosuch"):
        optscale.Policy("nosuch:n=8")
    with pytest.raises(optscale.Error, match=r"dsc"):
        optscale.Policy("dsc:n=16").next()
    with pytest.raises(optscale.Error, match=r"prior must be \(mu, sigma\)"):
        optscale.Policy("optscalet:n=16", prior=(0.9,))
    with pytest.raises(optscale.Error, match=r"names its priors \(predictor=default\); don't pass prior= as well"):
        optscale.Policy("optscalet:n=16,predictor=default", prior=(0.9, 0.1), problem="What is 1+1?")
