"""MLD703 unvalidated-serving-input: a request's raw payload goes straight into a model."""

from __future__ import annotations

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid
from mldebt.knowledge import serving as known
from mldebt.knowledge.models import name_words
from mldebt.names import dotted_name
from mldebt.serving import ServingFile, WebHandler, assignments, serving_file, shown, walk



class UnvalidatedServingInput(Rule):
    """
    ## What it does
    Finds web handlers (see `unmonitored-serving` for the frameworks) that pass the raw
    request payload to a model's predict call without validating it. The raw payload is
    Flask's `request.json`, `request.get_json()`, `request.form`, `request.args`,
    `request.data`, `request.values`; Starlette's and Ray Serve's `await request.json()`,
    `request.body()`, `request.form()`, `request.query_params`; Django's `request.body`
    (through `json.loads`), `request.POST`, `request.GET`; DRF's `request.data`; a KServe
    `predict` payload that is untyped or typed as a dict (v1 JSON), in a model without a
    `preprocess` method; a BentoML `JSON()` input without `pydantic_model=`; and a required
    FastAPI body parameter typed only `dict`, `Dict[str, Any]`, `Any` or `List[dict]`. The
    payload is followed through local assignments, dict indexing, `.get(...)`, loops, list
    and dict literals, and conversions (`pd.DataFrame(payload)`, `np.array(...)`,
    `float(...)`, a fitted object's `vectorizer.transform([text])`).

    A handler counts as validating when it calls a schema check (`jsonschema.validate`,
    marshmallow `schema.load`, pydantic `Model(**payload)` / `model_validate`, a DRF
    serializer's `is_valid()`, `.validate(...)`), checks fields and answers errors (an `if`
    on the payload that returns, raises or aborts, other than a bare `if not data:`), asserts
    on it, catches `KeyError`/`ValueError`/`TypeError`/`ValidationError` around it, or is
    decorated by a validating decorator (`@expects_json(schema)`, `@use_args(...)`,
    `@validate()`), or hands the payload to a function named for a check
    (`validate_input(data)`, `check_features(row)`). Handlers whose input is a typed
    pydantic body (FastAPI, BentoML >= 1.2, Django Ninja) are validated by construction and
    never flagged. Not followed, since they may validate where one file cannot see: data
    passed through a function of the project (`preprocess(payload)`), and `predict` on an
    instance of the project's own class from another module (`Predictor.from_registry()`).
    Test files are skipped.

    ## Why is this bad?
    The model was trained on data of a known shape and range; a request can send anything.
    A missing field, a string where a number belongs, a new category or a unit change does
    not fail: the model answers with a confident, wrong prediction. The paper (§7,
    Monitoring and Testing) counts checks on the inputs a live system receives among the
    tests a changing external world requires; without them, up-stream changes go unnoticed.

    ## Example
    ```python
    @app.route("/predict", methods=["POST"])
    def predict():
        data = request.get_json()
        frame = pd.DataFrame([data])
        return jsonify(model.predict(frame).tolist())
    ```

    Use instead: declare the expected input and reject what does not fit:
    ```python
    class Applicant(BaseModel):
        age: int = Field(ge=18, le=120)
        income: float = Field(ge=0)

    @app.route("/predict", methods=["POST"])
    def predict():
        try:
            applicant = Applicant.model_validate(request.get_json())
        except ValidationError as error:
            return jsonify(error=error.errors()), 422
        return jsonify(model.predict(pd.DataFrame([applicant.model_dump()])).tolist())
    ```

    ## References
    - Sculley et al. (2015), §7 "Dealing with Changes in the External World", Monitoring
      and Testing
    """

    CODE = "MLD703"
    NAME = "unvalidated-serving-input"
    SEVERITY = Severity.INFO
    SECTION = Section.MONITORING_AND_TESTING
    SUMMARY = "A web handler passes the raw request payload to a model without validation"
    MESSAGE = "`{payload}` reaches `{call}` in handler `{handler}` without validation"

    VALID = [
        # A typed FastAPI body: validated by construction.
        Valid(
            """
            from fastapi import FastAPI
            from pydantic import BaseModel
            app = FastAPI()

            class Item(BaseModel):
                x: list[float]

            @app.post("/predict")
            def predict(item: Item):
                return {"y": model.predict([item.x]).tolist()}
            """
        ),
        # A JSON schema check.
        Valid(
            """
            import jsonschema
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                data = request.get_json()
                jsonschema.validate(data, SCHEMA)
                return jsonify(model.predict([data["features"]]).tolist())
            """
        ),
        # Explicit field checks that answer an error.
        Valid(
            """
            from flask import Flask, request, jsonify, abort
            app = Flask(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                data = request.get_json()
                if "features" not in data or len(data["features"]) != 4:
                    abort(400)
                return jsonify(model.predict([data["features"]]).tolist())
            """
        ),
        # A pydantic model built from the payload.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                applicant = Applicant(**request.json)
                return jsonify(model.predict([applicant.vector()]).tolist())
            """
        ),
        # Malformed input caught and answered.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                try:
                    features = [float(request.json[name]) for name in FEATURES]
                except (KeyError, ValueError):
                    return jsonify(error="bad input"), 400
                return jsonify(model.predict([features]).tolist())
            """
        ),
        # Marshmallow schema.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                features = input_schema.load(request.get_json())
                return jsonify(model.predict([features["x"]]).tolist())
            """
        ),
        # The payload goes through a project function, which may validate.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                features = preprocess(request.get_json())
                return jsonify(model.predict(features).tolist())
            """
        ),
        # The raw payload does not reach the model.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                user = request.args.get("user")
                return jsonify(model.predict(load_features(user_id=42)).tolist(), user=user)
            """
        ),
        # A KServe v2 request, parsed and checked by the server.
        Valid(
            """
            from kserve import Model, InferRequest

            class Iris(Model):
                def predict(self, payload: InferRequest, headers=None):
                    return self.model.predict(payload.inputs[0].as_numpy())
            """
        ),
        # Not a handler.
        Valid(
            """
            def score(request, model):
                return model.predict(request.json)
            """
        ),
        # The project's own model class, from another module: its predict may validate.
        Valid(
            """
            from flask import Flask, request, jsonify
            from serving.predictor import Predictor
            app = Flask(__name__)
            predictor = Predictor.from_registry()

            @app.post("/predict")
            def predict():
                return jsonify(predictor.predict(request.json["text"]).tolist())
            """
        ),
        # An optional `dict` parameter next to a typed body is not the payload.
        Valid(
            """
            from typing import Optional
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/predict")
            def predict(item: Item, options: Optional[dict] = None):
                return {"y": model.predict([item.x]).tolist()}
            """
        ),
        # A KServe model whose `preprocess` builds the model input.
        Valid(
            """
            from kserve import Model

            class Images(Model):
                def preprocess(self, payload, headers=None):
                    return decode_images(payload["instances"])

                def predict(self, batch, headers=None):
                    return self.model.predict(batch)
            """
        ),
        # A validating decorator (flask-expects-json).
        Valid(
            """
            from flask import Flask, request, jsonify
            from flask_expects_json import expects_json
            app = Flask(__name__)

            @app.post("/predict")
            @expects_json(SCHEMA)
            def predict():
                return jsonify(model.predict([request.json["x"]]).tolist())
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                data = request.get_json()
                frame = pd.DataFrame([data])
                return jsonify(model.predict(frame).tolist())
            """,
            message="`request.get_json()` reaches `model.predict(...)` in handler `predict` without validation",
        ),
        # Indexing and `np.array`; a bare emptiness check is not validation.
        Invalid(
            """
            import numpy as np
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.post("/predict")
            def predict():
                payload = request.json
                if not payload:
                    return jsonify(error="empty"), 400
                features = np.array(payload["features"]).reshape(1, -1)
                return jsonify(model.predict_proba(features).tolist())
            """,
        ),
        # Starlette request in FastAPI.
        Invalid(
            """
            from fastapi import FastAPI, Request
            app = FastAPI()

            @app.post("/predict")
            async def predict(request: Request):
                body = await request.json()
                return {"y": model.predict([body["x"]]).tolist()}
            """,
        ),
        # A FastAPI body typed only as `dict`.
        Invalid(
            """
            import pandas as pd
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/predict")
            def predict(record: dict):
                return {"y": model.predict(pd.DataFrame([record])).tolist()}
            """,
        ),
        # Django view with `json.loads(request.body)`.
        Invalid(
            """
            import json
            from django.http import JsonResponse

            def predict(request):
                payload = json.loads(request.body)
                return JsonResponse({"label": classifier.predict([payload["text"]])[0]})
            """,
            path="shop/views.py",
        ),
        # Text through a fitted vectorizer.
        Invalid(
            """
            from flask import Flask, request
            app = Flask(__name__)

            @app.route("/sentiment", methods=["POST"])
            def sentiment():
                text = request.form["text"]
                return str(model.predict(vectorizer.transform([text]))[0])
            """,
        ),
        # A catch-all `except Exception` is error handling, not validation; a method guard
        # is not a field check.
        Invalid(
            """
            import numpy as np
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.route("/predict", methods=["GET", "POST"])
            def predict():
                if request.method == "POST":
                    try:
                        data = request.get_json(force=True)
                        features = np.array(data["input"]).reshape(1, -1)
                        return jsonify(prediction=model.predict(features).tolist())
                    except Exception as error:
                        return jsonify(error=str(error)), 500
            """,
            line=11,
        ),
        # Django REST framework view.
        Invalid(
            """
            import pandas as pd
            from rest_framework.views import APIView
            from rest_framework.response import Response

            class Predict(APIView):
                def post(self, request):
                    frame = pd.DataFrame([request.data])
                    return Response({"price": float(regressor.predict(frame)[0])})
            """,
        ),
        # KServe v1 payload.
        Invalid(
            """
            from typing import Dict
            from kserve import Model

            class Iris(Model):
                def predict(self, payload: Dict, headers=None):
                    return {"predictions": self.model.predict(payload["instances"]).tolist()}
            """,
        ),
        # BentoML `JSON()` input without a pydantic model.
        Invalid(
            """
            import bentoml
            from bentoml.io import JSON
            runner = bentoml.sklearn.get("churn:latest").to_runner()
            svc = bentoml.Service("churn", runners=[runner])

            @svc.api(input=JSON(), output=JSON())
            def classify(features):
                return {"churn": runner.predict.run([features["x"]])}
            """,
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.context.is_test:
            return
        serving = serving_file(original_node, self.context)
        for handler in serving.handlers:
            found = _PayloadFlow(self, serving, handler).unvalidated_prediction()
            if found is not None:
                call, payload, shown_call = found
                self.report(call, payload=payload, call=shown_call, handler=handler.name)


class _PayloadFlow:
    """Where one handler's raw payload goes, and whether anything checks it."""

    def __init__(self, rule: UnvalidatedServingInput, serving: ServingFile, handler: WebHandler) -> None:
        self.rule = rule
        self.serving = serving
        self.handler = handler
        self.body = handler.function.body
        self.tainted: set[str] = set(handler.payload_params)
        self.roots: set[str] = set(handler.payload_params)  # names that are the whole payload
        self.first_source: str | None = next(iter(sorted(handler.payload_params)), None)

    # --- sources --------------------------------------------------------------------------------
    def _is_source(self, node: cst.CSTNode) -> bool:
        """`request.json`, `request.get_json`, `request.POST`, ... (the accessor itself)."""
        if not isinstance(node, cst.Attribute) or node.attr.value not in known.PAYLOAD_ACCESSORS:
            return False
        receiver = node.value
        if isinstance(receiver, cst.Name) and receiver.value in self.handler.request_params:
            return True
        return self.rule.qualified_name(receiver) in known.REQUEST_GLOBALS

    def _sources_in(self, expression: cst.CSTNode) -> list[str]:
        found: list[str] = []
        for node in walk(expression, into_functions=False):
            if isinstance(node, cst.Call) and self._is_source(node.func):
                found.append(shown(node))
            elif isinstance(node, cst.Attribute) and self._is_source(node):
                text = shown(node)
                if not any(item.startswith(text) for item in found):
                    found.append(text)
        return found

    # --- propagation ------------------------------------------------------------------------------
    def is_tainted(self, expression: cst.BaseExpression) -> bool:
        if self._is_source(expression):
            return True
        if isinstance(expression, cst.Name):
            return expression.value in self.tainted
        if isinstance(expression, (cst.Attribute, cst.Subscript)):
            return self.is_tainted(expression.value)
        if isinstance(expression, cst.Await):
            return self.is_tainted(expression.expression)
        if isinstance(expression, cst.Call):
            return self._call_is_tainted(expression)
        if isinstance(expression, (cst.List, cst.Tuple, cst.Set)):
            return any(self.is_tainted(element.value) for element in expression.elements)
        if isinstance(expression, cst.Dict):
            return any(
                isinstance(element, (cst.DictElement, cst.StarredDictElement)) and self.is_tainted(element.value)
                for element in expression.elements
            )
        if isinstance(expression, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp, cst.FormattedString)):
            return any(
                self._is_source(node) or (isinstance(node, cst.Name) and node.value in self.tainted)
                for node in walk(expression, into_functions=False)
            )
        if isinstance(expression, cst.BinaryOperation):
            return self.is_tainted(expression.left) or self.is_tainted(expression.right)
        if isinstance(expression, cst.IfExp):
            return self.is_tainted(expression.body) or self.is_tainted(expression.orelse)
        return False

    def _call_is_tainted(self, call: cst.Call) -> bool:
        func = call.func
        if self._is_source(func):
            return True  # request.get_json(), await request.json()
        if isinstance(func, cst.Attribute) and self.is_tainted(func.value):
            return True  # payload.get("x"), frame.to_numpy()
        if self.serving.prediction(call) is not None:
            return False  # a model's output is not the payload any more
        if not any(self.is_tainted(arg.value) for arg in call.args):
            return False
        # A method of a fitted object (`vectorizer.transform([text])`, `scaler.transform(x)`)
        # only reshapes the input; a function or method of the project (`preprocess(x)`,
        # `utils.clean(x)`, `self.clean(x)`) may validate, so the flow stops there.
        if isinstance(func, cst.Attribute):
            receiver = dotted_name(func.value)
            head = receiver.split(".")[0] if receiver is not None else None
            if head is not None and head not in ("self", "cls") and head not in self.rule.context.aliases.aliases:
                return not _camel(func.attr.value)
        qualified = self.rule.qualified_name(func)
        if qualified is None:
            return False
        root = qualified.split(".")[0]
        return (
            qualified in known.TRANSPARENT_BUILTINS
            or qualified in known.TRANSPARENT_CLASSES
            or (root in known.TRANSPARENT_MODULE_ROOTS and not qualified.split(".")[-1][:1].isupper())
        )

    def _settle(self) -> None:
        binds = assignments(self.handler.function)
        for names, value in binds:
            if self._is_source(value) or (isinstance(value, (cst.Call, cst.Await)) and self._direct_source(value)):
                self.roots.update(names)
        changed = True
        while changed:
            changed = False
            for names, value in binds:
                if self.is_tainted(value):
                    for name in names:
                        if name not in self.tainted:
                            self.tainted.add(name)
                            changed = True

    def _direct_source(self, value: cst.BaseExpression) -> bool:
        """`request.get_json(...)`, `await request.json()`, `json.loads(request.body)`."""
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return self._is_source(value)
        if self._is_source(value.func):
            return True
        parses = self.rule.qualified_name(value.func) == "json.loads"
        return parses and bool(value.args) and self._is_source(value.args[0].value)

    # --- validation -------------------------------------------------------------------------------
    def _validated(self) -> bool:
        for decorator in self.handler.function.decorators:
            expression = decorator.decorator
            name = dotted_name(expression.func if isinstance(expression, cst.Call) else expression)
            if name is not None and set(name_words(name.split(".")[-1])) & known.VALIDATING_DECORATOR_WORDS:
                return True
        for node in walk(self.body, into_functions=False):
            if isinstance(node, cst.Call) and self._validates(node):
                return True
            if isinstance(node, (cst.If, cst.While)) and self._checks(node.test) and _exits(node):
                return True
            if isinstance(node, cst.Assert) and self._mentions(node.test):
                return True
            if isinstance(node, cst.Try) and self._catches_bad_input(node) and self._mentions(node.body):
                return True
        return False

    def _validates(self, call: cst.Call) -> bool:
        func = call.func
        qualified = self.rule.qualified_name(func)
        if qualified in known.VALIDATOR_FUNCTIONS:
            return True
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in known.VALIDATING_METHODS:
                return True
            receiver = dotted_name(func.value) or ""
            if method in known.SCHEMA_METHODS and "schema" in receiver.lower():
                return True
        name = dotted_name(func)
        # A function named for a check (`validate_input(data)`, `utils.check_payload(data)`).
        if name is not None and set(name_words(name.split(".")[-1])) & known.VALIDATING_FUNCTION_WORDS:
            if any(self.is_tainted(arg.value) for arg in call.args):
                return True
        # Building a class from the payload: a pydantic model, a dataclass, a DRF serializer.
        if name is not None and _camel(name.split(".")[-1]) and qualified not in known.TRANSPARENT_CLASSES:
            if qualified is None or qualified.split(".")[0] not in known.TRANSPARENT_MODULE_ROOTS | {"io", "builtins"}:
                return any(self.is_tainted(arg.value) for arg in call.args)
        return False

    def _mentions(self, node: cst.CSTNode) -> bool:
        return any(
            self._is_source(n) or (isinstance(n, cst.Name) and n.value in self.tainted)
            for n in walk(node, into_functions=False)
        )

    def _checks(self, test: cst.BaseExpression) -> bool:
        """A test on the payload's content: anything but `if not data:` / `if data is None:`
        on the whole payload."""
        if not self._mentions(test):
            return False
        if isinstance(test, cst.BooleanOperation):
            return self._checks(test.left) or self._checks(test.right)
        inner = test.expression if isinstance(test, cst.UnaryOperation) else test
        if self._whole_payload(inner):
            return False
        if (
            isinstance(inner, cst.Comparison)
            and self._whole_payload(inner.left)
            and len(inner.comparisons) == 1
            and isinstance(inner.comparisons[0].operator, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual))
            and isinstance(inner.comparisons[0].comparator, cst.Name)
            and inner.comparisons[0].comparator.value == "None"
        ):
            return False
        return True

    def _whole_payload(self, expression: cst.BaseExpression) -> bool:
        if isinstance(expression, cst.Name):
            return expression.value in self.roots
        return self._direct_source(expression)

    def _catches_bad_input(self, node: cst.Try) -> bool:
        for handler in node.handlers:
            caught = handler.type
            if caught is None:
                continue
            names = [caught] if not isinstance(caught, cst.Tuple) else [element.value for element in caught.elements]
            for name in names:
                dotted = dotted_name(name)
                if dotted is not None and dotted.split(".")[-1] in known.INPUT_ERRORS:
                    return True
        return False

    # --- the finding ------------------------------------------------------------------------------
    def unvalidated_prediction(self) -> tuple[cst.Call, str, str] | None:
        """The first model call that receives the raw payload, with the payload's and the
        call's text, when nothing in the handler validates."""
        if not (self.handler.request_params or self.handler.payload_params or self._uses_request_global()):
            return None
        self._settle()
        for node in walk(self.body, into_functions=False):
            if not isinstance(node, cst.Call):
                continue
            shown_call = self.serving.prediction(node)
            if shown_call is None or self.handler.forwards(node):
                continue
            if self.serving.opaque_model(node, self.handler.function, self.handler.owner):
                continue  # the project's own model class: its predict may validate, out of sight
            if not any(self.is_tainted(arg.value) for arg in node.args):
                continue
            if self._validated():
                return None
            return node, self._payload_text(node), shown_call
        return None

    def _uses_request_global(self) -> bool:
        return any(self._is_source(node) for node in walk(self.body, into_functions=False))

    def _payload_text(self, sink: cst.Call) -> str:
        """The payload as the code reads it: in the model call itself, else where a tainted
        name is assigned from it, else the payload parameter."""
        found = self._sources_in(sink)
        if found:
            return found[0]
        for names, value in assignments(self.handler.function):
            if any(name in self.tainted for name in names):
                found = self._sources_in(value)
                if found:
                    return found[0]
        return self.first_source or "the request payload"


def _camel(name: str) -> bool:
    return bool(name) and name[0].isupper() and any(c.islower() for c in name)


def _exits(node: cst.If | cst.While) -> bool:
    """Whether either branch answers with an error: `raise`, `abort(400)`, an
    `HTTPException`, or a `return` of a 4xx/5xx status or an error message."""
    branches: list[cst.CSTNode] = [node.body]
    if node.orelse is not None:
        branches.append(node.orelse)
    for branch in branches:
        for inner in walk(branch, into_functions=False):
            if isinstance(inner, cst.Raise):
                return True
            if isinstance(inner, cst.Call):
                name = dotted_name(inner.func)
                if name is not None and name.split(".")[-1] in known.ERROR_ANSWER_CALLS:
                    return True
            if isinstance(inner, cst.Return) and inner.value is not None and _error_answer(inner.value):
                return True
    return False


def _error_message(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in known.ERROR_MESSAGE_WORDS)


def _error_answer(value: cst.BaseExpression) -> bool:
    """`return jsonify(error=...), 400`, `return {"error": "missing field"}`, `Response(status=422)`."""
    for node in walk(value, into_functions=False):
        if isinstance(node, cst.Integer):
            try:
                number = int(node.evaluated_value)
            except ValueError:
                continue
            if 400 <= number <= 599:
                return True
        elif isinstance(node, cst.SimpleString):
            try:
                text = node.evaluated_value
            except Exception:
                continue
            if isinstance(text, str) and _error_message(text):
                return True
        elif isinstance(node, cst.FormattedStringText) and _error_message(node.value):
            return True
        elif isinstance(node, cst.Attribute) and node.attr.value.startswith("HTTP_4"):
            return True  # status.HTTP_400_BAD_REQUEST
    return False
