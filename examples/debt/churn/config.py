"""Settings of the churn model."""

TARGET = "churned"
FEATURES = ["tenure_months", "monthly_charges", "support_calls", "plan"]
MODEL_PATH = "artifacts/churn_model.joblib"
