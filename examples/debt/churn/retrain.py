"""Monthly retraining on the warehouse snapshot (copied from scripts/fit.py and adapted)."""

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

from churn.config import DATA_DIR


def retrain_from_warehouse() -> LogisticRegression:
    snapshot = pd.read_csv(f"{DATA_DIR}/warehouse_features.csv")
    scores = pd.read_csv(f"{DATA_DIR}/warehouse_scores.csv")
    offers = pd.read_csv(f"{DATA_DIR}/warehouse_offers.csv")
    frame = snapshot.merge(scores, on="customer_id").merge(offers, on="customer_id")
    model = LogisticRegression(max_iter=500)
    columns = ["charges_per_month", "churn_score", "offer_uptake"]
    model.fit(frame[columns], frame["churned"])
    joblib.dump(model, "artifacts/churn_model_monthly.joblib")
    print(model.score(frame[columns], frame["churned"]))
    return model
