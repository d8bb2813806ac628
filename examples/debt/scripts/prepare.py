"""Step 1 of the nightly run: clean the raw export."""

import pandas as pd
from sklearn.ensemble import IsolationForest

from churn.config import DATA_DIR


def main() -> None:
    raw = pd.read_csv(f"{DATA_DIR}/raw_customers.csv")
    raw = raw.dropna(subset=["customer_id"])
    inliers = IsolationForest(random_state=0).fit_predict(raw[["total_charges", "tenure_months"]]) == 1
    raw = raw[inliers]
    raw.to_csv(f"{DATA_DIR}/clean_customers.csv", index=False)


if __name__ == "__main__":
    main()
