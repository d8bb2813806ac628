"""MLD803 machine-specific-path beyond its own examples: path shapes, contexts, `~`."""

from __future__ import annotations

import pytest

from mldebt.registry import load_registry
from mldebt.rule import Valid
from mldebt.testing import run_example

RULE = next(rule for rule in load_registry().rules if rule.CODE == "MLD803")


def lines(code: str, path: str = "train.py") -> list[int]:
    return [finding.line for finding in run_example(RULE, Valid(code, path=path)).findings]


@pytest.mark.parametrize(
    "literal",
    [
        '"/home/alice/data/train.csv"',
        '"/home/alice"',
        '"/home/ubuntu/datasets/coco"',
        '"/Users/Bob/Desktop/data.csv"',
        'r"C:\\Users\\carol\\data.csv"',
        '"C:\\\\Users\\\\carol\\\\data.csv"',
        '"c:/users/carol/data.csv"',
        '"D:/Users/carol/x.csv"',
        '"/content/drive/MyDrive/data.csv"',
        '"/kaggle/input/titanic/train.csv"',
        '"/mnt/c/Users/dan/data.csv"',
        'f"/home/alice/runs/{run_id}/model.pt"',
        '"/home/alice/" "data.csv"',
        '"/home/alice/" + name',
    ],
)
def test_flagged_literals(literal: str) -> None:
    assert lines(f"PATH = {literal}\n") == [1], literal


@pytest.mark.parametrize(
    "literal",
    [
        '"/home/"',
        '"/home"',
        '"/tmp/alice/data.csv"',
        '"/usr/share/data.csv"',
        '"/etc/app.conf"',
        '"/dev/null"',
        '"/data/alice/train.csv"',
        '"https://example.com/home/alice/x.csv"',
        '"s3://bucket/home/alice/x.csv"',
        '"/home/user/app/data.csv"',
        '"/home/jovyan/work/data.csv"',
        '"/home/<username>/data"',
        '"/home/$USER/data"',
        'f"/home/{user}/data"',
        'f"/home/{user}"',
        '"/content/drive"',
        '"/content/sample_data/x.csv"',
        '"/kaggle/input/"',
        '"/kaggle/working/submission.csv"',
        '"/mnt/data/train.csv"',
        '"/home/alice/miniconda3/envs/ml/bin/python"',
        '"/home/alice/.local/lib/python3.10/site-packages"',
        'ROOT + "/home/alice/x"',
        '"~/data/train.csv"',
        '"/Users/alice@example.com/experiments/churn"',
    ],
)
def test_not_flagged_literals(literal: str) -> None:
    assert lines(f"PATH = {literal}\n") == [], literal


@pytest.mark.parametrize(
    "code",
    [
        'print("/home/alice/data.csv")\n',
        'logger.info("reading /home/alice/data.csv")\n',
        'import warnings\nwarnings.warn("/home/alice/data.csv is old")\n',
        'raise ValueError("/home/alice/data.csv")\n',
        'assert os.path.exists(p), "/home/alice/data.csv"\n',
        'if path == "/home/alice/data.csv":\n    pass\n',
        'if os.path.exists("/home/alice/data.csv"):\n    pass\n',
        'clean = path.replace("/home/alice/", "")\n',
        'import sys\nsys.path.insert(0, "/home/alice/lib")\n',
        'x = 1 if os.getcwd().startswith("/content/drive/") else 2\n',
        'parser.add_argument("--data", help="for example /home/alice/data")\n',
        '"""Data lives in /home/alice/data."""\n',
        'import os\nif "google.colab" in sys.modules:\n    DATA = "/content/drive/MyDrive/data.csv"\n',
        'import re\npattern = re.compile("/home/alice/.*")\n',
    ],
)
def test_contexts_that_are_not_data_locations(code: str) -> None:
    assert lines(code) == [], code


def test_test_files_are_skipped() -> None:
    assert lines('DATA = "/home/alice/data.csv"\n', path="tests/test_data.py") == []


@pytest.mark.parametrize(
    "code",
    [
        'import os, pandas as pd\nframe = pd.read_csv(os.path.expanduser("~/data/x.csv"))\n',
        'import os\nwith open(os.path.join(os.path.expanduser("~"), "data", "x.csv")) as f:\n    pass\n',
        'import os\nimport numpy as np\nX = np.load(os.path.expanduser("~/arrays/X.npy"))\n',
        "from pathlib import Path\nDATA_DIR = Path.home() / 'datasets'\n",
        "from pathlib import Path\nroot = Path('~/datasets').expanduser()\n",
        "from pathlib import Path\ntrain(data_dir=Path.home() / 'datasets')\n",
        "import pandas as pd\nframe = pd.read_parquet('~/data/x.parquet')\n",
        "from pathlib import Path\nimport torch\ntorch.save(model, Path.home().joinpath('models', 'm.pt'))\n",
    ],
)
def test_home_paths_used_for_data(code: str) -> None:
    assert lines(code) != [], code


@pytest.mark.parametrize(
    "code",
    [
        'import os\nCACHE = os.path.expanduser("~/.cache/x")\n',
        "from pathlib import Path\nCONFIG = Path.home() / '.config' / 'tool.toml'\n",
        "from pathlib import Path\nLOG_DIR = Path.home() / 'logs'\n",
        "from pathlib import Path\ncheck(Path.home() / 'data')\n",
        'import os\nROOT = os.getenv("ROOT", os.path.expanduser("~/data"))\n',
        'import os\ndef main(root=os.path.expanduser("~/data")):\n    pass\n',
        'import argparse, os\np = argparse.ArgumentParser()\n'
        'p.add_argument("--root", default=os.path.expanduser("~/data"))\n',
        'import os\nhome = os.path.expanduser("~")\n',
        'open("~/data/x.csv")\n',
    ],
)
def test_home_paths_not_flagged(code: str) -> None:
    assert lines(code) == [], code


def test_one_finding_per_literal_and_the_message() -> None:
    code = 'import pandas as pd\ntrain = pd.read_csv("/kaggle/input/titanic/train.csv")\n'
    [finding] = run_example(RULE, Valid(code, path="kernel.py")).findings
    assert finding.message == (
        "`/kaggle/input/titanic/train.csv` is in Kaggle's input folder, which exists only in Kaggle notebooks"
    )
