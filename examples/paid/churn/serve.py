"""The scoring endpoint used by the retention team."""

import logging
from dataclasses import dataclass

import joblib
import pandas as pd
from flask import Flask, abort, jsonify, request

from churn.config import CONTACT_THRESHOLD, FEATURES, MODEL_PATH, MODEL_VERSION

app = Flask(__name__)
model = joblib.load(MODEL_PATH)
log = logging.getLogger("churn.serve")


@dataclass(frozen=True)
class ChurnScore:
    probability: float
    contact: bool
    model_version: str


def predict_customer(customer: pd.DataFrame) -> ChurnScore:
    probability = float(model.predict_proba(customer)[0, 1])
    return ChurnScore(probability, probability >= CONTACT_THRESHOLD, MODEL_VERSION)


def to_response_rows(scores: list[ChurnScore], customer_ids: list[str]) -> dict:
    return {
        "rows": [
            {"customer_id": customer_id, "probability": score.probability, "model_version": score.model_version}
            for customer_id, score in zip(customer_ids, scores)
        ]
    }


@app.route("/score", methods=["POST"])
def score():
    payload = request.get_json()
    missing = [name for name in FEATURES if name not in payload]
    if missing:
        abort(400, f"missing fields: {missing}")
    result = predict_customer(pd.DataFrame([payload])[FEATURES])
    log.info("scored customer", extra={"churn_probability": result.probability})
    return jsonify({"churn_probability": result.probability, "contact": result.contact})
