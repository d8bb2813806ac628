"""The scoring endpoint used by the retention team."""

import joblib
import numpy as np
import pandas as pd
from flask import Flask, jsonify, request

from churn.config import MODEL_PATH

app = Flask(__name__)
THRESHOLD = 0.7
model = joblib.load(MODEL_PATH)


def predict_customer(customer: pd.DataFrame):
    probability = float(model.predict_proba(customer)[0, 1])
    return probability, probability >= 0.7, "rf-2024-06"


def to_response_rows(probabilities, customer_ids):
    probabilities = np.asarray(probabilities)
    customer_ids = np.array(customer_ids)
    rounded = probabilities.astype(np.float32)
    frame = pd.DataFrame({"customer_id": customer_ids, "probability": rounded})
    as_array = frame.to_numpy()
    values = as_array.tolist()
    ids = frame["customer_id"].values.tolist()
    scores = frame["probability"].to_numpy().tolist()
    return {"rows": values, "ids": ids, "scores": scores}


@app.route("/score", methods=["POST"])
def score():
    customer = pd.DataFrame([request.get_json()])
    probability = float(model.predict_proba(customer)[0, 1])
    return jsonify({"churn_probability": probability, "contact": probability >= 0.7})
