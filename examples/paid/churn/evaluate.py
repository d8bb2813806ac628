"""Offline evaluation."""

import pandas as pd
from sklearn.metrics import precision_score, recall_score

from churn.config import CONTACT_THRESHOLD


def evaluate(model, features: pd.DataFrame, labels: pd.Series, threshold: float = CONTACT_THRESHOLD) -> dict:
    churn_probability = model.predict_proba(features)[:, 1]
    flagged = churn_probability > threshold
    return {
        "precision": precision_score(labels, flagged),
        "recall": recall_score(labels, flagged),
    }
