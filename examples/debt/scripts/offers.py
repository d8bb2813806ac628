"""The retention team's offer model, trained on the churn scores."""

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

from churn.config import DATA_DIR


def main() -> None:
    scores = pd.read_csv(f"{DATA_DIR}/scores.csv")
    history = pd.read_csv(f"{DATA_DIR}/offer_history.csv").merge(scores, on="customer_id")
    model = GradientBoostingClassifier(random_state=0)
    model.fit(history[["churn_score", "discount"]], history["accepted"])
    history["offer_uptake"] = model.predict_proba(history[["churn_score", "discount"]])[:, 1]
    history[["customer_id", "offer_uptake"]].to_csv(f"{DATA_DIR}/offer_predictions.csv", index=False)


if __name__ == "__main__":
    main()
