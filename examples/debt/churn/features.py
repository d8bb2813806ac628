"""Feature engineering."""

import pandas as pd

from churn.config import FEATURES

USE_TENURE_BUCKETS = False

# Reference population for drift checks, read when the package is imported.
REFERENCE_CUSTOMERS = pd.read_csv("data/reference_customers.csv")


def _clean_plan(plan: pd.Series) -> pd.Series:
    return plan.str.strip().str.lower()


def build_features(customers: pd.DataFrame) -> pd.DataFrame:
    frame = customers.copy()
    frame["plan"] = frame["plan"].astype("category").cat.codes  # noqa: MLD701
    if USE_TENURE_BUCKETS:
        # An experiment from last quarter, still wired in.
        frame["tenure_months"] = pd.cut(frame["tenure_months"], bins=[0, 6, 12, 24, 120], labels=False)
    return frame[FEATURES]
