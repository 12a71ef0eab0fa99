"""optscale.eval / tune: the replay jobs of `optscale eval --json` and `tune --json`."""

import json

import pytest

import optscale

# Every strategy family, each at two budgets or settings (docs/strategies.md).
EVERY_STRATEGY = [
    "bon:n=8|32",
    "sc:n=8|32",
    "wsc:n=16",
    "esc:n=32,window=4",
    "asc:n=32",
    "dsc:n=32",
    "optscale0:n=16|64,peek=5,target=0.95,confidence=0.95",
    "optscalet:n=16,peek=5,target=0.95|0.99,confidence=0.9",
    "optscale-seq:n=16,peek=5,batch=4",
]


def cli_json(cli, command, pool, specs, *flags):
    args = [command, "--pool", pool, "--json", *flags]
    for spec in specs:
        args += ["--strategy", spec]
    return json.loads(cli(*args))


def test_eval_equals_the_cli_for_every_strategy(cli, pool_path):
    expected = cli_json(cli, "eval", pool_path, EVERY_STRATEGY)["results"]
    got = optscale.eval(str(pool_path), EVERY_STRATEGY)
    assert got == expected
    assert {r["family"] for r in got} == {s.split(":")[0] for s in EVERY_STRATEGY}


def test_eval_with_seeded_orders_equals_the_cli(cli, pool_path):
    specs = ["optscale0:n=16,peek=5,target=0.95,confidence=0.95", "sc:n=8"]
    expected = cli_json(cli, "eval", pool_path, specs, "--orders", "3", "--seed", "7")["results"]
    assert optscale.eval(pool_path, specs, orders=3, seed=7, threads=1) == expected


def test_a_list_of_dicts_is_the_same_pool_as_its_file(tmp_path, pool_path, pool_problems):
    prefix = tmp_path / "prefix.jsonl"
    with open(pool_path) as f:
        prefix.write_text("".join(f.readline() for _ in range(100)))
    specs = ["bon:n=16", "optscale-seq:n=16,peek=5"]
    assert optscale.eval(pool_problems[:100], specs) == optscale.eval(prefix, specs)


def test_tune_equals_the_cli(cli, pool_path):
    specs = ["optscale0:n=16,peek=5,target=0.9|0.95|0.99,confidence=0.9|0.95", "bon:n=16"]
    expected = cli_json(cli, "tune", pool_path, specs, "--folds", "3", "--seed", "2")
    got = optscale.tune(pool_path, specs, folds=3, seed=2)
    assert got == expected
    assert got["tuned"] and got["pareto"]


def test_eval_writes_the_plot_and_csv_asked_for(tmp_path, pool_path):
    optscale.eval(pool_path, "bon:n=4|8", plot=str(tmp_path / "p.svg"), csv=str(tmp_path / "r.csv"))
    assert "<svg" in (tmp_path / "p.svg").read_text()
    assert (tmp_path / "r.csv").read_text().startswith("data,strategy")


def test_errors_name_the_record_and_field(pool_problems):
    bad = [dict(p) for p in pool_problems[:3]]
    bad[2] = dict(bad[2], samples=[dict(bad[2]["samples"][0], score=float("nan"))])
    with pytest.raises(optscale.Error, match=r"^pool\[2\]: samples\[0\]\.score: must be in \[0,1\], got NaN$"):
        optscale.eval(bad, "bon:n=1")
    with pytest.raises(optscale.Error, match=r"^pool\[1\]: expected a dict"):
        optscale.eval([bad[0], "not a problem"], "bon:n=1")
    with pytest.raises(optscale.Error, match=r"no-such-pool\.jsonl: cannot open for reading"):
        optscale.eval("no-such-pool.jsonl", "bon:n=1")
    with pytest.raises(optscale.Error, match=r"bon:n=x"):
        optscale.eval(pool_problems[:3], "bon:n=x")
    with pytest.raises(optscale.Error, match=r"^orders: must be >= 1, got 0$"):
        optscale.eval(pool_problems[:3], "bon:n=1", orders=0)
    with pytest.raises(optscale.Error, match=r"^pool: expected a path or a list of problem dicts, got int$"):
        optscale.eval(3, "bon:n=1")
