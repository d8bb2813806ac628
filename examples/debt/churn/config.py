"""Settings of the churn model."""

TARGET = "churned"
FEATURES = ["tenure_months", "monthly_charges", "support_calls", "plan"]
MODEL_PATH = "artifacts/churn_model.joblib"
DATA_DIR = "data"
THRESHOLD = 0.35
LEARNING_RATE = 0.1
USE_NEW_ENCODER = False
