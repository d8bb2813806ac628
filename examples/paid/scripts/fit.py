"""Step 3: fit the churn model on the features, and nothing it predicted itself."""

import pandas as pd

from churn.model import ChurnModel


def fit_churn_model(features: pd.DataFrame) -> ChurnModel:
    return ChurnModel.fit(features[["charges_per_month"]], features["churned"])
