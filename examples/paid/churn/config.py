"""Settings of the churn model: one reviewed place, overridable from the environment."""

import os
from dataclasses import dataclass

TARGET = "churned"
FEATURES = ["tenure_months", "monthly_charges", "support_calls", "plan"]
MODEL_PATH = "artifacts/churn_model.joblib"
MODEL_VERSION = "rf-2024-06"
SEED = 20240601
# Chosen on the validation set by `evaluate.choose_threshold`; re-tuned at every retraining.
CONTACT_THRESHOLD = 0.7
CUSTOMERS_URL = "https://data.example.com/exports/v2024-06-01/customers.csv"
SUPPORT_CALLS_PATH = "warehouse/support_calls_v3.parquet"
CONTRACTS_PATH = "warehouse/contracts_v5.parquet"
LABELS_PATH = "data/labels_2024.csv"
REFERENCE_CUSTOMERS_PATH = "data/reference_customers.csv"
SNAPSHOT_PATH = "warehouse/churn_snapshot_v7.parquet"
RAW_CUSTOMERS_PATH = "data/raw_customers.csv"


@dataclass(frozen=True)
class Settings:
    use_tenure_buckets: bool


def load_settings() -> Settings:
    return Settings(use_tenure_buckets=os.environ.get("CHURN_TENURE_BUCKETS") == "1")
