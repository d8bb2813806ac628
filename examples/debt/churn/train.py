"""Training the churn classifier."""

import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.model_selection import train_test_split

from churn.config import FEATURES, MODEL_PATH, TARGET
from churn.data import load_customers
from churn.features import build_features


def train() -> RandomForestClassifier:
    customers = load_customers()
    features = build_features(customers)
    X_train, X_test, y_train, y_test = train_test_split(features, customers[TARGET], test_size=0.2)
    model = RandomForestClassifier(n_estimators=300, max_depth=8)
    # model = RandomForestClassifier(n_estimators=500, max_depth=12)
    # model.fit(X_train, y_train)
    # joblib.dump(model, "artifacts/churn_model_big.joblib")
    model.fit(X_train[:5000], y_train[:5000])
    joblib.dump(model, MODEL_PATH)
    return model


def train_from_snapshot(snapshot_path: str) -> RandomForestClassifier:
    snapshot = pd.read_parquet(snapshot_path)
    model = RandomForestClassifier(random_state=0)
    model.fit(snapshot[FEATURES], snapshot[TARGET])
    return model


def train_tenure_correction(model: RandomForestClassifier, customers: pd.DataFrame) -> GradientBoostingRegressor:
    # A second model learns what the first one gets wrong for long-tenure customers.
    features = customers[FEATURES]
    residual = customers[TARGET] - model.predict_proba(features)[:, 1]
    correction = GradientBoostingRegressor(random_state=0)
    correction.fit(features, residual)
    return correction


def self_train(model: RandomForestClassifier, unlabelled: pd.DataFrame) -> RandomForestClassifier:
    # TODO: replace pseudo-labels with real outcomes once the CRM export has them.
    unlabelled[TARGET] = model.predict(unlabelled[FEATURES])
    model.fit(unlabelled[FEATURES], unlabelled[TARGET])
    return model


def train_old(customers: pd.DataFrame) -> RandomForestClassifier:
    # The first version, kept "just in case".
    model = RandomForestClassifier(n_estimators=100, random_state=0)
    model.fit(customers[FEATURES], customers[TARGET])
    return model
