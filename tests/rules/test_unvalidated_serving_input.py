"""MLD703 unvalidated-serving-input beyond its own examples: sources, flows and validation."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD703")

FLASK = """
import json
import numpy as np
import pandas as pd
from flask import Flask, request, jsonify, abort
app = Flask(__name__)

@app.route("/predict", methods=["POST"])
def predict():
    {body}
    return jsonify(y.tolist())
"""


def flask_lines(body: str) -> list[int]:
    code = FLASK.replace("{body}", "\n    ".join(body.strip().splitlines()))
    return [finding.line for finding in run_example(RULE, Valid(code, path="app.py")).findings]


@pytest.mark.parametrize(
    "body",
    [
        "y = model.predict(request.json)",
        "y = model.predict([request.get_json()['x']])",
        "y = model.predict(np.array(request.json['x']).reshape(1, -1))",
        "data = request.form.to_dict()\ny = model.predict(pd.DataFrame([data]))",
        "x = request.args.get('x')\ny = model.predict([[float(x)]])",
        "data = json.loads(request.data)\ny = model.predict([data['x']])",
        "d = request.get_json()\nrow = [d[k] for k in FEATURES]\ny = model.predict([row])",
        "d = request.get_json()\nif not d:\n    abort(400)\ny = model.predict([d['x']])",
        "d = request.get_json()\nif d is None:\n    return jsonify(error='no json'), 400\ny = model.predict([d['x']])",
        "text = request.json['text']\ny = clf.predict_proba(tfidf.transform([text]))",
        "d = request.get_json()\nif d['kind'] == 'a':\n    y = model_a.predict([d['x']])\n"
        "else:\n    y = model_b.predict([d['x']])",
    ],
)
def test_flagged(body: str) -> None:
    assert flask_lines(body), body


@pytest.mark.parametrize(
    "body",
    [
        "y = model.predict(FIXED_ROWS)",
        "d = request.get_json()\nif 'x' not in d:\n    abort(400)\ny = model.predict([d['x']])",
        "d = request.get_json()\nif len(d['x']) != 4:\n    return jsonify(error='expected 4 features'), 400\n"
        "y = model.predict([d['x']])",
        "d = request.get_json()\nassert isinstance(d['x'], list)\ny = model.predict([d['x']])",
        "d = request.get_json()\nvalidate(d, SCHEMA)\ny = model.predict([d['x']])",
        "d = SCHEMA.validate(request.get_json())\ny = model.predict([d['x']])",
        "d = Features.model_validate(request.json)\ny = model.predict([d.vector()])",
        "d = Features(**request.json)\ny = model.predict([d.vector()])",
        "try:\n    x = [float(v) for v in request.json['x']]\nexcept (KeyError, ValueError):\n"
        "    abort(400)\ny = model.predict([x])",
        "x = clean(request.json)\ny = model.predict(x)",
        "x = self_check(request.json)\ny = model.predict(x)",
        "user = request.args['user']\ny = model.predict(features_of(42))",
    ],
)
def test_not_flagged(body: str) -> None:
    assert flask_lines(body) == [], body


def test_message_names_the_payload_as_read() -> None:
    code = """
    from fastapi import FastAPI, Request
    app = FastAPI()

    @app.post("/predict")
    async def predict(request: Request):
        body = await request.json()
        return {"y": model.predict([body["x"]]).tolist()}
    """
    [finding] = run_example(RULE, Valid(code, path="app.py")).findings
    assert finding.message == "`request.json()` reaches `model.predict(...)` in handler `predict` without validation"


def test_starlette_and_ray_request_parameters() -> None:
    code = """
    from ray import serve
    from starlette.requests import Request

    @serve.deployment
    class Deployment:
        async def __call__(self, http_request: Request):
            payload = await http_request.json()
            return self.model.predict([payload["x"]]).tolist()
    """
    assert [f.line for f in run_example(RULE, Valid(code, path="serve.py")).findings] == [8]


def test_typed_fastapi_bodies_are_never_flagged() -> None:
    code = """
    from typing import List
    from fastapi import FastAPI
    app = FastAPI()

    @app.post("/predict")
    def predict(rows: List[List[float]], threshold: float = 0.5):
        return {"y": model.predict(rows).tolist()}
    """
    assert run_example(RULE, Valid(code, path="app.py")).findings == ()
