"""optscale.fit: the truncated-normal MLE / MAP of `optscale fit --json`."""

import json

import numpy as np
import pytest

import optscale


@pytest.mark.parametrize(
    "scores, prior, prior_std, bounds",
    [
        ([0.91, 0.97, 0.88], None, None, "default"),
        ([0.91, 0.97, 0.88], (0.9, 0.05), None, "default"),
        ([0.2, 0.95, 0.6, 0.7, 0.99], (0.5, 0.2), (0.05, 0.2), "default"),
        ([0.5], None, None, "reference"),
    ],
)
def test_fit_equals_the_cli(cli, scores, prior, prior_std, bounds):
    flags = ["--scores", ",".join(map(str, scores)), "--bounds", bounds, "--json"]
    if prior:
        flags += ["--prior-mu", prior[0], "--prior-sigma", prior[1]]
    if prior_std:
        flags += ["--prior-std-mu", prior_std[0], "--prior-std-sigma", prior_std[1]]
    expected = json.loads(cli("fit", *flags))
    assert optscale.fit(scores, prior=prior, prior_std=prior_std, bounds=bounds) == expected


def test_fit_takes_numpy_arrays():
    scores = np.array([0.91, 0.97, 0.88])
    assert optscale.fit(scores) == optscale.fit(scores.tolist())
    assert optscale.fit(scores)["method"] == "mle"


def test_fit_errors():
    with pytest.raises(optscale.Error, match=r"^fit: scores: score 2 of 3 \(index 1\) is"):
        optscale.fit([0.5, 1.5, 0.2])
    with pytest.raises(optscale.Error, match=r"at least one"):
        optscale.fit([])
    with pytest.raises(optscale.Error, match=r"^fit: prior_std needs a prior"):
        optscale.fit([0.5], prior_std=(0.1, 0.1))
    with pytest.raises(optscale.Error, match=r"bounds must be"):
        optscale.fit([0.5], bounds="wide")
