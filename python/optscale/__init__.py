"""optscale: compute-optimal best-of-N sampling with a verifier (OptScale).

Bindings over the optscale C++ library, nothing reimplemented: the same
numbers as the `optscale` program (`plan`, `fit`, `eval`, `tune`,
`simulate`, `predictor predict`) and the same per-problem policy driver as
its live engine and proxy, for loops written in Python (vLLM offline, an
OpenAI client, anything that draws and scores samples)::

    import optscale

    policy = optscale.Policy("optscale-seq:n=16,peek=5,target=0.95,confidence=0.95")
    k = policy.next()
    while k > 0:
        for text, score, tokens in draw_and_score(prompt, k):   # your generator + verifier
            policy.observe(score, text=text, tokens=tokens)
        k = policy.next()
    best = policy.select()     # index of the chosen sample; policy.stop_reason says why

Results are plain dicts, lists and numpy arrays. Bad input raises
optscale.Error (a ValueError) with the library's message, naming what and
where. Long calls release the GIL; eval and tune run on the library's own
threads.
"""

import os as _os

from . import _optscale
from ._optscale import (
    Error,
    Policy,
    Predictor,
    aggregate_steps,
    answers_equivalent,
    canonical_key,
    eval,
    extract_answer,
    fit,
    plan,
    pooling_rewards,
    prm_input,
    simulate,
    tune,
)

__all__ = [
    "Error",
    "Policy",
    "Predictor",
    "aggregate_steps",
    "answers_equivalent",
    "canonical_key",
    "eval",
    "extract_answer",
    "fit",
    "plan",
    "plan_many",
    "pooling_rewards",
    "prm_input",
    "simulate",
    "solve",
    "tune",
]

Error.__module__ = "optscale"  # tracebacks say optscale.Error
Error.__doc__ = """Bad input, a bad strategy spec, a missing file...: the library's message,
naming what and where (file:line, pool[i], field, spec key). A ValueError."""



def solve(problem, policy, draw, prior=None):
    """Drives one problem to its decision: the policy `policy` (a strategy spec)
    asks for k samples, `draw(problem, k)` returns k (text, score, tokens), until
    it stops. Returns a dict: the chosen sample's `answer`, `text` and index
    `selected` (-1 when nothing was chosen), and the accounting `samples`,
    `budget`, `tokens`, `stop_reason`, `scores`."""
    run = Policy(policy, prior=prior, problem=problem)
    texts = []
    k = run.next()
    while k > 0:
        for text, score, tokens in draw(problem, k):
            run.observe(score, text=text, tokens=tokens)
            texts.append(text)
        k = run.next()
    best = run.select()
    return {
        "answer": run.answer,
        "text": texts[best] if best >= 0 else None,
        "selected": best,
        "samples": run.observed,
        "budget": run.budget,
        "tokens": run.tokens,
        "stop_reason": run.stop_reason,
        "scores": run.scores,
    }


# The shipped predictor model travels in the package (data/models/...).
_optscale._add_data_root(_os.path.join(_os.path.dirname(__file__), "data"))


def plan_many(mu, sigma, target, confidence, budget=64, peek=0, method="exact"):
    """plan() over arrays: numpy-broadcast mu, sigma, target, confidence,
    budget and peek, one decision per element, the numbers `optscale plan
    --batch` prints for the same laws.

    Returns {"n": int64 array, "outcome": str array, "p_success": float64
    array}, each of the broadcast shape (pandas.DataFrame takes it as is for
    1-D input). Raises optscale.Error naming the first bad element. Runs
    without the GIL. Needs numpy (Debian: python3-numpy).
    """
    try:
        import numpy as np
    except ImportError as e:  # pragma: no cover - numpy is a declared dependency
        raise Error("plan_many needs numpy (Debian: apt-get install python3-numpy)") from e
    arrays = np.broadcast_arrays(
        np.asarray(mu, dtype=np.float64),
        np.asarray(sigma, dtype=np.float64),
        np.asarray(target, dtype=np.float64),
        np.asarray(confidence, dtype=np.float64),
        _integers(np, budget, "budget"),
        _integers(np, peek, "peek"),
    )
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
    n, codes, p_success = _optscale._plan_arrays(*flat, method)
    outcome = np.asarray(_optscale._OUTCOMES)[codes]
    return {"n": n.reshape(shape), "outcome": outcome.reshape(shape), "p_success": p_success.reshape(shape)}


def _integers(np, values, name):
    array = np.asarray(values)
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or not np.all(array == np.floor(array)):
            raise Error(f"plan_many: {name} must be whole numbers")
    elif array.dtype.kind not in "iub":
        raise Error(f"plan_many: {name} must be integers, got dtype {array.dtype}")
    return array.astype(np.int64)
