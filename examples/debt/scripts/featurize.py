"""Step 2: features, written for the training step to pick up."""

import os

import pandas as pd
from sklearn.cluster import KMeans

from churn.config import DATA_DIR


def main() -> None:
    customers = pd.read_csv(os.path.join(DATA_DIR, "clean_customers.csv"))
    customers["charges_per_month"] = customers["total_charges"] / customers["tenure_months"]
    customers["tenure_years"] = customers["tenure_months"] // 12
    segments = KMeans(n_clusters=4, random_state=0).fit(customers[["charges_per_month"]])
    customers["segment"] = segments.labels_
    customers[["customer_id", "charges_per_month", "segment", "churned"]].to_csv(os.path.join(DATA_DIR, "features.csv"), index=False)


if __name__ == "__main__":
    main()
