"""The scoring endpoint used by the retention team."""

import joblib
import pandas as pd
from flask import Flask, jsonify, request

from churn.config import MODEL_PATH

app = Flask(__name__)
model = joblib.load(MODEL_PATH)


@app.route("/score", methods=["POST"])
def score():
    customer = pd.DataFrame([request.get_json()])
    probability = float(model.predict_proba(customer)[0, 1])
    return jsonify({"churn_probability": probability, "contact": probability >= 0.7})
