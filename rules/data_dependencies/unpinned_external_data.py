"""MLD301 unpinned-external-data: data or a pretrained model loaded from a source that can change under you."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import libcst as cst

from mldebt import FileContext, Invalid, Section, Severity, Valid
from mldebt.constants import HOLE as _HOLE
from mldebt.constants import ConstantsRule, Scope
from mldebt.knowledge import data_sources as known

_CODE = cst.Module([])
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# An f-string hole whose expression names a version, a date or a commit pins the URL.
_VERSION_NAME = re.compile(
    r"(?i)version|revision|\brev\b|commit|sha\b|\btag\b|date|year|month|\bday\b|release|snapshot|timestamp|\bts\b|\bdt\b|\bver\b"
)
_WANDB_NAME = re.compile(r"^[\w.\-\x00]+(?:/[\w.\-\x00]+){0,2}(?::[\w.\-\x00]*)?$")
_TORCH_HUB_REPO = re.compile(r"^[\w.-]+/[\w.-]+(?::([\w./-]+))?$")
_TFDS_NAME = re.compile(r"^[a-z0-9_]+(?:/[\w.+-]+)?(?::.*)?$")
# Calls whose string argument is a folder the file writes to, so not a hub id.
_SAVE_METHODS = frozenset({"save_pretrained", "save_model", "save"})
_OUTPUT_KEYWORDS = frozenset({"output_dir", "save_directory", "local_dir", "cache_dir"})


@dataclass(frozen=True)
class _Text:
    """A string known statically, with `_HOLE` where an f-string or `+` part is unknown."""

    value: str
    literal: bool  # written as a plain string literal at the call site
    pinned_hole: bool = False  # a hole whose expression names a version, date or commit

    @property
    def static(self) -> bool:
        return _HOLE not in self.value

    @property
    def shown(self) -> str:
        return self.value.replace(_HOLE, "{…}")


@dataclass
class _Candidate:
    node: cst.Call
    kind: str
    callee: str
    scope: Scope


class UnpinnedExternalData(ConstantsRule):
    """
    ## What it does
    Finds data and pretrained models loaded from a source that can change
    under you, without a version pin:

    - a URL (`http(s)://`, `s3://`, `gs://`, `hf://`, ...) read by
      `pd.read_*`, `np.loadtxt`/`np.genfromtxt`, `urlretrieve`,
      `tf.keras.utils.get_file`, `torchvision.datasets.utils.download_url`,
      `torch.hub.load_state_dict_from_url` and the like, whose path holds no
      version, commit, date or content hash (`/v1.2/`, `2023-01-05`, a commit
      sha, `/releases/download/<tag>/`, `?versionId=`, `@<sha>`), or that
      names a branch (`raw.githubusercontent.com/org/repo/main/...`,
      `.../resolve/main/...`) or `latest`. `requests.get`/`urlopen` count
      only when the URL names a data or model file (`.csv`, `.zip`, `.pt`,
      ...): most of their calls talk to APIs;
    - a Hugging Face hub id (`"org/name"`, or a well-known bare id such as
      `"bert-base-uncased"`) given to any `from_pretrained`,
      `transformers.pipeline(model=...)`, `datasets.load_dataset`,
      `hf_hub_download`, `snapshot_download` or `SentenceTransformer`
      without `revision=`;
    - `torch.hub.load("owner/repo", ...)` without a `:tag` (or with a branch
      such as `:main`); `tfds.load("mnist")` without a `:version`;
    - an MLflow `models:/name/latest` URI, or a stage (`Production`,
      `Staging`, `None`, `Archived`) instead of a version number;
    - W&B `use_artifact("x:latest")`, `api.artifact("x:latest")`, and
      `use_artifact("x")` with no alias at all, which W&B resolves to
      `latest`;
    - any path or URI whose last segment is `latest` given to a loader.

    The source may be a literal, a string constant of the same file (a
    module constant, or a local assigned once), or an f-string whose static
    text shows the scheme.

    Not flagged: a `revision=` given, whatever its value (even `None` or a
    variable: the choice is then explicit and visible in review); a checksum
    given to a downloader (`file_hash=`, `md5=`, `known_hash=`,
    `hash_prefix=`, `check_hash=True`), which pins the content; a local path
    (`./checkpoints/model`, `os.path.join(...)`, a folder the file saves to);
    a source held in a variable that cannot be resolved statically
    (`from_pretrained(args.model_name)`), an f-string hole that may hold the
    version, `**kwargs` that may hold the pin; `local_files_only=True`; a
    Zenodo or DOI record; an MLflow alias (`models:/name@champion`) or a W&B
    alias other than `latest`, which are deliberate deployment pointers; test
    files, whose fixtures are not the system's data.

    ## Why is this bad?
    The paper's unstable data dependencies (§3): an input signal that changes
    behaviour over time, owned by someone else, silently changes the model.
    Without a pin, retraining next month reads other data or weights, results
    cannot be reproduced, and a bad upstream push breaks the system with no
    code change to roll back. A hub branch, a `latest` alias and an
    unversioned URL are all moving targets.

    ## Example
    ```python
    from transformers import AutoModel
    import pandas as pd

    model = AutoModel.from_pretrained("bert-base-uncased")
    frame = pd.read_csv("https://raw.githubusercontent.com/org/data/main/churn.csv")
    ```

    Use instead: pin every external source to an immutable version — a
    commit, a release tag, a dated snapshot, a registry version number — or
    verify a checksum:
    ```python
    model = AutoModel.from_pretrained("bert-base-uncased", revision="86b5e0934494bd15c9632b12f734a8a67f723594")
    frame = pd.read_csv("https://raw.githubusercontent.com/org/data/3f2a9c1d7e/churn.csv")
    ```

    ## References
    - Sculley et al. (2015), §3 "Data Dependencies Cost More than Code Dependencies", Unstable Data Dependencies
    """

    CODE = "MLD301"
    NAME = "unpinned-external-data"
    SEVERITY = Severity.WARNING
    SECTION = Section.UNSTABLE_DATA_DEPENDENCIES
    SUMMARY = "Data or a pretrained model loaded from a source that can change, without a version pin"
    MESSAGE = "`{call}` {what}"

    VALID = [
        # A revision, whatever its value, is an explicit choice.
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncased", revision="v1.0")'),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncased", revision=None)'),
        Valid("from transformers import AutoModel\nm = AutoModel.from_pretrained('org/name', revision=args.revision)"),
        # Local folders and files, and names that cannot be resolved.
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("./checkpoints/model")'),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("checkpoints/best")'),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("outputs/run1/final")'),
        Valid('from transformers import AutoConfig\nc = AutoConfig.from_pretrained("config.json")'),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("run3/checkpoint-500")'),
        Valid("import os\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained(os.path.join(root, 'model'))"),
        Valid("from transformers import AutoModel\nm = AutoModel.from_pretrained(args.model_name)"),
        Valid("from transformers import AutoModel\nm = AutoModel.from_pretrained(name, **hub_kwargs)"),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("my-finetuned-model")'),
        Valid('from transformers import AutoModel\nm = AutoModel.from_pretrained("org/name", local_files_only=True)'),
        Valid(
            """
            def load(model_name="bert-base-uncased"):
                return AutoModel.from_pretrained(model_name)
            """
        ),
        Valid(
            """
            MODEL = "gpt2"
            MODEL = parse_args().model
            tokenizer = AutoTokenizer.from_pretrained(MODEL)
            """
        ),
        Valid(
            """
            init_from = "gpt2"
            exec(open("configurator.py").read())
            model = GPT.from_pretrained(init_from)
            """
        ),
        Valid(
            """
            out = "my-org/finetuned"
            model.save_pretrained(out)
            reloaded = AutoModel.from_pretrained(out)
            """
        ),
        Valid('from transformers import pipeline\nclf = pipeline("sentiment-analysis", model="org/sst2", revision="3f2a9c1")'),
        Valid('from datasets import load_dataset\nds = load_dataset("csv", data_files="train.csv")'),
        Valid('from datasets import load_dataset\nds = load_dataset("glue", "mrpc", revision="1.0.0")'),
        Valid('from huggingface_hub import hf_hub_download\np = hf_hub_download("org/name", "model.bin", revision=REV)'),
        # Versioned, dated or hashed URLs; checksums.
        Valid('import pandas as pd\ndf = pd.read_csv("https://example.com/data/v1.2/train.csv")'),
        Valid('import pandas as pd\ndf = pd.read_csv("https://example.com/exports/2023-01-05/train.csv")'),
        Valid('import pandas as pd\ndf = pd.read_csv("s3://bucket/features/20230105/part.parquet")'),
        Valid('import pandas as pd\ndf = pd.read_parquet("s3://bucket/train.parquet?versionId=3HL4kqtJlcpXroDTDmJ")'),
        Valid(
            "import pandas as pd\n"
            'df = pd.read_csv("https://raw.githubusercontent.com/org/repo/4e2f9b3c1d0a8e7f6b5c4d3e2f1a0b9c8d7e6f5a/x.csv")'
        ),
        Valid('import pandas as pd\ndf = pd.read_csv("https://github.com/org/repo/releases/download/v2/data.csv")'),
        Valid('import pandas as pd\ndf = pd.read_csv("data/train.csv")'),
        Valid('import pandas as pd\ndf = pd.read_csv(f"https://example.com/data/{version}/train.csv")'),
        Valid('import pandas as pd\ndf = pd.read_csv(f"https://example.com/data/{split}.csv")'),
        Valid(
            "import tensorflow as tf\n"
            'p = tf.keras.utils.get_file("x.zip", "https://example.com/x.zip", file_hash="9f86d081884c7d65")'
        ),
        Valid(
            "from torchvision.datasets.utils import download_url\n"
            'download_url("https://example.com/a.tgz", root, "a.tgz", "5f1a9c0e2b")'
        ),
        Valid('import torch\nsd = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/resnet18-f37072fd.pth")'),
        Valid('import requests\nr = requests.get("https://api.example.com/predict")'),
        Valid('import requests\nr = requests.get("https://example.com/images/cat.png", stream=True)'),
        Valid('from urllib.request import urlretrieve\nurlretrieve("https://github.com/o/r/raw/main/images/map.png", "map.png")'),
        Valid('import requests\nr = requests.get("https://zenodo.org/record/1234/files/data.csv")'),
        # torch.hub / tfds / MLflow / W&B pins.
        Valid('import torch\nm = torch.hub.load("pytorch/vision:v0.10.0", "resnet18")'),
        Valid('import torch\nm = torch.hub.load("./hubconf_dir", "resnet18", source="local")'),
        Valid('import tensorflow_datasets as tfds\nds = tfds.load("mnist:3.*.*")'),
        Valid('import mlflow\nm = mlflow.pyfunc.load_model("models:/churn/3")'),
        Valid('import mlflow\nm = mlflow.pyfunc.load_model("models:/churn@champion")'),
        Valid('art = run.use_artifact("features:v3")'),
        Valid("art = run.use_artifact(artifact)"),
        Valid('import torch\nstate = torch.load("checkpoints/latest.pt")'),
        # A local function of the same name is not the library call.
        Valid('def read_csv(url): ...\nframe = read_csv("https://example.com/train.csv")'),
        # Tests pin their own fixtures.
        Valid(
            'from transformers import AutoModel\nm = AutoModel.from_pretrained("hf-internal-testing/tiny-bert")',
            path="tests/test_model.py",
        ),
    ]
    INVALID = [
        Invalid(
            'from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncased")',
            message='`AutoModel.from_pretrained("bert-base-uncased")` loads a hub model without `revision=`',
        ),
        Invalid('import transformers\ntok = transformers.AutoTokenizer.from_pretrained("openai/clip-vit-base-patch32")'),
        Invalid('from diffusers import DiffusionPipeline\npipe = DiffusionPipeline.from_pretrained("org/sd", torch_dtype=dtype)'),
        Invalid(
            """
            MODEL_NAME = "distilbert-base-uncased"
            def build():
                return AutoModelForSequenceClassification.from_pretrained(MODEL_NAME, num_labels=2)
            """
        ),
        Invalid(
            """
            def build():
                checkpoint = "google/flan-t5-small"
                return T5ForConditionalGeneration.from_pretrained(checkpoint)
            """
        ),
        Invalid('from transformers import pipeline as hf_pipeline\nclf = hf_pipeline("text-generation", model="gpt2")'),
        Invalid('from transformers import pipeline\nclf = pipeline("ner", "dslim/bert-base-NER")'),
        Invalid('import datasets\nds = datasets.load_dataset("imdb")'),
        Invalid('from datasets import load_dataset\nds = load_dataset("org/reviews", split="train")'),
        Invalid('from huggingface_hub import hf_hub_download\np = hf_hub_download(repo_id="org/name", filename="model.bin")'),
        Invalid('from huggingface_hub import snapshot_download\np = snapshot_download("org/name", local_dir="weights")'),
        Invalid('from sentence_transformers import SentenceTransformer\nenc = SentenceTransformer("all-MiniLM-L6-v2")'),
        Invalid(
            'import pandas as pd\ndf = pd.read_csv("https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data")',
            message=(
                '`pd.read_csv("https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data")` '
                "fetches a URL with no version, commit, date or checksum"
            ),
        ),
        Invalid('import pandas as pd\ndf = pd.read_csv("https://raw.githubusercontent.com/org/repo/main/data/v2/x.csv")'),
        Invalid('import pandas as pd\ndf = pd.read_parquet("s3://bucket/features/train.parquet")'),
        Invalid('import pandas as pd\ndf = pd.read_parquet("gs://bucket/features/latest/")'),
        Invalid('import pandas as pd\ndf = pd.read_csv(f"https://raw.githubusercontent.com/org/repo/master/{name}.csv")'),
        Invalid(
            """
            import numpy as np
            DATA_URL = "https://example.com/datasets/housing.csv"
            def load():
                return np.loadtxt(DATA_URL, delimiter=",")
            """
        ),
        Invalid('from urllib.request import urlretrieve\nurlretrieve("https://example.com/cifar.tar.gz", "cifar.tar.gz")'),
        Invalid('import tensorflow as tf\np = tf.keras.utils.get_file("x.zip", origin="https://example.com/x.zip")'),
        Invalid('import requests\nr = requests.get("https://huggingface.co/org/name/resolve/main/model.safetensors")'),
        Invalid('import torch\nm = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")'),
        Invalid('import torch\nm = torch.hub.load("pytorch/vision:main", "resnet18")'),
        Invalid('import tensorflow_datasets as tfds\nds = tfds.load("mnist", split="train")'),
        Invalid('import mlflow\nm = mlflow.pyfunc.load_model("models:/churn/Production")'),
        Invalid('import mlflow.sklearn\nm = mlflow.sklearn.load_model(f"models:/{name}/latest")'),
        Invalid('import wandb\nrun = wandb.init()\nart = run.use_artifact("team/proj/features:latest")'),
        Invalid('art = run.use_artifact("features", type="dataset")'),
        Invalid('import wandb\nart = wandb.Api().artifact("team/proj/model:latest")'),
        Invalid('import joblib\nmodel = joblib.load("/mnt/models/churn/latest")'),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._candidates: list[_Candidate] = []
        self._saves: list[tuple[cst.BaseExpression, Scope]] = []

    # Calls ------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)  # `exec(...)` may override module constants at run time
        if self.context.is_test:
            return
        func = node.func
        scope = self.constants.scope
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if method in _SAVE_METHODS and node.args and not node.args[0].keyword:
            self._saves.append((node.args[0].value, scope))
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in _OUTPUT_KEYWORDS:
                self._saves.append((arg.value, scope))
        callee = self.qualified_name(func) or ""
        kind = _kind_of(callee, method)
        if kind is not None:
            self._candidates.append(_Candidate(node, kind, callee, scope))

    def leave_Module(self, original_node: cst.Module) -> None:
        written = set()
        for expression, scope in self._saves:
            text = self._resolve(expression, scope)
            if text is not None and text.static:
                written.add(text.value.rstrip("/"))
        for candidate in self._candidates:
            found = self._problem(candidate, written)
            if found is not None:
                argument, text, what = found
                self.report(candidate.node, call=_call_text(candidate.node, argument), what=_with_value(what, text))

    # Deciding ---------------------------------------------------------------------------
    def _problem(self, candidate: _Candidate, written: set[str]) -> tuple[cst.Arg, _Text, str] | None:
        """(the argument, its text, what is wrong) for an unpinned load, or None."""
        call, kind = candidate.node, candidate.kind
        if any(arg.star == "**" for arg in call.args):
            return None  # a pin may hide in the mapping; never guess
        keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
        positional = []
        for arg in call.args:
            if arg.star == "*":
                break  # later positions are unknown
            if arg.keyword is None:
                positional.append(arg)

        def argument(index: int, *names: str) -> cst.Arg | None:
            for name in names:
                if name in keywords:
                    return keywords[name]
            return positional[index] if len(positional) > index else None

        def resolve(arg: cst.Arg | None) -> _Text | None:
            return None if arg is None else self._resolve(arg.value, candidate.scope)

        if kind in ("hf_model", "hf_pipeline", "hf_dataset", "hf_download", "hf_constructor"):
            if known.REVISION_KEYWORDS & keywords.keys():
                return None
            if _is_true(keywords.get("local_files_only")):
                return None
            if kind == "hf_model":
                source = argument(0, *known.FROM_PRETRAINED_ID_KEYWORDS)
            elif kind == "hf_pipeline":
                source = argument(1, "model")
            elif kind == "hf_dataset":
                source = argument(0, "path")
            elif kind == "hf_download":
                source = argument(0, "repo_id")
            else:
                source = argument(0, "model_name_or_path", "model_name")
            text = resolve(source)
            if source is None or text is None or not text.static or text.value.rstrip("/") in written:
                return None
            if kind == "hf_dataset":
                if text.value in known.DATASET_BUILDERS or not _is_hub_id(text.value, known.KNOWN_BARE_DATASET_IDS):
                    return None
                return source, text, "loads <hub dataset> without `revision=`"
            if kind == "hf_download":
                if not _is_hub_id(text.value, frozenset(), any_bare=True):
                    return None
                return source, text, "downloads <hub repo> without `revision=`"
            if not _is_hub_id(text.value, known.KNOWN_BARE_MODEL_IDS):
                return None
            return source, text, "loads <hub model> without `revision=`"

        if kind == "torch_hub":
            source = keywords.get("source")
            if source is not None:
                source_text = resolve(source)
                if source_text is None or source_text.value != "github":
                    return None
            source = argument(0, "repo_or_dir")
            text = resolve(source)
            if source is None or text is None or not text.static:
                return None
            match = _TORCH_HUB_REPO.match(text.value)
            if match is None or text.value.startswith((".", "~")):
                return None
            ref = match.group(1)
            if ref is None:
                return source, text, "loads <GitHub repo> without a `:tag`"
            if ref.lower() in known.MOVING_REFS:
                return source, text, f"loads <GitHub repo> at branch `{ref}`, not a tag"
            return None

        if kind == "tfds":
            source = argument(0, "name")
            text = resolve(source)
            if source is None or text is None or ":" in text.value or not text.static:
                return None
            if not _TFDS_NAME.match(text.value):
                return None
            return source, text, "loads <dataset> without a `:version`"

        if kind == "mlflow":
            for arg in call.args:
                text = resolve(arg)
                if text is None or not text.value.startswith("models:/") or "@" in text.value:
                    continue
                segments = text.value[len("models:/") :].rstrip("/").split("/")
                last = segments[-1]
                if len(segments) < 2 or _HOLE in last or last.lower() not in known.MLFLOW_MOVING_VERSIONS:
                    continue
                if last.lower() == "latest":
                    return arg, text, "loads <registry model> at its `latest` version, not a version number"
                return arg, text, f"loads <registry model> by stage `{last}`, not by version number"
            return None

        if kind in ("wandb_use", "wandb_lookup"):
            source = argument(0, "artifact_or_name", "name", "artifact_or_path")
            text = resolve(source)
            if source is None or text is None or not _WANDB_NAME.match(text.value):
                return None
            last = text.value.rsplit("/", 1)[-1]
            if ":" in last:
                alias = last.split(":", 1)[1]
                if alias.lower() in known.WANDB_MOVING_ALIASES:
                    return source, text, "uses <W&B artifact> by its moving alias `latest`"
                return None
            if kind == "wandb_use" and text.static:
                return source, text, "uses <W&B artifact> without an alias, which resolves to `latest`"
            return None

        # URL readers, HTTP clients and file loaders.
        if _has_checksum(candidate.callee, keywords, positional):
            return None
        for arg in call.args:
            text = resolve(arg)
            if text is None:
                continue
            if _SCHEME.match(text.value):
                if _names_a_media_file(text.value) or (kind == "http" and not _names_a_data_file(text.value)):
                    continue
                reason = _url_problem(text)
                if reason is not None:
                    return arg, text, f"fetches <URL> {reason}"
            elif kind != "http" and text.static and _last_segment(text.value).lower() == "latest":
                return arg, text, "reads <path> whose last segment is the moving pointer `latest`"
        return None

    def _resolve(self, node: cst.BaseExpression, scope: Scope) -> _Text | None:
        """The string an expression holds, as far as the file shows it, or None."""
        text = self.constants.text(node, scope)
        if text is None:
            return None
        pinned = any(_VERSION_NAME.search(_CODE.code_for_node(hole)) for hole in text.holes)
        return _Text(text.value, isinstance(node, cst.SimpleString | cst.ConcatenatedString), pinned)


def _kind_of(callee: str, method: str | None) -> str | None:
    """Which family of loader a call belongs to, or None."""
    if method in known.FROM_PRETRAINED_METHODS:
        return "hf_model"
    if callee in known.HF_PIPELINES:
        return "hf_pipeline"
    if callee in known.HF_DATASET_LOADERS:
        return "hf_dataset"
    if callee in known.HF_HUB_DOWNLOADS:
        return "hf_download"
    if callee in known.HF_MODEL_CONSTRUCTORS:
        return "hf_constructor"
    if callee in known.TORCH_HUB_LOADERS:
        return "torch_hub"
    if callee in known.TFDS_LOADERS:
        return "tfds"
    if callee.startswith(known.MLFLOW_PACKAGE + "."):
        return "mlflow"
    if method in known.WANDB_USE_METHODS:
        return "wandb_use"
    if method in known.WANDB_LOOKUP_METHODS:
        return "wandb_lookup"
    if callee in known.URL_READERS or (
        callee.startswith(known.DATAFRAME_READER_PREFIXES) and callee not in known.DATAFRAME_READERS_WITHOUT_URLS
    ):
        return "url"
    if callee in known.HTTP_CLIENTS:
        return "http"
    if callee in known.FILE_LOADERS:
        return "file"
    return None


def _is_true(arg: cst.Arg | None) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _has_checksum(callee: str, keywords: dict[str, cst.Arg], positional: list[cst.Arg]) -> bool:
    """Whether the call verifies the downloaded bytes against a hash."""
    for name, arg in keywords.items():
        if name in known.CHECKSUM_KEYWORDS and not _is_none(arg.value):
            return True
        if name in known.CHECKSUM_FLAGS and not (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
            return True
    index = known.CHECKSUM_POSITIONS.get(callee)
    if index is not None:
        return any(not _is_none(arg.value) for arg in positional[index:])
    return False


def _is_hub_id(text: str, bare_ids: frozenset[str], any_bare: bool = False) -> bool:
    """Whether a string names a hub repo rather than a local path."""
    if not text or text.startswith((".", "/", "~")) or "\\" in text or ":" in text:
        return False
    if not known.HUB_REPO_ID.match(text) or "--" in text or ".." in text:
        return False
    name = text.rsplit("/", 1)[-1]
    if known.LOCAL_CHECKPOINT_NAME.match(name):
        return False
    if "." in name and name.rsplit(".", 1)[1].lower() in known.MODEL_FILE_EXTENSIONS:
        return False
    if "/" in text:
        return text.split("/", 1)[0].lower() not in known.LOCAL_FOLDER_NAMES
    return any_bare or text in bare_ids


def _last_segment(path: str) -> str:
    return re.split(r"[/\\]", path.rstrip("/\\"))[-1]


def _names_a_data_file(url: str) -> bool:
    """Whether a URL's last path segment is a data or model file, or the pointer `latest`."""
    last = _last_segment(urlsplit(url).path)
    if last.lower() == "latest":
        return True
    return "." in last and last.rsplit(".", 1)[1].lower() in known.DATA_FILE_EXTENSIONS


def _names_a_media_file(url: str) -> bool:
    """Whether a URL's last path segment is an image, a sound, a video or a page."""
    last = _last_segment(urlsplit(url).path)
    return "." in last and last.rsplit(".", 1)[1].lower() in known.MEDIA_FILE_EXTENSIONS


def _git_ref(host: str, segments: list[str]) -> str | None:
    """The branch, tag or commit a URL on a git host serves from, or None when not such a URL."""
    ref_index: int | None = None
    if host == "raw.githubusercontent.com" and len(segments) >= 4:
        ref_index = 2
    elif host in ("github.com", "www.github.com", "gitlab.com", "bitbucket.org") and len(segments) >= 4:
        rest = [s for s in segments[2:] if s != "-"]
        offset = len(segments) - len(rest)
        if rest[0] in ("raw", "blob", "tree", "archive") and len(rest) >= 2:
            ref_index = offset + 1
            if rest[0] == "archive":
                archive = segments[ref_index:]
                if archive[:2] == ["refs", "tags"]:
                    return "refs/tags"
                if archive[:2] == ["refs", "heads"] and len(archive) > 2:
                    return re.sub(r"\.(zip|tar\.gz|tgz)$", "", archive[2])
                return re.sub(r"\.(zip|tar\.gz|tgz)$", "", archive[0])
    elif host == "gist.githubusercontent.com" and "raw" in segments:
        after = segments[segments.index("raw") + 1 :]
        return after[0] if len(after) >= 2 else "HEAD"  # `raw/<file>` serves the newest revision
    elif host in ("huggingface.co", "hf.co"):
        for marker in ("resolve", "blob", "raw", "tree"):
            if marker in segments:
                index = segments.index(marker)
                if index + 1 < len(segments):
                    ref_index = index + 1
                break
    if ref_index is None or ref_index >= len(segments):
        return None
    ref = segments[ref_index]
    if ref == "refs" and ref_index + 2 < len(segments):
        return "refs/tags" if segments[ref_index + 1] == "tags" else segments[ref_index + 2]
    return ref


def _url_problem(text: _Text) -> str | None:
    """What makes a URL unpinned ("with no version ..."), or None when it is pinned or cannot be known."""
    scheme_match = _SCHEME.match(text.value)
    if scheme_match is None or scheme_match.group(1).lower() not in known.REMOTE_SCHEMES:
        return None
    scheme = scheme_match.group(1).lower()
    parts = urlsplit(text.value)
    host = parts.netloc.lower()
    if any(host == immutable or host.endswith("." + immutable) for immutable in known.IMMUTABLE_HOSTS):
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in known.VERSION_QUERY_KEYS and value and value.lower() not in known.MOVING_REFS:
            return None
    path = parts.path
    segments = [segment for segment in path.split("/") if segment]
    for segment in segments:
        if segment.lower() in known.MOVING_SEGMENTS:
            return f"that points at `{segment}`"
    ref = _git_ref(host, segments)
    if ref is not None:
        if _HOLE in ref:
            return None
        if ref.lower() in known.MOVING_REFS or ref == "HEAD":
            return "on a branch, not a commit or tag" if ref == "HEAD" else f"on branch `{ref}`, not a commit or tag"
        return None  # a commit, a tag, or a name we cannot tell from a branch
    if "@" in path:
        ref = path.split("@", 1)[1].split("/", 1)[0]
        if ref.lower() in known.MOVING_REFS:
            return f"on branch `{ref}`, not a commit or tag"
        return None
    if "releases" in segments:
        index = segments.index("releases")
        if segments[index + 1 : index + 2] == ["download"] and index + 2 < len(segments):
            return None  # a release tag
    if scheme == "hf":
        return "on the hub repo's default branch, with no `@revision`"
    if _HOLE in path or text.pinned_hole:
        return None  # the unknown part may hold the version
    if known.VERSION_IN_PATH.search(path):
        return None
    return "with no version, commit, date or checksum"


def _call_text(call: cst.Call, argument: cst.Arg) -> str:
    """The call as written up to the argument that names the source, each argument on one short line."""
    shown: list[str] = []
    for arg in call.args:
        if arg.keyword is None and arg.star == "" or arg is argument:
            text = _short(_code(arg.value))
            shown.append(f"{arg.keyword.value}={text}" if arg.keyword is not None else text)
        if arg is argument:
            break
    if len(shown) < len(call.args):
        shown.append("…")
    return f"{_short(_code(call.func))}({', '.join(shown)})"


def _code(node: cst.CSTNode) -> str:
    """Source of an expression; a string literal (also implicitly concatenated) as one double-quoted string."""
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        try:
            value = node.evaluated_value
        except Exception:  # odd prefixes: show the source instead
            value = None
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return re.sub(r"\s*\n\s*", " ", _CODE.code_for_node(node))


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "…"


def _with_value(what: str, text: _Text) -> str:
    """Fill the `<noun>` of a phrase: "a noun" when the call shows the literal, else "noun `value`"."""
    shown = _short(text.shown)

    def fill(match: re.Match[str]) -> str:
        return f"a {match.group(1)}" if text.literal else f"{match.group(1)} `{shown}`"

    return re.sub(r"<([^<>]+)>", fill, what, count=1)
