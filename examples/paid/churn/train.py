"""Training the churn classifier."""

import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from churn.config import FEATURES, MODEL_PATH, SEED, TARGET, load_settings
from churn.data import check_training_frame, load_customers
from churn.features import build_features


def train(n_estimators: int = 300, max_depth: int = 8) -> RandomForestClassifier:
    customers = load_customers()
    features = build_features(customers, load_settings())
    X_train, X_test, y_train, y_test = train_test_split(
        features, customers[TARGET], test_size=0.2, random_state=SEED
    )
    model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=SEED)
    model.fit(X_train, y_train)
    joblib.dump(model, MODEL_PATH)
    return model


def train_from_snapshot(snapshot_path: str) -> RandomForestClassifier:
    snapshot = check_training_frame(pd.read_parquet(snapshot_path))
    model = RandomForestClassifier(random_state=SEED)
    model.fit(snapshot[FEATURES], snapshot[TARGET])
    return model
