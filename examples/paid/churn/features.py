"""Feature engineering."""

import pandas as pd

from churn.config import FEATURES, REFERENCE_CUSTOMERS_PATH, Settings


def load_reference_customers() -> pd.DataFrame:
    """The reference population for drift checks, read when asked for."""
    return pd.read_csv(REFERENCE_CUSTOMERS_PATH)


def clean_plan(plan: pd.Series) -> pd.Series:
    return plan.str.strip().str.lower()


def build_features(customers: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    frame = customers.copy()
    frame["plan"] = frame["plan"].astype("category").cat.codes
    if settings.use_tenure_buckets:
        frame["tenure_months"] = pd.cut(frame["tenure_months"], bins=[0, 6, 12, 24, 120], labels=False)
    return frame[FEATURES]
