"""The retention team's offer model: trained on offer outcomes only, never on churn scores."""

import pandas as pd

from churn.model import OfferModel


def fit_offer_model(history: pd.DataFrame) -> OfferModel:
    return OfferModel.fit(history[["discount", "tenure_months"]], history["accepted"])
