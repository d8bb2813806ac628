"""Step 2: features, handed to the next step in memory."""

import pandas as pd


def featurize(customers: pd.DataFrame) -> pd.DataFrame:
    frame = customers.copy()
    frame["charges_per_month"] = frame["total_charges"] / frame["tenure_months"]
    return frame[["customer_id", "charges_per_month", "churned"]]
