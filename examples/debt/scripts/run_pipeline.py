"""Nightly run: refresh the data, retrain, publish a report."""

import argparse
import os

import numpy as np

from churn.config import FEATURES
from churn.train import train
from scratch.quick_model import quick_threshold


def sample_audit_rows(n_rows: int, k: int) -> np.ndarray:
    rows = np.arange(n_rows)
    np.random.shuffle(rows)
    return rows[:k]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-size", type=int, default=20)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    os.system("Rscript reports/churn_report.R")
    FEATURES.append("charges_per_month")
    model = train()
    print(quick_threshold(list(model.feature_importances_)))
    print(sample_audit_rows(1000, args.audit_size))
