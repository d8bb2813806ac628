"""Nightly run: retrain and print an audit sample (the report is its own scheduled job)."""

import argparse

import numpy as np

from churn.config import SEED
from churn.train import train


def sample_audit_rows(n_rows: int, k: int, rng: np.random.Generator) -> np.ndarray:
    rows = np.arange(n_rows)
    rng.shuffle(rows)
    return rows[:k]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-size", type=int, default=20)
    args = parser.parse_args()
    train()
    print(sample_audit_rows(1000, args.audit_size, np.random.default_rng(SEED)))
