"""File-system paths: which ones exist on one machine only, and which calls read or write
files with them.

Used by MLD803 (machine-specific-path). Qualified names are the ones the engine's
import-alias map yields (`from pathlib import Path` -> `pathlib.Path`).
"""

from __future__ import annotations

import re

# --- Paths that exist on one machine -------------------------------------------------------

# Home folders, with what makes each machine-specific. `user` must be followed by a
# separator, or end the string when the whole string is known.
HOME_FOLDER_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/home/(?P<user>[^/\s]+)(?P<end>/|$)"), "is in user `{user}`'s home folder"),
    (re.compile(r"^/Users/(?P<user>[^/\s]+)(?P<end>/|$)"), "is in user `{user}`'s macOS home folder"),
    (
        re.compile(r"^[A-Za-z]:(?:\\\\|\\|/)+users(?:\\\\|\\|/)+(?P<user>[^\\/\s]+)(?P<end>\\|/|$)", re.IGNORECASE),
        "is in user `{user}`'s Windows home folder",
    ),
)
# Mount points of hosted notebooks and of WSL.
MOUNT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^/content/drive/\S"),
        "is in a Google Drive mounted in Colab, which exists only in its owner's Colab sessions",
    ),
    (re.compile(r"^/kaggle/input/\S"), "is in Kaggle's input folder, which exists only in Kaggle notebooks"),
    (
        re.compile(r"^/mnt/(?P<drive>[a-zA-Z])/"),
        "is on Windows drive `{drive}:` as WSL mounts it, which exists on one machine only",
    ),
)
# User names that are placeholders in examples, or the users of container images and CI
# runners, whose home exists wherever the image runs (`/home/user/app` in Hugging Face
# Spaces, `/home/jovyan` in Jupyter images, `/home/ray` in Ray's, `/home/runner` in CI).
PLACEHOLDER_USERS = frozenset(
    {
        "user", "username", "user_name", "your_username", "yourusername", "your_user", "youruser", "yourname",
        "your_name", "your-name", "your-username", "name", "me", "someone", "somebody", "xxx", "xxxx", "xxxxx",
        "foo", "bar", "example", "shared", "public", "default", "...",
        # container images and CI runners
        "jovyan", "ray", "airflow", "node", "app", "appuser", "bentoml", "kserve", "sagemaker-user", "mambauser",
        "runner", "circleci", "vscode", "codespace", "gitpod", "coder", "docker", "worker", "jenkins",
    }
)  # fmt: skip
# Characters that make a "user" a placeholder (`<user>`, `{user}`, `$USER`), or something
# else than a user: `/Users/alice@example.com/...` is a Databricks workspace folder.
PLACEHOLDER_CHARACTERS = frozenset("<>{}$%*[]@")
# Path segments of tools rather than data: interpreters, environments, editor settings.
TOOL_SEGMENTS = frozenset(
    {
        "bin", "sbin", "site-packages", "dist-packages", "anaconda", "anaconda2", "anaconda3", "miniconda",
        "miniconda2", "miniconda3", "miniforge3", "mambaforge", ".conda", ".pyenv", ".virtualenvs", ".vscode",
        ".ssh", ".local", "lib", "include",
    }
)  # fmt: skip

# --- Where a string is not a data location ---------------------------------------------------

# Keyword arguments that document rather than use: help texts, descriptions, examples.
DOCUMENTING_KEYWORDS = frozenset(
    {"help", "description", "epilog", "usage", "metavar", "doc", "docstring", "title", "example", "examples",
     "placeholder", "msg", "message", "comment", "info", "label", "caption"}
)  # fmt: skip
# Calls whose string arguments are messages, import paths or mount points, not data locations.
MESSAGE_FUNCTIONS = frozenset(
    {
        "builtins.print", "builtins.input", "warnings.warn", "click.echo", "click.secho", "typer.echo",
        "sys.path.append", "sys.path.insert", "sys.path.extend", "site.addsitedir", "google.colab.drive.mount",
    }
)  # fmt: skip
# Libraries whose calls take messages or patterns.
MESSAGE_MODULE_ROOTS = frozenset({"logging", "loguru", "structlog", "re", "fnmatch", "rich", "tqdm", "argparse"})
# Methods of loggers and consoles (`logger.info(...)`, `console.print(...)`).
MESSAGE_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print", "echo"}
)
MESSAGE_RECEIVERS = frozenset({"console", "st", "typer", "click"})
# String methods: a path given to them is a pattern to test or strip, not a location.
STRING_METHODS = frozenset(
    {"startswith", "endswith", "replace", "removeprefix", "removesuffix", "split", "rsplit", "find", "rfind",
     "index", "rindex", "count", "strip", "lstrip", "rstrip", "partition", "rpartition", "format", "lower", "upper"}
)  # fmt: skip
# Words that make an `if` a switch between hosted notebooks and elsewhere (`if IN_COLAB:`,
# `if os.path.exists("/kaggle/input")`): each branch runs only where its paths exist.
ENVIRONMENT_WORDS = frozenset({"colab", "kaggle"})

# --- Paths under `~` -------------------------------------------------------------------------------

# `os.path.expanduser("~/data")`, `Path("~/data").expanduser()`, `Path.home() / "data"`.
EXPANDUSER_FUNCTIONS = frozenset({"os.path.expanduser", "posixpath.expanduser", "ntpath.expanduser"})
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath"})
HOME_FUNCTIONS = frozenset({"pathlib.Path.home", "pathlib.PosixPath.home"})
JOIN_FUNCTIONS = frozenset({"os.path.join", "posixpath.join"})
# pandas expands `~` itself in its readers (`pandas.read_*`) and writers.
PANDAS_WRITER_METHODS = frozenset(
    {"to_csv", "to_parquet", "to_json", "to_pickle", "to_feather", "to_excel", "to_hdf", "to_stata"}
)
# Calls that only build a path from their arguments: a `~` path passes through them.
PATH_BUILDERS = frozenset(
    {
        "os.path.join", "posixpath.join", "os.path.abspath", "os.path.realpath", "os.path.normpath",
        "os.path.expanduser", "os.path.expandvars", "os.fspath", "builtins.str", "pathlib.Path",
        "pathlib.PosixPath", "pathlib.PurePath",
    }
)  # fmt: skip
PATH_BUILDER_METHODS = frozenset({"joinpath", "expanduser", "resolve", "absolute", "with_suffix", "with_name"})
# Calls that read or write files at a path they are given.
FILE_IO_FUNCTIONS = frozenset(
    {
        "builtins.open", "io.open", "numpy.load", "numpy.save", "numpy.savez", "numpy.savez_compressed",
        "numpy.loadtxt", "numpy.savetxt", "numpy.genfromtxt", "numpy.fromfile", "numpy.memmap", "torch.load",
        "torch.save", "torch.jit.load", "torch.jit.save", "joblib.load", "joblib.dump", "h5py.File",
        "PIL.Image.open", "cv2.imread", "cv2.imwrite", "cv2.VideoCapture", "imageio.imread", "imageio.imwrite",
        "scipy.io.loadmat", "scipy.io.savemat", "datasets.load_dataset", "datasets.load_from_disk",
        "glob.glob", "glob.iglob", "os.listdir", "os.walk", "os.scandir", "os.makedirs", "os.mkdir", "os.chdir",
        "shutil.copy", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree", "tarfile.open",
        "zipfile.ZipFile", "sqlite3.connect", "pyarrow.parquet.read_table", "pyarrow.parquet.write_table",
        "tensorflow.keras.models.load_model", "keras.models.load_model", "tensorflow.saved_model.load",
        "tensorflow.saved_model.save", "safetensors.torch.load_file", "safetensors.torch.save_file",
        "onnxruntime.InferenceSession", "onnx.load", "onnx.save", "xgboost.Booster", "lightgbm.Booster",
        "gensim.models.KeyedVectors.load_word2vec_format",
    }
)  # fmt: skip
FILE_IO_PREFIXES = ("pandas.read_", "polars.read_", "polars.scan_", "torchvision.datasets.", "dask.dataframe.read_")
# Methods that read or write files at a path argument, on whatever object.
FILE_IO_METHODS = frozenset(
    {
        "read_csv", "read_parquet", "read_json", "read_pickle", "read_table", "read_excel", "read_feather",
        "to_csv", "to_parquet", "to_json", "to_pickle", "to_feather", "to_excel", "to_hdf", "from_json",
        "from_csv", "from_parquet", "from_pretrained", "save_pretrained", "save_model", "load_model",
        "load_weights", "save_weights", "savefig", "save", "load", "imread", "imwrite", "load_from_disk",
        "save_to_disk", "read_text", "write_text", "read_bytes", "write_bytes", "open", "mkdir",
    }
)  # fmt: skip
# Names (of variables and keyword arguments) that hold something else than data or models:
# logs, locks, configuration, credentials, caches.
NON_DATA_NAME_PARTS = (
    "log", "lock", "config", "cfg", "setting", "credential", "token", "secret", "key", "ssh", "history",
    "cache", "tmp", "temp", "env", "venv", "bin", "exe", "executable", "python", "plugin",
)  # fmt: skip
# Where a `~` path is a default users override, not a location the code insists on.
DEFAULT_KEYWORDS = frozenset({"default"})
ENVIRONMENT_READERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})
