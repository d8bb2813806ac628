"""Nightly run: retrain and print an audit sample (the report is its own scheduled job)."""

import numpy as np

from churn.config import SEED
from churn.train import train


def sample_audit_rows(n_rows: int, k: int, rng: np.random.Generator) -> np.ndarray:
    rows = np.arange(n_rows)
    rng.shuffle(rows)
    return rows[:k]


if __name__ == "__main__":
    train()
    print(sample_audit_rows(1000, 20, np.random.default_rng(SEED)))
