"""Training pipelines as code shows them: what fits a model, what loads data, what a
prediction entry point is called, what feeds a model its features, and the shortcuts a
prototype leaves behind.

Used by MLD302 (bundled-features-select-star), MLD507 (import-time-pipeline),
MLD508 (plain-old-data-prediction) and MLD511 (prototype-leftover). Method names match whatever the receiver (a model is
rarely typed); functions match by the qualified name the import-alias map yields.
"""

from __future__ import annotations

from mldebt.knowledge.data_sources import DATAFRAME_READER_PREFIXES, HF_DATASET_LOADERS, TFDS_LOADERS
from mldebt.knowledge.hyperparameters import BOOSTING_TRAIN_FUNCTIONS, FASTTEXT_TRAINERS
from mldebt.knowledge.prototypes import PROTOTYPE_AREAS
from mldebt.knowledge.training import FIT_METHODS as FIT_METHODS

# --- Fitting and training ------------------------------------------------------------------

# Methods that fit a model (or a transformer) on the data they are given are `FIT_METHODS`,
# imported from `training` above (Keras's `train_on_batch` among them).

# Methods that fit and return something computed on the same data: they also fit a model
# at import time (MLD507), but fitting them on a sample is often deliberate (a t-SNE or a
# clustering of a sample drawn for a plot), so MLD511 does not count them.
FIT_AND_TRANSFORM_METHODS = frozenset({"fit_transform", "fit_predict", "fit_resample"})

# `.train(...)` trains a model when it is given data (gensim, spaCy, fastText wrappers,
# `booster.train(params, dtrain)`), or when its receiver is a trainer (`trainer.train()`, Hugging
# Face). PyTorch's `module.train()` / `module.train(False)` only switches the training mode.
TRAIN_METHODS = frozenset({"train"})
# Receivers whose `.train()` runs training even without arguments: names with this word.
TRAINER_WORDS = frozenset({"trainer", "learner", "tuner"})

# Functions that train a model, by qualified name: the boosting libraries' native `train`/`cv`
# and fastText's trainers (the tables of their knobs, in `hyperparameters`, list them).
TRAINING_FUNCTIONS = frozenset(BOOSTING_TRAIN_FUNCTIONS) | FASTTEXT_TRAINERS

# A gradient step: `loss.backward()` then `optimizer.step()` (in a loop, or one after the other).
BACKWARD_METHODS = frozenset({"backward"})
OPTIMIZER_STEP_METHODS = frozenset({"step"})

# --- Loading data (MLD507) ----------------------------------------------------------------------

# Readers of data and trained models, by qualified-name prefix: DataFrame readers
# (`pd.read_csv`, `pl.read_parquet`, ...), scikit-learn's dataset loaders and fetchers, and
# torchvision/torchaudio/torchtext dataset classes (which read, and often download, their data).
DATA_LOADER_PREFIXES = (
    *DATAFRAME_READER_PREFIXES,
    "sklearn.datasets.load_",
    "sklearn.datasets.fetch_",
    "torchvision.datasets.",
    "torchaudio.datasets.",
    "torchtext.datasets.",
    "tensorflow.keras.datasets.",
    "keras.datasets.",
)

# Readers of data sets, by qualified name: numpy arrays, Hugging Face and TFDS datasets, and
# columnar or scientific files.
DATA_LOADERS = frozenset(
    {
        *HF_DATASET_LOADERS,
        *TFDS_LOADERS,
        "numpy.load",
        "numpy.loadtxt",
        "numpy.genfromtxt",
        "numpy.fromfile",
        "datasets.load_from_disk",
        "xarray.open_dataset",
        "xarray.open_mfdataset",
        "pyarrow.parquet.read_table",
        "pyarrow.csv.read_csv",
    }
)

# Spark readers: `spark.read.csv(...)`, `spark.read.format("delta").load(...)`, `.table(...)`.
SPARK_READ_ATTRIBUTE = "read"
SPARK_READ_METHODS = frozenset({"csv", "parquet", "json", "orc", "text", "load", "table", "jdbc", "avro", "delta"})

# Deliberately not data loaders:
# - model loaders (`torch.load`, `joblib.load`, `pickle.load`, `load_model`, `from_pretrained`,
#   `onnxruntime.InferenceSession`): a serving module that loads its model when imported is a
#   common, deliberate pattern, and a pickle may as well hold a vocabulary or an encoder;
# - config and resource readers (`json.load`, `yaml.safe_load`, `toml.load`, `configparser`,
#   `open(...).read()`): a package that reads its own settings, vocabulary or label names at
#   import time is common and harmless; the debt is running the pipeline.
#
# A read through `importlib.resources` / `pkg_resources` loads a resource shipped with the
# package (a lookup table, a label list), not the pipeline's data.
PACKAGE_RESOURCE_PREFIXES = ("importlib.resources.", "importlib_resources.", "pkg_resources.")

# Notebooks saved as Python files: a Databricks notebook's source, a Jupytext/VS Code percent script
# (cells marked `# %%`). They run top to bottom by design, like any notebook.
NOTEBOOK_SOURCE_FIRST_LINES = ("# Databricks notebook source",)
NOTEBOOK_CELL_MARKERS = ("# %%", "# In[")
# Module files that are entry points by name: `python -m pkg` runs `pkg/__main__.py`.
ENTRY_MODULE_FILES = frozenset({"__main__.py"})

# Module-level `if` blocks that never run on import: type-checking-only imports.
TYPE_CHECKING_NAMES = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})

# --- Prediction entry points (MLD508) ----------------------------------------------------------

# The first word of a function's name (snake or camel case) that makes it a prediction or
# scoring entry point: `predict`, `predict_batch`, `predictOne`, `score_customers`,
# `infer`, `inference`, `classify_image`, `rank_items`.
PREDICTION_ENTRY_WORDS = frozenset({"predict", "score", "infer", "inference", "classify", "rank"})

# Framework hooks whose return value the framework consumes in a shape it documents: Lightning's
# `predict_step` (handed to callbacks and writers as is), Hugging Face `Trainer.prediction_step`
# (must return `(loss, logits, labels)`).
PREDICTION_FRAMEWORK_HOOKS = frozenset({"predict_step", "prediction_step", "predict_dataloader"})

# Word parts of a function's name that make it compute something other than a model's output:
# type and shape inference (`infer_shape`, `infer_dtype`, `infer_schema`), a distributed process's
# rank (`rank_zero_only`, `rank_info`), settings (`score_config`).
NOT_PREDICTION_NAME_WORDS = frozenset(
    {
        # inference of types, shapes and formats
        "shape", "shapes", "type", "types", "dtype", "dtypes", "schema", "format", "size", "sizes",
        "dim", "dims", "signature", "encoding", "delimiter", "backend", "columns", "spec", "version",
        "args", "kwargs", "params", "config", "settings", "layout", "padding", "stride", "strides",
        # ranks of processes, not rankings of items
        "zero", "world", "local", "global", "node", "process", "gpu", "device", "worker", "mpi", "dist",
        "distributed", "rank0",
    }
)  # fmt: skip
# Returned names and keys made of metric words (`precision, recall, f1`; `{"acc": ..., "loss": ...}`;
# the vocabulary is `models.METRIC_WORDS`) make a `score*` function an evaluation, not a prediction.

# --- Prototype shortcuts (MLD511) ----------------------------------------------------------------

# DataFrame/Series methods that keep a few rows: `df.head(1000)`, `df.sample(n=500)`, `df.sample(frac=0.1)`.
HEAD_METHODS = frozenset({"head"})
SAMPLE_METHODS = frozenset({"sample"})
# `sample` calls that are not row sampling: the standard library and numpy draw from a population.
NOT_ROW_SAMPLERS = frozenset({"random.sample", "numpy.random.sample"})

# Calls that stop the program in an interactive debugger.
DEBUGGER_CALLS = frozenset(
    {
        "builtins.breakpoint",
        "pdb.set_trace",
        "pdb.Pdb.set_trace",
        "ipdb.set_trace",
        "ipdb.sset_trace",
        "pudb.set_trace",
        "pudb.remote.set_trace",
        "web_pdb.set_trace",
        "remote_pdb.set_trace",
        "pydevd.settrace",
        "pydevd_pycharm.settrace",
        "IPython.embed",
        "IPython.core.debugger.set_trace",
        "IPython.core.debugger.Pdb.set_trace",
        "IPython.terminal.embed.embed",
    }
)
# Debugger packages that only a developer's machine has: importing one is itself a leftover
# (the standard library's `pdb` is harmless to import, so it is not here).
DEBUGGER_PACKAGES = frozenset({"ipdb", "pudb", "web_pdb", "remote_pdb", "pydevd", "pydevd_pycharm"})
# Words in an `if` condition that make a debugger stop deliberate and opt-in:
# `if args.debug: pdb.set_trace()`, `if cfg.pdb: breakpoint()`.
DEBUG_SWITCH_WORDS = frozenset(
    {"debug", "debugger", "pdb", "ipdb", "breakpoint", "break", "interactive", "trace"}
)

# Keywords of a fit call that carry its training data (other keywords carry evaluation data,
# `eval_set=`, `validation_data=`, where a sample is a deliberate speed-up).
FIT_DATA_KEYWORDS = frozenset(
    {
        "x", "X", "y", "Y", "data", "dataset", "train_data", "train_dataset", "train_set", "X_train", "y_train",
        "train_dataloaders", "train_dataloader", "train_loader", "dataloaders", "datamodule", "documents",
        "sentences", "corpus_iterable",
    }
)  # fmt: skip
# Calls that wrap training data without choosing rows: looked through to the data they wrap
# (`DataLoader(train_set[:100])`, `xgb.DMatrix(X[:1000], label=y[:1000])`, `np.asarray(...)`).
DATA_WRAPPER_NAMES = frozenset(
    {
        "DataLoader", "DMatrix", "Dataset", "Pool", "TensorDataset", "array", "asarray", "tensor", "from_numpy",
        "as_tensor",
    }
)
# Methods that keep the rows of what they are called on: looked through to the data
# (`df.head(100)[FEATURES].values`, `X[:500].to_numpy()`).
ROW_PRESERVING_METHODS = frozenset(
    {
        "to_numpy", "copy", "astype", "reset_index", "fillna", "drop", "to_list", "tolist", "numpy", "float",
        "double", "long", "to", "cuda", "cpu", "reshape", "squeeze", "ravel", "flatten", "select_dtypes",
        "rename", "assign", "set_index", "sort_index", "filter",
    }
)  # fmt: skip
ROW_PRESERVING_ATTRIBUTES = frozenset({"values"})

# Folders where prototypes are expected to live: a shortcut there is not a leftover. One table with
# MLD510's prototype areas, less `experiments/`, `notebooks/` and `tmp/`, whose code MLD511 reads
# (a notebook file itself is exempt whatever its folder).
PROTOTYPE_FOLDERS = PROTOTYPE_AREAS - {"experiments", "notebooks", "tmp"}

# --- Bundled features (MLD302) ---------------------------------------------------------------------

# Tables whose `SELECT *` reads the database's own metadata, not features: schema probes.
SQL_CATALOG_PREFIXES = (
    "information_schema.",
    "pg_catalog.",
    "pg_",
    "sqlite_master",
    "sqlite_schema",
    "sqlite_temp_master",
    "sys.",
    "mysql.",
    "system.",
)

# Readers of a whole table by name, and how many positional arguments they take before `columns`:
# without `columns=`, `pd.read_sql_table("t", con)` is `SELECT * FROM t`.
WHOLE_TABLE_READERS: dict[str, int] = {
    "pandas.read_sql_table": 6,  # (table_name, con, schema, index_col, coerce_float, parse_dates, columns, ...)
    "dask.dataframe.read_sql_table": 6,  # (table_name, con, index_col, divisions, npartitions, limits, columns, ...)
}

# SQL methods whose star is mapped onto declared fields: Django's `Model.objects.raw("SELECT * ...")`
# fills the model's own fields, so the columns are declared after all.
SQL_METHODS_WITH_DECLARED_COLUMNS = frozenset({"raw"})

# Calls that show a query's rows to a person (a notebook's `display`, `print`, Spark's `.show()`):
# previewing a table with `SELECT *` makes no column a model's input.
VIEWING_FUNCTIONS = frozenset({"builtins.print", "IPython.display.display", "IPython.core.display.display"})
VIEWING_GLOBALS = frozenset({"display"})  # Databricks and Jupyter provide `display` without an import
VIEWING_METHODS = frozenset({"show", "display"})

# Packages that fit or serve models, by top-level import (and `pyspark.ml`/`pyspark.mllib`): a file
# that imports one, or calls `fit`/`predict`, is ML code, where a query's columns are a model's
# features. A `SELECT *` in a dashboard or an ETL script feeds no model (MLD302).
ML_PACKAGES = frozenset(
    {
        "sklearn", "xgboost", "lightgbm", "catboost", "statsmodels", "prophet", "torch", "tensorflow",
        "keras", "jax", "flax", "transformers", "fastai", "h2o", "pycaret", "autogluon", "sktime",
        "darts", "neuralprophet", "pmdarima", "tpot", "imblearn", "mlflow", "sentence_transformers",
        "spacy", "gensim", "surprise", "implicit", "lifelines", "pytorch_lightning", "lightning",
    }
)  # fmt: skip
ML_PACKAGE_PREFIXES = ("pyspark.ml", "pyspark.mllib", "databricks.feature_store", "databricks.feature_engineering")
# Names of functions that load data for a model elsewhere (first word, or any later word): a loader
# such as `load_contracts` or `get_training_features` that returns a whole table bundles its columns
# into whatever model its caller trains, even in a module that does no ML itself.
DATA_LOADER_VERBS = frozenset({"load", "fetch", "read", "extract", "pull", "ingest", "collect"})
DATA_WORDS = frozenset({"features", "feature", "dataset", "training", "train", "abt", "data"})

# Method calls that mark a file as ML code even without a model package import.
MODEL_METHODS = frozenset({"fit", "partial_fit", "fit_transform", "predict", "predict_proba", "train"})

# Calls whose arguments are a model's inputs: the rows of a `SELECT *` that reach one of them, not
# narrowed to named columns on the way, are bundled features.
MODEL_INPUT_METHODS = frozenset(
    {
        "fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample", "predict", "predict_proba",
        "predict_log_proba", "decision_function", "score_samples", "transform", "fit_generator",
    }
)  # fmt: skip
MODEL_INPUT_FUNCTIONS = frozenset(
    {
        *TRAINING_FUNCTIONS,
        "sklearn.model_selection.cross_val_score",
        "sklearn.model_selection.cross_validate",
        "sklearn.model_selection.cross_val_predict",
        "xgboost.DMatrix",
        "lightgbm.Dataset",
        "catboost.Pool",
    }
)

# Spark ML: its stages name their input columns (`VectorAssembler(inputCols=...)`), so a Spark
# DataFrame passed whole to `fit`/`transform` does not bundle its columns.
SPARK_ML_PREFIXES = ("pyspark.ml", "pyspark.mllib")
SPARK_STAGE_METHODS = frozenset({"fit", "transform", "fit_transform"})
