"""The install path: pip builds a wheel through the in-tree backend
(python/build_backend) from this build folder, without compiling the library
again, and the installed package works on its own (its predictor model
inside it)."""

import os
import pathlib
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_pip_builds_a_wheel_that_works_alone(tmp_path):
    env = dict(os.environ)
    env.setdefault("OPTSCALE_BUILD_DIR", str(ROOT / "build"))
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("optscale-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ["optscale/__init__.py", "optscale/__init__.pyi", "optscale/py.typed",
                     "optscale/data/models/default-predictor.json", "optscale-0.1.0.dist-info/RECORD"]:
        assert expected in names
    assert any(n.startswith("optscale/_optscale.") and n.endswith(".so") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # A fresh interpreter that sees only the unpacked wheel, run from elsewhere.
    env["PYTHONPATH"] = str(site)
    env.pop("OPTSCALE_PREDICTOR", None)
    check = (
        "import optscale, pathlib;"
        "assert pathlib.Path(optscale.__file__).parent.parent == pathlib.Path(%r);"
        "print(optscale.plan(mu=0.9, sigma=0.05, target=0.95, confidence=0.95)['n']);"
        "print(len(optscale.Predictor.load('default').predict(['What is 1+1?'])))" % str(site)
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["21", "1"]
