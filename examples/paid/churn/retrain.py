"""Monthly retraining on the warehouse snapshot: the nightly steps, reused, not copied."""

import pandas as pd

from churn.config import SNAPSHOT_PATH
from churn.data import check_training_frame
from scripts.featurize import featurize
from scripts.fit import fit_churn_model


def retrain_from_warehouse():
    snapshot = check_training_frame(pd.read_parquet(SNAPSHOT_PATH))
    return fit_churn_model(featurize(snapshot))
