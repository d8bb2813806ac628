"""Step 4: score every customer with tonight's model."""

import joblib
import pandas as pd

from churn.config import DATA_DIR
from churn.features import _clean_plan


def main() -> None:
    model = joblib.load("artifacts/churn_model.joblib")
    features = pd.read_csv(f"{DATA_DIR}/features.csv")
    features["plan"] = _clean_plan(features["plan"])
    features["churn_score"] = model.predict_proba(features[["charges_per_month"]])[:, 1]
    features[["customer_id", "churn_score"]].to_csv(f"{DATA_DIR}/scores.csv", index=False)


if __name__ == "__main__":
    main()
