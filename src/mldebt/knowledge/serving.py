"""Model serving: web frameworks' handlers, what carries a request's payload, what counts as
monitoring, and what validates input.

Used by MLD702 (unmonitored-serving) and MLD703 (unvalidated-serving-input) through the
handler finder in `mldebt.serving`. Qualified names are the ones the engine's import-alias
map yields (`from flask import Flask` -> `flask.Flask`).
"""

from __future__ import annotations

# --- Where handlers are declared --------------------------------------------------------

# Modules whose import marks a file as serving code (files without one are skipped fast,
# except Django `views.py`, which often imports only its own models).
SERVING_MODULE_ROOTS = frozenset(
    {
        "flask", "quart", "fastapi", "starlette", "sanic", "django", "rest_framework", "ninja",
        "flask_restful", "flask_restx", "bentoml", "ray", "kserve", "kfserving", "functions_framework",
    }
)  # fmt: skip

# Constructors of applications and routers whose `.route/.get/.post/...` decorators register
# handlers, by framework.
APP_CONSTRUCTORS: dict[str, str] = {
    "flask.Flask": "flask",
    "flask.Blueprint": "flask",
    "flask.blueprints.Blueprint": "flask",
    "quart.Quart": "flask",
    "quart.Blueprint": "flask",
    "fastapi.FastAPI": "fastapi",
    "fastapi.APIRouter": "fastapi",
    "fastapi.routing.APIRouter": "fastapi",
    "starlette.applications.Starlette": "starlette",
    "sanic.Sanic": "sanic",
    "sanic.Blueprint": "sanic",
    "ninja.NinjaAPI": "ninja",
    "ninja.Router": "ninja",
}

# Route-registering decorator methods (`@app.route("/x")`, `@router.post("/x")`).
ROUTE_DECORATOR_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route"})

# Web frameworks whose import makes `@app.route(...)` a route even when `app` itself is
# imported from elsewhere (`from myservice import app`), with the framework each implies.
ROUTE_FRAMEWORK_MODULES: dict[str, str] = {
    "flask": "flask",
    "quart": "flask",
    "fastapi": "fastapi",
    "starlette": "starlette",
    "sanic": "sanic",
}
# Names that conventionally hold an application or router (`app`, `bp`, `router`, and
# `<x>_app`, `<x>_bp`, `<x>_router`, `<x>_blueprint`, `<x>_api`).
CONVENTIONAL_APP_NAMES = frozenset({"app", "application", "api", "bp", "blueprint", "router", "server"})
CONVENTIONAL_APP_SUFFIXES = ("_app", "_bp", "_router", "_blueprint", "_api")

# BentoML services: `svc = bentoml.Service(...)`, then `@svc.api(input=..., output=...)`.
SERVICE_CONSTRUCTORS = frozenset({"bentoml.Service"})
SERVICE_DECORATOR_METHOD = "api"

# Function decorators that make a function a handler on their own, by framework.
HANDLER_DECORATORS: dict[str, str] = {
    "bentoml.api": "bentoml",  # BentoML >= 1.2 services, and the legacy `BentoService` API
    "rest_framework.decorators.api_view": "django",
    "django.views.decorators.http.require_POST": "django",
    "django.views.decorators.http.require_GET": "django",
    "django.views.decorators.http.require_http_methods": "django",
    "functions_framework.http": "cloud-function",  # Google Cloud Functions (a Flask request)
}

# Handler classes: a method named after an HTTP verb is a handler, by framework.
VIEW_BASE_CLASSES: dict[str, str] = {
    "flask.views.MethodView": "flask",
    "flask.views.View": "flask",
    "flask_restful.Resource": "flask",
    "flask_restx.Resource": "flask",
    "django.views.View": "django",
    "django.views.generic.View": "django",
    "django.views.generic.base.View": "django",
    "rest_framework.views.APIView": "django",
    "rest_framework.generics.GenericAPIView": "django",
    "starlette.endpoints.HTTPEndpoint": "starlette",
    "sanic.views.HTTPMethodView": "sanic",
}
HTTP_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete"})

# KServe model servers: `class M(kserve.Model)` serves `predict(self, payload, headers)`.
MODEL_SERVER_BASE_CLASSES: dict[str, str] = {
    "kserve.Model": "kserve",
    "kserve.model.Model": "kserve",
    "kserve.KFModel": "kserve",
    "kfserving.KFModel": "kserve",
    "kfserving.kfmodel.KFModel": "kserve",
}
MODEL_SERVER_METHOD = "predict"
# A model server's method that runs before `predict` and hands it the transformed payload.
MODEL_SERVER_PREPROCESS = "preprocess"
# Parameters a handler passes along when it forwards the request to another handler.
FORWARDED_PARAMETERS = frozenset({"headers", "context", "response_headers", "request_headers"})
# Model servers whose platform logs payloads and exports metrics by configuration, outside
# the code (KServe's InferenceService `logger`): MLD702 does not check them.
PLATFORM_MONITORED_FRAMEWORKS = frozenset({"kserve"})
# Types of a KServe payload that the server has already parsed and checked (protocol v2).
PARSED_PAYLOAD_TYPES = frozenset(
    {"kserve.InferRequest", "kserve.protocol.infer_type.InferRequest", "kserve.infer_type.InferRequest"}
)

# Ray Serve: a `@serve.deployment` class serves HTTP requests in `__call__`.
DEPLOYMENT_DECORATORS: dict[str, str] = {"ray.serve.deployment": "ray-serve"}
DEPLOYMENT_METHOD = "__call__"

# Starlette routes declared as `Route("/predict", endpoint)`.
ROUTE_CLASSES = frozenset({"starlette.routing.Route"})

# Django: responses a function view returns (a function in a `views.py` that takes `request`).
DJANGO_RESPONSES = frozenset(
    {
        "django.http.JsonResponse",
        "django.http.HttpResponse",
        "django.http.response.JsonResponse",
        "django.http.response.HttpResponse",
        "django.shortcuts.render",
        "rest_framework.response.Response",
    }
)
DJANGO_VIEW_MODULES = frozenset({"views"})  # file stem or folder name

# --- The request and its payload --------------------------------------------------------

# Request objects that live in a module (Flask's context-local `request`).
REQUEST_GLOBALS = frozenset({"flask.request", "quart.request", "werkzeug.local.request"})
# Parameter annotations and names that hold the request object in the other frameworks.
REQUEST_TYPES = frozenset(
    {
        "fastapi.Request",
        "starlette.requests.Request",
        "sanic.Request",
        "sanic.request.Request",
        "django.http.HttpRequest",
        "rest_framework.request.Request",
        "flask.Request",
    }
)
REQUEST_PARAMETER_NAMES = frozenset({"request", "req", "http_request"})

# Attributes and methods of a request that hand over what the client sent, as is:
# Flask/Quart `json`, `get_json()`, `form`, `args`, `data`, `values`, `get_data()`;
# Starlette `await request.json()`, `body()`, `form()`, `query_params`; Django `body`,
# `POST`, `GET`; DRF `data`, `query_params`; Sanic `json`, `form`, `args`.
# (Uploaded files are left out: decoding an image or audio file is itself a check.)
PAYLOAD_ACCESSORS = frozenset(
    {"json", "get_json", "form", "args", "data", "values", "get_data", "body", "POST", "GET", "query_params"}
)

# FastAPI/BentoML parameter annotations that accept any JSON, unchecked.
UNTYPED_BODY_ANNOTATIONS = frozenset(
    {"dict", "Dict", "Any", "Mapping", "MutableMapping", "object", "Json", "JSON", "list", "List"}
)
# BentoML IO descriptors that pass the JSON body through unchecked unless given a
# `pydantic_model=` (legacy `JsonInput` never checks).
UNCHECKED_IO_DESCRIPTORS = frozenset({"bentoml.io.JSON", "bentoml.adapters.JsonInput"})
IO_SCHEMA_KEYWORD = "pydantic_model"

# --- Validation ---------------------------------------------------------------------------

# Functions that check a payload against a schema (and raise when it does not fit).
VALIDATOR_FUNCTIONS = frozenset(
    {
        "jsonschema.validate",
        "fastjsonschema.validate",
        "fastjsonschema.compile",
        "pydantic.parse_obj_as",
        "pydantic.TypeAdapter",
        "cerberus.Validator",
        "voluptuous.Schema",
        "schema.Schema",
        "marshmallow.Schema",
        "pandera.DataFrameSchema",
        "great_expectations.from_pandas",
        "typeguard.check_type",
    }
)
# Methods that validate whatever they are given: jsonschema validators, pydantic models
# (`Model.model_validate(payload)`, `parse_obj`), DRF serializers (`is_valid()`), pandera and
# cerberus (`validate`).
VALIDATING_METHODS = frozenset(
    {
        "validate", "model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python",
        "validate_json", "is_valid", "iter_errors", "validate_request", "check_schema",
    }
)  # fmt: skip
# Methods that validate when called on a schema (marshmallow `schema.load(payload)`).
SCHEMA_METHODS = frozenset({"load", "loads"})
# Exceptions whose handler means the code expects malformed input and answers it.
INPUT_ERRORS = frozenset(
    {
        "KeyError", "ValueError", "TypeError", "IndexError", "AssertionError", "ValidationError",
        "JSONDecodeError", "BadRequest", "BadRequestKeyError", "UnsupportedMediaType", "SchemaError",
    }
)  # fmt: skip
# Calls (by last name) that answer a request with an error: `abort(400)`, `HTTPException(...)`.
ERROR_ANSWER_CALLS = frozenset({"abort", "HTTPException", "BadRequest", "UnprocessableEntity", "ValidationError"})
# Words of an error message returned instead of a prediction.
ERROR_MESSAGE_WORDS = (
    "error", "invalid", "missing", "required", "must ", "bad request", "not provided", "expected",
    "please provide", "no input", "no data",
)  # fmt: skip
# Word parts of a function that checks what it is given (`validate_input(payload)`,
# `check_features(row)`, `sanitize(text)`).
VALIDATING_FUNCTION_WORDS = frozenset(
    {"validate", "validates", "validation", "validator", "check", "checks", "verify", "sanitize", "ensure"}
)
# Word parts of a decorator that validates the request (`@expects_json(schema)` from
# flask-expects-json, webargs `@use_args(...)`, flask-pydantic `@validate()`).
VALIDATING_DECORATOR_WORDS = frozenset(
    {"validate", "validated", "validator", "expects", "expect", "schema", "accepts", "args", "kwargs"}
)

# Calls that only convert or reshape a payload: its content stays as unchecked as before.
TRANSPARENT_MODULE_ROOTS = frozenset({"numpy", "pandas", "torch", "tensorflow", "json", "scipy", "polars"})
TRANSPARENT_BUILTINS = frozenset(
    {
        "builtins.list", "builtins.tuple", "builtins.dict", "builtins.float", "builtins.int", "builtins.str",
        "builtins.sorted", "builtins.map", "builtins.zip", "builtins.reversed", "builtins.iter", "builtins.next",
        "builtins.enumerate", "builtins.filter",
    }
)  # fmt: skip
# Classes that only wrap a payload (a DataFrame of it is as unchecked as the dict).
TRANSPARENT_CLASSES = frozenset(
    {
        "pandas.DataFrame", "pandas.Series", "pandas.DataFrame.from_dict", "pandas.DataFrame.from_records",
        "torch.Tensor", "torch.FloatTensor", "torch.LongTensor", "numpy.ndarray",
    }
)  # fmt: skip

# --- Monitoring ---------------------------------------------------------------------------

# Libraries whose calls log, count, time or trace: any call into them is monitoring.
MONITORING_MODULE_ROOTS = frozenset(
    {
        "logging", "loguru", "structlog", "prometheus_client", "statsd", "datadog", "opentelemetry",
        "mlflow", "wandb", "whylogs", "evidently", "newrelic", "ddtrace", "sentry_sdk", "arize", "aim",
        "neptune", "comet_ml", "elasticapm", "aws_embedded_metrics", "nannyml",
    }
)  # fmt: skip
# Application-wide instrumentation: one call monitors every handler of the app
# (`Instrumentator().instrument(app)`, `PrometheusMetrics(app)`, `FastAPIInstrumentor`).
APP_INSTRUMENTATION_ROOTS = frozenset(
    {
        "prometheus_fastapi_instrumentator", "prometheus_flask_exporter", "starlette_exporter",
        "starlette_prometheus", "opentelemetry.instrumentation", "elasticapm.contrib", "ddtrace.patch_all",
        "ddtrace.patch", "newrelic.agent.initialize", "prometheus_client.make_asgi_app",
        "prometheus_client.make_wsgi_app", "bentoml.monitor",
    }
)  # fmt: skip
# Hooks that run around every request (`@app.middleware("http")`, `@app.after_request`).
REQUEST_HOOK_DECORATORS = frozenset(
    {"middleware", "before_request", "after_request", "teardown_request", "on_request", "on_response"}
)
# Word parts of a middleware class that monitors (`PrometheusMiddleware`, `LoggingMiddleware`).
MONITORING_WORDS = frozenset(
    {
        "log", "logs", "logger", "logging", "metric", "metrics", "monitor", "monitoring", "telemetry",
        "trace", "tracing", "tracer", "track", "tracking", "audit", "prometheus", "instrument",
        "instrumentator", "instrumentation", "statsd", "observe", "observability", "timed", "timer",
        "exporter", "span",
    }
)  # fmt: skip
# Receivers whose every method call is monitoring: a logger (`logger`, `LOG`, `app.logger`,
# `_log`), a metrics client or a tracer.
MONITORING_RECEIVER_WORDS = frozenset(
    {"log", "logger", "logging", "statsd", "metrics", "metric", "meter", "tracer", "span", "monitor",
     "telemetry", "counter", "histogram", "gauge", "latency", "mon"}
)  # fmt: skip
# Methods of metric objects (prometheus_client, statsd clients).
METRIC_METHODS = frozenset(
    {"inc", "dec", "observe", "labels", "increment", "decrement", "timing", "track_inprogress", "set_attribute"}
)
# Collection methods: a prediction appended to a local list or dict is not recorded anywhere.
COLLECTION_METHODS = frozenset({"append", "extend", "update", "setdefault", "appendleft"})

# --- Models called directly --------------------------------------------------------------

# Factories of objects that predict when called (`classifier = pipeline("sentiment-analysis")`,
# then `classifier(text)`; `nlp = spacy.load(...)`, then `nlp(text)`).
CALLABLE_MODEL_FACTORIES = frozenset(
    {
        "transformers.pipeline",
        "transformers.pipelines.pipeline",
        "spacy.load",
        "stanza.Pipeline",
        "flair.models.SequenceTagger.load",
    }
)
# BentoML runners (`runner = bentoml.sklearn.get("m:latest").to_runner()`, then
# `runner.predict.run(x)` or `runner.run(x)`).
RUNNER_FACTORY_METHOD = "to_runner"
RUNNER_CALL_METHODS = frozenset({"run", "async_run"})
# Word parts of a variable that holds a model called directly (`model(x)`, `self.clf(x)`,
# `sentiment_pipeline(text)`): the last word of the name must be one of these ...
MODEL_NOUNS = frozenset(
    {
        "model", "clf", "classifier", "regressor", "estimator", "predictor", "pipeline", "pipe", "net",
        "network", "detector", "segmenter", "summarizer", "nlp", "tagger", "recognizer", "translator",
        "llm", "captioner", "transcriber", "ner",
    }
)  # fmt: skip
# ... and none of its words a verb: functions that build, fetch or run a model are named
# for what they do (`load_model`, `get_model`, `apply_model`), a model for what it is.
NOT_A_MODEL_WORDS = frozenset(
    {
        "load", "get", "build", "create", "make", "init", "initialize", "train", "fit", "save", "export",
        "register", "update", "set", "download", "compile", "wrap", "prepare", "convert", "select", "choose",
        "pick", "fetch", "read", "new", "setup", "configure", "reload", "apply", "run", "call", "invoke",
        "execute", "use", "evaluate", "eval", "test", "serve", "query", "ask", "check", "validate", "to", "from",
    }
)  # fmt: skip

# Libraries whose classes are models themselves (`xgb.XGBClassifier()`, `AutoModel.from_pretrained`),
# as opposed to a project's own wrapper class (`HousePriceModel()`), whose `predict` may log or
# validate where a single file cannot see it.
MODEL_LIBRARY_ROOTS = frozenset(
    {
        "sklearn", "torch", "torchvision", "tensorflow", "keras", "tf_keras", "xgboost", "lightgbm",
        "catboost", "transformers", "sentence_transformers", "mlflow", "joblib", "pickle", "cloudpickle",
        "dill", "onnxruntime", "spacy", "statsmodels", "prophet", "fbprophet", "h2o", "fastai", "timm",
        "ultralytics", "bentoml", "tflite_runtime", "gensim", "pycaret", "autogluon", "sktime", "darts",
        "diffusers", "optimum", "openvino", "skops", "imblearn", "pmdarima", "neuralprophet", "flair",
        "stanza", "setfit", "peft", "vllm", "jax", "flax", "paddle", "mxnet", "pyod", "surprise",
    }
)  # fmt: skip
