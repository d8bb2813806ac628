"""Training the churn classifier."""

import joblib
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from churn.config import MODEL_PATH, TARGET
from churn.data import load_customers
from churn.features import build_features


def train() -> RandomForestClassifier:
    customers = load_customers()
    features = build_features(customers)
    X_train, X_test, y_train, y_test = train_test_split(features, customers[TARGET], test_size=0.2)
    model = RandomForestClassifier(n_estimators=300, max_depth=8)
    model.fit(X_train, y_train)
    joblib.dump(model, MODEL_PATH)
    return model
