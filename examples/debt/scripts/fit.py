"""Step 3: fit on the features, plus last night's scores and offers."""

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression

from churn.config import DATA_DIR


def fit_churn_model() -> LogisticRegression:
    features = pd.read_csv(f"{DATA_DIR}/features.csv")
    scores = pd.read_csv(f"{DATA_DIR}/scores.csv")
    offers = pd.read_csv(f"{DATA_DIR}/offer_predictions.csv")
    frame = features.merge(scores, on="customer_id").merge(offers, on="customer_id")
    model = LogisticRegression(max_iter=1000)
    columns = ["charges_per_month", "churn_score", "offer_uptake"]
    model.fit(frame[columns], frame["churned"])
    joblib.dump(model, "artifacts/churn_model.joblib")
    print(model.score(frame[columns], frame["churned"]))
    return model


if __name__ == "__main__":
    fit_churn_model()
