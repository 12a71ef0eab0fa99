"""Long calls release the GIL, so other Python threads run meanwhile.

Not a timing check: with the interpreter's switch interval raised to 1000 s,
a thread holding the GIL is never made to give it up, so the main thread can
only run while the worker is inside a call if that call released the GIL
itself. The main thread counts the loop turns it makes while the worker is
inside the call: exactly 0 if the GIL were held throughout, and at least 1
when it is released (the main thread wakes as soon as it is).
"""

import sys
import threading
import time

import numpy as np
import pytest

import optscale
from optscale import _optscale


def turns_while_inside(call):
    inside = threading.Event()
    outcome = {}

    def worker():
        inside.set()
        try:
            outcome["value"] = call()
        except BaseException as e:  # reported below
            outcome["error"] = e
        inside.clear()

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        turns = 0
        while thread.is_alive():
            if inside.is_set():
                turns += 1
            time.sleep(0)  # lets the worker take the GIL back when its call returns
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    if "error" in outcome:
        raise outcome["error"]
    return turns, outcome["value"]


def test_plan_many_releases_the_gil():
    count = 1_000_000
    arrays = [np.full(count, 0.9), np.full(count, 0.05), np.full(count, 0.95), np.full(count, 0.95)]
    ints = [np.full(count, 64, dtype=np.int64), np.zeros(count, dtype=np.int64)]
    turns, (n, _, _) = turns_while_inside(lambda: _optscale._plan_arrays(*arrays, *ints, "exact"))
    assert turns > 0
    assert int(n[0]) == 21 and int(n[-1]) == 21


def test_eval_releases_the_gil(pool_path):
    specs = ["optscale-seq:n=64,peek=5,target=0.9|0.95|0.99,confidence=0.9|0.95", "asc:n=64"]
    turns, results = turns_while_inside(lambda: optscale.eval(pool_path, specs, threads=1))
    assert turns > 0
    assert len(results) == 7


def test_tune_releases_the_gil(pool_path):
    spec = "optscale0:n=64,peek=5,target=0.9|0.95|0.99,confidence=0.8|0.9|0.95"
    turns, report = turns_while_inside(lambda: optscale.tune(pool_path, spec, threads=1))
    assert turns > 0
    assert report["tuned"]


def test_simulate_releases_the_gil():
    turns, pool = turns_while_inside(lambda: optscale.simulate(problems=2000, samples=64, seed=1))
    assert turns > 0 and len(pool) == 2000


def test_predict_releases_the_gil():
    predictor = optscale.Predictor.load("default")
    problems = [f"Problem {i}: what is {i} + {i} times the sum of the first {i} primes?" for i in range(3000)]
    turns, predictions = turns_while_inside(lambda: predictor.predict(problems))
    assert turns > 0 and len(predictions) == 3000


def test_the_check_sees_a_call_that_holds_the_gil():
    # sorted() runs in C holding the GIL all along: no turn can happen.
    values = np.random.default_rng(0).uniform(size=2_000_000).tolist()
    turns, ordered = turns_while_inside(lambda: sorted(values))
    assert turns == 0 and len(ordered) == 2_000_000


def test_two_threads_run_eval_at_once_with_the_results_of_one(pool_path):
    specs = ["optscale0:n=64,peek=5,target=0.95|0.99,confidence=0.95", "sc:n=32"]
    alone = optscale.eval(pool_path, specs, threads=1)
    results = [None, None]

    def run(i):
        results[i] = optscale.eval(pool_path, specs, threads=1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [alone, alone]
