"""MLD702 unmonitored-serving beyond its own examples, and the shared web-handler finder."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from mldebt.analysis import module_name
from mldebt.context import FileContext
from mldebt.names import ImportAliases, collect_top_level
from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.serving import serving_file
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD702")


def lines(code: str, path: str = "app.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


def handlers(code: str, path: str = "app.py") -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (framework, request parameters, payload parameters) of each handler found."""
    source = textwrap.dedent(code)
    module = cst.parse_module(source)
    aliases = ImportAliases(module_name(path))
    collect_top_level(module, aliases)
    context = FileContext(path, module_name(path), aliases=aliases)
    return {
        (f"{handler.owner.name.value}." if handler.owner is not None else "") + handler.name: (
            handler.framework,
            sorted(handler.request_params),
            sorted(handler.payload_params),
        )
        for handler in serving_file(module, context).handlers
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from flask import Flask\napp = Flask(__name__)\n@app.route('/p')\ndef p():\n    pass\n", "flask"),
        ("from flask import Blueprint\nbp = Blueprint('x', __name__)\n@bp.post('/p')\ndef p():\n    pass\n", "flask"),
        ("from fastapi import APIRouter\nr = APIRouter()\n@r.put('/p')\ndef p():\n    pass\n", "fastapi"),
        ("import fastapi\napi = fastapi.FastAPI()\n@api.api_route('/p')\ndef p():\n    pass\n", "fastapi"),
        ("from sanic import Sanic\ns = Sanic('x')\n@s.post('/p')\nasync def p(request):\n    pass\n", "sanic"),
        ("from quart import Quart\nq = Quart(__name__)\n@q.route('/p')\nasync def p():\n    pass\n", "flask"),
        ("from ninja import NinjaAPI\nn = NinjaAPI()\n@n.post('/p')\ndef p(request):\n    pass\n", "ninja"),
        (
            "from starlette.routing import Route\nasync def p(request):\n    pass\nroutes = [Route('/p', p)]\n",
            "starlette",
        ),
        ("import functions_framework\n@functions_framework.http\ndef p(request):\n    pass\n", "cloud-function"),
        ("from rest_framework.decorators import api_view\n@api_view(['POST'])\ndef p(request):\n    pass\n", "django"),
        (
            "import bentoml\n@bentoml.service\nclass S:\n    @bentoml.api\n    def p(self, x: str):\n        pass\n",
            "bentoml",
        ),
        (
            "from flask.views import MethodView\nclass P(MethodView):\n    def post(self):\n        pass\n",
            "flask",
        ),
        (
            "from ray import serve\n@serve.deployment()\n"
            "class P:\n    async def __call__(self, request):\n        pass\n",
            "ray-serve",
        ),
        (
            "import kserve\nclass P(kserve.Model):\n    def predict(self, payload, headers=None):\n        pass\n",
            "kserve",
        ),
    ],
)
def test_frameworks(code: str, expected: str) -> None:
    assert [framework for framework, _, _ in handlers(code).values()] == [expected]


def test_django_function_view_only_in_a_views_module() -> None:
    code = """
    from django.http import JsonResponse
    def p(request):
        return JsonResponse({})
    """
    assert handlers(code, path="shop/views.py") == {"p": ("django", ["request"], [])}
    assert handlers(code, path="shop/utils.py") == {}


def test_route_on_an_unknown_object_is_not_a_handler() -> None:
    assert handlers("import graphs\nplanner = graphs.Planner()\n@planner.route('/a')\ndef a():\n    pass\n") == {}
    # `app` imported from elsewhere counts only in a file that imports a web framework.
    assert handlers("from .main import app\n@app.route('/a')\ndef a():\n    pass\n") == {}
    assert "a" in handlers("from flask import jsonify\nfrom .main import app\n@app.route('/a')\ndef a():\n    pass\n")


def test_payload_parameters() -> None:
    code = """
    from typing import Any, Dict, List, Optional, Union
    from fastapi import FastAPI, Request
    from kserve import Model, InferRequest
    app = FastAPI()

    @app.post("/a")
    def a(body: dict, req: Request, rows: List[float], extra: Optional[dict] = None):
        pass

    @app.post("/b")
    def b(body: Dict[str, Any], typed: Dict[str, float]):
        pass

    class K(Model):
        def predict(self, payload: Union[Dict, InferRequest], headers=None):
            pass

    class V2(Model):
        def predict(self, payload: InferRequest, headers=None):
            pass
    """
    found = handlers(code)
    assert found["a"] == ("fastapi", ["req"], ["body"])
    assert found["b"] == ("fastapi", [], ["body"])
    assert found["K.predict"] == ("kserve", [], ["payload"])
    assert found["V2.predict"] == ("kserve", [], [])


def test_classes_built_in_a_factory_are_library_services() -> None:
    code = """
    import bentoml
    def get_service(name):
        @bentoml.service
        class Service:
            @bentoml.api
            def predict(self, data):
                return self.model.predict(data)
        return Service
    """
    assert handlers(code) == {}


@pytest.mark.parametrize(
    "monitoring",
    [
        "logger.info('y=%s', y)",
        "LOG.debug(y)",
        "app.logger.warning(y)",
        "logging.getLogger(__name__).info(y)",
        "PREDICTIONS.labels(kind='a').inc()",
        "LATENCY.observe(0.1)",
        "statsd.increment('predictions')",
        "mlflow.log_metric('y', float(y))",
        "wandb.log({'y': y})",
        "log_prediction(x, y)",
        "publish(topic, y)",
        "background_tasks.add_task(log_prediction, x, y)",
    ],
)
def test_monitoring_calls(monitoring: str) -> None:
    code = f"""
    import logging, mlflow, wandb
    from fastapi import FastAPI
    app = FastAPI()
    logger = logging.getLogger(__name__)

    @app.post("/p")
    def p(x: Item, background_tasks: BackgroundTasks):
        y = model.predict([x.v])
        {monitoring}
        return {{"y": y.tolist()}}
    """
    assert lines(code) == []


@pytest.mark.parametrize(
    "not_monitoring",
    ["print(y)", "results.append(y)", "cache.update({'y': y})", "np.log(y)", "t = time.time()"],
)
def test_not_monitoring(not_monitoring: str) -> None:
    code = f"""
    import time
    import numpy as np
    from fastapi import FastAPI
    app = FastAPI()

    @app.post("/p")
    def p(x: Item):
        y = model.predict([x.v])
        {not_monitoring}
        return {{"y": y.tolist()}}
    """
    assert lines(code) == [8]


@pytest.mark.parametrize(
    "app_wide",
    [
        "from prometheus_fastapi_instrumentator import Instrumentator\nInstrumentator().instrument(app).expose(app)",
        "from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor\n"
        "FastAPIInstrumentor.instrument_app(app)",
        "from starlette_exporter import PrometheusMiddleware\napp.add_middleware(PrometheusMiddleware)",
        "app.add_middleware(RequestLoggingMiddleware)",
    ],
)
def test_application_wide_monitoring(app_wide: str) -> None:
    code = "from fastapi import FastAPI\napp = FastAPI()\n" + app_wide + "\n"
    code += "@app.post('/p')\ndef p(x: Item):\n    return {'y': model.predict([x.v]).tolist()}\n"
    assert lines(code) == []


def test_prediction_through_a_local_helper_is_reported_at_the_helper_call() -> None:
    code = """
    from flask import Flask, request, jsonify
    app = Flask(__name__)

    def predict_one(features):
        return float(model.predict([features])[0])

    @app.route("/predict", methods=["POST"])
    def predict():
        value = predict_one(request.json["features"])
        return jsonify(value=value)
    """
    [finding] = run_example(RULE, Valid(code, path="app.py")).findings
    assert (finding.line, finding.message) == (
        9,
        "Handler `predict` returns the output of `predict_one(...)` without any logging or metrics call",
    )


def test_names_with_verbs_are_not_models() -> None:
    code = """
    from flask import Flask, request, jsonify
    from .inference import apply_model, load_model
    app = Flask(__name__)

    @app.post("/p")
    def p():
        return jsonify(apply_model(load_model("m"), request.json))
    """
    assert lines(code) == []
