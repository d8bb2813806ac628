"""The one wrapper around the model package: the rest of the system never calls scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from churn.config import SEED


@dataclass(frozen=True)
class ChurnModel:
    estimator: LogisticRegression

    @classmethod
    def fit(cls, features: pd.DataFrame, labels: pd.Series, max_iter: int = 1000) -> ChurnModel:
        estimator = LogisticRegression(max_iter=max_iter, random_state=SEED)
        estimator.fit(features, labels)
        return cls(estimator)

    def churn_probability(self, features: pd.DataFrame) -> pd.Series:
        return pd.Series(self.estimator.predict_proba(features)[:, 1], index=features.index)


@dataclass(frozen=True)
class OfferModel:
    estimator: GradientBoostingClassifier

    @classmethod
    def fit(cls, features: pd.DataFrame, accepted: pd.Series) -> OfferModel:
        estimator = GradientBoostingClassifier(random_state=SEED)
        estimator.fit(features, accepted)
        return cls(estimator)
