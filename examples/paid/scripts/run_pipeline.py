"""Nightly run: one pipeline whose steps hand frames to each other; the report is its own scheduled job."""

import argparse

import numpy as np
import pandas as pd

from churn.config import RAW_CUSTOMERS_PATH, SEED
from churn.train import train
from scripts.featurize import featurize
from scripts.fit import fit_churn_model
from scripts.prepare import prepare
from scripts.score import score


def sample_audit_rows(n_rows: int, k: int, rng: np.random.Generator) -> np.ndarray:
    rows = np.arange(n_rows)
    rng.shuffle(rows)
    return rows[:k]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-size", type=int, default=20)
    args = parser.parse_args()
    train()
    features = featurize(prepare(pd.read_csv(RAW_CUSTOMERS_PATH)))
    print(score(fit_churn_model(features), features).describe())
    print(sample_audit_rows(1000, args.audit_size, np.random.default_rng(SEED)))
