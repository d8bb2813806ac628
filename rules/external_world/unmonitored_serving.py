"""MLD702 unmonitored-serving: a web handler serves a model's predictions and records nothing."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from mldebt import FileContext, Invalid, Rule, Section, Severity, Valid
from mldebt.knowledge import serving as known
from mldebt.knowledge.models import name_words
from mldebt.names import dotted_name
from mldebt.serving import ServingFile, WebHandler, assignments, serving_file, shown, walk

# Libraries whose functions named `log` compute a logarithm, not a log line.
_MATH_ROOTS = known.TRANSPARENT_MODULE_ROOTS | {"math", "jax", "cmath"}
_NO_MONITORING = frozenset({"builtins.print"})  # stdout is not a monitored channel


class UnmonitoredServing(Rule):
    """
    ## What it does
    Finds web handlers that run a model and return its output without any logging or
    metrics call: Flask, Quart, FastAPI, Starlette, Sanic and Django views, BentoML APIs
    and Ray Serve deployments (see `mldebt.serving` for how each is recognised) that call
    `.predict(...)`, `.predict_proba(...)`, a BentoML runner, a transformers or spaCy
    pipeline, a variable named like a model (`model(x)`), or a function of the same file
    that does, and whose return value carries that output.

    Counted as monitoring, in the handler or in a function of the same file it calls:
    `logging` and any logger (`logger.info`, `app.logger.warning`, `log.debug`, loguru,
    structlog), `prometheus_client` metrics (`.inc()`, `.observe()`, `.labels()`), statsd,
    OpenTelemetry spans, `mlflow`, `wandb.log`, whylogs, Evidently, a function named for
    what it does (`log_prediction(...)`, `track_request(...)`), a monitoring decorator
    (`@REQUEST_TIME.time()`), and any call whose result is discarded that receives the
    prediction (`save_to_db(record, prediction)`, `producer.send(topic, prediction)`: the
    prediction is recorded somewhere). Application-wide instrumentation silences the rule
    for the whole file: `Instrumentator().instrument(app)`, `PrometheusMetrics(app)`,
    OpenTelemetry instrumentors, a monitoring middleware, or an `@app.middleware("http")`
    / `@app.after_request` hook that logs. `print` is not monitoring: nothing collects,
    levels or aggregates it. Not checked: test files; KServe model servers, whose platform
    logs requests and responses by configuration (the InferenceService `logger`) and
    exports metrics, outside the code; a call that forwards the request to another handler
    (it passes the handler's own `headers` or `context` along); `super().predict(...)`;
    `predict` on an instance of the project's own class from another module
    (`model: HousePriceModel`, `Predictor.from_registry()`), which may log where one file
    cannot see. Monitoring set up for the whole application in another file (an
    `APIRouter` or `Blueprint` included into an instrumented app) is not seen either:
    suppress the finding there, or turn the rule off for such projects.

    ## Why is this bad?
    A model in production meets data that drifts away from its training data, and it
    fails silently: requests succeed while predictions go wrong. The paper (§7, Monitoring
    and Testing) asks for live monitoring of what the system predicts (prediction bias,
    action limits, up-stream producers) because unit tests cannot catch a changing world.
    A handler that records neither its inputs nor its outputs leaves nothing to monitor.

    ## Example
    ```python
    @app.post("/predict")
    def predict(features: Features):
        return {"churn": float(model.predict_proba([features.vector()])[0, 1])}
    ```

    Use instead: log or count what the model sees and says, so drift and bias show up on a
    dashboard or an alert:
    ```python
    PREDICTIONS = Histogram("churn_probability", "Predicted churn probability")

    @app.post("/predict")
    def predict(features: Features):
        probability = float(model.predict_proba([features.vector()])[0, 1])
        PREDICTIONS.observe(probability)
        logger.info("prediction", extra={"features": features.dict(), "churn": probability})
        return {"churn": probability}
    ```

    ## References
    - Sculley et al. (2015), §7 "Dealing with Changes in the External World", Monitoring
      and Testing
    """

    CODE = "MLD702"
    NAME = "unmonitored-serving"
    SEVERITY = Severity.INFO
    SECTION = Section.MONITORING_AND_TESTING
    SUMMARY = "A web handler returns a model's predictions without logging or metrics"
    MESSAGE = "Handler `{handler}` returns the output of `{call}` without any logging or metrics call"

    VALID = [
        # Logged through a module logger.
        Valid(
            """
            import logging
            from flask import Flask, request, jsonify
            app = Flask(__name__)
            logger = logging.getLogger(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                prediction = model.predict([request.json["features"]])
                logger.info("prediction=%s", prediction)
                return jsonify(prediction=prediction.tolist())
            """
        ),
        # A Prometheus metric observed in the handler.
        Valid(
            """
            from fastapi import FastAPI
            from prometheus_client import Counter
            app = FastAPI()
            PREDICTIONS = Counter("predictions", "served predictions", ["label"])

            @app.post("/predict")
            def predict(item: Item):
                label = model.predict([item.features])[0]
                PREDICTIONS.labels(label=str(label)).inc()
                return {"label": int(label)}
            """
        ),
        # Application-wide instrumentation.
        Valid(
            """
            from fastapi import FastAPI
            from prometheus_fastapi_instrumentator import Instrumentator
            app = FastAPI()
            Instrumentator().instrument(app).expose(app)

            @app.post("/predict")
            def predict(item: Item):
                return {"y": model.predict([item.x]).tolist()}
            """
        ),
        # The prediction is recorded by a helper whose result is discarded.
        Valid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                ride = request.get_json()
                pred = model.predict(prepare(ride))
                save_to_db(ride, float(pred[0]))
                return jsonify({"duration": float(pred[0])})
            """
        ),
        # A same-file helper that logs.
        Valid(
            """
            import logging
            from fastapi import FastAPI
            app = FastAPI()

            def record(features, output):
                logging.info("features=%s output=%s", features, output)

            @app.post("/predict")
            async def predict(item: Item):
                output = model.predict([item.x])
                record(item.x, output)
                return {"y": output.tolist()}
            """
        ),
        # A logging middleware covers every handler.
        Valid(
            """
            from fastapi import FastAPI, Request
            from loguru import logger
            app = FastAPI()

            @app.middleware("http")
            async def log_requests(request: Request, call_next):
                response = await call_next(request)
                logger.info(f"{request.url.path} {response.status_code}")
                return response

            @app.post("/predict")
            def predict(item: Item):
                return {"y": model.predict([item.x]).tolist()}
            """
        ),
        # Not a handler: an ordinary function.
        Valid(
            """
            def predict(model, rows):
                return model.predict(rows)
            """
        ),
        # A handler that does not predict.
        Valid(
            """
            from flask import Flask, jsonify
            app = Flask(__name__)

            @app.route("/health")
            def health():
                return jsonify(status="ok")
            """
        ),
        # The prediction is not returned (a fire-and-forget job).
        Valid(
            """
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/batch")
            def batch(job: Job):
                write_parquet(model.predict(load(job.path)), job.output)
                return {"status": "done"}
            """
        ),
        # `.route` on something that is not a web application.
        Valid(
            """
            import networkx
            planner = RoutePlanner()

            @planner.route("/a")
            def a(graph):
                return model.predict(graph)
            """
        ),
        # Tests are not serving code.
        Valid(
            """
            from flask import Flask
            app = Flask(__name__)

            @app.route("/predict")
            def predict():
                return str(model.predict([[1, 2]]))
            """,
            path="tests/test_app.py",
        ),
        # A KServe model that logs.
        Valid(
            """
            import logging
            import kserve
            log = logging.getLogger(__name__)

            class Iris(kserve.Model):
                def predict(self, payload, headers=None):
                    result = self.model.predict(payload["instances"])
                    log.info("predicted %d rows", len(result))
                    return {"predictions": result.tolist()}
            """
        ),
        # KServe logs payloads by configuration (the InferenceService `logger`), not in code.
        Valid(
            """
            from kserve import Model

            class Iris(Model):
                def predict(self, payload, headers=None):
                    result = self.model.predict(payload["instances"])
                    return {"predictions": result.tolist()}
            """
        ),
        # The project's own model class, from another module: its predict may log.
        Valid(
            """
            from fastapi import APIRouter, Request
            from app.services.models import HousePriceModel
            router = APIRouter()

            @router.post("/predict")
            def predict(request: Request, payload: Payload):
                model: HousePriceModel = request.app.state.model
                return model.predict(payload)
            """
        ),
        # A class of the same file whose predict logs.
        Valid(
            """
            import logging
            from flask import Flask, request, jsonify
            app = Flask(__name__)
            log = logging.getLogger(__name__)

            class Scorer:
                def predict(self, rows):
                    scores = self.model.predict_proba(rows)
                    log.info("scored %d rows", len(rows))
                    return scores

            scorer = Scorer()

            @app.post("/score")
            def score():
                return jsonify(scorer.predict(request.json["rows"]).tolist())
            """
        ),
        # Forwarding to another handler, which answers for itself.
        Valid(
            """
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/predict")
            async def predict(item: Item, context: dict):
                return await backend.predict(item, context)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            from flask import Flask, request, jsonify
            app = Flask(__name__)

            @app.route("/predict", methods=["POST"])
            def predict():
                data = request.get_json()
                prediction = model.predict([data["features"]])
                return jsonify({"prediction": prediction.tolist()})
            """,
            line=7,
            message="Handler `predict` returns the output of `model.predict(...)` without any logging or metrics call",
        ),
        # FastAPI router; `print` is not monitoring.
        Invalid(
            """
            from fastapi import APIRouter
            router = APIRouter()

            @router.post("/score")
            async def score(item: Item):
                proba = clf.predict_proba([item.x])[0, 1]
                print(proba)
                return {"score": float(proba)}
            """,
            line=6,
        ),
        # A blueprint imported app: conventional name plus a flask import.
        Invalid(
            """
            from flask import request, jsonify
            from .extensions import bp

            @bp.post("/predict")
            def predict():
                return jsonify(model.predict([request.json["x"]]).tolist())
            """,
            line=6,
        ),
        # Django function view.
        Invalid(
            """
            import json
            from django.http import JsonResponse

            def predict(request):
                payload = json.loads(request.body)
                label = classifier.predict([payload["text"]])[0]
                return JsonResponse({"label": label})
            """,
            path="shop/views.py",
            line=6,
        ),
        # BentoML service with a runner.
        Invalid(
            """
            import bentoml
            from bentoml.io import JSON
            runner = bentoml.sklearn.get("churn:latest").to_runner()
            svc = bentoml.Service("churn", runners=[runner])

            @svc.api(input=JSON(), output=JSON())
            def classify(features):
                return {"churn": runner.predict.run([features])}
            """,
            line=8,
        ),
        # Ray Serve deployment calling a transformers pipeline.
        Invalid(
            """
            from ray import serve
            from transformers import pipeline

            @serve.deployment
            class Sentiment:
                def __init__(self):
                    self.classifier = pipeline("sentiment-analysis")

                async def __call__(self, request):
                    text = (await request.json())["text"]
                    return self.classifier(text)[0]
            """,
            line=11,
        ),
        # A library model, in a Flask application factory.
        Invalid(
            """
            import xgboost as xgb
            from flask import Flask, request, jsonify

            def create_app():
                app = Flask(__name__)
                model = xgb.XGBClassifier()
                model.load_model("model.json")

                @app.route("/predict", methods=["POST"])
                def predict():
                    return jsonify(model.predict_proba([request.json["x"]]).tolist())

                return app
            """,
            line=11,
        ),
        # A collection append is not recording the prediction.
        Invalid(
            """
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/predict")
            def predict(batch: Batch):
                results = []
                for row in batch.rows:
                    results.append(model.predict([row])[0])
                return {"results": results}
            """,
            line=8,
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def leave_Module(self, original_node: cst.Module) -> None:
        if self.context.is_test:
            return
        serving = serving_file(original_node, self.context)
        if not serving.handlers:
            return
        monitor = _Monitoring(self, serving, original_node)
        if monitor.app_wide():
            return
        for handler in serving.handlers:
            if handler.framework in known.PLATFORM_MONITORED_FRAMEWORKS:
                continue
            unmonitored = monitor.unmonitored_prediction(handler)
            if unmonitored is not None:
                call, text = unmonitored
                self.report(call, handler=handler.name, call=text)


class _Monitoring:
    """Which calls, functions and hooks of one file monitor."""

    def __init__(self, rule: UnmonitoredServing, serving: ServingFile, module: cst.Module) -> None:
        self.rule = rule
        self.serving = serving
        self.module = module
        self.monitoring_functions: set[cst.FunctionDef] = set()
        self.predicting_functions: dict[cst.FunctionDef, str] = {}
        self._calls_cache: dict[cst.FunctionDef, list[cst.Call]] = {}
        self._settle()

    # --- calls ----------------------------------------------------------------------------
    def is_monitoring_call(self, call: cst.Call) -> bool:
        func = call.func
        qualified = self.rule.qualified_name(func)
        if qualified is not None:
            root = qualified.split(".")[0]
            if qualified in _NO_MONITORING or root in _MATH_ROOTS:
                return False
            if root in known.MONITORING_MODULE_ROOTS:
                return True
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "log" or method.startswith("log_") or method in known.METRIC_METHODS:
                return True
            receiver = func.value
            if isinstance(receiver, cst.Call):  # logging.getLogger(__name__).info(...)
                return self.is_monitoring_call(receiver)
            return _names_a_monitor(dotted_name(receiver))
        if isinstance(func, cst.Name):
            return bool(set(name_words(func.value)) & known.MONITORING_WORDS)
        return False

    def _calls_monitoring(self, call: cst.Call, function: cst.FunctionDef, owner: cst.ClassDef | None) -> bool:
        if self.is_monitoring_call(call):
            return True
        callee = self.serving.local_callee(call, owner) or self.serving.local_method(call, function, owner)
        if callee is not None and callee in self.monitoring_functions:
            return True
        # A monitoring function handed over to run later: `background_tasks.add_task(log_it, ...)`.
        for arg in call.args:
            if isinstance(arg.value, (cst.Name, cst.Attribute)):
                handed = self.serving.functions.get(arg.value.value) if isinstance(arg.value, cst.Name) else None
                if handed is not None and handed in self.monitoring_functions:
                    return True
                name = dotted_name(arg.value)
                if name is not None and set(name_words(name.split(".")[-1])) & known.MONITORING_WORDS:
                    return True
        return False

    def _monitors(self, function: cst.FunctionDef, owner: cst.ClassDef | None) -> bool:
        for decorator in function.decorators:
            if self._monitoring_decorator(decorator.decorator):
                return True
        return any(self._calls_monitoring(call, function, owner) for call in self._all_calls(function))

    def _all_calls(self, function: cst.FunctionDef) -> list[cst.Call]:
        """The calls of a function's body, nested functions included (cached)."""
        calls = self._calls_cache.get(function)
        if calls is None:
            calls = [node for node in walk(function.body) if isinstance(node, cst.Call)]
            self._calls_cache[function] = calls
        return calls

    def _own_calls(self, function: cst.FunctionDef) -> list[cst.Call]:
        return [node for node in self.serving.nodes(function) if isinstance(node, cst.Call)]

    def _monitoring_decorator(self, expression: cst.BaseExpression) -> bool:
        func = expression.func if isinstance(expression, cst.Call) else expression
        if isinstance(expression, cst.Call) and self.is_monitoring_call(expression):
            return True
        name = dotted_name(func)
        if name is None:
            return False
        qualified = self.rule.qualified_name(func)
        if qualified is not None and qualified.split(".")[0] in known.MONITORING_MODULE_ROOTS:
            return True
        return any(set(name_words(part)) & known.MONITORING_WORDS for part in name.split("."))

    # --- functions of the file ---------------------------------------------------------------
    def _owned_functions(self) -> list[tuple[cst.FunctionDef, cst.ClassDef | None]]:
        functions: list[tuple[cst.FunctionDef, cst.ClassDef | None]] = [
            (function, None) for function in self.serving.functions.values()
        ]
        for owner, methods in self.serving.methods.items():
            functions.extend((method, owner) for method in methods.values())
        return functions

    def _settle(self) -> None:
        """Which functions of the file monitor, and which run a model, directly or through
        other functions of the file."""
        functions = self._owned_functions()
        changed = True
        while changed:
            changed = False
            for function, owner in functions:
                if function not in self.monitoring_functions and self._monitors(function, owner):
                    self.monitoring_functions.add(function)
                    changed = True
                if function not in self.predicting_functions:
                    found = self._first_prediction(function, owner)
                    if found is not None:
                        self.predicting_functions[function] = found[1]
                        changed = True

    def _prediction(self, call: cst.Call, function: cst.FunctionDef, owner: cst.ClassDef | None) -> str | None:
        if self.serving.opaque_model(call, function, owner):
            return None  # the project's own model class: its predict may log, out of sight
        text = self.serving.prediction(call)
        if text is not None:
            return text
        callee = self.serving.local_callee(call, owner) or self.serving.local_method(call, function, owner)
        if callee is not None and callee in self.predicting_functions:
            return f"{shown(call.func)}(...)"
        return None

    def _first_prediction(
        self, function: cst.FunctionDef, owner: cst.ClassDef | None
    ) -> tuple[cst.Call, str] | None:
        for call in self._own_calls(function):
            text = self._prediction(call, function, owner)
            if text is not None:
                return call, text
        return None

    # --- the whole application ------------------------------------------------------------------
    def app_wide(self) -> bool:
        """Instrumentation, middleware or request hooks that monitor every handler of the file."""
        for node in walk(self.module):
            if isinstance(node, cst.Call):
                qualified = self.rule.qualified_name(node.func)
                if qualified is not None and _under(qualified, known.APP_INSTRUMENTATION_ROOTS):
                    return True
                func = node.func
                if isinstance(func, cst.Attribute) and func.attr.value == "add_middleware" and node.args:
                    middleware = dotted_name(node.args[0].value) or ""
                    if set(name_words(middleware.split(".")[-1])) & known.MONITORING_WORDS:
                        return True
        for node in walk(self.module):
            if isinstance(node, cst.FunctionDef) and self._is_request_hook(node):
                if node in self.monitoring_functions or self._monitors(node, None):
                    return True
        for owner in self.serving.classes:
            if _is_middleware(owner) and any(
                method in self.monitoring_functions for method in self.serving.methods[owner].values()
            ):
                return True
        return False

    @staticmethod
    def _is_request_hook(function: cst.FunctionDef) -> bool:
        for decorator in function.decorators:
            expression = decorator.decorator
            func = expression.func if isinstance(expression, cst.Call) else expression
            if isinstance(func, cst.Attribute) and func.attr.value in known.REQUEST_HOOK_DECORATORS:
                return True
        return False

    # --- one handler ------------------------------------------------------------------------------
    def unmonitored_prediction(self, handler: WebHandler) -> tuple[cst.Call, str] | None:
        """The first model call whose output the handler returns unmonitored, or None."""
        function, owner = handler.function, handler.owner
        if function in self.monitoring_functions or self._monitors(function, owner):
            return None
        predictions: list[tuple[cst.Call, str]] = []
        for call in self._own_calls(function):
            if not handler.forwards(call):
                text = self._prediction(call, function, owner)
                if text is not None:
                    predictions.append((call, text))
        if not predictions:
            return None
        calls = {call for call, _ in predictions}
        outputs = self._outputs(function, calls)

        def carries(expression: cst.CSTNode) -> bool:
            return any(
                node in calls or (isinstance(node, cst.Name) and node.value in outputs)
                for node in walk(expression, into_functions=False)
            )

        returned = False
        for node in walk(function.body, into_functions=False):
            if isinstance(node, cst.Return) and node.value is not None and carries(node.value):
                returned = True
            elif isinstance(node, cst.Expr) and self._records(node.value, carries):
                return None  # the prediction goes somewhere besides the response
        return predictions[0] if returned else None

    def _outputs(self, function: cst.FunctionDef, calls: set[cst.Call]) -> set[str]:
        """Names that hold (part of) a prediction, through local assignments and collections."""
        outputs: set[str] = set()
        binds = assignments(function)
        # `results.append(pred)` and `out[key] = pred` make the container hold predictions too.
        containers: list[tuple[str, cst.CSTNode]] = []
        for node in walk(function.body, into_functions=False):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                receiver = node.func.value
                if isinstance(receiver, cst.Name) and node.func.attr.value in known.COLLECTION_METHODS:
                    containers.append((receiver.value, node))
            elif isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Subscript) and isinstance(target.target.value, cst.Name):
                        containers.append((target.target.value.value, node.value))
        changed = True
        while changed:
            changed = False

            def holds(expression: cst.CSTNode) -> bool:
                return any(
                    n in calls or (isinstance(n, cst.Name) and n.value in outputs)
                    for n in walk(expression, into_functions=False)
                )

            for names, value in binds:
                if holds(value):
                    for name in names:
                        if name not in outputs:
                            outputs.add(name)
                            changed = True
            for name, source in containers:
                if name not in outputs and holds(source):
                    outputs.add(name)
                    changed = True
        return outputs

    def _records(self, expression: cst.BaseExpression, carries: Callable[[cst.CSTNode], bool]) -> bool:
        """A call statement whose result is dropped, handed the prediction: it stores,
        sends or logs it (`save_to_db(record, pred)`), unless it only fills a local collection."""
        if isinstance(expression, cst.Await):
            expression = expression.expression
        if not isinstance(expression, cst.Call):
            return False
        func = expression.func
        if isinstance(func, cst.Attribute) and func.attr.value in known.COLLECTION_METHODS:
            return False
        qualified = self.rule.qualified_name(func)
        if qualified is not None and (qualified in _NO_MONITORING or qualified.split(".")[0] in _MATH_ROOTS):
            return False  # printed, or computed and dropped: recorded nowhere
        return any(carries(arg.value) for arg in expression.args)


def _names_a_monitor(receiver: str | None) -> bool:
    """`logger`, `LOG`, `app.logger`, `self._log`, `statsd`, `tracer`, `mon`: every method
    call on these monitors."""
    if receiver is None:
        return False
    last = receiver.split(".")[-1]
    words = name_words(last)
    return last.lower().endswith("logger") or (bool(words) and words[-1] in known.MONITORING_RECEIVER_WORDS)


def _is_middleware(owner: cst.ClassDef) -> bool:
    """A class built on a `...Middleware` base (Starlette's `BaseHTTPMiddleware`)."""
    return any((dotted_name(base.value) or "").endswith("Middleware") for base in owner.bases)


def _under(qualified: str, roots: frozenset[str]) -> bool:
    return any(qualified == root or qualified.startswith(root + ".") for root in roots)
