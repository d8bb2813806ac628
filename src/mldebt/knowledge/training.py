"""Training, loading, validating and combining data: what the intra-function data flow
(`mldebt.dataflow`) needs to know about ML libraries.

Methods match whatever their receiver is (a fitted estimator is rarely typed); functions
and classes match by the qualified name the engine's import-alias map yields
(`pd.read_csv` -> `pandas.read_csv`). Prediction method names come from
`mldebt.knowledge.models`.
"""

from __future__ import annotations

from mldebt.knowledge.data_sources import DATAFRAME_READER_PREFIXES
from mldebt.knowledge.models import PREDICT_METHODS, PROBABILITY_METHODS, SCORE_METHODS

# --- Training ---------------------------------------------------------------------------------

# Keras's `train_on_batch`: one step on one batch, a few rows by design (MLD511 does not count it
# as a prototype's sample).
BATCH_FIT_METHODS = frozenset({"train_on_batch"})
# Methods that train their receiver on (features, target): scikit-learn and every library that
# copies its API (xgboost, lightgbm, catboost, keras, prophet, ...), and Lightning's
# `trainer.fit(model, loader)`. Also used by MLD507 and MLD511 (through `pipelines`).
FIT_METHODS = frozenset({"fit", "partial_fit", "fit_generator"}) | BATCH_FIT_METHODS
# `model.train(data)` trains (gensim, fastText, spaCy-style trainers); `trainer.train()` trains on
# what the trainer was built with; `module.train()` / `module.train(False)` only switches a
# PyTorch module's mode. The data flow tells them apart by their arguments.
TRAIN_METHOD = "train"

# Keyword names of the features and the target in training calls.
FEATURE_KEYWORDS = frozenset(
    {
        "X", "x", "X_train", "x_train", "data", "train_data", "train_set", "dtrain", "train_dataset",
        "dataset", "train_dataloaders", "train_dataloader", "datamodule", "df", "pool", "inputs",
        "generator", "train_generator", "corpus_iterable", "sentences",
    }
)  # fmt: skip
TARGET_KEYWORDS = frozenset({"y", "Y", "y_train", "label", "labels", "target", "targets"})

# Functions that train a model: qualified name -> (position of the model argument, position of
# the features, position of the target); -1 when the call has no such argument. A function
# without a model argument (`xgb.train`) returns the trained model.
TRAINING_FUNCTIONS: dict[str, tuple[int, int, int]] = {
    # Boosting libraries' native APIs: train(params, data): the data carries its labels.
    "xgboost.train": (-1, 1, -1),
    "xgboost.training.train": (-1, 1, -1),
    "lightgbm.train": (-1, 1, -1),
    "lightgbm.engine.train": (-1, 1, -1),
    "catboost.train": (-1, 0, -1),
    # scikit-learn's cross-validation helpers fit clones of the model on (X, y).
    "sklearn.model_selection.cross_val_score": (0, 1, 2),
    "sklearn.model_selection.cross_validate": (0, 1, 2),
    "sklearn.model_selection.cross_val_predict": (0, 1, 2),
    "sklearn.model_selection.learning_curve": (0, 1, 2),
    "sklearn.model_selection.validation_curve": (0, 1, 2),
    "sklearn.model_selection.permutation_test_score": (0, 1, 2),
}
# Keyword names of the data argument of the native boosting APIs.
TRAINING_FUNCTION_DATA_KEYWORDS = frozenset({"dtrain", "train_set", "pool"})

# --- Predictions ------------------------------------------------------------------------------

# Methods whose result is the receiver's output on its argument.
PREDICTION_METHODS = PREDICT_METHODS | PROBABILITY_METHODS | SCORE_METHODS
# Functions whose result is a model's (out-of-fold) predictions: qualified name -> position of
# the model argument.
PREDICTION_FUNCTIONS: dict[str, int] = {"sklearn.model_selection.cross_val_predict": 0}
# Attributes of a fitted model that hold its predictions on its training data.
PREDICTION_ATTRIBUTES = frozenset({"oob_prediction_", "oob_decision_function_", "fittedvalues", "resid"})

# Word parts of a model's name that make its output a representation rather than a prediction:
# an encoder's or a backbone's output among another model's features is feature extraction.
FEATURE_EXTRACTOR_WORDS = frozenset(
    {"encoder", "autoencoder", "embedder", "embedding", "embeddings", "extractor", "backbone", "featurizer",
     "vectorizer", "tokenizer", "pca", "svd", "projector", "projection"}
)  # fmt: skip

# --- Models -----------------------------------------------------------------------------------

# Packages whose classes (CamelCase names) build models or model-like estimators: a name bound to
# `RandomForestClassifier()` is a model, and rebinding it to another class makes another model.
MODEL_PACKAGES = frozenset(
    {
        "sklearn", "xgboost", "lightgbm", "catboost", "imblearn", "statsmodels", "prophet", "fbprophet",
        "ngboost", "pygam", "interpret", "pytorch_tabnet", "sktime", "pmdarima", "torch", "tensorflow",
        "keras", "transformers", "sentence_transformers", "timm", "torchvision", "lightning",
        "pytorch_lightning", "gensim", "fasttext", "surprise", "implicit", "lifelines", "category_encoders",
        "umap", "hdbscan", "feature_engine", "autogluon", "pycaret", "flaml",
    }
)  # fmt: skip

# Model factories that are functions rather than classes.
MODEL_FACTORIES = frozenset(
    {
        "sklearn.pipeline.make_pipeline",
        "imblearn.pipeline.make_pipeline",
        "timm.create_model",
        "tensorflow.keras.models.load_model",
        "keras.models.load_model",
        "keras.saving.load_model",
        "tensorflow.keras.models.model_from_json",
        "keras.models.model_from_json",
    }
)

# Calls that copy a model: the copy's predictions are (a version of) the original's, as with a
# target network in reinforcement learning.
MODEL_COPIERS = frozenset(
    {
        "copy.deepcopy",
        "copy.copy",
        "sklearn.base.clone",
        "tensorflow.keras.models.clone_model",
        "keras.models.clone_model",
    }
)

# Classes whose instances are called to predict (`net(x)`), by package prefix; a class name
# ending in one of NOT_CALLABLE_MODEL_SUFFIXES is a loss or a container, not a model.
CALLABLE_MODEL_PREFIXES = (
    "torch.nn.",
    "torchvision.models.",
    "timm.",
    "tensorflow.keras.",
    "keras.",
    "transformers.",
    "sentence_transformers.",
)
NOT_CALLABLE_MODEL_SUFFIXES = (
    "Loss", "Tokenizer", "TokenizerFast", "Processor", "Config", "FeatureExtractor", "Optimizer",
)  # fmt: skip
# Base classes that make a class defined in the file a model (its instances are models).
MODEL_BASE_CLASSES = frozenset(
    {
        "torch.nn.Module",
        "torch.nn.modules.module.Module",
        "pytorch_lightning.LightningModule",
        "lightning.LightningModule",
        "lightning.pytorch.LightningModule",
        "tensorflow.keras.Model",
        "tensorflow.keras.models.Model",
        "keras.Model",
        "keras.models.Model",
        "flax.linen.Module",
        "transformers.PreTrainedModel",
        "sklearn.base.BaseEstimator",
    }
)
# A class deriving from scikit-learn's base classes (`BaseEstimator`, `RegressorMixin`, ...) is an
# estimator of its own: models it fits inside its methods are parts of one model.
ESTIMATOR_BASE_PREFIX = "sklearn.base."
# The one HF loader every model class has; a class named like a model (`AutoModelFor...`,
# `BertModel`, `UNet2DConditionModel`) loaded through it is a callable model.
PRETRAINED_LOADER = "from_pretrained"
# Methods that return their (model) receiver: moving, compiling, switching mode.
MODEL_PRESERVING_METHODS = frozenset(
    {"to", "cuda", "cpu", "eval", "half", "float", "double", "bfloat16", "requires_grad_"}
)

# scikit-learn estimators that are not supervised models: transformers, clusterers, outlier
# detectors. Their `fit` prepares features and their `predict` assigns clusters or flags, so
# neither is a model learning on top of another (by module under `sklearn`, or class name).
UNSUPERVISED_SKLEARN_MODULES = frozenset(
    {
        "preprocessing", "feature_extraction", "feature_selection", "impute", "decomposition", "manifold",
        "random_projection", "kernel_approximation", "cluster", "mixture", "covariance", "compose",
    }
)  # fmt: skip
UNSUPERVISED_SKLEARN_CLASSES = frozenset(
    {
        "IsolationForest", "OneClassSVM", "SGDOneClassSVM", "LocalOutlierFactor", "EllipticEnvelope",
        "NearestNeighbors", "KernelDensity", "BernoulliRBM", "RandomTreesEmbedding", "FeatureUnion",
        "ColumnTransformer", "StandardScaler", "MinMaxScaler", "LabelEncoder", "OneHotEncoder", "PCA",
        "KMeans", "MiniBatchKMeans", "TfidfVectorizer", "CountVectorizer", "SimpleImputer",
    }
)  # fmt: skip
# imbalanced-learn's resamplers, by module under `imblearn`.
UNSUPERVISED_IMBLEARN_MODULES = frozenset({"over_sampling", "under_sampling", "combine"})
# Other packages whose estimators only prepare features.
UNSUPERVISED_PACKAGES = frozenset({"category_encoders", "umap", "hdbscan", "feature_engine"})

# --- Data containers --------------------------------------------------------------------------

# Classes that wrap (features, target) for a training API: qualified name -> position of the
# features, position of the target (also given by keyword `label`).
DATASET_CONTAINERS: dict[str, tuple[int, int]] = {
    "lightgbm.Dataset": (0, 1),
    "xgboost.DMatrix": (0, 1),
    "xgboost.QuantileDMatrix": (0, 1),
    "catboost.Pool": (0, 1),
    "torch.utils.data.TensorDataset": (0, 1),
}
CONTAINER_TARGET_KEYWORDS = frozenset({"label", "labels", "y"})
CONTAINER_FEATURE_KEYWORDS = frozenset({"data", "X"})
# Calls that wrap their data argument without changing what it holds.
DATA_WRAPPERS = frozenset(
    {
        "torch.utils.data.DataLoader",
        "tensorflow.data.Dataset.from_tensor_slices",
        "tensorflow.data.Dataset.from_tensors",
        "datasets.Dataset.from_pandas",
        "datasets.Dataset.from_dict",
    }
)

# Objects that are given their training data when built, and trained by a bare `.fit()` or
# `.train()`: Hugging Face trainers (`train_dataset=`) and statsmodels models (`OLS(y, X)`).
TRAINER_PACKAGES = ("transformers", "trl", "setfit")
TRAINER_DATA_KEYWORDS = frozenset({"train_dataset"})
STATSMODELS = "statsmodels"
STATSMODELS_TARGET_KEYWORDS = frozenset({"endog"})
STATSMODELS_FEATURE_KEYWORDS = frozenset({"exog", "data"})

# --- Combining values -------------------------------------------------------------------------

# Functions that put several arrays or frames side by side or one after another: whatever any
# part holds, the result holds.
STACKING_FUNCTIONS = frozenset(
    {
        "numpy.column_stack", "numpy.hstack", "numpy.vstack", "numpy.dstack", "numpy.concatenate",
        "numpy.stack", "numpy.append", "numpy.row_stack", "numpy.block",
        "pandas.concat", "polars.concat",
        "torch.cat", "torch.concat", "torch.concatenate", "torch.stack", "torch.hstack", "torch.vstack",
        "torch.column_stack",
        "tensorflow.concat", "tensorflow.stack", "jax.numpy.concatenate", "jax.numpy.stack",
        "jax.numpy.column_stack", "jax.numpy.hstack", "jax.numpy.vstack",
        "scipy.sparse.hstack", "scipy.sparse.vstack",
    }
)  # fmt: skip
# Index tricks that stack what they are subscripted with: `np.c_[X, pred]`.
STACKING_INDEXERS = frozenset({"numpy.c_", "numpy.r_"})
# Calls whose tuple result pairs with their arguments: `train_test_split(X, y)` gives
# (X_train, X_test, y_train, y_test); `fit_resample(X, y)` gives (X, y).
PAIRED_SPLITTERS = frozenset({"sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split"})
PAIRED_RESAMPLERS = frozenset({"fit_resample", "fit_sample"})

# Libraries whose functions compute on their array arguments: the result holds what the
# positional arguments (and a `data=` keyword) hold.
ARRAY_PACKAGES = frozenset(
    {"numpy", "pandas", "torch", "scipy", "tensorflow", "jax", "polars", "cupy", "dask", "json", "pickle",
     "yaml", "csv", "io", "gzip", "math"}
)  # fmt: skip
ARRAY_DATA_KEYWORDS = frozenset({"data", "a", "x", "X", "y", "values", "objs", "arrays", "tensors", "input"})
# ... except those whose result shares only a shape or nothing with their arguments.
NON_PROPAGATING_FUNCTION_PARTS = frozenset(
    {
        "zeros", "ones", "empty", "full", "arange", "linspace", "logspace", "eye", "identity", "random",
        "manual_seed", "seed", "device", "no_grad", "inference_mode", "set_grad_enabled", "shape", "size",
        "ndim", "len", "isnan", "isfinite", "isinf", "isnull", "isna", "notnull", "notna", "count_nonzero",
        "unique", "bincount", "argsort", "indices", "dumps", "dump", "save", "savez", "savetxt", "to_csv",
        "testing", "get_option", "set_option", "options", "finfo", "iinfo", "dtype",
    }
)  # fmt: skip
NON_PROPAGATING_SUFFIXES = ("_like",)
# Builtins that pass their argument's content through.
PROPAGATING_BUILTINS = frozenset(
    {"list", "tuple", "set", "frozenset", "sorted", "reversed", "zip", "enumerate", "iter", "next", "map",
     "filter", "sum", "min", "max", "abs", "round", "float", "dict"}
)  # fmt: skip

# Attributes of an array or frame that describe it rather than hold its data.
NON_DATA_ATTRIBUTES = frozenset(
    {"shape", "size", "ndim", "dtype", "dtypes", "columns", "index", "nbytes", "device", "empty", "name",
     "names", "is_cuda", "requires_grad", "grad_fn", "itemsize", "axes"}
)  # fmt: skip
# Attributes that give the data without its column names.
FLATTENING_ATTRIBUTES = frozenset({"values", "T", "array", "data", "mT"})
# Indexers that select rows (and optionally columns: `df.loc[rows, ["a", "b"]]`); MLD511 looks
# through them to the data (`df.iloc[:1000]`).
ROW_INDEXERS = frozenset({"loc", "iloc", "at", "iat", "ix"})
# Methods whose result says something about the data rather than holding it.
NON_DATA_METHODS = frozenset(
    {"info", "describe", "memory_usage", "nunique", "count", "equals", "keys", "get_params", "set_params",
     "score", "evaluate", "summary", "__len__", "isnull", "isna", "notnull", "notna", "duplicated",
     "to_csv", "to_parquet", "to_json", "to_pickle", "save", "savefig", "plot", "hist", "register_buffer"}
)  # fmt: skip
# Frame methods that keep the frame's columns (and so what each column holds).
COLUMN_PRESERVING_METHODS = frozenset(
    {"copy", "fillna", "dropna", "reset_index", "set_index", "sort_values", "sort_index", "head", "tail",
     "sample", "query", "replace", "astype", "round", "clip", "abs", "interpolate", "ffill", "bfill",
     "infer_objects", "convert_dtypes", "reindex", "drop_duplicates", "pipe", "filter_rows", "compute",
     "cache", "persist", "collect"}
)  # fmt: skip
# Methods that combine the receiver with their argument frames.
MERGING_METHODS = frozenset({"merge", "join", "combine_first", "update", "hstack", "with_columns"})
# Methods that transform their argument (the receiver is a fitted transformer).
TRANSFORM_METHODS = frozenset({"transform", "fit_transform", "inverse_transform"})
# Container methods that add their argument to the receiver in place.
MUTATING_METHODS = frozenset({"append", "extend", "insert", "add", "appendleft", "setdefault"})

# --- Loading from outside ---------------------------------------------------------------------

# Readers of files, URLs and databases, by qualified-name prefix and by full name. Curated
# toy datasets shipped with a library (`sklearn.datasets.load_iris`, `keras.datasets`) are
# not here: they do not change under the code, and validating them is not the debt.
LOADER_PREFIXES = DATAFRAME_READER_PREFIXES + (
    "polars.scan_",
    "pyarrow.parquet.read_",
    "pyarrow.csv.read_",
    "pyarrow.feather.read_",
)
LOADERS = frozenset(
    {
        "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.memmap",
        "joblib.load", "scipy.io.loadmat", "h5py.File", "gzip.open", "bz2.open", "lzma.open",
        "requests.get", "requests.post", "httpx.get", "urllib.request.urlopen", "urllib.urlopen",
        "urllib2.urlopen", "datasets.load_dataset", "datasets.load_from_disk",
        "datasets.Dataset.from_csv", "datasets.Dataset.from_json", "datasets.Dataset.from_parquet",
        "pyarrow.parquet.ParquetFile", "pyarrow.dataset.dataset", "tensorflow.data.TFRecordDataset",
        "tensorflow.data.experimental.make_csv_dataset", "google.cloud.bigquery.Client.query",
    }
)  # fmt: skip
# `open(path)` reads unless its mode writes.
OPEN = "builtins.open"
WRITE_MODE_CHARACTERS = frozenset("wax")
# Methods that fetch rows from a database cursor or connection.
SQL_FETCH_METHODS = frozenset({"fetchall", "fetchone", "fetchmany", "fetch_pandas_all", "fetch_arrow_table"})
# Spark: `spark.read.<format>(...)`, `spark.read.format(...).load(...)`, `spark.sql(...)`,
# `spark.table(...)` (the receiver named like a Spark session).
SPARK_READER_ATTRIBUTE = "read"
SPARK_SESSION_METHODS = frozenset({"sql", "table"})
SPARK_SESSION_WORDS = ("spark", "sqlcontext", "hivecontext")

# --- Validation -------------------------------------------------------------------------------

# Packages whose calls validate the data given to them.
VALIDATION_PACKAGES = frozenset(
    {"pandera", "great_expectations", "pydantic", "tensorflow_data_validation", "deepchecks", "evidently",
     "whylogs", "cerberus", "jsonschema", "schema", "voluptuous", "marshmallow", "pandas_schema", "dataenforce"}
)  # fmt: skip
# Methods that validate their receiver or argument (`schema.validate(df)`,
# `Row.model_validate(record)`, great_expectations' `df.expect_column_values_to_not_be_null(...)`).
VALIDATION_METHODS = frozenset(
    {"validate", "model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python",
     "validate_json", "validate_df", "validate_dataframe", "check_types"}
)  # fmt: skip
VALIDATION_METHOD_PREFIXES = ("expect_",)
# A project's own checks, by the first word of the function's name (`validate_frame(df)`,
# `check_schema(df)`, sklearn's `check_array(X)`, `np.testing.assert_array_equal(...)`).
VALIDATION_FUNCTION_PREFIXES = ("validate", "check", "verify", "assert", "ensure", "sanity")
# Decorators that validate a function's inputs.
VALIDATION_DECORATOR_PACKAGES = frozenset({"pandera", "pydantic", "typeguard", "beartype"})
# Calls that stop the program when a check fails, like `raise`.
EXIT_CALLS = frozenset({"sys.exit", "builtins.exit", "builtins.quit", "os._exit"})
