# Type stubs of the optscale package (the native module _optscale and the
# Python helpers in __init__.py). Docstrings live in the module itself.
import os
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence, TypedDict

import numpy as np
import numpy.typing as npt

Outcome = Literal["reached", "capped", "unreachable", "certain"]

class Error(ValueError): ...

class PlanResult(TypedDict):
    n: int
    outcome: Outcome
    p_success: float

def plan(
    *,
    mu: float,
    sigma: float,
    target: float,
    confidence: float,
    budget: int = 64,
    peek: int = 0,
    method: Literal["exact", "grid"] = "exact",
) -> PlanResult: ...

class PlanArrays(TypedDict):
    n: npt.NDArray[np.int64]
    outcome: npt.NDArray[np.str_]
    p_success: npt.NDArray[np.float64]

def plan_many(
    mu: npt.ArrayLike,
    sigma: npt.ArrayLike,
    target: npt.ArrayLike,
    confidence: npt.ArrayLike,
    budget: npt.ArrayLike = 64,
    peek: npt.ArrayLike = 0,
    method: Literal["exact", "grid"] = "exact",
) -> PlanArrays: ...

class FitResult(TypedDict):
    mu: float
    sigma: float
    log_likelihood: float
    objective: float
    converged: bool
    iterations: int
    stationarity: float
    method: Literal["mle", "map"]
    bounds: Literal["default", "reference"]
    k: int

def fit(
    scores: Sequence[float] | npt.ArrayLike,
    *,
    prior: tuple[float, float] | None = None,
    prior_std: tuple[float, float] | None = None,
    bounds: Literal["default", "reference"] = "default",
) -> FitResult: ...

def extract_answer(text: str) -> str | None: ...
def answers_equivalent(a: str, b: str) -> bool: ...
def canonical_key(answer: str) -> str: ...
def prm_input(problem: str, response: str, *, system: str = ...) -> str: ...
def pooling_rewards(body: str, responses: Sequence[str], *, positive_index: int = 1) -> list[list[float]]: ...
def aggregate_steps(
    rewards: Sequence[float], how: Literal["mean", "last", "min", "product"] = "mean"
) -> float: ...

Pool = str | os.PathLike[str] | Sequence[Mapping[str, Any]]

def eval(
    pool: Pool,
    strategies: str | Sequence[str],
    *,
    orders: int = 1,
    seed: int = 0,
    threads: int = 0,
    answer_grouping: Literal["equivalent", "raw"] = "equivalent",
    csv: str | None = None,
    plot: str | None = None,
) -> list[dict[str, Any]]: ...
def tune(
    pool: Pool,
    strategies: str | Sequence[str],
    *,
    orders: int = 1,
    seed: int = 0,
    threads: int = 0,
    folds: int = 5,
    select: Literal["cv", "test"] = "cv",
    answer_grouping: Literal["equivalent", "raw"] = "equivalent",
    csv: str | None = None,
    plot: str | None = None,
) -> dict[str, Any]: ...
def simulate(
    *,
    problems: int = 500,
    samples: int = 64,
    seed: int = 1,
    profile: str = "math500",
    params: Mapping[str, float] = ...,
    out: str | None = None,
) -> list[dict[str, Any]]: ...

class Predictor:
    @staticmethod
    def load(model: str = "default") -> Predictor: ...
    def predict(self, problems: str | Sequence[str]) -> list[tuple[float, float, float, float]]: ...

class Policy:
    def __init__(
        self,
        spec: str,
        prior: tuple[float, float] | tuple[float, float, float, float] | None = None,
        *,
        problem: str | None = None,
        id: str = "",
        answer_grouping: Literal["equivalent", "raw"] = "equivalent",
    ) -> None: ...
    def next(self) -> int: ...
    def observe(
        self, score: float, answer: str | None = None, tokens: int = 0, text: str | None = None
    ) -> None: ...
    def select(self) -> int: ...
    @property
    def stop_reason(self) -> str | None: ...
    @property
    def stopped(self) -> bool: ...
    @property
    def observed(self) -> int: ...
    @property
    def wanted(self) -> int: ...
    @property
    def budget(self) -> int: ...
    @property
    def spec(self) -> str: ...
    @property
    def answer(self) -> str | None: ...
    @property
    def tokens(self) -> int: ...
    @property
    def answers(self) -> list[str | None]: ...
    @property
    def scores(self) -> list[float]: ...

class SolveResult(TypedDict):
    answer: str | None
    text: str | None
    selected: int
    samples: int
    budget: int
    tokens: int
    stop_reason: str | None
    scores: list[float]

def solve(
    problem: str,
    policy: str,
    draw: Callable[[str, int], Iterable[tuple[str, float, int]]],
    prior: tuple[float, float] | tuple[float, float, float, float] | None = None,
) -> SolveResult: ...
