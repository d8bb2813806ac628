"""Loading the customer table: every input is a versioned file with a declared schema."""

import pandas as pd

from churn.config import CONTRACTS_PATH, CUSTOMERS_URL, FEATURES, LABELS_PATH, SUPPORT_CALLS_PATH

CONTRACT_COLUMNS = ["customer_id", "plan", "monthly_charges", "start_date"]


def load_customers() -> pd.DataFrame:
    # A dated export: re-running a training run reads the same rows.
    return pd.read_csv(CUSTOMERS_URL)


def load_support_calls() -> pd.DataFrame:
    return pd.read_parquet(SUPPORT_CALLS_PATH)


def load_contracts() -> pd.DataFrame:
    return pd.read_parquet(CONTRACTS_PATH, columns=CONTRACT_COLUMNS)


def load_labels() -> pd.DataFrame:
    return pd.read_csv(LABELS_PATH)


def check_training_frame(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [name for name in FEATURES if name not in frame.columns]
    if missing or frame[FEATURES].isna().any().any():
        raise ValueError(f"training data is incomplete: missing {missing} or has nulls")
    return frame
