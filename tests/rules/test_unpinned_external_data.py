"""MLD301 unpinned-external-data beyond its own examples: which URLs are pinned, name resolution, messages."""

from __future__ import annotations

import sys

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD301")
MODULE = sys.modules[RULE.__module__]


def findings(code: str, path: str = "example.py") -> list[tuple[int, str]]:
    outcome = run_example(RULE, Valid(code, path=path))
    assert not outcome.errors, outcome.errors
    return [(finding.line, finding.message) for finding in outcome.findings]


def lines(code: str, path: str = "example.py") -> list[int]:
    return [line for line, _ in findings(code, path)]


def url_problem(url: str) -> str | None:
    return MODULE._url_problem(MODULE._Text(url, literal=True))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/data/v1.2/train.csv",
        "https://example.com/data/v3/train.csv",
        "https://example.com/data/train-v2.csv",
        "https://example.com/data/2.0.1/train.csv",
        "https://example.com/exports/2023-01-05/train.csv",
        "https://example.com/exports/20230105/train.csv",
        "http://images.cocodataset.org/annotations/annotations_trainval2017.zip",
        "s3://bucket/features/dt=2023-01-05/part-0.parquet",
        "s3://bucket/train.parquet?versionId=3HL4kqtJlcpXroDTDmJ",
        "gs://bucket/train.csv?generation=1360887697105000",
        "https://raw.githubusercontent.com/org/repo/4e2f9b3c1d0a8e7f6b5c4d3e2f1a0b9c8d7e6f5a/x.csv",
        "https://raw.githubusercontent.com/org/repo/4e2f9b3/x.csv",
        "https://raw.githubusercontent.com/org/repo/v1.0.0/x.csv",
        "https://raw.githubusercontent.com/org/repo/refs/tags/release/x.csv",
        "https://github.com/org/repo/raw/4e2f9b3c1d/data/x.csv",
        "https://github.com/org/repo/archive/refs/tags/v2.1.zip",
        "https://github.com/org/repo/archive/v2.1.tar.gz",
        "https://github.com/org/repo/releases/download/2023-q1/data.zip",
        "https://huggingface.co/datasets/org/name/resolve/4e2f9b3c1d0a8e7f/train.csv",
        "https://cdn.jsdelivr.net/gh/org/repo@4e2f9b3/data.csv",
        "hf://datasets/org/name@4e2f9b3c/train.parquet",
        "https://download.pytorch.org/models/resnet18-f37072fd.pth",
        "https://zenodo.org/record/1234/files/data.csv",
        "file:///data/train.csv",
    ],
)
def test_pinned_or_local_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data", "with no version"),
        ("s3://bucket/features/train.parquet", "with no version"),
        ("https://raw.githubusercontent.com/org/repo/main/data/v2/x.csv", "on branch `main`"),
        ("https://raw.githubusercontent.com/org/repo/refs/heads/master/x.csv", "on branch `master`"),
        ("https://github.com/org/repo/raw/master/x.csv", "on branch `master`"),
        ("https://github.com/org/repo/archive/master.zip", "on branch `master`"),
        ("https://github.com/org/repo/archive/refs/heads/main.zip", "on branch `main`"),
        ("https://github.com/org/repo/releases/latest/download/data.zip", "points at `latest`"),
        ("https://huggingface.co/org/name/resolve/main/model.safetensors", "on branch `main`"),
        ("https://gist.githubusercontent.com/user/0a1b2c/raw/data.csv", "on a branch"),
        ("https://cdn.jsdelivr.net/gh/org/repo@main/data.csv", "on branch `main`"),
        ("hf://datasets/org/name/train.parquet", "default branch"),
        ("gs://bucket/models/latest/model.pkl", "points at `latest`"),
        ("https://example.com/data.csv?version=main", "with no version"),
    ],
)
def test_unpinned_urls(url: str, reason: str) -> None:
    problem = url_problem(url)
    assert problem is not None and reason in problem


def test_an_fstring_hole_may_hold_the_version() -> None:
    assert lines('import pandas as pd\ndf = pd.read_csv(f"https://example.com/{release}/train.csv")') == []
    assert lines('import pandas as pd\ndf = pd.read_csv(f"https://example.com/data/{name}.csv")') == []
    # ... but not when the URL shows a branch before the hole.
    assert lines('import pandas as pd\ndf = pd.read_csv(f"https://huggingface.co/{repo}/resolve/main/{f}")') == [2]
    # A hole in the ref position hides the ref.
    assert lines('import pandas as pd\ndf = pd.read_csv(f"https://raw.githubusercontent.com/o/r/{ref}/x.csv")') == []


def test_a_concatenation_resolves_its_known_parts() -> None:
    code = """
    import pandas as pd
    BASE = "https://raw.githubusercontent.com/org/repo/master/"
    df = pd.read_csv(BASE + "train.csv")
    other = pd.read_csv(root + "train.csv")
    """
    assert lines(code) == [3]


def test_names_resolve_through_scopes() -> None:
    code = """
    from transformers import AutoModel
    NAME = "org/model"

    def outer():
        local = "org/local"
        def inner():
            return AutoModel.from_pretrained(local)
        return inner

    class Loader:
        NAME = "org/class-attribute"
        def load(self):
            return AutoModel.from_pretrained(NAME)

    def shadowed(NAME):
        return AutoModel.from_pretrained(NAME)

    def reassigned():
        name = "org/a"
        if flag:
            name = "org/b"
        return AutoModel.from_pretrained(name)

    def set_globally():
        global OTHER
        OTHER = pick()

    OTHER = "org/other"
    late = AutoModel.from_pretrained(OTHER)
    """
    found = findings(code)
    assert [line for line, _ in found] == [7, 13]
    assert "`org/local`" in found[0][1]
    assert "`org/model`" in found[1][1]


def test_comprehension_and_loop_variables_are_unknown() -> None:
    code = """
    import pandas as pd
    URLS = ["https://example.com/a.csv", "https://example.com/b.csv"]
    frames = [pd.read_csv(url) for url in URLS]
    for url in URLS:
        pd.read_csv(url)
    """
    assert lines(code) == []


def test_one_finding_per_call() -> None:
    code = 'import pandas as pd\ndf = pd.read_csv("https://example.com/a.csv", storage_options={"x": "https://example.com/b.csv"})'
    assert lines(code) == [2]


def test_messages_name_what_was_seen() -> None:
    assert findings('import torch\nm = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")') == [
        (2, '`torch.hub.load("facebookresearch/dinov2", …)` loads a GitHub repo without a `:tag`')
    ]
    assert findings('import tensorflow_datasets as tfds\nds = tfds.load("mnist", split="train")') == [
        (2, '`tfds.load("mnist", …)` loads a dataset without a `:version`')
    ]
    assert findings('import mlflow\nm = mlflow.pyfunc.load_model("models:/churn/production")') == [
        (2, '`mlflow.pyfunc.load_model("models:/churn/production")` loads a registry model by stage `production`, '
         "not by version number")
    ]
    assert findings('MODEL = "team/proj/model"\nart = run.use_artifact(MODEL)') == [
        (2, "`run.use_artifact(MODEL)` uses W&B artifact `team/proj/model` without an alias, which resolves to `latest`")
    ]
    assert findings('from transformers import pipeline\np = pipeline("summarization", "facebook/bart-large-cnn")') == [
        (2, '`pipeline("summarization", "facebook/bart-large-cnn")` loads a hub model without `revision=`')
    ]


def test_mlflow_stages_and_other_calls() -> None:
    assert lines('import mlflow\nudf = mlflow.pyfunc.spark_udf(spark, "models:/churn/Staging")') == [2]
    assert lines('import mlflow\nm = mlflow.pyfunc.load_model("runs:/0a1b2c/model")') == []
    assert lines('import mlflow\nm = mlflow.pyfunc.load_model(f"models:/{name}/{stage}")') == []


def test_wandb_lookup_needs_an_explicit_latest() -> None:
    assert lines('import wandb\na = wandb.Api().artifact("team/proj/model")') == []
    assert lines('import wandb\na = wandb.Api().artifact("team/proj/model:v7")') == []
    assert lines('import wandb\na = wandb.Api().artifact("team/proj/model:latest")') == [2]
    assert lines('a = run.use_artifact(f"team/proj/{name}")') == []
    assert lines('a = run.use_artifact(f"team/proj/{name}:{alias}")') == []
    assert lines('a = run.use_artifact(f"{entity}/proj/{name}:latest")') == [1]


@pytest.mark.parametrize(
    "model_id",
    [
        "./model",
        "/abs/model",
        "~/model",
        "C:\\models\\bert",
        "model.bin",
        "org/model.safetensors",
        "outputs/final",
        "a/b/c",
        "my local model",
        "unknown-bare-name",
    ],
)
def test_local_looking_ids_are_not_hub_ids(model_id: str) -> None:
    code = f"from transformers import AutoModel\nm = AutoModel.from_pretrained({model_id!r})"
    assert lines(code) == []


@pytest.mark.parametrize("model_id", ["bert-base-uncased", "gpt2", "t5-small", "Qwen/Qwen2.5-7B", "microsoft/phi-1.5"])
def test_hub_ids(model_id: str) -> None:
    code = f"from transformers import AutoModel\nm = AutoModel.from_pretrained({model_id!r})"
    assert lines(code) == [2]


def test_test_files_are_not_checked() -> None:
    code = 'import pandas as pd\ndf = pd.read_csv("https://example.com/a.csv")'
    assert lines(code, path="tests/test_loading.py") == []
    assert lines(code, path="src/loading.py") == [2]


def test_checksums_pin_downloads() -> None:
    assert lines('import pooch\np = pooch.retrieve("https://example.com/a.csv", known_hash="md5:12ab")') == []
    assert lines('import pooch\np = pooch.retrieve("https://example.com/a.csv", "md5:12ab")') == []
    assert lines('import pooch\np = pooch.retrieve("https://example.com/a.csv", known_hash=None)') == [2]
    assert lines('import torch\nsd = torch.hub.load_state_dict_from_url("https://example.com/m.pth", check_hash=True)') == []
