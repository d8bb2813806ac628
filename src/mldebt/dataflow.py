"""Intra-function data flow: what each local value holds, for the rules that follow data from
call to call (MLD201 correction-cascade, MLD401 direct-feedback-loop, MLD804
unvalidated-training-data).

Within one function body (and, separately, the module's top level and each class body) a
`DataFlow` tracks which local names, attributes (`self.x`) and DataFrame columns
(`df["pred"]`) hold

- a model's predictions (`m.predict(X)`, `predict_proba`, `decision_function`, a forward call
  `net(x)` of a known network, `cross_val_predict(m, ...)`), and from which model;
- data loaded from outside (`pd.read_*`, `np.load*`, `open(...)`, `requests.get(...)`,
  `load_dataset`, `spark.read.*`, SQL cursors, ...), and whether it has been validated since;
- fitted models, with an identity: a model is the value a constructor (or a training function
  such as `xgb.train`) returned, followed through aliases (`clf = rf`); a receiver with no
  known origin (a parameter) is a model named by its spelling.

Values flow through assignments, tuple unpacking (`train_test_split` pairs its outputs with its
inputs), arithmetic (`y - pred`), stacking (`np.column_stack`, `np.c_[...]`, `pd.concat`,
`torch.cat`), column writes and reads (`df["pred"] = ...`, `.assign(pred=...)`,
`df[["a", "pred"]]`, `.drop(columns=...)`), conversions (`.values`, `.to_numpy()`, `.copy()`),
and calls into array libraries; they do not flow through calls to the project's own functions
(what those do is unknown, so nothing is claimed). Loops are read once, in source order.

It runs inside the rules' one shared traversal, never walking the tree itself: a rule
subclasses `DataFlowRule`, whose `visit_*` methods feed the file's one `DataFlow` statement by
statement (shared by every such rule through `FileContext.shared`, so it is computed once per
file), and overrides `training_call` to judge each training call (`fit`, `partial_fit`,
`train`, ...) as it is reached, with what its features and target hold at that point.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from mldebt.context import FileContext
from mldebt.facts import literal_value
from mldebt.knowledge import training as kb
from mldebt.knowledge.models import name_words
from mldebt.names import dotted_name
from mldebt.rule import Rule
from mldebt.serving import child_nodes

_CODE = cst.Module([])
MAX_SPELLING = 40


# --- What values hold -------------------------------------------------------------------------


@dataclass(eq=False)
class Model:
    """One model, identified by the value that made it (compared by identity).

    Attributes:
        name: How the code spells it: `rf`, `self.model`, `RandomForestClassifier(...)`.
        constructor: The qualified name of the class or function that made it, when known.
        callable: Whether calling it predicts (`net(x)`: PyTorch, Keras, Hugging Face models).
        copy_of: The model it is a copy of (`copy.deepcopy(model)`, `clone_model(model)`).
        named: Whether `name` is a name the code binds (not a spelling made up for a temporary).
        supervised: Whether it has been seen trained on a target other than its own inputs
            (`fit(X, y)`: True; `fit(X)` or an autoencoder's `fit(X, X)`: False; None: never seen
            trained in this function).
        fitted: Whether it has been seen trained (so far, in source order).
    """

    name: str
    constructor: str | None = None
    callable: bool = False
    copy_of: Model | None = None
    named: bool = True
    supervised: bool | None = None  # seen trained on a target other than its inputs (None: not seen trained)
    fitted: bool = False  # seen trained in this function

    @property
    def family(self) -> Model:
        """The original this model was copied from (itself when it is no copy)."""
        model = self
        while model.copy_of is not None:
            model = model.copy_of
        return model

    @property
    def prepares_features(self) -> bool:
        """A transformer, clusterer, resampler or outlier detector rather than a supervised model."""
        if self.constructor is None:
            return False
        parts = self.constructor.split(".")
        top, last = parts[0], parts[-1]
        if top == "sklearn":
            return (len(parts) > 2 and parts[1] in kb.UNSUPERVISED_SKLEARN_MODULES) or (
                last in kb.UNSUPERVISED_SKLEARN_CLASSES
            )
        if top == "imblearn":
            return len(parts) > 2 and parts[1] in kb.UNSUPERVISED_IMBLEARN_MODULES
        return top in kb.UNSUPERVISED_PACKAGES


@dataclass(frozen=True, eq=False)
class Prediction:
    """The output of `model`, made by the call `call` (`method`: `predict_proba`, `forward`, ...)."""

    model: Model
    call: cst.CSTNode
    method: str
    order: int

    @property
    def spelling(self) -> str:
        if self.method == "forward":
            return f"{self.model.name}(...)"
        if "." in self.method:  # a function such as `sklearn.model_selection.cross_val_predict`
            return f"{self.method.rsplit('.', 1)[-1]}({self.model.name}, ...)"
        return f"{self.model.name}.{self.method}"


@dataclass(frozen=True, eq=False)
class Load:
    """Data read from outside by the call `call`, spelled `loader` (`pd.read_csv`)."""

    loader: str
    call: cst.CSTNode
    order: int


Origin = Prediction | Load


@dataclass(frozen=True, eq=False)
class Value:
    """What one expression or name holds.

    Attributes:
        origins: Predictions and loads held throughout (for a frame: by every column not in
            `columns`).
        columns: Columns (or dict keys) written explicitly, each with what it holds.
        mixed: Predictions here have been combined, element by element, with other data
            (`y - pred`, `reward + gamma * q`): not a model's output any more, but an
            adjustment of something else by it.
        literal: A constant (`0.5`, `"a"`, or a name bound to one).
        strings: The items of a known list of strings (column names: `["a", "pred"]`).
        model: The model this value is (or wraps).
        pair: The (features, target) of a dataset container (`lgb.Dataset(X, label=y)`).
        trainer: The (features, target) an object was built with and is trained on by a bare
            `.fit()`/`.train()` (statsmodels `OLS(y, X)`, `Trainer(train_dataset=...)`).
    """

    origins: frozenset[Origin] = frozenset()
    columns: Mapping[str, Value] = field(default_factory=dict)
    mixed: bool = False
    literal: bool = False
    strings: tuple[str, ...] | None = None
    model: Model | None = None
    pair: tuple[Value, Value] | None = None
    trainer: tuple[Value, Value] | None = None

    def all_origins(self) -> frozenset[Origin]:
        """Every origin held anywhere in the value (whole, columns, dataset parts)."""
        found = set(self.origins)
        for column in self.columns.values():
            found |= column.all_origins()
        if self.pair is not None:
            found |= self.pair[0].all_origins() | self.pair[1].all_origins()
        return frozenset(found)

    def any_mixed(self) -> bool:
        if self.mixed:
            return True
        if any(column.any_mixed() for column in self.columns.values()):
            return True
        return self.pair is not None and (self.pair[0].any_mixed() or self.pair[1].any_mixed())

    def predictions(self) -> list[Prediction]:
        """The predictions held, in the order they were made."""
        return sorted((o for o in self.all_origins() if isinstance(o, Prediction)), key=lambda o: o.order)

    def loads(self) -> list[Load]:
        """The loads held, in the order they were made."""
        return sorted((o for o in self.all_origins() if isinstance(o, Load)), key=lambda o: o.order)

    @property
    def holds_data(self) -> bool:
        return bool(self.all_origins() or self.columns or self.literal or self.strings is not None or self.pair)

    @property
    def has_predictions(self) -> bool:
        return any(isinstance(o, Prediction) for o in self.all_origins())

    def flat(self) -> Value:
        """The data alone: columns merged, no model, no names."""
        return Value(origins=self.all_origins(), mixed=self.any_mixed(), literal=self.literal and not self.columns)

    def rows(self) -> Value:
        """A selection of rows (or elements): the same columns, no longer a model or a list of names."""
        return Value(origins=self.origins, columns=self.columns, mixed=self.mixed, literal=self.literal, pair=self.pair)

    def frame_wide(self) -> Value:
        """What the columns not written explicitly hold."""
        if self.pair is not None:
            return self.flat()
        return Value(origins=self.origins, mixed=self.mixed, literal=self.literal)

    def column(self, name: str) -> Value:
        """What reading the column (or key) `name` gives."""
        if name in self.columns:
            return self.columns[name]
        return self.frame_wide()

    def select(self, names: Sequence[str]) -> Value:
        """`df[["a", "b"]]`: the named columns."""
        columns = {name: self.columns[name] for name in names if name in self.columns}
        if all(name in self.columns for name in names):
            return Value(columns=columns)
        return Value(origins=self.origins, columns=columns, mixed=self.mixed)

    def without(self, names: Sequence[str]) -> Value:
        """`df.drop(columns=names)`: every other column."""
        columns = {name: value for name, value in self.columns.items() if name not in names}
        return Value(origins=self.origins, columns=columns, mixed=self.mixed)

    def with_column(self, name: str, value: Value) -> Value:
        columns = dict(self.columns)
        columns[name] = value
        return replace(self, columns=columns, literal=False, strings=None)


EMPTY = Value()


def concatenated(values: Iterable[Value]) -> Value:
    """Values put side by side or one after another: each element comes from one of them."""
    parts = list(values)
    origins: set[Origin] = set()
    for part in parts:
        origins |= part.all_origins()
    return Value(
        origins=frozenset(origins),
        mixed=any(part.any_mixed() for part in parts),
        literal=bool(parts) and all(part.literal for part in parts),
    )


def combined(values: Iterable[Value]) -> Value:
    """Values combined element by element (`y - pred`): predictions combined with anything but
    a constant or other predictions are mixed."""
    parts = list(values)
    result = concatenated(parts)
    with_predictions = any(part.has_predictions for part in parts)
    others = any(not part.literal and not part.has_predictions for part in parts)
    return replace(result, mixed=result.mixed or (with_predictions and others))


def merged_frames(values: Sequence[Value], rows: bool) -> Value:
    """`pd.concat(frames)` (rows) or `pd.concat(frames, axis=1)` / `a.join(b)` (columns)."""
    origins: set[Origin] = set()
    for value in values:
        origins |= value.origins if (value.columns or value.pair is None) else value.all_origins()
    columns: dict[str, Value] = {}
    if rows:
        names = sorted({name for value in values for name in value.columns})
        for name in names:
            parts = [value.column(name) for value in values if name in value.columns or value.origins]
            columns[name] = concatenated(parts)
    else:
        for value in values:
            columns.update(value.columns)
    return Value(origins=frozenset(origins), columns=columns, mixed=any(value.mixed for value in values))


def same_model(first: Model, second: Model) -> bool | None:
    """Whether two models are the same one: True, False, or None when that cannot be told
    (one name bound to two models of unknown or equal classes, or a copy of the other)."""
    if first is second:
        return True
    if first.family is second.family:
        return None
    if first.name != second.name:
        return False
    if first.constructor and second.constructor and first.constructor != second.constructor:
        return False
    return None


@dataclass(frozen=True)
class TrainingCall:
    """A call that trains `model` on `features` and `target`, as the data flow sees it there.

    Attributes:
        call: The call (`gbm.fit(X, y)`, `xgb.train(params, dtrain)`, `trainer.train()`).
        spelling: What is called, as written: `gbm.fit`, `xgb.train`.
        model: The model being trained.
        features: What its features hold (for a call with one data argument: that argument).
        target: What its target holds (EMPTY when the call passes none).
        unvalidated: Loads that reach the call with no validation seen since they were made.
        in_estimator: The call is in a method of a class that is itself a scikit-learn style
            estimator (it derives from `sklearn.base.BaseEstimator` or a mixin): a model made
            of models, fit and evaluated as one.
    """

    call: cst.Call
    spelling: str
    model: Model
    features: Value
    target: Value
    unvalidated: tuple[Load, ...]
    in_estimator: bool = False


# --- Scopes -----------------------------------------------------------------------------------


class _Frame:
    """One scope's bindings: a function body, a class body, the module, or a comprehension."""

    def __init__(self, kind: str, parent: _Frame | None) -> None:
        self.kind = kind
        self.parent = parent
        self.values: dict[str, Value] = {}
        self.validated: set[Load] = set()
        self.validate_all = False
        self.estimator = False  # a class body (or a method in one) of an estimator class

    @property
    def scope(self) -> _Frame:
        """The function, class or module a comprehension belongs to."""
        frame = self
        while frame.kind == "comprehension" and frame.parent is not None:
            frame = frame.parent
        return frame


@dataclass(frozen=True)
class _Arg:
    keyword: str | None  # None for a positional argument; "*" or "**" for unpacking
    node: cst.BaseExpression
    value: Value
    items: tuple[Value, ...] | None = None  # the items of a list or tuple literal


# --- The analysis -----------------------------------------------------------------------------


class DataFlow:
    """Follows values through one file, statement by statement, as the traversal reaches them.

    Feed it from a visitor: `enter_function`/`enter_class` and `leave_scope` around bodies,
    `statement` for every small statement, `enter_if`, `enter_for` and `enter_with` for the
    compound statements' headers (a `DataFlowRule` does all of this). Each training call is
    passed to every subscriber when reached, and kept in `training_calls`.

    The rules of one file share one instance (`DataFlow.of(context)`), so the flow is computed
    once however many rules use it; `first(event, node)` tells the first of them to forward an
    event from the others, which forward the same node right after it.
    """

    SHARED_KEY = "mldebt.dataflow"

    def __init__(self, context: FileContext, on_training: Callable[[TrainingCall], None] | None = None) -> None:
        self.context = context
        self.subscribers: list[Callable[[TrainingCall], None]] = [on_training] if on_training is not None else []
        self.training_calls: list[TrainingCall] = []
        self._frame = _Frame("module", None)
        self._order = itertools.count()
        self._naming: tuple[cst.CSTNode, str] | None = None  # (expression, the name it is bound to)
        self._model_classes: dict[str, bool] = {}  # classes defined here that make models -> callable?
        self._estimator_classes: set[str] = set()  # classes defined here that are scikit-learn estimators
        self._last_event: tuple[str, cst.CSTNode] | None = None

    @classmethod
    def of(cls, context: FileContext) -> DataFlow:
        """The file's one data flow, shared by every rule of the traversal."""
        shared = context.shared.get(cls.SHARED_KEY)
        if not isinstance(shared, DataFlow):
            shared = cls(context)
            context.shared[cls.SHARED_KEY] = shared
        return shared

    def subscribe(self, callback: Callable[[TrainingCall], None]) -> None:
        """Call `callback` at each training call from now on."""
        self.subscribers.append(callback)

    def first(self, event: str, node: cst.CSTNode) -> bool:
        """Whether this traversal event is new: the rules sharing this flow all forward each event,
        one after the other, and only the first of them feeds it."""
        last = self._last_event
        if last is not None and last[0] == event and last[1] is node:
            return False
        self._last_event = (event, node)
        return True

    # Feeding ----------------------------------------------------------------------------------

    def enter_function(self, node: cst.FunctionDef) -> None:
        in_estimator_class = self._frame.kind == "class" and self._frame.estimator
        self._frame = _Frame("function", self._frame)
        self._frame.estimator = in_estimator_class
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self._frame.values[param.name.value] = EMPTY
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self._frame.values[star.name.value] = EMPTY
        for decorator in node.decorators:
            target = decorator.decorator
            if isinstance(target, cst.Call):
                target = target.func
            qualified = self.context.qualified_name(target)
            if qualified is not None and qualified.split(".")[0] in kb.VALIDATION_DECORATOR_PACKAGES:
                self._frame.validate_all = True

    def enter_class(self, node: cst.ClassDef) -> None:
        callable_model: bool | None = None
        estimator = False
        for base in node.bases:
            qualified = self.context.qualified_name(base.value)
            if qualified in kb.MODEL_BASE_CLASSES:
                callable_model = bool(callable_model) or not qualified.startswith("sklearn.")
            elif isinstance(base.value, cst.Name) and base.value.value in self._model_classes:
                callable_model = bool(callable_model) or self._model_classes[base.value.value]
            if qualified is not None and qualified.startswith(kb.ESTIMATOR_BASE_PREFIX):
                estimator = True
            elif isinstance(base.value, cst.Name) and base.value.value in self._estimator_classes:
                estimator = True
        if callable_model is not None:
            self._model_classes[node.name.value] = callable_model
        if estimator:
            self._estimator_classes.add(node.name.value)
        self._frame = _Frame("class", self._frame)
        self._frame.estimator = estimator

    def leave_scope(self) -> None:
        """Leave the innermost function or class body."""
        if self._frame.parent is not None:
            self._frame = self._frame.parent

    def statement(self, node: cst.BaseSmallStatement) -> None:
        """Follow one small statement (an assignment, an expression, an `assert`, ...)."""
        if isinstance(node, cst.Assign):
            self._assign([target.target for target in node.targets], node.value)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self._assign([node.target], node.value)
        elif isinstance(node, cst.AugAssign):
            self._augmented_assign(node)
        elif isinstance(node, cst.Expr):
            self.value_of(node.value)
        elif isinstance(node, cst.Return):
            if node.value is not None:
                self.value_of(node.value)
        elif isinstance(node, cst.Assert):
            self._validate_mentioned(node.test)
        elif isinstance(node, cst.Del):
            for key in _keys_in(node.target):
                self._frame.values.pop(key, None)

    def enter_if(self, node: cst.If) -> None:
        """`if <check>: raise ...` validates what the check mentions."""
        stops = _stops(node.body, self.context)
        if isinstance(node.orelse, cst.Else):
            stops = stops or _stops(node.orelse.body, self.context)
        if stops:
            self._validate_mentioned(node.test)

    def enter_for(self, node: cst.For) -> None:
        self._bind(node.target, self.value_of(node.iter).flat())

    def enter_with(self, node: cst.With) -> None:
        for item in node.items:
            value = self.value_of(item.item)
            if item.asname is not None:
                self._bind(item.asname.name, value)

    # Bindings ---------------------------------------------------------------------------------

    def _find(self, key: str) -> Value | None:
        """The value bound to `key` here; a comprehension sees its scope's names, and a function
        sees only which enclosing names are models, constants or column lists (not their data:
        the flow is followed within one function)."""
        frame: _Frame | None = self._frame
        while frame is not None and frame.kind == "comprehension":
            if key in frame.values:
                return frame.values[key]
            frame = frame.parent
        if frame is None:
            return None
        if key in frame.values:
            return frame.values[key]
        outer = frame.parent
        while outer is not None:
            if key in outer.values:
                found = outer.values[key]
                return Value(model=found.model, literal=found.literal, strings=found.strings)
            outer = outer.parent
        return None

    def _lookup(self, key: str) -> Value:
        found = self._find(key)
        return found if found is not None else EMPTY

    def _store(self, key: str, value: Value) -> None:
        self._frame.values[key] = value

    def _assign(self, targets: list[cst.BaseExpression], value_node: cst.BaseExpression) -> None:
        if len(targets) == 1 and isinstance(targets[0], cst.Tuple | cst.List):
            self._unpack(targets[0], value_node)
            return
        key = dotted_name(targets[0]) if len(targets) == 1 else None
        self._naming = (value_node, key) if key is not None else None
        try:
            value = self.value_of(value_node)
        finally:
            self._naming = None
        for target in targets:
            self._bind(target, value)

    def _unpack(self, target: cst.Tuple | cst.List, value_node: cst.BaseExpression) -> None:
        elements = [element.value for element in target.elements]
        starred = any(isinstance(element, cst.StarredElement) for element in target.elements)
        if (
            isinstance(value_node, cst.Tuple | cst.List)
            and not starred
            and len(value_node.elements) == len(elements)
            and not any(isinstance(element, cst.StarredElement) for element in value_node.elements)
        ):
            for element, source in zip(elements, value_node.elements):
                self._assign([element], source.value)
            return
        if isinstance(value_node, cst.Call) and not starred:
            paired = self._paired_outputs(value_node, len(elements))
            if paired is not None:
                for element, value in zip(elements, paired):
                    self._bind(element, value)
                return
        whole = self.value_of(value_node).flat()
        for element in elements:
            self._bind(element, whole)

    def _paired_outputs(self, call: cst.Call, count: int) -> list[Value] | None:
        """`train_test_split(X, y)` -> X_train, X_test, y_train, y_test; `fit_resample(X, y)` -> X, y."""
        func = call.func
        pairs: int
        if self._qualified(func) in kb.PAIRED_SPLITTERS:
            pairs = 2
        elif isinstance(func, cst.Attribute) and func.attr.value in kb.PAIRED_RESAMPLERS:
            self.value_of(func.value)
            pairs = 1
        else:
            return None
        inputs = [arg.value for arg in self._arguments(call) if arg.keyword is None]
        return [inputs[index // pairs].flat() if index // pairs < len(inputs) else EMPTY for index in range(count)]

    def _bind(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            whole = value.flat()
            for element in target.elements:
                self._bind(element.value, whole)
            return
        if isinstance(target, cst.StarredElement):
            self._bind(target.value, value.flat())
            return
        if isinstance(target, cst.Subscript):
            self._write_item(target, value, augmented=False)
            return
        key = dotted_name(target)
        if key is None:
            return
        if value.model is not None and not value.model.named:
            value.model.name = key
            value.model.named = True
        self._store(key, value)

    def _augmented_assign(self, node: cst.AugAssign) -> None:
        value = self.value_of(node.value)
        target = node.target
        if isinstance(target, cst.Subscript):
            self._write_item(target, value, augmented=True)
            return
        key = dotted_name(target)
        if key is None:
            return
        old = self._lookup(key)
        strings = None
        if isinstance(node.operator, cst.AddAssign) and old.strings is not None and value.strings is not None:
            strings = old.strings + value.strings
        new = combined([old.frame_wide(), value]) if old.holds_data else value.flat()
        self._store(key, replace(new, columns=old.columns, strings=strings))

    def _write_item(self, target: cst.Subscript, value: Value, augmented: bool) -> None:
        """`df["pred"] = ...`, `df.loc[mask, "pred"] = ...`, `oof[idx] = ...`, `t[0][a] = ...`."""
        base: cst.BaseExpression = target.value
        indices = [element.slice for element in target.slice]
        column: str | None = None
        partial = True
        if isinstance(base, cst.Attribute) and base.attr.value in kb.ROW_INDEXERS:
            base = base.value
            if len(indices) == 2 and isinstance(indices[1], cst.Index):
                column = _column_key(indices[1].value)
                partial = not _is_full_slice(indices[0])
        elif len(indices) == 1 and isinstance(indices[0], cst.Index):
            column = _column_key(indices[0].value)
            partial = False
        else:
            for index in indices:
                if isinstance(index, cst.Index):
                    self.value_of(index.value)
        while isinstance(base, cst.Subscript):  # `t[0][a] = v` writes part of `t`
            base = base.value
            partial, column = True, None
        key = dotted_name(base)
        if key is None:
            return
        old = self._lookup(key)
        if column is not None:
            if partial or augmented:
                written = _overwritten(old.column(column), value, augmented)
            else:
                written = value
            self._store(key, old.with_column(column, written))
            return
        part = _overwritten(old.frame_wide(), value, augmented)
        self._store(key, replace(old, origins=part.origins, mixed=part.mixed, literal=False, strings=None))

    # Models -----------------------------------------------------------------------------------

    def _new_model(self, node: cst.CSTNode, constructor: str | None, callable_model: bool) -> Model:
        if self._naming is not None and self._naming[0] is node:
            return Model(self._naming[1], constructor, callable_model)
        spelled = _spell(node.func) + "(...)" if isinstance(node, cst.Call) else _spell(node)
        return Model(spelled, constructor, callable_model, named=False)

    def _model_from(self, node: cst.BaseExpression, value: Value) -> Model:
        """The model an expression (a receiver, an argument) is, created on first use for a name
        whose origin is unknown (a parameter, `self.model`)."""
        if value.model is not None:
            return value.model
        key = dotted_name(node)
        if key is None:
            return Model(_spell(node), named=False)
        model = Model(key)
        self._store(key, replace(self._lookup(key), model=model))
        return model

    def _prediction(self, model: Model, node: cst.CSTNode, method: str) -> Value:
        return Value(origins=frozenset({Prediction(model, node, method, next(self._order))}))

    def _load(self, node: cst.CSTNode, loader: str) -> Value:
        return Value(origins=frozenset({Load(loader, node, next(self._order))}))

    # Validation -------------------------------------------------------------------------------

    def _validate(self, values: Iterable[Value]) -> None:
        scope = self._frame.scope
        for value in values:
            scope.validated.update(value.loads())

    def _validate_mentioned(self, test: cst.BaseExpression) -> None:
        self._validate(self._lookup(key) for key in _mentioned_keys(test))

    # Training ---------------------------------------------------------------------------------

    def _emit(self, call: cst.Call, model: Model, features: Value, target: Value, supervised: bool) -> None:
        if features.pair is not None and not target.holds_data:
            features, target = features.pair
            supervised = True
        model.fitted = True
        if supervised:
            model.supervised = True
        elif model.supervised is None:
            model.supervised = False
        scope = self._frame.scope
        unvalidated: tuple[Load, ...] = ()
        if not scope.validate_all:
            seen = {*features.loads(), *target.loads()}
            unvalidated = tuple(sorted((load for load in seen if load not in scope.validated), key=lambda o: o.order))
        event = TrainingCall(call, _spell(call.func), model, features, target, unvalidated, scope.estimator)
        self.training_calls.append(event)
        for subscriber in self.subscribers:
            subscriber(event)

    def _training_method(self, call: cst.Call, receiver: cst.BaseExpression, held: Value, method: str,
                         args: list[_Arg]) -> Value:
        positional = [arg for arg in args if arg.keyword is None]
        model: Model | None = None
        supervised = True  # a trainer's or a data loader's examples carry their labels
        if not args and held.trainer is not None:
            features, target = held.trainer
        elif method == kb.TRAIN_METHOD and (not positional or all(arg.value.literal for arg in positional)):
            return held  # `module.train()` / `module.train(False)`: a mode switch, not training
        elif positional and positional[0].value.model is not None and method == "fit":
            # `trainer.fit(model, train_loader)` (Lightning): the argument is what gets trained.
            model = positional[0].value.model
            features = _joined([arg.value for arg in positional[1:]] + _keyword_values(args, kb.FEATURE_KEYWORDS))
            target = EMPTY
        else:
            feature_args = positional[:1] + [arg for arg in args if arg.keyword in kb.FEATURE_KEYWORDS]
            target_args = positional[1:2] + [arg for arg in args if arg.keyword in kb.TARGET_KEYWORDS]
            features = _joined([arg.value for arg in feature_args])
            target = _joined([arg.value for arg in target_args])
            supervised = bool(target_args) and not (
                len(feature_args) == 1
                and len(target_args) == 1
                and _same_code(feature_args[0].node, target_args[0].node)
            )
        if model is None:
            model = self._model_from(receiver, held)
        self._emit(call, model, features, target, supervised)
        return held if held.model is not None else Value(model=model)

    def _training_function(self, call: cst.Call, qualified: str, args: list[_Arg]) -> Value:
        model_at, features_at, target_at = kb.TRAINING_FUNCTIONS[qualified]
        positional = [arg for arg in args if arg.keyword is None]

        def argument(position: int, keywords: frozenset[str]) -> _Arg | None:
            if 0 <= position < len(positional):
                return positional[position]
            return next((arg for arg in args if arg.keyword in keywords), None)

        features_arg = argument(features_at, frozenset({"X"}) | kb.TRAINING_FUNCTION_DATA_KEYWORDS)
        target_arg = argument(target_at, frozenset({"y"})) if target_at >= 0 else None
        model_arg = argument(model_at, frozenset({"estimator"})) if model_at >= 0 else None
        features = features_arg.value if features_arg is not None else EMPTY
        target = target_arg.value if target_arg is not None else EMPTY
        if model_arg is not None:
            model = self._model_from(model_arg.node, model_arg.value)
        else:
            model = self._new_model(call, qualified, False)
        self._emit(call, model, features, target, target_arg is not None)
        if qualified in kb.PREDICTION_FUNCTIONS:
            return self._prediction(model, call, qualified)
        return Value(model=model) if model_arg is None else EMPTY

    # Expressions ------------------------------------------------------------------------------

    def value_of(self, node: cst.BaseExpression) -> Value:
        """What an expression holds; evaluating it also follows the calls inside it (each
        training call is reported once, when its statement is followed)."""
        if isinstance(node, cst.Name | cst.Attribute):
            return self._name_value(node)
        if isinstance(node, cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString | cst.ConcatenatedString):
            return Value(literal=True)
        if isinstance(node, cst.FormattedString):
            return Value(literal=True)
        if isinstance(node, cst.List | cst.Tuple | cst.Set):
            value, _ = self._sequence(node)
            return value
        if isinstance(node, cst.Dict):
            return self._dict(node)
        if isinstance(node, cst.BinaryOperation):
            left, right = self.value_of(node.left), self.value_of(node.right)
            result = combined([left, right])
            if isinstance(node.operator, cst.Add) and left.strings is not None and right.strings is not None:
                result = replace(result, strings=left.strings + right.strings)
            return result
        if isinstance(node, cst.UnaryOperation):
            inner = self.value_of(node.expression)
            return EMPTY if isinstance(node.operator, cst.Not) else inner.flat()
        if isinstance(node, cst.BooleanOperation):
            return concatenated([self.value_of(node.left), self.value_of(node.right)])
        if isinstance(node, cst.Comparison):
            parts = [self.value_of(node.left)] + [self.value_of(target.comparator) for target in node.comparisons]
            return concatenated(parts)
        if isinstance(node, cst.IfExp):
            return concatenated([self.value_of(node.body), self.value_of(node.orelse)])
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp):
            return self._comprehension(node)
        if isinstance(node, cst.NamedExpr):
            value = self.value_of(node.value)
            self._bind(node.target, value)
            return value
        if isinstance(node, cst.Await):
            return self.value_of(node.expression)
        return EMPTY

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> tuple[Value, tuple[Value, ...]]:
        items = tuple(self.value_of(element.value) for element in node.elements)
        strings: tuple[str, ...] | None = None
        texts = [_string(element.value) for element in node.elements]
        if not any(isinstance(element, cst.StarredElement) for element in node.elements) and all(
            text is not None for text in texts
        ):
            strings = tuple(text for text in texts if text is not None)
        value = concatenated(items)
        return replace(value, strings=strings, literal=value.literal and bool(items)), items

    def _dict(self, node: cst.Dict) -> Value:
        columns: dict[str, Value] = {}
        rest: list[Value] = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                value = self.value_of(element.value)
                name = _string(element.key)
                if name is not None:
                    columns[name] = value
                else:
                    rest.append(value)
            else:  # `**other`
                rest.append(self.value_of(element.value))
        whole = concatenated(rest)
        return Value(origins=whole.origins, columns=columns, mixed=whole.mixed)

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp) -> Value:
        self._frame = _Frame("comprehension", self._frame)
        try:
            clause: cst.CompFor | None = node.for_in
            while clause is not None:
                self._bind(clause.target, self.value_of(clause.iter).flat())
                clause = clause.inner_for_in
            if isinstance(node, cst.DictComp):
                return concatenated([self.value_of(node.key), self.value_of(node.value)])
            return self.value_of(node.elt).flat()
        finally:
            if self._frame.parent is not None:
                self._frame = self._frame.parent

    def _name_value(self, node: cst.Name | cst.Attribute) -> Value:
        key = dotted_name(node)
        if key is not None:
            found = self._find(key)
            if found is not None:
                return found
        if isinstance(node, cst.Name):
            ok, _ = literal_value(node)
            return Value(literal=True) if ok else EMPTY
        base = self.value_of(node.value)
        attribute = node.attr.value
        if base.model is not None:
            if attribute in kb.PREDICTION_ATTRIBUTES:
                return self._prediction(base.model, node, attribute)
            return Value(model=base.model)
        if not base.holds_data or attribute in kb.NON_DATA_ATTRIBUTES:
            return EMPTY
        if attribute in kb.FLATTENING_ATTRIBUTES:
            return base.flat()
        if attribute in kb.ROW_INDEXERS:
            return base.rows()
        return base.column(attribute)

    def _subscript(self, node: cst.Subscript) -> Value:
        indices = [element.slice for element in node.slice]
        if self._qualified(node.value) in kb.STACKING_INDEXERS:
            return concatenated(self.value_of(index.value) for index in indices if isinstance(index, cst.Index))
        base = self.value_of(node.value)
        keys = [self.value_of(index.value) if isinstance(index, cst.Index) else EMPTY for index in indices]
        if base.model is not None:
            return Value(model=base.model)  # a step of a pipeline, an estimator of an ensemble
        if len(indices) == 1 and isinstance(indices[0], cst.Index):
            key_node = indices[0].value
            name = _string(key_node)
            if name is None and keys[0].strings is None:
                name = _constant_key(key_node, base)
            if name is not None:
                return base.column(name)
            if keys[0].strings is not None:
                return base.select(keys[0].strings)
            if base.columns and isinstance(key_node, cst.Name | cst.Attribute) and not keys[0].all_origins():
                return base.frame_wide()  # `df[cols]` with unknown `cols`: which columns is unknown
            return base.rows()
        if (
            isinstance(node.value, cst.Attribute)
            and node.value.attr.value in kb.ROW_INDEXERS
            and len(indices) == 2
            and isinstance(indices[1], cst.Index)
        ):
            name = _string(indices[1].value)
            if name is None and keys[1].strings is None:
                name = _constant_key(indices[1].value, base)
            if name is not None:
                return base.column(name)
            if keys[1].strings is not None:
                return base.select(keys[1].strings)
            if isinstance(indices[1].value, cst.Name | cst.Attribute):
                return base.frame_wide()
        return base.rows()

    def _arguments(self, call: cst.Call) -> list[_Arg]:
        args: list[_Arg] = []
        for arg in call.args:
            keyword = arg.keyword.value if arg.keyword is not None else (arg.star or None)
            if isinstance(arg.value, cst.List | cst.Tuple):
                value, items = self._sequence(arg.value)
                args.append(_Arg(keyword, arg.value, value, items))
            else:
                args.append(_Arg(keyword, arg.value, self.value_of(arg.value)))
        return args

    def _qualified(self, func: cst.BaseExpression) -> str | None:
        """The qualified name of an imported callable or a builtin; None for anything the file
        binds itself (a local variable, a function defined here)."""
        key = dotted_name(func)
        if key is None:
            return None
        head = key.split(".")[0]
        if self._find(head) is not None:
            return None
        aliases = self.context.aliases
        resolved = aliases.resolve_name(head)
        if resolved is None or (self.context.module and resolved == f"{self.context.module}.{head}"):
            return None  # unknown, or a function or class the file defines itself
        if not self.context.module and not resolved.startswith("builtins.") and head not in aliases.aliases:
            return None
        return aliases.qualified_name(func)

    def _call(self, node: cst.Call) -> Value:
        func = node.func
        key = dotted_name(func)
        if key is not None:
            bound = self._find(key)
            if bound is not None and bound.model is not None:
                self._arguments(node)
                if bound.model.callable:
                    return self._prediction(bound.model, node, "forward")
                return EMPTY
        qualified = self._qualified(func)
        if isinstance(func, cst.Attribute) and qualified is None:
            return self._method_call(node, func)
        if qualified is not None:
            return self._library_call(node, qualified, self._arguments(node))
        if isinstance(func, cst.Name):
            return self._local_call(node, func.value, self._arguments(node))
        called = self.value_of(func)
        self._arguments(node)
        if called.model is not None and called.model.callable:
            return self._prediction(called.model, node, "forward")
        return EMPTY

    def _local_call(self, node: cst.Call, name: str, args: list[_Arg]) -> Value:
        if name in self._model_classes and self._find(name) is None:
            return Value(model=self._new_model(node, f"{self.context.module}.{name}", self._model_classes[name]))
        if _is_check_name(name):
            self._validate(arg.value for arg in args)
            return args[0].value if args else EMPTY
        return EMPTY

    def _library_call(self, node: cst.Call, qualified: str, args: list[_Arg]) -> Value:
        parts = qualified.split(".")
        top, last = parts[0], parts[-1]
        positional = [arg for arg in args if arg.keyword is None]
        if qualified == kb.OPEN:
            mode = positional[1].node if len(positional) > 1 else _keyword_node(args, "mode")
            text = _string(mode) if mode is not None else "r"
            if text is None or kb.WRITE_MODE_CHARACTERS & set(text):
                return EMPTY
            return self._load(node, _spell(node.func))
        if qualified in kb.LOADERS or qualified.startswith(kb.LOADER_PREFIXES):
            return self._load(node, _spell(node.func))
        if top in kb.VALIDATION_PACKAGES or _is_check_name(last):
            self._validate(arg.value for arg in args)
            return positional[0].value if positional else EMPTY
        if qualified in kb.TRAINING_FUNCTIONS:
            return self._training_function(node, qualified, args)
        if qualified in kb.STACKING_FUNCTIONS:
            stacked = positional or [arg for arg in args if arg.keyword in ("objs", "tensors", "arrays")]
            if qualified == "pandas.concat":
                stacked = stacked[:1]  # a second positional argument is the axis
            items: list[Value] = []
            for arg in stacked:
                items.extend(arg.items if arg.items is not None else (arg.value,))
            if qualified == "pandas.concat":
                axis = next((arg.node for arg in args if arg.keyword == "axis"), None)
                ok, value = literal_value(axis) if axis is not None else (True, 0)
                return merged_frames(items, rows=not (ok and value in (1, "columns")))
            return concatenated(items)
        if qualified in kb.DATASET_CONTAINERS:
            features_at, target_at = kb.DATASET_CONTAINERS[qualified]
            features = positional[features_at].value if features_at < len(positional) else concatenated(
                _keyword_values(args, kb.CONTAINER_FEATURE_KEYWORDS)
            )
            if 0 <= target_at < len(positional):
                target = positional[target_at].value
            else:
                target = concatenated(_keyword_values(args, kb.CONTAINER_TARGET_KEYWORDS))
            return Value(pair=(features, target))
        if qualified in kb.DATA_WRAPPERS:
            wrapped = positional[:1] or [arg for arg in args if arg.keyword == "dataset"]
            return wrapped[0].value if wrapped else EMPTY
        if qualified in kb.MODEL_COPIERS:
            original = positional[0].value if positional else EMPTY
            if original.model is None:
                return original
            source = original.model
            return Value(model=replace(self._new_model(node, source.constructor, source.callable), copy_of=source))
        if top == kb.STATSMODELS:
            if last[:1].isupper() or (positional and _string(positional[0].node) is not None):
                return self._statsmodels(node, qualified, args)
            return combined([arg.value for arg in positional])  # `sm.add_constant(X)`
        if top in kb.TRAINER_PACKAGES and last.endswith("Trainer"):
            data = concatenated(_keyword_values(args, kb.TRAINER_DATA_KEYWORDS))
            return Value(model=self._new_model(node, qualified, False), trainer=(data, EMPTY))
        model = self._model_made_by(qualified)
        if model is not None:
            return Value(model=self._new_model(node, qualified, model))
        if top in kb.ARRAY_PACKAGES and not _shares_only_shape(parts):
            return combined([arg.value for arg in positional] + _keyword_values(args, kb.ARRAY_DATA_KEYWORDS))
        if top == "builtins" and last in kb.PROPAGATING_BUILTINS:
            if last == "dict":
                columns = {arg.keyword: arg.value for arg in args if arg.keyword and arg.keyword not in ("*", "**")}
                inner = concatenated(arg.value for arg in positional)
                return Value(origins=inner.origins, columns={**inner.columns, **columns})
            if len(positional) == 1 and last in ("list", "tuple", "sorted", "reversed", "iter", "set"):
                only = positional[0].value
                return replace(only.flat(), strings=only.strings)
            return concatenated(arg.value for arg in positional)
        return EMPTY

    def _statsmodels(self, node: cst.Call, qualified: str, args: list[_Arg]) -> Value:
        positional = [arg for arg in args if arg.keyword is None]
        if positional and _string(positional[0].node) is not None:  # a formula: the data holds both
            features = concatenated([arg.value for arg in positional[1:2]] + _keyword_values(args, frozenset({"data"})))
            target = EMPTY
        else:
            endog = _keyword_values(args, kb.STATSMODELS_TARGET_KEYWORDS)
            exog = _keyword_values(args, kb.STATSMODELS_FEATURE_KEYWORDS)
            target = concatenated([arg.value for arg in positional[:1]] + endog)
            features = concatenated([arg.value for arg in positional[1:2]] + exog)
        return Value(model=self._new_model(node, qualified, False), trainer=(features, target))

    def _model_made_by(self, qualified: str) -> bool | None:
        """Whether calling `qualified` makes a model: None if not, else whether calling the model predicts."""
        parts = qualified.split(".")
        top, last = parts[0], parts[-1]
        if qualified in kb.MODEL_FACTORIES:
            return qualified.startswith(kb.CALLABLE_MODEL_PREFIXES)
        if last == kb.PRETRAINED_LOADER and len(parts) > 2:
            owner = parts[-2]
            return True if "Model" in owner and not owner.endswith(kb.NOT_CALLABLE_MODEL_SUFFIXES) else None
        if top not in kb.MODEL_PACKAGES or not last[:1].isupper():
            return None
        if qualified.startswith(kb.CALLABLE_MODEL_PREFIXES):
            return None if last.endswith(kb.NOT_CALLABLE_MODEL_SUFFIXES) else True
        if top in ("torch", "tensorflow", "keras", "transformers", "lightning", "pytorch_lightning"):
            return None  # tensors, devices, trainers, configs: not models
        return False

    def _method_call(self, node: cst.Call, func: cst.Attribute) -> Value:
        method = func.attr.value
        receiver = func.value
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == kb.SPARK_READER_ATTRIBUTE and _is_spark(
            receiver.value
        ):
            self._arguments(node)
            return self._load(node, _spell(func))
        held = self.value_of(receiver)
        args = self._arguments(node)
        positional = [arg for arg in args if arg.keyword is None]
        if method in kb.PREDICTION_METHODS:
            model = self._model_from(receiver, held)
            if model.prepares_features:
                return concatenated(arg.value for arg in positional)
            return self._prediction(model, node, method)
        if method in kb.FIT_METHODS or method == kb.TRAIN_METHOD:
            return self._training_method(node, receiver, held, method, args)
        if _is_validation_method(method):
            self._validate([held, *(arg.value for arg in args)])
            return positional[0].value if positional and not held.holds_data else held
        if method == "pipe" and positional and _is_validator(positional[0].node):
            self._validate([held])
            return held
        if method in kb.SQL_FETCH_METHODS:
            return self._load(node, _spell(func))
        if method in kb.SPARK_SESSION_METHODS and _is_spark(receiver):
            return self._load(node, _spell(func))
        if method in kb.MUTATING_METHODS:
            added = [arg.value for arg in args if arg.keyword not in ("*", "**")]
            grown = concatenated([held.frame_wide(), *added])
            strings = held.strings
            if strings is not None and method in ("append", "insert"):
                text = _string(positional[-1].node) if positional else None
                strings = strings + (text,) if text is not None else None
            elif strings is not None and method == "extend":
                extra = positional[0].value.strings if positional else None
                strings = strings + extra if extra is not None else None
            result = replace(held, origins=grown.origins, mixed=grown.mixed, strings=strings, model=None)
            key = dotted_name(receiver)
            if key is not None and (held.holds_data or any(value.holds_data for value in added)):
                self._store(key, replace(result, model=held.model))
            # `list.append` returns None (nobody uses it); `frame.append(other)` returns the grown frame.
            return result
        if held.model is not None:
            if method in kb.MODEL_PRESERVING_METHODS:
                return held
            if method in kb.TRANSFORM_METHODS or method in kb.PAIRED_RESAMPLERS:
                return concatenated(arg.value for arg in positional)
            return EMPTY
        if method == "assign":
            result = held.rows()
            for arg in args:
                if arg.keyword and arg.keyword not in ("*", "**"):
                    result = result.with_column(arg.keyword, arg.value)
            return result
        if not held.holds_data:
            if method in kb.TRANSFORM_METHODS or method in kb.PAIRED_RESAMPLERS:
                return concatenated(arg.value for arg in positional)
            return EMPTY  # a method of an object we know nothing about: claim nothing
        if method in kb.NON_DATA_METHODS:
            return EMPTY
        if method == "drop":
            return _dropped(held, args)
        if method in kb.COLUMN_PRESERVING_METHODS:
            return replace(held.rows(), strings=held.strings if method == "copy" else None)
        if method in kb.MERGING_METHODS:
            return merged_frames([held, *(arg.value for arg in positional)], rows=False)
        if method in ("values", "items"):
            return held.flat()
        if method == "get" and positional:
            name = _string(positional[0].node)
            if name is not None:
                return held.column(name)
        return combined([held.flat(), *(arg.value for arg in positional)])


# --- Rules built on it ------------------------------------------------------------------------


class DataFlowRule(Rule):
    """A file rule that judges training calls by what flows into them.

    Its `visit_*` methods feed `self.dataflow` in the shared traversal; a subclass overrides
    `training_call`, and if it needs one of these `visit_*` methods itself, calls `super()`.
    """

    def __init__(self, context: FileContext, options: object = None) -> None:
        super().__init__(context, options)
        self.dataflow = DataFlow.of(context)
        self.dataflow.subscribe(self.training_call)

    def training_call(self, call: TrainingCall) -> None:
        """Called at each training call, in source order."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.dataflow.first("enter", node):
            self.dataflow.enter_function(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if self.dataflow.first("leave", original_node):
            self.dataflow.leave_scope()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.dataflow.first("enter", node):
            self.dataflow.enter_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self.dataflow.first("leave", original_node):
            self.dataflow.leave_scope()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if self.dataflow.first("enter", node):
            for statement in node.body:
                self.dataflow.statement(statement)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        if self.dataflow.first("enter", node):
            for statement in node.body:
                self.dataflow.statement(statement)

    def visit_If(self, node: cst.If) -> None:
        if self.dataflow.first("enter", node):
            self.dataflow.enter_if(node)

    def visit_For(self, node: cst.For) -> None:
        if self.dataflow.first("enter", node):
            self.dataflow.enter_for(node)

    def visit_With(self, node: cst.With) -> None:
        if self.dataflow.first("enter", node):
            self.dataflow.enter_with(node)


# --- Helpers ----------------------------------------------------------------------------------


def _string(node: cst.BaseExpression | None) -> str | None:
    """The text of a plain string literal (`"pred"`), else None."""
    if not isinstance(node, cst.SimpleString):
        return None
    prefix = node.prefix.lower()
    if prefix in ("", "r", "u") and ("\\" not in node.value or prefix == "r"):
        return node.raw_value  # the common case, without evaluating the literal
    ok, value = literal_value(node)
    return value if ok and isinstance(value, str) else None


def _constant_key(node: cst.BaseExpression, frame: Value | None = None) -> str | None:
    """A column named by a constant (`df[TARGET]`, `df[config.LABEL]`): its value is unknown
    here, but the same constant names the same column. Written, it becomes a column of its own;
    read, it is that column when the frame has it (None otherwise: which column is unknown)."""
    dotted = dotted_name(node)
    if dotted is None:
        return None
    last = dotted.rsplit(".", 1)[-1]
    if len(last) < 2 or not (last[:1].isalpha() and last.isupper()):
        return None
    key = f"<{dotted}>"
    if frame is not None and key not in frame.columns:
        return None
    return key


def _column_key(node: cst.BaseExpression) -> str | None:
    """The column a subscript writes: a string literal, or a constant (`df[TARGET] = ...`)."""
    return _string(node) or _constant_key(node)


def _spell(node: cst.CSTNode) -> str:
    """A short spelling of an expression for messages: `rf.fit`, `RandomForestClassifier(...)`."""
    if isinstance(node, cst.Name | cst.Attribute):
        dotted = dotted_name(node)
        if dotted is not None:
            return dotted
        if isinstance(node, cst.Attribute):
            return f"{_spell(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Call):
        return f"{_spell(node.func)}(...)"
    if isinstance(node, cst.Subscript):
        return f"{_spell(node.value)}[...]"
    text = " ".join(_CODE.code_for_node(node).split())
    return text if len(text) <= MAX_SPELLING else text[: MAX_SPELLING - 3] + "..."


def _joined(values: Sequence[Value]) -> Value:
    """One argument as it is (columns, dataset parts and all); several put together."""
    if not values:
        return EMPTY
    return values[0] if len(values) == 1 else concatenated(values)


def _same_code(first: cst.CSTNode, second: cst.CSTNode) -> bool:
    """`model.fit(X, X)`: an autoencoder learns to give back its input."""
    return first.deep_equals(second)


def _keyword_values(args: Sequence[_Arg], keywords: frozenset[str]) -> list[Value]:
    return [arg.value for arg in args if arg.keyword in keywords]


def _names_given(arg: _Arg) -> tuple[str, ...] | None:
    text = _string(arg.node)
    if text is not None:
        return (text,)
    return arg.value.strings


def _dropped(held: Value, args: Sequence[_Arg]) -> Value:
    """`df.drop(columns=...)`, `df.drop(names, axis=1)`; dropping rows keeps every column."""
    positional = [arg for arg in args if arg.keyword is None]
    names: tuple[str, ...] | None = None
    columns = False
    labels = next((arg for arg in args if arg.keyword == "columns"), None)
    if labels is not None:
        columns = True
    else:
        labels = positional[0] if positional else next((arg for arg in args if arg.keyword == "labels"), None)
        axis = positional[1].node if len(positional) > 1 else _keyword_node(args, "axis")
        if axis is not None:
            ok, value = literal_value(axis)
            columns = ok and value in (1, "columns")
    if not columns:
        return held.rows()
    if labels is not None:
        names = _names_given(labels)
    return held.without(names) if names is not None else held.frame_wide()


def _overwritten(old: Value, new: Value, augmented: bool) -> Value:
    """Part of `old` overwritten with `new` (`oof[idx] = pred`), or updated by it (`+=`)."""
    if not old.holds_data:
        return new
    if augmented:
        return combined([old, new])
    result = concatenated([old, new])
    mixed = result.mixed or (old.has_predictions and not new.has_predictions and not new.literal)
    return replace(result, mixed=mixed, literal=False)


def _is_full_slice(index: cst.BaseSlice) -> bool:
    return isinstance(index, cst.Slice) and index.lower is None and index.upper is None and index.step is None


def _shares_only_shape(parts: Sequence[str]) -> bool:
    return any(
        part in kb.NON_PROPAGATING_FUNCTION_PARTS or part.endswith(kb.NON_PROPAGATING_SUFFIXES) for part in parts[1:]
    )


def _keyword_node(args: Sequence[_Arg], keyword: str) -> cst.BaseExpression | None:
    return next((arg.node for arg in args if arg.keyword == keyword), None)


def _is_validation_method(method: str) -> bool:
    return (
        method in kb.VALIDATION_METHODS or method.startswith(kb.VALIDATION_METHOD_PREFIXES) or _is_check_name(method)
    )


def _is_check_name(name: str) -> bool:
    """`validate_frame`, `checkArray`, `assert_allclose`; not `checkpoint` or `validation_step`."""
    if not name.lower().startswith(kb.VALIDATION_FUNCTION_PREFIXES):
        return False
    words = name_words(name)
    return bool(words) and words[0] in kb.VALIDATION_FUNCTION_PREFIXES


def _is_validator(node: cst.BaseExpression) -> bool:
    """`schema.validate` passed as a function (`df.pipe(schema.validate)`)."""
    if isinstance(node, cst.Attribute):
        return node.attr.value in kb.VALIDATION_METHODS or _is_check_name(node.attr.value)
    return isinstance(node, cst.Name) and _is_check_name(node.value)


def _is_spark(node: cst.BaseExpression) -> bool:
    dotted = dotted_name(node)
    if dotted is None:
        return False
    last = dotted.rsplit(".", 1)[-1].lower()
    return any(word in last for word in kb.SPARK_SESSION_WORDS)


def _keys_in(node: cst.BaseExpression) -> Iterator[str]:
    if isinstance(node, cst.Tuple | cst.List):
        for element in node.elements:
            yield from _keys_in(element.value)
        return
    key = dotted_name(node)
    if key is not None:
        yield key


def _mentioned_keys(node: cst.CSTNode) -> Iterator[str]:
    """Every name and attribute chain an expression mentions, with their prefixes
    (`df.shape[0]` mentions `df.shape` and `df`)."""
    if isinstance(node, cst.Name | cst.Attribute):
        dotted = dotted_name(node)
        if dotted is not None:
            parts = dotted.split(".")
            for end in range(len(parts), 0, -1):
                yield ".".join(parts[:end])
            return
    for child in child_nodes(node):  # libcst's `children` rebuilds the node to list them
        yield from _mentioned_keys(child)


def _stops(block: cst.BaseSuite, context: FileContext) -> bool:
    """Whether a block raises or exits (directly, not in a nested block)."""
    statements: Sequence[cst.CSTNode] = block.body
    for statement in statements:
        smalls: Sequence[cst.CSTNode] = (
            statement.body if isinstance(statement, cst.SimpleStatementLine) else [statement]
        )
        for small in smalls:
            if isinstance(small, cst.Raise):
                return True
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                if context.qualified_name(small.value.func) in kb.EXIT_CALLS:
                    return True
    return False


def model_name_words(model: Model) -> tuple[str, ...]:
    """The word parts of a model's name (`self.target_model` -> ("target", "model"))."""
    return name_words(model.name.rsplit(".", 1)[-1])
