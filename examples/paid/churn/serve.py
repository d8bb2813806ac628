"""The scoring endpoint used by the retention team."""

import logging

import joblib
import pandas as pd
from flask import Flask, abort, jsonify, request

from churn.config import CONTACT_THRESHOLD, FEATURES, MODEL_PATH

app = Flask(__name__)
model = joblib.load(MODEL_PATH)
log = logging.getLogger("churn.serve")


@app.route("/score", methods=["POST"])
def score():
    payload = request.get_json()
    missing = [name for name in FEATURES if name not in payload]
    if missing:
        abort(400, f"missing fields: {missing}")
    customer = pd.DataFrame([payload])[FEATURES]
    probability = float(model.predict_proba(customer)[0, 1])
    log.info("scored customer", extra={"churn_probability": probability})
    return jsonify({"churn_probability": probability, "contact": probability >= CONTACT_THRESHOLD})
