"""Shared fixtures of the Python package's tests.

The tests import `optscale` from the build (CTest sets PYTHONPATH to
build/python) and compare it with the `optscale` program of the same build
($OPTSCALE_BINARY, else build/optscale). Run them with `bash scripts/test.sh`
(CTest, label `python`) or directly:
    PYTHONPATH=build/python python3 -m pytest python/tests
"""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
POOL = ROOT / "examples" / "simulated-math500.jsonl"


def _binary():
    given = os.environ.get("OPTSCALE_BINARY")
    return pathlib.Path(given) if given else ROOT / "build" / "optscale"


@pytest.fixture(scope="session")
def cli():
    """Runs `optscale ARGS...`, returns its stdout; fails the test on a non-zero exit."""
    binary = _binary()
    if not binary.is_file():
        pytest.fail(f"the optscale program is not built: {binary} (run bash scripts/setup.sh)")

    def run(*args, input=None):
        done = subprocess.run([str(binary), *map(str, args)], input=input, capture_output=True, text=True)
        assert done.returncode == 0, f"optscale {' '.join(map(str, args))} failed: {done.stderr}"
        return done.stdout

    return run


@pytest.fixture(scope="session")
def pool_path():
    return POOL


@pytest.fixture(scope="session")
def pool_problems():
    with open(POOL, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
