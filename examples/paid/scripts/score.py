"""Step 4: score every customer with the model the pipeline just trained."""

import pandas as pd

from churn.features import clean_plan
from churn.model import ChurnModel


def score(model: ChurnModel, features: pd.DataFrame) -> pd.Series:
    features = features.assign(plan=clean_plan(features["plan"]))
    return model.churn_probability(features[["charges_per_month"]])
