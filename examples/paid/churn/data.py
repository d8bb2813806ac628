"""Loading the customer table."""

import pandas as pd

from churn.config import CUSTOMERS_URL, SUPPORT_CALLS_PATH


def load_customers() -> pd.DataFrame:
    # A dated export: re-running a training run reads the same rows.
    return pd.read_csv(CUSTOMERS_URL)


def load_support_calls() -> pd.DataFrame:
    return pd.read_parquet(SUPPORT_CALLS_PATH)
