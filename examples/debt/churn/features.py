"""Feature engineering."""

import pandas as pd

from churn.config import FEATURES

USE_TENURE_BUCKETS = False


def build_features(customers: pd.DataFrame) -> pd.DataFrame:
    frame = customers.copy()
    frame["plan"] = frame["plan"].astype("category").cat.codes  # noqa: MLD701
    if USE_TENURE_BUCKETS:
        # An experiment from last quarter, still wired in.
        frame["tenure_months"] = pd.cut(frame["tenure_months"], bins=[0, 6, 12, 24, 120], labels=False)
    return frame[FEATURES]
