"""What each line of a project does, for `mldebt audit`'s measure of the paper's Figure 1: the
small box of ML code among data collection and verification, feature extraction,
configuration, serving, monitoring and glue.

A line takes the category of the names it uses, resolved through the file's import aliases
(`np.mean` -> `numpy.mean`): the longest dotted prefix listed in QUALIFIED_PREFIXES decides,
then the string prefixes of QUALIFIED_STRING_PREFIXES (`pandas.read_`). Method calls on
receivers whose type cannot be known (`model.fit(X, y)`, `logger.info(...)`) are decided by
the method's name. docs/audit.md is the readable version of these tables; keep both in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from mldebt.knowledge.artifacts import (
    FRAME_WRITE_METHODS,
    MODEL_WRITE_METHODS,
    PATH_READ_METHODS,
    PATH_WRITE_METHODS,
    READ_FUNCTION_PREFIXES,
    READ_METHODS,
    TABLE_WRITE_METHODS,
    WRITE_FUNCTIONS,
)
from mldebt.knowledge.data_sources import HTTP_CLIENTS, URL_READERS
from mldebt.knowledge.pipelines import DATA_LOADER_PREFIXES, DATA_LOADERS
from mldebt.knowledge.serving import (
    MODEL_NOUNS,
    NOT_A_MODEL_WORDS,
    CONVENTIONAL_APP_NAMES,
    CONVENTIONAL_APP_SUFFIXES,
    METRIC_METHODS,
    MONITORING_MODULE_ROOTS,
    MONITORING_RECEIVER_WORDS,
    ROUTE_DECORATOR_METHODS,
    SERVING_MODULE_ROOTS,
)
from mldebt.knowledge.training import (
    FIT_METHODS,
    PREDICTION_METHODS,
    SQL_FETCH_METHODS,
    TRANSFORM_METHODS,
    VALIDATION_METHOD_PREFIXES,
    VALIDATION_METHODS,
    VALIDATION_PACKAGES,
)

# --- The categories, in precedence order: when a line uses names of several, the first wins ----

ML = "ml"  # calls model, training or tensor APIs
SERVING = "serving"  # web frameworks and model servers
MONITORING = "monitoring"  # logging, metrics, tracing, experiment tracking
DATA = "data"  # data collection and verification: reading, writing, downloading, validating
FEATURES = "features"  # feature extraction: array and frame maths, encoders, tokenizers, transforms
CONFIGURATION = "configuration"  # command-line options, environment, settings, config files
GLUE = "glue"  # everything else: control flow, plumbing, moving values between the above
TESTS = "tests"  # every code line of a test module (kept apart: not part of the running system)

PRECEDENCE = (ML, SERVING, MONITORING, DATA, FEATURES, CONFIGURATION)
CATEGORIES = (*PRECEDENCE, GLUE, TESTS)
LABELS = {
    ML: "ML code",
    SERVING: "Serving",
    MONITORING: "Monitoring",
    DATA: "Data collection & verification",
    FEATURES: "Feature extraction",
    CONFIGURATION: "Configuration",
    GLUE: "Glue",
    TESTS: "Tests",
}


def _all(category: str, names: Iterable[str]) -> dict[str, str]:
    return {name: category for name in names}


# --- Qualified names, by dotted prefix (the longest listed prefix decides) ----------------------

# Model, training and tensor libraries: calling them is ML code.
_ML_ROOTS = (
    "torch", "tensorflow", "keras", "tf_keras", "jax", "flax", "optax", "haiku", "sklearn", "xgboost",
    "lightgbm", "catboost", "transformers", "sentence_transformers", "diffusers", "peft", "accelerate",
    "deepspeed", "lightning", "pytorch_lightning", "timm", "torchvision", "torchaudio", "torchtext",
    "torchmetrics", "statsmodels", "prophet", "fbprophet", "neuralprophet", "gensim", "fastai", "h2o",
    "onnx", "onnxruntime", "ultralytics", "spacy", "pycaret", "autogluon", "sktime", "darts", "imblearn",
    "optuna", "hyperopt", "ray.tune", "ray.train", "ray.rllib", "vllm", "openvino", "mxnet", "paddle",
    "setfit", "surprise", "pyod", "hdbscan", "pmdarima", "flair", "stanza", "tflite_runtime", "trl",
    "bitsandbytes", "einops", "safetensors", "gymnasium", "gym", "stable_baselines3", "pytorch_forecasting",
    "openai", "anthropic", "langchain",
)  # fmt: skip

# Feature extraction: numeric arrays and frames, encoders, scalers, tokenizers, signal and image
# processing. These override the ML roots above for their sub-packages.
_FEATURE_PREFIXES = (
    "numpy", "scipy", "pandas", "polars", "dask.dataframe", "modin", "sklearn.preprocessing",
    "sklearn.feature_extraction", "sklearn.feature_selection", "sklearn.decomposition", "sklearn.impute",
    "sklearn.compose", "sklearn.random_projection", "sklearn.kernel_approximation", "torchvision.transforms",
    "torchaudio.transforms", "torchaudio.functional", "tensorflow.image", "tensorflow.strings",
    "tensorflow.feature_column", "keras.layers.TextVectorization", "tokenizers", "transformers.AutoTokenizer",
    "transformers.AutoFeatureExtractor", "transformers.AutoProcessor", "transformers.AutoImageProcessor",
    "nltk", "category_encoders", "feature_engine", "featuretools", "tsfresh", "umap", "cv2", "skimage",
    "librosa", "albumentations", "PIL.ImageOps", "PIL.ImageFilter", "textblob", "sentencepiece", "tiktoken",
)  # fmt: skip

# Data collection and verification: files, databases, object stores, downloads, data sets, loaders,
# schemas and validators.
_DATA_PREFIXES = (
    "builtins.open", "io.open", "csv", "sqlite3", "sqlalchemy", "psycopg2", "psycopg", "pymysql", "pymongo",
    "mysql.connector", "cx_Oracle", "snowflake.connector", "duckdb", "redshift_connector", "pyodbc", "boto3",
    "botocore", "s3fs", "gcsfs", "fsspec", "google.cloud.storage", "google.cloud.bigquery", "azure.storage",
    "requests", "httpx", "aiohttp.ClientSession", "urllib.request", "urllib2", "wget", "kaggle", "datasets",
    "tensorflow_datasets", "torch.utils.data", "tensorflow.data", "sklearn.datasets", "torchvision.datasets",
    "torchaudio.datasets", "torchtext.datasets", "keras.datasets", "tensorflow.keras.datasets", "pyarrow",
    "h5py", "zarr", "xarray", "netCDF4", "dvc", "lakefs", "deltalake", "pyspark.sql.DataFrameReader",
    "joblib.load", "joblib.dump", "pickle", "dill", "cloudpickle", "shelve", "skops.io", "pandas.io",
    "PIL.Image.open", "imageio", "soundfile", "scipy.io", "numpy.save", "numpy.savez", "numpy.savez_compressed",
    "numpy.savetxt", "numpy.load", "numpy.loadtxt", "numpy.genfromtxt", "numpy.fromfile", "torch.load",
    "torch.save", "tensorflow.io", "tensorflow.keras.utils.get_file", "keras.utils.get_file",
    "sklearn.utils.validation", "tensorflow_data_validation",
)  # fmt: skip

# Serving: web frameworks, model servers, demo front ends. (`ray` alone is a compute engine: only
# `ray.serve` serves.)
_SERVING_PREFIXES = (
    *(root for root in SERVING_MODULE_ROOTS if root != "ray"), "ray.serve", "uvicorn", "gunicorn", "hypercorn",
    "waitress", "werkzeug", "grpc", "tornado", "aiohttp.web", "gradio", "streamlit", "tritonclient",
    "triton_python_backend_utils", "mlserver", "seldon_core", "litserve", "falcon", "bottle", "cherrypy",
    "connexion",
)  # fmt: skip

# Monitoring: logs, metrics, traces, experiment tracking, drift detection.
_MONITORING_PREFIXES = (
    *MONITORING_MODULE_ROOTS, "torch.utils.tensorboard", "tensorboard", "tensorboardX", "tensorflow.summary",
    "clearml", "alibi_detect", "bentoml.monitor", "lightning.pytorch.loggers", "pytorch_lightning.loggers",
    "keras.callbacks.TensorBoard", "tensorflow.keras.callbacks.TensorBoard", "tqdm", "codecarbon",
)  # fmt: skip

# Configuration: options, environment, settings objects and config-file readers.
_CONFIGURATION_PREFIXES = (
    "argparse", "click", "typer", "fire", "hydra", "omegaconf", "configparser", "tomllib", "tomli", "toml",
    "yaml", "dotenv", "decouple", "environs", "pydantic_settings", "ml_collections", "gin", "jsonargparse",
    "simple_parsing", "absl.flags", "tensorflow.compat.v1.flags", "os.environ", "os.getenv", "os.putenv",
    "sys.argv", "dynaconf", "confuse", "everett",
)  # fmt: skip

QUALIFIED_PREFIXES: dict[str, str] = {
    **_all(ML, _ML_ROOTS),
    **_all(FEATURES, _FEATURE_PREFIXES),
    # Every reader, writer, downloader and data loader the artifact and data-source tables know.
    **_all(DATA, WRITE_FUNCTIONS),
    **_all(DATA, URL_READERS),
    **_all(DATA, HTTP_CLIENTS),
    **_all(DATA, DATA_LOADERS),
    **_all(DATA, VALIDATION_PACKAGES - {"evidently", "whylogs"}),  # those two monitor, below
    **_all(DATA, _DATA_PREFIXES),
    **_all(SERVING, _SERVING_PREFIXES),
    **_all(MONITORING, _MONITORING_PREFIXES),
    **_all(CONFIGURATION, _CONFIGURATION_PREFIXES),
}
# Model persistence through an ML library's own API stays ML code (`model.save_pretrained`,
# `keras.models.load_model`); `mlflow` model loading is tracking's model registry: data.
QUALIFIED_PREFIXES.update(
    {
        "mlflow.pyfunc.load_model": DATA,
        "mlflow.sklearn.load_model": DATA,
        "tensorflow.keras.models.load_model": ML,
        "keras.models.load_model": ML,
        "keras.saving.load_model": ML,
        "tensorflow.keras.models.save_model": ML,
        "keras.models.save_model": ML,
    }
)

# Prefixes that end inside a name (`pandas.read_csv`, `sklearn.datasets.fetch_openml`).
QUALIFIED_STRING_PREFIXES: dict[str, str] = {
    **_all(DATA, READ_FUNCTION_PREFIXES),
    **_all(DATA, (prefix for prefix in DATA_LOADER_PREFIXES if not prefix.endswith("."))),
    "pandas.to_": DATA,
}

# --- Methods whose receiver's type is unknown ---------------------------------------------------

# Training, predicting, gradient steps and model modes: `model.fit(X, y)`, `loss.backward()`.
ML_METHODS = frozenset(
    FIT_METHODS
    | PREDICTION_METHODS
    | {"train", "eval", "score", "backward", "zero_grad", "cuda", "evaluate", "generate", "forward", "from_pretrained",
       "save_pretrained", "state_dict", "load_state_dict", "parameters", "named_parameters"}
    | MODEL_WRITE_METHODS
)  # fmt: skip
# Receivers whose every method call is ML code: optimizers and learning-rate schedulers
# (`optimizer.step()`, `self.lr_scheduler.step()`); a word of the receiver's last name is one of these.
ML_RECEIVERS = frozenset({"optimizer", "optim", "scheduler", "sched", "criterion"})
# A call of a name whose last word names a model (`model(x)`, `self.net(batch)`, `clf(X)`) runs the
# model, unless a word of the name is a verb (`load_model(...)`, `build_net(...)`).
MODEL_CALL_NOUNS = MODEL_NOUNS
NOT_MODEL_CALL_WORDS = NOT_A_MODEL_WORDS

# Frame and encoder operations that shape features: `frame.fillna(0)`, `scaler.transform(X)`.
FEATURE_METHODS = frozenset(
    TRANSFORM_METHODS
    | {"fillna", "dropna", "get_dummies", "groupby", "merge", "pivot_table", "melt", "rolling", "resample",
       "astype", "drop_duplicates", "value_counts", "clip", "cumsum", "shift", "diff", "qcut", "cut",
       "with_columns", "encode", "tokenize", "batch_encode_plus", "apply_chat_template"}
)  # fmt: skip
# Reading, writing, fetching and checking data: `frame.to_csv(p)`, `cursor.fetchall()`, `schema.validate(df)`.
DATA_METHODS = frozenset(
    FRAME_WRITE_METHODS
    | TABLE_WRITE_METHODS
    | frozenset(READ_METHODS) - {"load_model", "load_weights", "load_from_checkpoint"}
    | PATH_READ_METHODS
    | PATH_WRITE_METHODS
    | SQL_FETCH_METHODS
    | VALIDATION_METHODS
    | {"read_csv", "read_parquet", "read_json", "read_sql", "download_file", "upload_file", "download_fileobj"}
)  # fmt: skip
DATA_METHOD_PREFIXES = VALIDATION_METHOD_PREFIXES
# Experiment tracking and metric objects: `run.log(...)`, `writer.add_scalar(...)`, `LATENCY.observe(t)`.
MONITORING_METHODS = frozenset(
    METRIC_METHODS
    | {"log", "log_metric", "log_metrics", "log_param", "log_params", "log_dict", "log_artifact",
       "add_scalar", "add_scalars", "add_histogram", "add_image", "add_text", "log_hyperparams"}
)  # fmt: skip
# The logging, metric and tracing methods of a receiver named like a logger, a metrics client or a
# tracer (`logger.info`, `self.log.warning`, `statsd.timing`): a word of the receiver's last name is
# one of MONITORING_RECEIVERS and the method one of MONITORING_RECEIVER_METHODS (so `log.groupby(...)`
# on an order log stays a frame operation).
MONITORING_RECEIVERS = MONITORING_RECEIVER_WORDS
MONITORING_RECEIVER_METHODS = frozenset(
    MONITORING_METHODS
    | {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "bind", "timing", "gauge",
       "incr", "decr", "histogram", "timer", "start_span", "start_as_current_span", "add_event",
       "record_exception", "set_status", "record", "track"}
)  # fmt: skip
# Command-line parsers: `parser.add_argument(...)`, `parser.parse_args()`.
CONFIGURATION_METHODS = frozenset(
    {"add_argument", "add_argument_group", "add_mutually_exclusive_group", "add_subparsers", "add_parser",
     "parse_args", "parse_known_args", "set_defaults"}
)  # fmt: skip
# `@app.post("/predict")`, `app.run()`, `app.include_router(r)` on a receiver named like an app or
# a router (CONVENTIONAL_APP_NAMES, or ending in one of CONVENTIONAL_APP_SUFFIXES).
SERVING_METHODS = frozenset(ROUTE_DECORATOR_METHODS | {"run", "include_router", "add_url_rule", "mount", "register_blueprint"})
APP_NAMES = CONVENTIONAL_APP_NAMES
APP_SUFFIXES = CONVENTIONAL_APP_SUFFIXES
