"""Loaders of data and pretrained models, and how each one is pinned to a version.

Used by MLD301 (unpinned-external-data). Qualified names are the ones the
engine's import-alias map yields (`pd.read_csv` -> `pandas.read_csv`,
`tf.keras.utils.get_file` -> `tensorflow.keras.utils.get_file`).
"""

from __future__ import annotations

import re

# --- URL readers -----------------------------------------------------------------------------

# DataFrame readers: every `<prefix>read_*` function takes a path or a URL.
DATAFRAME_READER_PREFIXES = ("pandas.read_", "polars.read_", "dask.dataframe.read_", "modin.pandas.read_")
# ... except the ones that read from a database or the clipboard (no URL there).
DATAFRAME_READERS_WITHOUT_URLS = frozenset(
    {
        "pandas.read_sql",
        "pandas.read_sql_query",
        "pandas.read_sql_table",
        "pandas.read_gbq",
        "pandas.read_clipboard",
        "polars.read_database",
        "polars.read_database_uri",
        "dask.dataframe.read_sql",
        "dask.dataframe.read_sql_query",
        "dask.dataframe.read_sql_table",
    }
)

# Functions that read or download whatever a URL argument serves.
URL_READERS = frozenset(
    {
        # numpy reads URLs through its DataSource
        "numpy.loadtxt",
        "numpy.genfromtxt",
        # standard library downloads
        "urllib.request.urlretrieve",
        "urllib.urlretrieve",
        "six.moves.urllib.request.urlretrieve",
        "wget.download",
        # Keras / TensorFlow download helpers
        "tensorflow.keras.utils.get_file",
        "tensorflow.python.keras.utils.data_utils.get_file",
        "keras.utils.get_file",
        "keras.utils.data_utils.get_file",
        # PyTorch / torchvision / torchaudio download helpers
        "torch.hub.load_state_dict_from_url",
        "torch.hub.download_url_to_file",
        "torch.utils.model_zoo.load_url",
        "torchvision.datasets.utils.download_url",
        "torchvision.datasets.utils.download_and_extract_archive",
        "torchaudio.utils.download_asset",
        # scientific data fetchers
        "pooch.retrieve",
    }
)

# Generic HTTP clients: flagged only when the URL names a data or model file (see
# DATA_FILE_EXTENSIONS), since most of their calls talk to APIs rather than load data.
HTTP_CLIENTS = frozenset(
    {
        "requests.get",
        "httpx.get",
        "urllib.request.urlopen",
        "urllib.urlopen",
        "urllib2.urlopen",
        "six.moves.urllib.request.urlopen",
    }
)

# Model and array loaders: they take local paths, so they matter only for a path whose
# last segment is the moving pointer `latest`.
FILE_LOADERS = frozenset(
    {
        "torch.load",
        "torch.jit.load",
        "joblib.load",
        "numpy.load",
        "tensorflow.keras.models.load_model",
        "tensorflow.saved_model.load",
        "keras.models.load_model",
        "keras.saving.load_model",
        "onnxruntime.InferenceSession",
        "onnx.load",
        "safetensors.torch.load_file",
        "xgboost.Booster",
        "lightgbm.Booster",
    }
)

# Keyword arguments that verify the downloaded bytes: a checksum pins the content even
# when the URL does not.
CHECKSUM_KEYWORDS = frozenset({"file_hash", "md5_hash", "md5", "sha256", "sha1", "known_hash", "hash_prefix", "checksum"})
# `load_state_dict_from_url(url, check_hash=True)` checks the hash prefix in the file name.
CHECKSUM_FLAGS = frozenset({"check_hash"})
# Position of the first checksum parameter of a downloader, for checksums passed positionally.
CHECKSUM_POSITIONS: dict[str, int] = {
    "pooch.retrieve": 1,  # retrieve(url, known_hash, ...)
    "torchvision.datasets.utils.download_url": 3,  # download_url(url, root, filename, md5)
    "torchvision.datasets.utils.download_and_extract_archive": 4,  # (url, root, extract_root, filename, md5)
    "tensorflow.keras.utils.get_file": 3,  # get_file(fname, origin, untar, md5_hash, file_hash)
    "keras.utils.get_file": 3,
    "torch.hub.download_url_to_file": 2,  # download_url_to_file(url, dst, hash_prefix)
}

# Schemes of sources that live outside the repository and can change under you.
REMOTE_SCHEMES = frozenset(
    {"http", "https", "ftp", "s3", "s3a", "s3n", "gs", "gcs", "hf", "az", "abfs", "abfss", "wasb", "wasbs"}
)

# File extensions of data and model files (lower case, without the dot): a generic HTTP
# GET of such a URL is a download. Images, audio and video are left out: a demo input
# fetched by an example is not a data dependency of the system.
DATA_FILE_EXTENSIONS = frozenset(
    {
        # tables and text
        "csv", "tsv", "txt", "json", "jsonl", "ndjson", "parquet", "feather", "arrow", "orc", "avro",
        "xlsx", "xls", "data", "arff", "dta", "sav", "sas7bdat", "mat", "xml", "yaml", "yml",
        # archives
        "zip", "gz", "tgz", "tar", "bz2", "xz", "7z", "zst",
        # arrays and models
        "npy", "npz", "pkl", "pickle", "joblib", "pt", "pth", "bin", "ckpt", "safetensors", "h5", "hdf5",
        "onnx", "pb", "tflite", "model", "gguf", "msgpack",
    }
)  # fmt: skip

# Media files: an image, a sound or a page fetched by an example is a demo input or an
# illustration, not a data dependency of the system, so URLs naming one are not flagged.
MEDIA_FILE_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "bmp", "webp", "svg", "ico", "tif", "tiff",
        "wav", "mp3", "flac", "ogg", "m4a", "mp4", "avi", "mov", "webm", "mkv", "pdf", "html", "htm",
    }
)  # fmt: skip

# --- Versions in URLs ------------------------------------------------------------------------

# A version, date or content hash somewhere in a URL's path or file name.
VERSION_IN_PATH = re.compile(
    r"""
      (?<![A-Za-z0-9])v\d+(?:\.\d+)*(?![A-Za-z])                # v3, v1.2, v2.0.1
    | (?<![A-Za-z0-9.])\d+\.\d+(?:\.\d+)*(?![A-Za-z0-9]|\.\d)  # 1.2, 2.0.1 (a release number)
    | (?<!\d)(?:19|20)\d{2}(?!\d)                             # a year, or a date that starts with one: 2023-01-05, val2017
    | (?<!\d)(?:19|20)\d{2}[01]\d[0-3]\d(?!\d)                 # a compact date: 20230105
    | (?<![0-9a-fA-F])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,64}(?![0-9a-fA-F])  # a hash: commit sha, content hash
    | (?i:version|release|snapshot)[-_]?\d                      # version_3, release-2
    """,
    re.VERBOSE,
)
# A git ref that is a commit sha (short or full).
COMMIT_SHA = re.compile(r"^(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}$")
# Query parameters that select a fixed version of an object (S3 `versionId`, GCS `generation`, ...).
VERSION_QUERY_KEYS = frozenset({"versionid", "generation", "version", "rev", "revision", "sha", "commit", "tag"})
# Refs and path segments that move: a branch, or an alias for the newest release.
MOVING_REFS = frozenset(
    {"main", "master", "head", "develop", "dev", "trunk", "gh-pages", "latest", "nightly", "stable", "current"}
)
# Path segments that point at whatever is newest, wherever they appear.
MOVING_SEGMENTS = frozenset({"latest", "nightly", "current"})

# Hosts whose records never change once published (a DOI archive): pinned by construction.
IMMUTABLE_HOSTS = frozenset({"zenodo.org", "doi.org", "figshare.com", "ndownloader.figshare.com"})

# --- Hugging Face ------------------------------------------------------------------------------

# The method every Hugging Face library (transformers, diffusers, peft, timm's hub...) loads through.
FROM_PRETRAINED_METHODS = frozenset({"from_pretrained"})
# Keyword names of the model id in `from_pretrained` (when not passed first).
FROM_PRETRAINED_ID_KEYWORDS = ("pretrained_model_name_or_path", "model_name_or_path", "model_id", "repo_id")

HF_PIPELINES = frozenset({"transformers.pipeline", "transformers.pipelines.pipeline"})
HF_DATASET_LOADERS = frozenset({"datasets.load_dataset", "datasets.load_dataset_builder"})
# Downloads whose first argument is always a hub repo id.
HF_HUB_DOWNLOADS = frozenset(
    {
        "huggingface_hub.hf_hub_download",
        "huggingface_hub.snapshot_download",
        "huggingface_hub.file_download.hf_hub_download",
        "huggingface_hub._snapshot_download.snapshot_download",
    }
)
# Constructors that take a hub model id first.
HF_MODEL_CONSTRUCTORS = frozenset(
    {
        "sentence_transformers.SentenceTransformer",
        "sentence_transformers.CrossEncoder",
        "sentence_transformers.cross_encoder.CrossEncoder",
        "sentence_transformers.SparseEncoder",
    }
)
# Keywords that pin a hub download to a revision (any value counts: the choice is explicit).
REVISION_KEYWORDS = frozenset({"revision", "commit_hash", "_commit_hash"})

# `load_dataset("csv", data_files=...)`: builders that read local or given files, not a hub repo.
DATASET_BUILDERS = frozenset(
    {
        "csv", "json", "parquet", "text", "arrow", "pandas", "sql", "webdataset", "generator",
        "imagefolder", "audiofolder", "videofolder", "xml", "spark", "cache",
    }
)  # fmt: skip

# Bare ids the hub resolves without an organisation (legacy canonical repos): a bare string
# not in these tables may as well be a local folder, so it is not flagged.
KNOWN_BARE_MODEL_IDS = frozenset(
    {
        # BERT family
        "bert-base-uncased", "bert-base-cased", "bert-large-uncased", "bert-large-cased",
        "bert-base-multilingual-uncased", "bert-base-multilingual-cased", "bert-base-chinese",
        "bert-large-uncased-whole-word-masking", "bert-large-cased-whole-word-masking",
        "bert-large-uncased-whole-word-masking-finetuned-squad",
        "distilbert-base-uncased", "distilbert-base-cased", "distilbert-base-multilingual-cased",
        "distilbert-base-uncased-finetuned-sst-2-english", "distilbert-base-cased-distilled-squad",
        "distilbert-base-uncased-distilled-squad",
        # RoBERTa, XLM, ALBERT, XLNet, ELECTRA-era
        "roberta-base", "roberta-large", "roberta-large-mnli", "distilroberta-base",
        "xlm-roberta-base", "xlm-roberta-large", "xlm-mlm-en-2048", "xlm-mlm-100-1280",
        "albert-base-v1", "albert-base-v2", "albert-large-v2", "albert-xlarge-v2", "albert-xxlarge-v2",
        "xlnet-base-cased", "xlnet-large-cased", "camembert-base", "ctrl", "transfo-xl-wt103",
        # GPT and T5
        "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "openai-gpt",
        "t5-small", "t5-base", "t5-large", "t5-3b", "t5-11b",
        # sentence-transformers short names (resolved under `sentence-transformers/`)
        "all-MiniLM-L6-v2", "all-MiniLM-L12-v2", "all-mpnet-base-v2", "all-distilroberta-v1",
        "paraphrase-MiniLM-L6-v2", "paraphrase-MiniLM-L3-v2", "paraphrase-mpnet-base-v2",
        "paraphrase-multilingual-MiniLM-L12-v2", "paraphrase-multilingual-mpnet-base-v2",
        "multi-qa-MiniLM-L6-cos-v1", "multi-qa-mpnet-base-dot-v1", "msmarco-distilbert-base-v4",
        "distiluse-base-multilingual-cased-v2", "stsb-roberta-large", "bert-base-nli-mean-tokens",
    }
)  # fmt: skip

KNOWN_BARE_DATASET_IDS = frozenset(
    {
        "glue", "super_glue", "squad", "squad_v2", "imdb", "mnist", "fashion_mnist", "cifar10", "cifar100",
        "wikitext", "ag_news", "yelp_review_full", "yelp_polarity", "emotion", "rotten_tomatoes", "conll2003",
        "xsum", "cnn_dailymail", "wmt14", "wmt16", "wmt19", "c4", "openwebtext", "bookcorpus", "wikipedia",
        "tweet_eval", "sst2", "amazon_polarity", "dbpedia_14", "trec", "snli", "multi_nli", "xnli", "race",
        "hellaswag", "piqa", "winogrande", "lambada", "samsum", "billsum", "wnut_17", "beans", "food101",
        "cats_vs_dogs", "common_voice", "librispeech_asr", "timit_asr", "superb", "ptb_text_only", "tiny_shakespeare",
        "lhoestq/demo1",
    }
)  # fmt: skip

# First path segments that name a local output folder, not a hub organisation:
# `from_pretrained("checkpoints/run1")` loads what an earlier step of the project wrote.
LOCAL_FOLDER_NAMES = frozenset(
    {
        "checkpoint", "checkpoints", "ckpt", "ckpts", "output", "outputs", "out", "results", "result",
        "runs", "run", "save", "saved", "saved_model", "saved_models", "models", "model", "tmp", "temp",
        "data", "logs", "log", "exp", "exps", "experiments", "artifacts", "cache", "weights", "pretrained",
        "local", "build", "dist", "export", "exports",
    }
)  # fmt: skip

# Last segments that name a training checkpoint, not a hub repo: `from_pretrained("run3/checkpoint-500")`.
LOCAL_CHECKPOINT_NAME = re.compile(r"(?i)^(?:checkpoint|ckpt|epoch|step|best|final|last)(?:[-_]?\d+)?$")

# Extensions that make a model "id" a file path (`from_pretrained("model.bin")`, `"config.json"`).
MODEL_FILE_EXTENSIONS = frozenset(
    {
        "bin", "pt", "pth", "ckpt", "safetensors", "json", "yaml", "yml", "h5", "onnx", "pkl", "gguf",
        "msgpack", "txt", "model", "csv", "parquet", "zip", "tar", "gz", "npz", "npy", "py",
    }
)  # fmt: skip

# A hub repo id: `org/name` (or a bare `name`), as the hub validates it.
HUB_REPO_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")

# --- Other model hubs and registries ---------------------------------------------------------------

TORCH_HUB_LOADERS = frozenset({"torch.hub.load"})
TFDS_LOADERS = frozenset({"tensorflow_datasets.load", "tensorflow_datasets.builder", "tensorflow_datasets.data_source"})

# MLflow: any `mlflow.*` call given a `models:/name/<stage or latest>` URI.
MLFLOW_PACKAGE = "mlflow"
MLFLOW_MOVING_VERSIONS = frozenset({"latest", "production", "staging", "none", "archived"})

# Weights & Biases: `run.use_artifact("x:latest")`, `wandb.Api().artifact("x:latest")`.
# `use_artifact`/`use_model` given a name with no alias at all resolve it to `latest` too.
WANDB_USE_METHODS = frozenset({"use_artifact", "use_model"})
WANDB_LOOKUP_METHODS = frozenset({"artifact"})
WANDB_MOVING_ALIASES = frozenset({"latest"})
