"""Web handlers that serve a model: where they are, what they receive, and where they predict.

Shared by MLD702 (unmonitored-serving) and MLD703 (unvalidated-serving-input). A handler
is found by what declares it, resolved through the file's imports:

- Flask, Quart, FastAPI, Starlette, Sanic, Django Ninja: a `@<x>.route/get/post/...`
  decorator where `<x>` is assigned an application or router in the file
  (`app = Flask(__name__)`, `router = APIRouter()`), or has a conventional name (`app`,
  `bp`, `router`, `*_app`, ...) in a file that imports the framework; Starlette
  `Route("/x", endpoint)`; class-based views (`MethodView`, flask-restful `Resource`,
  `HTTPEndpoint`) by their HTTP-verb methods;
- Django: a function in a `views.py` whose first parameter is `request` and that returns
  a `JsonResponse`/`HttpResponse`/DRF `Response`, a DRF `@api_view`, and the HTTP-verb
  methods of `View`/`APIView` subclasses;
- BentoML `@svc.api(...)` (with `svc = bentoml.Service(...)`) and `@bentoml.api`; Ray
  Serve `__call__` of a `@serve.deployment` class; KServe `predict` of a `kserve.Model`
  subclass; Google Cloud Functions `@functions_framework.http`.

The analysis reads the finished syntax tree once per file (rules call it from
`leave_Module`), and is cached for the other rule of the same traversal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import libcst as cst

from mldebt.context import FileContext
from mldebt.knowledge import serving as known
from mldebt.knowledge.models import PREDICT_METHODS, PROBABILITY_METHODS, SCORE_METHODS, name_words
from mldebt.names import ImportAliases, dotted_name

# Methods whose call on a model returns its output.
PREDICTION_METHODS = PREDICT_METHODS | PROBABILITY_METHODS | SCORE_METHODS
_CODE = cst.Module([])
_MAX_SHOWN = 60
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# Statements whose body is still module level when they are (`if`, `try`, `with` blocks).
_MODULE_LEVEL_BLOCKS = (
    cst.If, cst.Try, cst.With, cst.IndentedBlock, cst.SimpleStatementLine, cst.Else, cst.ExceptHandler,
    cst.Finally, cst.SimpleStatementSuite,
)  # fmt: skip


@dataclass(frozen=True)
class WebHandler:
    """One function that answers HTTP requests (or a model server's predict method).

    Attributes:
        function: The handler's definition.
        framework: `flask`, `fastapi`, `starlette`, `sanic`, `ninja`, `django`, `bentoml`,
            `ray-serve`, `kserve` or `cloud-function`.
        owner: The class the handler is a method of, if any.
        request_params: Parameters that hold the request object (`request: Request`).
        payload_params: Parameters that hold the client's payload as sent, unchecked
            (a KServe `payload: Dict`, a FastAPI `body: dict`, a BentoML `JSON()` input).
    """

    function: cst.FunctionDef
    framework: str
    owner: cst.ClassDef | None = None
    request_params: frozenset[str] = frozenset()
    payload_params: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.function.name.value

    def forwards(self, call: cst.Call) -> bool:
        """Whether `call` hands the request on to another handler: it passes the handler's
        own `headers` or `context` along (`return self._impl.predict(payload, headers)`)."""
        signature = self.function.params
        params = {param.name.value for param in (*signature.params, *signature.kwonly_params)}
        passed = {arg.value.value for arg in call.args if isinstance(arg.value, cst.Name)}
        return bool(params & passed & known.FORWARDED_PARAMETERS)


@dataclass
class ServingFile:
    """What one file declares for serving: its handlers, and what they may call.

    Attributes:
        handlers: Every web handler of the file.
        functions: The file's module-level functions, by name.
        methods: Each class's methods, by name.
        model_objects: Variables (`classifier`, `self.nlp`) that hold a model called
            directly (a transformers `pipeline`, a spaCy pipeline).
        runners: Variables that hold a BentoML runner.
        classes: Every class of the file.
        defined_functions: The names of every function and method of the file.
        module_bindings: What each module-level name is assigned or annotated with.
        attribute_bindings: What each `self.<attribute>` of a class is assigned or annotated with.
        aliases: The file's import-alias map.
    """

    handlers: list[WebHandler] = field(default_factory=list)
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    methods: dict[cst.ClassDef, dict[str, cst.FunctionDef]] = field(default_factory=dict)
    model_objects: set[str] = field(default_factory=set)
    runners: set[str] = field(default_factory=set)
    classes: list[cst.ClassDef] = field(default_factory=list)
    defined_functions: set[str] = field(default_factory=set)
    module_bindings: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    attribute_bindings: dict[cst.ClassDef, dict[str, list[cst.BaseExpression]]] = field(default_factory=dict)
    aliases: ImportAliases = field(default_factory=ImportAliases)
    _function_nodes: dict[cst.FunctionDef, list[cst.CSTNode]] = field(default_factory=dict, repr=False)
    _function_bindings: dict[cst.FunctionDef, dict[str, list[cst.BaseExpression]]] = field(
        default_factory=dict, repr=False
    )

    def _class_candidates(
        self, receiver: str, function: cst.FunctionDef | None, owner: cst.ClassDef | None
    ) -> list[cst.BaseExpression]:
        """The classes a variable may be an instance of, from what it is assigned or
        annotated with: `m: HousePriceModel = ...`, `m = Predictor(...)`,
        `self.m = Predictor.from_registry()`."""
        bindings: list[cst.BaseExpression] = []
        if receiver.startswith("self.") and owner is not None:
            bindings += self.attribute_bindings.get(owner, {}).get(receiver[5:], [])
        elif "." not in receiver:
            if function is not None:
                bindings += self._local_bindings(function).get(receiver, [])
            bindings += self.module_bindings.get(receiver, [])
        return [cls for binding in bindings for cls in self._classes_of(binding)]

    def _local_bindings(self, function: cst.FunctionDef) -> dict[str, list[cst.BaseExpression]]:
        """What each name of a function's body is assigned or annotated with (cached)."""
        found = self._function_bindings.get(function)
        if found is None:
            found = {}
            for node in self.nodes(function):
                if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
                    values = [node.annotation.annotation] + ([node.value] if node.value is not None else [])
                    found.setdefault(node.target.value, []).extend(values)
                elif isinstance(node, cst.Assign):
                    for target in node.targets:
                        if isinstance(target.target, cst.Name):
                            found.setdefault(target.target.value, []).append(node.value)
            self._function_bindings[function] = found
        return found

    def nodes(self, function: cst.FunctionDef) -> list[cst.CSTNode]:
        """Every node of a function's own body, nested functions and classes left out (cached)."""
        found = self._function_nodes.get(function)
        if found is None:
            found = list(walk(function.body, into_functions=False))
            self._function_nodes[function] = found
        return found

    @staticmethod
    def _classes_of(binding: cst.BaseExpression) -> list[cst.BaseExpression]:
        """The class an annotation or a constructor call names: `HousePriceModel`,
        `Optional[HousePriceModel]`, `Predictor(...)`, `Predictor.from_registry(...)`."""
        candidate: cst.BaseExpression | None = binding
        if isinstance(candidate, cst.Subscript):  # Optional[Model]
            elements = [e.slice.value for e in candidate.slice if isinstance(e.slice, cst.Index)]
            candidate = elements[0] if len(elements) == 1 else None
        elif isinstance(candidate, cst.Call):
            func = candidate.func
            if isinstance(func, cst.Attribute) and _camel_name(dotted_name(func.value)):
                candidate = func.value  # Predictor.from_registry(...)
            else:
                candidate = func
                name = dotted_name(func)
                # A call named by a noun constructs (`attendance()`); a verb loads (`load_model()`).
                if name is not None and not _camel_name(name) and "." not in name:
                    words = name_words(name)
                    return [] if not words or any(w in known.NOT_A_MODEL_WORDS for w in words) else [func]
        return [candidate] if candidate is not None and _camel_name(dotted_name(candidate)) else []

    def opaque_model(self, call: cst.Call, function: cst.FunctionDef | None, owner: cst.ClassDef | None) -> bool:
        """Whether `call` is `x.predict(...)` on an instance of the project's own class from
        another module (`model: HousePriceModel`, `Predictor.from_registry()`): its predict may
        log or validate where this file cannot see."""
        func = call.func
        if not isinstance(func, cst.Attribute):
            return False
        if isinstance(func.value, cst.Call):  # Predictor().predict(x)
            candidates = self._classes_of(func.value)
        else:
            receiver = dotted_name(func.value)
            if receiver is None:
                return False
            candidates = self._class_candidates(receiver, function, owner)
        local = {c.name.value for c in self.classes}
        for candidate in candidates:
            if dotted_name(candidate) in local:
                continue
            qualified = self.aliases.qualified_name(candidate)
            if qualified is not None and qualified.split(".")[0] not in known.MODEL_LIBRARY_ROOTS:
                return True
        return False

    def local_method(
        self, call: cst.Call, function: cst.FunctionDef | None, owner: cst.ClassDef | None
    ) -> cst.FunctionDef | None:
        """`x.predict(...)` on an instance of a class of this file: that class's method."""
        func = call.func
        receiver = dotted_name(func.value) if isinstance(func, cst.Attribute) else None
        if receiver is None or not isinstance(func, cst.Attribute):
            return None
        by_name = {c.name.value: c for c in self.classes}
        for candidate in self._class_candidates(receiver, function, owner):
            cls = by_name.get(dotted_name(candidate) or "")
            if cls is not None and func.attr.value in self.methods.get(cls, {}):
                return self.methods[cls][func.attr.value]
        return None

    def local_callee(self, call: cst.Call, owner: cst.ClassDef | None) -> cst.FunctionDef | None:
        """The function of this file that `call` runs: `helper(...)` for a module-level
        `def helper`, `self.helper(...)` for a method of the same class."""
        func = call.func
        if isinstance(func, cst.Name):
            return self.functions.get(func.value)
        if (
            owner is not None
            and isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
        ):
            return self.methods.get(owner, {}).get(func.attr.value)
        return None

    def prediction(self, call: cst.Call) -> str | None:
        """How `call` reads in a message (`model.predict(...)`) when it runs a model, else None.

        A model runs in `<x>.predict(...)`, `.predict_proba(...)`, `.decision_function(...)`,
        `.score_samples(...)` (with arguments), a BentoML runner's `.run(...)`, a call of a
        variable assigned a transformers or spaCy pipeline, and a call of a variable named
        like a model (`model(x)`, `self.clf(x)`, `text_classifier(x)`; not a function of
        the file, nor a name with a verb, such as `load_model` or `apply_model`).
        """
        func = call.func
        if isinstance(func, cst.Attribute) and _is_super(func.value):
            return None  # the parent class's handler: it answers for itself
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in PREDICTION_METHODS and call.args:
                return _shown(func)
            if method in known.RUNNER_CALL_METHODS and call.args:
                receiver = func.value
                if isinstance(receiver, cst.Attribute) and receiver.attr.value in PREDICTION_METHODS:
                    return _shown(func)
                if dotted_name(receiver) in self.runners:
                    return _shown(func)
        name = dotted_name(func)
        if name is None or not call.args:
            return None
        if name in self.model_objects:
            return _shown(func)
        if name.split(".")[-1] not in self.defined_functions and _named_like_a_model(name):
            return _shown(func)
        return None


def shown(node: cst.CSTNode) -> str:
    """Source text of a node, on one line and shortened for a message."""
    text = " ".join(_CODE.code_for_node(node).split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _shown(func: cst.BaseExpression) -> str:
    return f"{shown(func)}(...)"


def _is_super(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and dotted_name(node.func) == "super"


def _camel_name(name: str | None) -> bool:
    last = name.split(".")[-1] if name else ""
    return bool(last) and last[0].isupper() and any(c.islower() for c in last)


def _named_like_a_model(name: str) -> bool:
    parts = name.split(".")
    last = parts[-1]
    if not last or last[0].isupper() or any(_camel_name(part) for part in parts[:-1]):
        return False  # a class, or a class's method (`Pipeline.from_pipe(...)`): not a model
    words = name_words(last)
    return bool(words) and words[-1] in known.MODEL_NOUNS and not any(w in known.NOT_A_MODEL_WORDS for w in words)


def walk(node: cst.CSTNode, into_functions: bool = True) -> Iterator[cst.CSTNode]:
    """Every node under `node` (itself included), depth first in source order; nested
    functions, lambdas and classes are skipped unless `into_functions`.

    Reads the nodes' fields directly: libcst's `children` re-visits a node to list them,
    which costs as much as a traversal."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        if not into_functions and current is not node and isinstance(current, _SCOPES):
            continue
        stack.extend(reversed(child_nodes(current)))


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """A node's children in source order, punctuation and whitespace left out."""
    found: list[cst.CSTNode] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


# Fields that hold only punctuation and whitespace: never a name, a call or a statement.
_LAYOUT_FIELDS = frozenset(
    {
        "leading_lines", "lines_after_decorators", "lpar", "rpar", "comma", "semicolon", "dot", "equal",
        "header", "footer", "trailing_whitespace", "default_indent", "default_newline", "encoding",
        "has_trailing_newline", "star", "colon", "asynchronous", "operator_whitespace",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _child_fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        names = tuple(
            field.name
            for field in dataclasses.fields(kind)
            if field.name not in _LAYOUT_FIELDS and not field.name.startswith("whitespace")
        )
        _CHILD_FIELDS[kind] = names
    return names


_cache: list[tuple[cst.Module, ServingFile]] = []


def serving_file(module: cst.Module, context: FileContext) -> ServingFile:
    """The serving declarations of a file (cached for the last file analysed)."""
    if _cache and _cache[0][0] is module:
        return _cache[0][1]
    result = _ServingScanner(module, context).scan()
    _cache[:] = [(module, result)]
    return result


def _is_views_module(path: str) -> bool:
    pure = PurePosixPath(path)
    return pure.stem in known.DJANGO_VIEW_MODULES or bool(set(pure.parts[:-1]) & known.DJANGO_VIEW_MODULES)


class _ServingScanner:
    def __init__(self, module: cst.Module, context: FileContext) -> None:
        self.module = module
        self.context = context
        self.result = ServingFile()
        self.app_names: dict[str, str] = {}  # variable -> framework
        self.service_names: set[str] = set()
        self.route_endpoints: set[str] = set()
        self.framework_imports: set[str] = set()
        self._inside_function = False
        # Classes built inside a function: generic services a library's factory returns
        # (`def get_service(model): @bentoml.service class Service: ...`), not an application.
        self.factory_classes: set[cst.ClassDef] = set()

    def qualified(self, node: cst.BaseExpression) -> str | None:
        return self.context.aliases.qualified_name(node)

    def scan(self) -> ServingFile:
        self.result.aliases = self.context.aliases
        roots = {name.split(".")[0] for name in self.context.aliases.aliases.values()}
        views = _is_views_module(self.context.path)
        if not roots & known.SERVING_MODULE_ROOTS and not views:
            return self.result
        self.framework_imports = {
            known.ROUTE_FRAMEWORK_MODULES[root] for root in roots if root in known.ROUTE_FRAMEWORK_MODULES
        }
        definitions: list[tuple[cst.FunctionDef, cst.ClassDef | None, bool]] = []
        self._collect(self.module, None, True, definitions)
        for function, owner, top_level in definitions:
            if owner is not None and owner in self.factory_classes:
                continue
            handler = self._handler(function, owner, top_level, views)
            if handler is not None:
                self.result.handlers.append(handler)
        return self.result

    # One pass over the tree: definitions, and the variables that hold apps, services, models.
    def _collect(
        self,
        node: cst.CSTNode,
        owner: cst.ClassDef | None,
        top_level: bool,
        definitions: list[tuple[cst.FunctionDef, cst.ClassDef | None, bool]],
    ) -> None:
        for child in child_nodes(node):
            if isinstance(child, cst.ClassDef):
                if owner is None and not top_level and self._inside_function:
                    self.factory_classes.add(child)
                self.result.classes.append(child)
                self.result.methods[child] = {
                    item.name.value: item for item in child.body.body if isinstance(item, cst.FunctionDef)
                }
                self._collect(child, child, False, definitions)
                continue
            if isinstance(child, cst.FunctionDef):
                definitions.append((child, owner, top_level))
                self.result.defined_functions.add(child.name.value)
                if top_level:
                    self.result.functions.setdefault(child.name.value, child)
                outer, self._inside_function = self._inside_function, True
                self._collect(child, owner, False, definitions)
                self._inside_function = outer
                continue
            if isinstance(child, (cst.Assign, cst.AnnAssign)) and child.value is not None:
                targets = [t.target for t in child.targets] if isinstance(child, cst.Assign) else [child.target]
                self._bound(targets, child.value)
                self._record(targets, child, owner, top_level)
            elif isinstance(child, cst.Call):
                self._route_call(child)
            self._collect(child, owner, top_level and isinstance(child, _MODULE_LEVEL_BLOCKS), definitions)

    def _bound(self, targets: Sequence[cst.BaseExpression], value: cst.BaseExpression) -> None:
        names = [name for name in (dotted_name(t) for t in targets) if name is not None]
        if not names or not isinstance(value, cst.Call):
            return
        callee = self.qualified(value.func)
        for name in names:
            if callee in known.APP_CONSTRUCTORS:
                self.app_names[name] = known.APP_CONSTRUCTORS[callee]
            elif callee in known.SERVICE_CONSTRUCTORS:
                self.service_names.add(name)
            elif callee in known.CALLABLE_MODEL_FACTORIES:
                self.result.model_objects.add(name)
            elif isinstance(value.func, cst.Attribute) and value.func.attr.value == known.RUNNER_FACTORY_METHOD:
                self.result.runners.add(name)

    def _record(
        self,
        targets: Sequence[cst.BaseExpression],
        node: cst.Assign | cst.AnnAssign,
        owner: cst.ClassDef | None,
        top_level: bool,
    ) -> None:
        """Remember what module-level names and `self.<attribute>`s are bound to."""
        values: list[cst.BaseExpression] = [node.value] if node.value is not None else []
        if isinstance(node, cst.AnnAssign):
            values.append(node.annotation.annotation)
        for target in targets:
            name = dotted_name(target)
            if name is None:
                continue
            if top_level and owner is None and "." not in name:
                self.result.module_bindings.setdefault(name, []).extend(values)
            elif owner is not None and name.startswith("self.") and name.count(".") == 1:
                self.result.attribute_bindings.setdefault(owner, {}).setdefault(name[5:], []).extend(values)

    def _route_call(self, call: cst.Call) -> None:
        """`Route("/predict", predict)` and `Route("/predict", endpoint=predict)` (Starlette)."""
        if self.qualified(call.func) not in known.ROUTE_CLASSES:
            return
        for index, arg in enumerate(call.args):
            keyword = arg.keyword.value if arg.keyword is not None else None
            if (keyword == "endpoint" or (keyword is None and index == 1)) and isinstance(arg.value, cst.Name):
                self.route_endpoints.add(arg.value.value)

    # Is this function a handler?
    def _handler(
        self, function: cst.FunctionDef, owner: cst.ClassDef | None, top_level: bool, views: bool
    ) -> WebHandler | None:
        framework, payload = self._by_decorators(function)
        if framework is None and owner is not None:
            framework = self._by_class(function, owner)
        if framework is None and function.name.value in self.route_endpoints and owner is None:
            framework = "starlette"
        if framework is None and views and top_level and owner is None and self._is_django_view(function):
            framework = "django"
        if framework is None:
            return None
        return self._describe(function, framework, owner, payload)

    def _by_decorators(self, function: cst.FunctionDef) -> tuple[str | None, bool]:
        """The framework a decorator declares the function a handler of, and whether that
        decorator hands the first parameter over unchecked (BentoML `JSON()` input)."""
        for decorator in function.decorators:
            expression = decorator.decorator
            call = expression if isinstance(expression, cst.Call) else None
            func = call.func if call is not None else expression
            qualified = self.qualified(func)
            if qualified in known.HANDLER_DECORATORS:
                framework = known.HANDLER_DECORATORS[qualified]
                return framework, framework == "bentoml" and call is not None and self._unchecked_io(call)
            if not isinstance(func, cst.Attribute):
                continue
            receiver = dotted_name(func.value)
            method = func.attr.value
            if receiver is None:
                continue
            if method in known.ROUTE_DECORATOR_METHODS and call is not None:
                if receiver in self.app_names:
                    return self.app_names[receiver], False
                if self._conventional_app(receiver) and self.framework_imports:
                    return sorted(self.framework_imports)[0], False
            if method == known.SERVICE_DECORATOR_METHOD and receiver in self.service_names:
                return "bentoml", call is not None and self._unchecked_io(call)
        return None, False

    def _conventional_app(self, receiver: str) -> bool:
        name = receiver.split(".")[-1].lower()
        return name in known.CONVENTIONAL_APP_NAMES or name.endswith(known.CONVENTIONAL_APP_SUFFIXES)

    def _unchecked_io(self, call: cst.Call) -> bool:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "input" and isinstance(arg.value, cst.Call):
                descriptor = arg.value
                if self.qualified(descriptor.func) not in known.UNCHECKED_IO_DESCRIPTORS:
                    return False
                keywords = {a.keyword.value for a in descriptor.args if a.keyword is not None}
                return known.IO_SCHEMA_KEYWORD not in keywords
        return False

    def _by_class(self, function: cst.FunctionDef, owner: cst.ClassDef) -> str | None:
        method = function.name.value
        for base in owner.bases:
            qualified = self.qualified(base.value)
            if qualified in known.VIEW_BASE_CLASSES and method in known.HTTP_METHOD_NAMES:
                return known.VIEW_BASE_CLASSES[qualified]
            if qualified in known.MODEL_SERVER_BASE_CLASSES and method == known.MODEL_SERVER_METHOD:
                return known.MODEL_SERVER_BASE_CLASSES[qualified]
        if method == known.DEPLOYMENT_METHOD:
            for decorator in owner.decorators:
                expression = decorator.decorator
                func = expression.func if isinstance(expression, cst.Call) else expression
                qualified = self.qualified(func)
                if qualified in known.DEPLOYMENT_DECORATORS:
                    return known.DEPLOYMENT_DECORATORS[qualified]
        return None

    def _is_django_view(self, function: cst.FunctionDef) -> bool:
        params = function.params.params
        if not params or params[0].name.value != "request":
            return False
        for node in walk(function, into_functions=False):
            if isinstance(node, cst.Return) and isinstance(node.value, cst.Call):
                if self.qualified(node.value.func) in known.DJANGO_RESPONSES:
                    return True
        return False

    def _describe(
        self, function: cst.FunctionDef, framework: str, owner: cst.ClassDef | None, unchecked_first: bool
    ) -> WebHandler:
        params = [*function.params.posonly_params, *function.params.params, *function.params.kwonly_params]
        if owner is not None and params and params[0].name.value in ("self", "cls"):
            params = params[1:]
        requests: set[str] = set()
        payloads: set[str] = set()
        for index, param in enumerate(params):
            name = param.name.value
            annotation = param.annotation.annotation if param.annotation is not None else None
            if name in known.REQUEST_PARAMETER_NAMES or (
                annotation is not None and self.qualified(annotation) in known.REQUEST_TYPES
            ):
                requests.add(name)
                continue
            if index == 0 and unchecked_first:
                payloads.add(name)
            elif index == 0 and framework == "kserve":
                # The payload is what the client sent unless a `preprocess` method of the
                # class transformed it first, or it is typed as something parsed (a tensor,
                # an `InferRequest`); `Union[Dict, InferRequest]` still lets v1 JSON through.
                methods = self.result.methods.get(owner, {}) if owner is not None else {}
                if known.MODEL_SERVER_PREPROCESS not in methods and (annotation is None or _untyped(annotation)):
                    payloads.add(name)
            elif framework in ("fastapi", "ninja", "bentoml") and param.default is None and annotation is not None:
                # A required body typed only `dict` or `Any`; optional extras are not the payload.
                if _untyped(annotation):
                    payloads.add(name)
        return WebHandler(function, framework, owner, frozenset(requests), frozenset(payloads))


def _untyped(annotation: cst.BaseExpression) -> bool:
    """`dict`, `Dict[str, Any]`, `Any`, `list`, `List[dict]`, `Union[Dict, X]`, `dict | X`:
    a body any JSON satisfies."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _untyped(annotation.left) or _untyped(annotation.right)
    if isinstance(annotation, cst.Subscript) and (dotted_name(annotation.value) or "").split(".")[-1] == "Union":
        return any(_untyped(e.slice.value) for e in annotation.slice if isinstance(e.slice, cst.Index))
    if isinstance(annotation, (cst.Name, cst.Attribute)):
        name = dotted_name(annotation)
        return name is not None and name.split(".")[-1] in known.UNTYPED_BODY_ANNOTATIONS
    if isinstance(annotation, cst.Subscript):
        base = dotted_name(annotation.value)
        if base is None or base.split(".")[-1] not in known.UNTYPED_BODY_ANNOTATIONS:
            return False
        # The container is checked only as far as its element types say.
        elements = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
        return any(_untyped(element) for element in elements)
    return False


def bound_names(target: cst.BaseExpression) -> list[str]:
    """The plain names an assignment target binds (`a`, `a, (b, *c)`)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in bound_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return bound_names(target.value)
    return []


def assignments(function: cst.FunctionDef) -> list[tuple[list[str], cst.BaseExpression]]:
    """What a function's own body binds, in source order: (names, the value they get).
    A loop or comprehension variable gets the iterable; `with x as y` binds `y` to `x`."""
    found: list[tuple[list[str], cst.BaseExpression]] = []
    for node in walk(function.body, into_functions=False):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                found.append((bound_names(target.target), node.value))
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and node.value is not None:
            found.append((bound_names(node.target), node.value))
        elif isinstance(node, cst.NamedExpr):
            found.append((bound_names(node.target), node.value))
        elif isinstance(node, (cst.For, cst.CompFor)):
            found.append((bound_names(node.target), node.iter))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            found.append((bound_names(node.asname.name), node.item))
    return found
