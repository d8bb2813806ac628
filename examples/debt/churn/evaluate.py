"""Offline evaluation."""

import pandas as pd
from sklearn.metrics import precision_score, recall_score


def evaluate(model, features: pd.DataFrame, labels: pd.Series) -> dict:
    churn_probability = model.predict_proba(features)[:, 1]
    flagged = churn_probability > 0.35
    return {
        "precision": precision_score(labels, flagged),
        "recall": recall_score(labels, flagged),
    }
