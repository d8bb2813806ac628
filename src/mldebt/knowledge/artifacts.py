"""Calls that read or write artifacts (files, tables, URIs): the data half of the project graph.

Each table maps a qualified name or a method name to where its path argument is:
(position, keyword). A writer also says where the value it writes is (position,
keyword; -1 for the receiver of a method).
"""

from __future__ import annotations

ArgumentSlot = tuple[int, str]

# Functions that read the file named by an argument.
READ_FUNCTIONS: dict[str, ArgumentSlot] = {
    "numpy.load": (0, "file"),
    "numpy.loadtxt": (0, "fname"),
    "numpy.genfromtxt": (0, "fname"),
    "numpy.fromfile": (0, "file"),
    "joblib.load": (0, "filename"),
    "torch.load": (0, "f"),
    "pickle.load": (0, "file"),
    "dill.load": (0, "file"),
    "cloudpickle.load": (0, "file"),
    "tensorflow.keras.models.load_model": (0, "filepath"),
    "keras.models.load_model": (0, "filepath"),
    "keras.saving.load_model": (0, "filepath"),
    "datasets.load_from_disk": (0, "dataset_path"),
    "xarray.open_dataset": (0, "filename_or_obj"),
    "json.load": (0, "fp"),
    "yaml.safe_load": (0, "stream"),
    "yaml.load": (0, "stream"),
    "PIL.Image.open": (0, "fp"),
    "scipy.io.loadmat": (0, "file_name"),
    "scipy.sparse.load_npz": (0, "file"),
    "pyarrow.parquet.read_table": (0, "source"),
    "mlflow.pyfunc.load_model": (0, "model_uri"),
    "mlflow.sklearn.load_model": (0, "model_uri"),
    "lightgbm.Booster": (-1, "model_file"),
}
# Every `pandas.read_*`-style reader takes the path first.
READ_FUNCTION_PREFIXES: dict[str, ArgumentSlot] = {
    "pandas.read_": (0, "filepath_or_buffer"),
    "polars.read_": (0, "source"),
    "polars.scan_": (0, "source"),
    "dask.dataframe.read_": (0, "urlpath"),
    "modin.pandas.read_": (0, "filepath_or_buffer"),
}
# Readers whose first argument is SQL text or a table name, not a path.
SQL_READERS = frozenset({"pandas.read_sql", "pandas.read_sql_query", "pandas.read_gbq", "polars.read_database"})
TABLE_READERS = frozenset({"pandas.read_sql_table"})

# Methods that read a file, whatever the receiver: `booster.load_model(p)`.
READ_METHODS: dict[str, ArgumentSlot] = {
    "load_model": (0, "fname"),
    "load_weights": (0, "filepath"),
    "load_from_checkpoint": (0, "checkpoint_path"),
}
# Spark: `spark.read.csv(p)`, `spark.read.format("x").load(p)`, `spark.table("t")`.
SPARK_READ_METHODS = frozenset({"csv", "parquet", "json", "orc", "text", "load", "avro", "delta"})
SPARK_WRITE_METHODS = frozenset({"csv", "parquet", "json", "orc", "text", "save", "saveAsTable", "insertInto"})

# Functions that write a value to the file named by an argument: path slot, value slot.
WRITE_FUNCTIONS: dict[str, tuple[ArgumentSlot, ArgumentSlot]] = {
    "numpy.save": ((0, "file"), (1, "arr")),
    "numpy.savez": ((0, "file"), (1, "")),
    "numpy.savez_compressed": ((0, "file"), (1, "")),
    "numpy.savetxt": ((0, "fname"), (1, "X")),
    "joblib.dump": ((1, "filename"), (0, "value")),
    "torch.save": ((1, "f"), (0, "obj")),
    "pickle.dump": ((1, "file"), (0, "obj")),
    "dill.dump": ((1, "file"), (0, "obj")),
    "cloudpickle.dump": ((1, "file"), (0, "obj")),
    "json.dump": ((1, "fp"), (0, "obj")),
    "yaml.dump": ((1, "stream"), (0, "data")),
    "yaml.safe_dump": ((1, "stream"), (0, "data")),
    "scipy.sparse.save_npz": ((0, "file"), (1, "matrix")),
    "pyarrow.parquet.write_table": ((1, "where"), (0, "table")),
    "mlflow.sklearn.save_model": ((1, "path"), (0, "sk_model")),
}
# Functions that read or write depending on a mode argument (reading when it is absent):
# path slot, mode slot.
MODE_FUNCTIONS: dict[str, tuple[ArgumentSlot, ArgumentSlot]] = {
    "h5py.File": ((0, "name"), (1, "mode")),
    "zarr.open": ((0, "store"), (1, "mode")),
}
# DataFrame writers: the receiver is what is written.
FRAME_WRITE_METHODS = frozenset(
    {"to_csv", "to_parquet", "to_json", "to_pickle", "to_feather", "to_excel", "to_hdf", "to_orc", "to_stata",
     "write_csv", "write_parquet", "write_json", "write_ipc", "write_excel"}
)  # fmt: skip
# Model writers: the receiver is a model.
MODEL_WRITE_METHODS = frozenset({"save_model", "save_pretrained", "save_weights", "save_checkpoint"})
# `.save(p)` writes a model when the receiver is one (keras, gensim); otherwise it is data.
GENERIC_SAVE_METHODS = frozenset({"save"})
TABLE_WRITE_METHODS = frozenset({"to_sql"})

# Local model folders are read with `from_pretrained(path)`; hub ids are not files.
PRETRAINED_READ_METHODS = frozenset({"from_pretrained"})

# pathlib methods on a path expression.
PATH_READ_METHODS = frozenset({"read_text", "read_bytes"})
PATH_WRITE_METHODS = frozenset({"write_text", "write_bytes"})
PATH_OPEN_METHODS = frozenset({"open"})

# Calls that build a path from their arguments, joined by `/`.
PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
# Calls that return their argument's path unchanged, as far as the graph cares.
PATH_IDENTITIES = frozenset(
    {"builtins.str", "os.path.abspath", "os.path.normpath", "os.path.realpath", "os.fspath", "os.path.expanduser"}
)
# Calls that open or wrap a path handed to them: a helper passing its parameter through one of
# these reads or writes the file its caller names.
WRAPPED_PATH_CALLS = frozenset({"builtins.open", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "io.open"})
PATH_IDENTITY_METHODS = frozenset({"resolve", "absolute", "expanduser"})
PATH_PARENTS = frozenset({"os.path.dirname", "posixpath.dirname"})
# `Path(p).parent`: the folder holding a path (`.parents[n]` is read as n + 1 parents).
PATH_PARENT_ATTRIBUTES = frozenset({"parent"})
# Calls that return the working folder, where a program's relative paths start.
WORKING_FOLDER_CALLS = frozenset({"os.getcwd", "pathlib.Path.cwd"})

# Words in a name that make the value a model (when nothing better is known).
MODEL_NAME_WORDS = ("model", "clf", "classifier", "regressor", "estimator", "booster", "pipeline", "net")
# (`scores` is not one: cross-validation scores are metrics.) `oof`: out-of-fold predictions.
PREDICTION_NAME_WORDS = ("pred", "prediction", "forecast", "oof")

# Calls that bundle their arguments into one written value: a model inside makes it a model file
# (`joblib.dump({"model": clf, "features": cols}, p)`, `pd.Series({"model": pipe, ...}).to_pickle(p)`).
BUNDLE_CALLS = frozenset({"builtins.dict", "builtins.tuple", "builtins.list", "pandas.Series", "collections.OrderedDict"})

# A `.predict` whose receiver is named like one of these assigns clusters or encodes features:
# its output is not a model's predictions (with `mldebt.knowledge.training.FEATURE_EXTRACTOR_WORDS`).
UNSUPERVISED_MODEL_WORDS = frozenset(
    {"kmeans", "cluster", "clusters", "clusterer", "clustering", "kmodes", "gmm", "dbscan", "scaler", "imputer"}
)

# Builtins that describe a value rather than carry it (`len(preds)`, `print(preds)`).
DESCRIBING_CALLS = frozenset({"len", "print", "type", "isinstance", "id", "hash", "repr"})

# Calls that reduce predictions to a metric or a report: what they return is not predictions.
METRIC_MODULES = ("sklearn.metrics.", "torchmetrics.", "scipy.stats.", "evaluate.")
METRIC_NAME_WORDS = (
    "score", "error", "loss", "auc", "accuracy", "metric", "report", "precision", "recall", "f1",
    "logloss", "corr", "confusion", "evaluate",
)  # fmt: skip
