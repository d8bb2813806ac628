"""MLD801 unseeded-randomness: random draws, splits and models with no seed."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import libcst as cst
import networkx as nx

from mldebt import FileContext, Finding, Invalid, Project, Rule, Section, Severity, Valid, literal_value, module_node
from mldebt.knowledge.randomness import (
    DEFAULT_SEEDED,
    FAMILY_LABELS,
    GLOBAL_DRAWS,
    KNOWN_RANDOM_PACKAGES,
    LEARNING_CALLS,
    NOT_SEEDERS,
    NUMPY,
    PROBABILITY,
    RESULT_CALLS,
    RESULT_QUALIFIED_CALLS,
    RANDOM_INIT,
    SAMPLE_METHOD,
    SAMPLE_SIZE_KEYWORDS,
    SEED_KEYWORDS,
    SEEDERS,
    SEEDERS_NEEDING_ARGUMENT,
    SHUFFLE,
    SHUFFLE_BY_DEFAULT,
    SHUFFLING_LOADERS,
    SKLEARN_STYLE_SEEDED,
    TENSOR_DRAW_METHODS,
    TENSOR_VALUE_DRAWS,
    TORCH,
    UNSEEDED_GENERATORS,
)
from mldebt.names import dotted_name
from mldebt.project import ModuleIndex

# Where a call or seed sits, for the project phase: module level ("", what runs on import),
# under `if __name__ == "__main__":`, or in a module-level function or class (its name).
IMPORT_TIME = ""
MAIN_GUARD = "__main__"
# Callees that cannot be first-party helpers: the standard library and the random packages.
_NOT_FIRST_PARTY = frozenset(sys.stdlib_module_names) | KNOWN_RANDOM_PACKAGES | {"builtins"}
# What the file phase reports, as the project phase tells the kinds apart.
DRAW = "draw"  # a global-RNG draw in an entry module
FALLBACK = "fallback"  # a scikit-learn-style call that falls back to numpy's global RNG
LIBRARY_DRAW = "library-draw"  # a global-RNG draw in a module that is not an entry module
_MAX_PROGRAMS = 3  # entry modules named in a message before "and N more"
_MAX_REEXPORT_HOPS = 3  # `__init__.py` re-exports followed to a definition

# Module-level calls that configure the process rather than run a program: a library
# module may make them at import time without becoming an entry module.
_SETUP_PREFIXES = (
    "warnings.",
    "logging.",
    "absl.logging.",
    "absl.flags.",
    "sys.",
    "os.environ",
    "matplotlib.",
    "seaborn.set",
    "numpy.set",
    "numpy.seterr",
    "pandas.set_option",
    "pandas.options",
    "torch.set_",
    "torch.backends.",
    "torch.multiprocessing.",
    "torch.autograd.set_",
    "torch._dynamo.",
    "tensorflow.config.",
    "tensorflow.compat.v1.disable_",
    "tensorflow.compat.v1.enable_",
    "tensorflow.compat.v1.logging.",
    "tensorflow.get_logger",
    "tensorflow.autograph.",
    "tensorflow.keras.backend.set_",
    "transformers.logging.",
    "datasets.logging.",
    "jax.config.",
    "multiprocessing.set_",
    "faulthandler.",
    "atexit.",
    "dotenv.",
    "nltk.download",
    "typing.",
)
_SETUP_NAMES = frozenset(
    {
        "register", "register_module", "add_argument", "add_argument_group", "set_defaults",
        "setLevel", "addHandler", "addFilter", "setFormatter", "propagate", "filterwarnings",
        "simplefilter", "basicConfig", "use", "update", "append", "extend", "insert", "setdefault",
        "set_option", "set_printoptions", "set_style", "set_theme", "set_context", "set_palette",
        "set_verbosity", "set_start_method", "set_sharing_strategy", "set_default_dtype",
        "set_default_tensor_type", "set_float32_matmul_precision", "set_num_threads",
        "load_dotenv", "install", "freeze", "mark_flag_as_required", "debug", "info", "warning",
        "error", "exception", "critical",
    }
)
# Calls at module level that make a module a program: fitting, training, parsing the
# command line, reading a data file.
_WORK_VERBS = frozenset(
    {
        "fit", "fit_transform", "fit_predict", "partial_fit", "train", "predict", "predict_proba",
        "evaluate", "backward", "parse_args", "parse_known_args", "read_csv", "read_parquet",
        "read_excel", "read_table", "read_feather", "read_pickle", "cross_val_score", "cross_validate",
    }
)


@dataclass
class _Draw:
    """One call that draws from a global RNG."""

    family: str
    node: cst.Call
    label: str
    values_only: bool = False  # random tensor values: debt only in a program that learns
    verb: str = "draws from"


SEED_EVERYTHING = """
import random
import numpy as np
import torch
def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
"""


class UnseededRandomness(Rule):
    """
    ## What it does
    Finds randomness that no seed pins down:

    - a scikit-learn splitter or estimator that takes `random_state` called
      without one (or with `random_state=None`): `train_test_split`,
      `KFold(shuffle=True)`, `ShuffleSplit`, `RandomForestClassifier`, `KMeans`,
      `TSNE`, `RandomizedSearchCV`, `sklearn.utils.shuffle`, imbalanced-learn
      samplers, `umap.UMAP`, and so on; and a DataFrame's `.sample(n=...)` /
      `.sample(frac=...)` without `random_state`. These fall back to numpy's
      global RNG, so they are not reported in a file whose program seeds it
      (see below);
    - `np.random.default_rng()`, `np.random.RandomState()` or `random.Random()`
      with no seed (not when it is the fallback of `rng or ...` / `if rng is None:`),
      in a library module (its callers cannot seed it) or a program that keeps a
      result (see below);
    - in an entry module (one with `if __name__ == "__main__":`, or one whose
      module-level statements do work beyond definitions, imports, constants and
      seeding), a draw from a global RNG (`np.random.shuffle`, `random.choice`,
      `torch.randn`, `w.normal_()`, `tf.random.uniform`, `random_split`, ...)
      when the module never seeds that RNG (`np.random.seed`, `random.seed`,
      `torch.manual_seed`, `tf.random.set_seed`, `set_seed`, `seed_everything`,
      a Hugging Face `Trainer`, any call whose name says `seed` such as the
      module's own helper, or a call made for its effect and given `seed=`, such
      as `launch(cfg, seed=1)`). A `DataLoader(shuffle=True)` without
      `generator=` counts as a draw from torch's global RNG;
    - across the project, seeding is decided per *program*: an entry module
      together with the first-party modules it imports, transitively. A draw in
      an entry module is not reported when its program seeds that RNG elsewhere:
      a first-party helper that the entry module calls and that seeds it, however
      it is named (`utils.setup(cfg)` calling `torch.manual_seed`, followed through
      further first-party calls and into classes), or a first-party module it
      imports that seeds it at import time. A draw in a module that is not an
      entry module (a library module) is reported when entry modules reach it
      and none of their programs seeds that RNG; the message names them. Library
      code that no entry module reaches is not reported: its caller owns the seed.
      Whether a module is an entry module is decided in its file (above) and
      recorded as data for this project phase.

    Never reported: a call given its own generator or key (`generator=`, `rng=`,
    `random_state=`, `seed=`, `key=`); a call with `**kwargs` (the seed may be
    inside); global-RNG draws in library modules that no entry module reaches;
    tests (runners such as pytest-randomly reset the seeds, and a test's
    randomness is the test's business), which are no programs either.

    A program's draws count only when the program keeps a result that they can
    change (for a library module: when the module itself or a program that
    reaches it does): it learns (`backward`, `fit`, `train`, `minimize`, ...), predicts or
    scores, or writes data or a model (`to_csv`, `np.save`, `torch.save`,
    `save_pretrained`, ...). Random numbers that only reach the screen, a web
    response, a mock or a benchmark are not reproducibility debt. Random tensor
    *values* (`torch.randn`, `nn.init.*`, `tf.random.normal`) count only in a
    program that learns: a script that traces, exports, profiles, samples from
    or smoke-tests a model feeds it example inputs whose values do not matter.

    XGBoost, LightGBM and CatBoost models built without a seed are not reported
    by default: they fall back to a fixed seed built into the library (0 for
    XGBoost and CatBoost, fixed C++ defaults for LightGBM), so runs repeat. Turn
    on `implicit-library-seeds` to have the seed written in the code anyway.

    One finding is reported per global RNG per module, at its first draw
    (a shuffling `DataLoader` included), with the number of further draws: one
    seed line fixes them all, and thirty findings for thirty `torch.randn` calls
    would bury everything else. Set `report-every-draw` to see each draw.

    ## Why is this bad?
    A run that cannot be repeated cannot be compared, debugged or audited: a
    change in the metric may come from the code or from the dice. The paper lists
    reproducibility debt among the other areas of ML-related debt (§8), and
    random splits, random initialisation and random sampling are its most common
    source.

    ## Example
    ```python
    import numpy as np
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

    if __name__ == "__main__":
        np.random.shuffle(rows)
        model.fit(rows)
    ```

    Use instead:
    ```python
    SEED = 42
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)

    if __name__ == "__main__":
        np.random.seed(SEED)
        np.random.shuffle(rows)
        model.fit(rows)
    ```

    ## Options
    - `report-every-draw` (default `false`): report every draw from an unseeded
      global RNG, not only the first per RNG in each file.
    - `implicit-library-seeds` (default `false`): also report XGBoost, LightGBM
      and CatBoost models built without `random_state`/`seed`/`random_seed`.

    ## References
    - Sculley et al. (2015), §8 "Other Areas of ML-related Debt", Reproducibility Debt
    """

    CODE = "MLD801"
    NAME = "unseeded-randomness"
    SEVERITY = Severity.WARNING
    SECTION = Section.REPRODUCIBILITY_DEBT
    SUMMARY = "Randomness with no seed: unseeded splits, models, generators and global RNG draws"
    MESSAGE = "{what}"

    @dataclass(frozen=True)
    class Options:
        report_every_draw: bool = False
        implicit_library_seeds: bool = False

    VALID = [
        # Seeded splits and models.
        Valid(
            """
            from sklearn.model_selection import train_test_split
            X_train, X_test = train_test_split(X, test_size=0.2, random_state=42)
            """
        ),
        Valid(
            """
            from sklearn.model_selection import KFold, StratifiedKFold
            folds = KFold(n_splits=5)
            strat = StratifiedKFold(5, shuffle=False)
            """
        ),
        Valid("from sklearn.model_selection import train_test_split\nparts = train_test_split(X, shuffle=False)\n"),
        Valid("from sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier(**params)\n"),
        Valid("from sklearn.ensemble import RandomForestClassifier as RF\nmodel = RF(random_state=SEED)\n"),
        Valid("from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression(C=1.0)\n"),
        Valid("from sklearn.svm import SVC\nmodel = SVC(kernel='rbf')\n"),
        Valid("from sklearn.cluster import KMeans\nkm = KMeans(n_clusters=3, init=X[:3], n_init=1).fit(X)\n"),
        Valid("from sklearn.linear_model import SGDClassifier\nclf = SGDClassifier(shuffle=False)\n"),
        Valid("import xgboost as xgb\nmodel = xgb.XGBClassifier(n_estimators=100, seed=0)\n"),
        # XGBoost, LightGBM and CatBoost fall back to a fixed built-in seed (see Options).
        Valid("import lightgbm as lgb\nmodel = lgb.LGBMClassifier(n_estimators=500)\n"),
        Valid("from catboost import CatBoostClassifier\nmodel = CatBoostClassifier(random_seed=7)\n"),
        # A local function that happens to share a scikit-learn name.
        Valid(
            """
            def train_test_split(frame):
                return frame[:100], frame[100:]
            train, test = train_test_split(frame)
            """
        ),
        # numpy's global RNG is seeded: scikit-learn and pandas fall back to it.
        Valid(
            """
            import numpy as np
            from sklearn.model_selection import train_test_split
            np.random.seed(0)
            train, test = train_test_split(frame)
            sample = frame.sample(frac=0.1)
            """
        ),
        # `.sample` calls that are not DataFrame.sample.
        Valid(
            """
            import random
            random.seed(1)
            picked = random.sample(items, k=3)
            x = dist.sample()
            y = gmm.sample(n_samples=10)
            """
        ),
        Valid("rows = frame.sample(n=100, random_state=0)\n"),
        # Generators with a seed, or as the fallback of an optional argument.
        Valid(
            """
            import numpy as np
            import random
            rng = np.random.default_rng(0)
            rng.shuffle(rows)
            noise = rng.normal(size=3)
            legacy = np.random.RandomState(seed)
            r = random.Random(42)
            """
        ),
        Valid(
            """
            import numpy as np
            def jitter(x, rng=None):
                if rng is None:
                    rng = np.random.default_rng()
                other = rng or np.random.default_rng()
                return x + rng.normal(size=x.shape)
            """
        ),
        # A seeded program.
        Valid(
            """
            import random
            import numpy as np
            import torch
            def main():
                random.seed(0)
                np.random.seed(0)
                torch.manual_seed(0)
                random.shuffle(items)
                idx = np.random.permutation(10)
                x = torch.randn(3, 4)
            if __name__ == "__main__":
                main()
            """
        ),
        # Seeding through the module's own helper, or a helper imported from elsewhere.
        Valid(
            """
            import numpy as np
            import torch
            def setup(seed):
                np.random.seed(seed)
                torch.manual_seed(seed)
            if __name__ == "__main__":
                setup(0)
                batch = torch.randint(0, 10, (4,))
                order = np.random.permutation(10)
            """
        ),
        Valid(
            """
            import torch
            from utils import set_seed
            set_seed(0)
            x = torch.rand(4)
            """
        ),
        Valid(
            """
            import torch
            from lightning import seed_everything as fix
            fix(1)
            for step in range(10):
                noise = torch.randn(8)
            """
        ),
        # A library module: no main guard, only definitions. Its caller owns the seed.
        Valid(
            """
            import logging
            import numpy as np
            import torch
            logger = logging.getLogger(__name__)
            logger.setLevel(logging.INFO)
            SIZE = 10
            def augment(x):
                np.random.shuffle(x)
                return x + torch.randn_like(x)
            """
        ),
        # An explicit generator or key.
        Valid(
            """
            import torch
            import jax
            g = torch.Generator().manual_seed(0)
            def main():
                x = torch.randn(3, generator=g)
                idx = torch.randperm(10, generator=g)
                y = jax.random.normal(key, (3,))
            if __name__ == "__main__":
                main()
            """
        ),
        Valid(
            """
            import tensorflow as tf
            if __name__ == "__main__":
                x = tf.random.uniform((2, 2), seed=3)
            """
        ),
        # `random.seed()` with no argument re-seeds from the clock, but a shuffling
        # DataLoader given its own generator is fine.
        Valid(
            """
            import torch
            from torch.utils.data import DataLoader
            if __name__ == "__main__":
                loader = DataLoader(ds, batch_size=32, shuffle=True, generator=g)
                plain = DataLoader(ds, batch_size=32)
            """
        ),
        Valid(
            """
            import torch
            from torch.utils.data import DataLoader
            torch.manual_seed(0)
            if __name__ == "__main__":
                loader = DataLoader(ds, shuffle=True)
            """
        ),
        # Tests are not reported.
        Valid(
            """
            import numpy as np
            from sklearn.model_selection import train_test_split
            def test_split():
                x = np.random.rand(10)
                train, test = train_test_split(x)
            if __name__ == "__main__":
                test_split()
            """,
            path="tests/test_split.py",
        ),
        # Example inputs for tracing or exporting: the values do not matter.
        Valid(
            """
            import torch
            model = Net().eval()
            example = torch.rand(1, 3, 224, 224)
            traced = torch.jit.trace(model, example)
            traced.save("model.pt")
            """
        ),
        # Randomness that feeds no result: a web response, a demo on screen, a mock.
        Valid(
            """
            import random
            from fastapi import FastAPI
            app = FastAPI()
            @app.get("/")
            def home():
                return {"cat": random.choice(CATS)}
            if __name__ == "__main__":
                uvicorn.run(app)
            """
        ),
        Valid(
            """
            import numpy as np
            if __name__ == "__main__":
                env = GridWorld()
                while not done:
                    done = env.step(np.random.choice(env.actions))
                    env.render()
            """
        ),
        Valid(
            """
            import random
            rand = random.Random()
            if __name__ == "__main__":
                while True:
                    send_metric(rand.random())
            """
        ),
        # A name that only looks like numpy's global RNG.
        Valid(
            """
            import numpy as np
            random = np.random.RandomState(0)
            if __name__ == "__main__":
                random.shuffle(rows)
            """
        ),
        # Programs seeded in another module: a `utils.seed_everything()` helper ...
        Valid(
            """
            import numpy as np
            import utils
            if __name__ == "__main__":
                utils.seed_everything(42)
                np.random.shuffle(rows)
                model.fit(rows)
            """,
            path="train.py",
            files={"utils.py": SEED_EVERYTHING},
        ),
        # ... a helper whose name does not say so, reached through another module ...
        Valid(
            """
            import torch
            from experiment import prepare
            if __name__ == "__main__":
                prepare("configs/base.yaml")
                noise = torch.randn(8)
                loss = model(noise).sum()
                loss.backward()
            """,
            path="train.py",
            files={
                "experiment.py": "from common import fix_everything\ndef prepare(path):\n    fix_everything(0)\n",
                "common.py": "import torch\ndef fix_everything(value):\n    torch.manual_seed(value)\n",
            },
        ),
        # ... or a module that seeds when it is imported.
        Valid(
            """
            import random
            import settings
            if __name__ == "__main__":
                random.shuffle(lines)
                pd.DataFrame({"text": lines[:100]}).to_csv("valid.csv")
            """,
            path="split.py",
            files={"settings.py": "import random\nSEED = 7\nrandom.seed(SEED)\n"},
        ),
        # A library module's draws: no entry module reaches it (only a test does) ...
        Valid(
            """
            import numpy as np
            def augment(x):
                np.random.shuffle(x)
                return x
            """,
            path="augment.py",
            files={"tests/test_augment.py": "from augment import augment\ndef test_it():\n    augment([1, 2])\n"},
        ),
        # ... or the programs that reach it seed that RNG.
        Valid(
            """
            import numpy as np
            def augment(x):
                np.random.shuffle(x)
                return x
            """,
            path="lib/augment.py",
            files={
                "lib/__init__.py": "",
                "train.py": (
                    "import numpy as np\nfrom lib.augment import augment\nif __name__ == '__main__':\n"
                    "    np.random.seed(0)\n    model.fit(augment(rows))\n"
                ),
            },
        ),
        # A notebook seeds in its first cell and draws in a later one.
        Valid(
            """
            # %%
            import numpy as np
            np.random.seed(0)
            # %% [markdown]
            # Train
            # %%
            noise = np.random.normal(size=len(X))
            model.fit(X + noise, y)
            """,
            path="explore.ipynb",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from sklearn.model_selection import train_test_split as tts
            X_train, X_test = tts(X, test_size=0.2)
            """,
            message="`sklearn.model_selection.train_test_split(...)` is called without `random_state`",
        ),
        Invalid(
            """
            import sklearn.model_selection as ms
            folds = ms.ShuffleSplit(n_splits=5, random_state=None)
            """,
            message="`sklearn.model_selection.ShuffleSplit(...)` is called with `random_state=None`",
        ),
        Invalid("from sklearn.model_selection import KFold\nfolds = KFold(n_splits=5, shuffle=True)\n"),
        Invalid("from sklearn import ensemble\nmodel = ensemble.RandomForestRegressor(n_estimators=200)\n"),
        Invalid("from sklearn.cluster import KMeans\nlabels = KMeans(n_clusters=8).fit_predict(X)\n"),
        Invalid("from sklearn.svm import SVC\nmodel = SVC(probability=True)\n"),
        Invalid("from sklearn.cluster import KMeans\nkm = KMeans(n_clusters=3, init='k-means++')\n"),
        Invalid("from sklearn.utils import shuffle\nX, y = shuffle(X, y)\n"),
        Invalid(
            """
            def load(frame):
                return frame.sample(frac=1.0)
            """,
            line=2,
            message="`frame.sample(...)` is called without `random_state`",
        ),
        Invalid("import numpy as np\nrng = np.random.default_rng()\n"),
        Invalid("import numpy as np\nrng = np.random.RandomState(None)\n"),
        Invalid("from random import Random\nr = Random()\n"),
        Invalid(
            """
            import numpy as np
            def main():
                np.random.shuffle(rows)
                return np.random.choice(rows, 3)
            if __name__ == "__main__":
                np.save("subset.npy", main())
            """,
            line=3,
            message=(
                "`numpy.random.shuffle` draws from numpy's global RNG, and this program never seeds it "
                "(1 more draw from it in this file)"
            ),
        ),
        Invalid(
            """
            import numpy.random as npr
            if __name__ == "__main__":
                x = npr.rand(3)
                model.fit(x)
            """,
            line=3,
        ),
        # A script with no main guard: its module-level statements do the work.
        Invalid(
            """
            import random
            lines = open("all.txt").readlines()
            random.shuffle(lines)
            pd.DataFrame({"text": lines[:100]}).to_csv("valid.csv")
            """,
            line=3,
        ),
        Invalid(
            """
            import torch
            model = Net()
            for step in range(100):
                loss = model(torch.randn(8)).sum()
                loss.backward()
            """,
            line=4,
        ),
        # Seeding numpy does not seed torch.
        Invalid(
            """
            import numpy as np
            import torch
            np.random.seed(0)
            if __name__ == "__main__":
                x = torch.rand(2)
                y = np.random.rand(2)
                train(model, x, y)
            """,
            line=5,
        ),
        # `random.seed()` without a value re-seeds from the clock.
        Invalid(
            """
            import random
            random.seed()
            if __name__ == "__main__":
                noise = random.random()
                model.fit(X + noise, y)
            """,
            line=4,
        ),
        Invalid(
            """
            import torch
            import torch.nn as nn
            def init(m):
                m.weight.data.normal_(0, 0.02)
            if __name__ == "__main__":
                init(model)
                loss.backward()
            """,
            line=4,
        ),
        Invalid(
            """
            import tensorflow as tf
            if __name__ == "__main__":
                x = tf.random.normal((2, 2))
                model.fit(x, y)
            """,
            line=3,
        ),
        Invalid(
            """
            import torch
            from torch.utils.data import DataLoader
            if __name__ == "__main__":
                loader = DataLoader(ds, batch_size=32, shuffle=True)
                train(model, loader)
            """,
            line=4,
        ),
        # A library module's draw, reached by a program that never seeds numpy.
        Invalid(
            """
            import numpy as np
            def augment(x):
                np.random.shuffle(x)
                return x
            """,
            line=3,
            path="lib/augment.py",
            files={
                "lib/__init__.py": "",
                "train.py": "from lib.augment import augment\nif __name__ == '__main__':\n    model.fit(augment(rows))\n",
            },
            message=(
                "`numpy.random.shuffle` draws from numpy's global RNG, and no program that imports this module "
                "seeds it (`train.py`)"
            ),
        ),
        # The imported helper seeds numpy, not torch.
        Invalid(
            """
            import torch
            from utils import setup
            if __name__ == "__main__":
                setup()
                weights = torch.randn(4)
                loss = (weights * 2).sum()
                loss.backward()
            """,
            line=5,
            path="train.py",
            files={"utils.py": "import numpy as np\ndef setup():\n    np.random.seed(0)\n"},
        ),
        # A seeding helper that the entry module imports but never calls.
        Invalid(
            """
            import random
            from helpers import fix_all, load
            if __name__ == "__main__":
                rows = load()
                random.shuffle(rows)
                pd.DataFrame(rows).to_csv("train.csv")
            """,
            line=5,
            path="prepare.py",
            files={"helpers.py": "import random\ndef fix_all():\n    random.seed(0)\ndef load():\n    return []\n"},
        ),
        # Two programs reach the library draw, and neither seeds torch.
        Invalid(
            """
            import torch
            def init(layer):
                torch.nn.init.normal_(layer.weight)
            """,
            line=3,
            path="model.py",
            files={
                "train.py": "from model import init\nif __name__ == '__main__':\n    init(net)\n    loss.backward()\n",
                "finetune.py": "import model\nif __name__ == '__main__':\n    loss.backward()\n",
            },
        ),
        # A draw at import time makes the module a program (it runs before any caller can seed).
        Invalid(
            """
            import numpy as np
            WEIGHTS = np.random.randn(10)
            def predict(x):
                return x @ WEIGHTS
            scores = predict(features)
            """,
            line=2,
        ),
        # A notebook is a program of its own: its draws need its own seed.
        Invalid(
            """
            # %%
            import numpy as np
            from sklearn.linear_model import LogisticRegression
            # %% [markdown]
            # Shuffle, then train
            # %%
            np.random.shuffle(rows)
            model = LogisticRegression(random_state=0).fit(rows[:, :-1], rows[:, -1])
            """,
            line=7,
            column=1,
            path="notebooks/train.ipynb",
        ),
    ]

    @classmethod
    def applies_to(cls, context: FileContext) -> bool:
        return not context.is_test  # silent in tests, and records nothing there

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        settings = cast(UnseededRandomness.Options, self.options)
        self._every_draw = settings.report_every_draw
        self._implicit_library_seeds = settings.implicit_library_seeds
        self._seeded: set[str] = set()
        self._draws: list[_Draw] = []
        self._numpy_fallbacks: list[tuple[cst.Call, str]] = []  # reported unless numpy is seeded
        self._generators: list[tuple[cst.Call, str]] = []  # reported unless in a program that keeps no result
        self._module_level_work = False
        self._fallback_depth = 0  # inside `x or ...`, `... if ... else ...`, `if x is None:`
        self._imports_torch: bool | None = None
        self._learns = False  # the file backpropagates, fits, trains
        self._keeps_results = False  # ... or predicts, scores, writes data or models
        self._statement_calls: set[cst.Call] = set()  # calls made for their effect: `f(x)` on a line
        # For the project phase: the RNGs surely seeded (by a seeder or a call whose name says
        # `seed`; under an `if` too, as in the file phase: `if seed: np.random.seed(seed)` in a
        # helper is taken to seed), and the calls that may reach a first-party helper, by where
        # they sit (IMPORT_TIME, MAIN_GUARD, or a function or class name).
        self._main_guard_depth = 0
        self._seeds_at: dict[str, set[str]] = {}
        self._calls_at: dict[str, set[str]] = {}
        self._proposed: list[tuple[cst.Call, str, str, str, bool, dict[str, Any]]] = []

    # Where a default generator is only a fallback --------------------------------------
    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if isinstance(node.operator, cst.Or):
            self._fallback_depth += 1

    def leave_BooleanOperation(self, original_node: cst.BooleanOperation) -> None:
        if isinstance(original_node.operator, cst.Or):
            self._fallback_depth -= 1

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._fallback_depth += 1

    def leave_IfExp(self, original_node: cst.IfExp) -> None:
        self._fallback_depth -= 1

    def visit_If(self, node: cst.If) -> None:
        if _tests_for_missing(node.test):
            self._fallback_depth += 1
        if not self.context.scope and _is_main_guard(node.test):
            self._main_guard_depth += 1

    def leave_If(self, original_node: cst.If) -> None:
        if _tests_for_missing(original_node.test):
            self._fallback_depth -= 1
        if not self.context.scope and _is_main_guard(original_node.test):
            self._main_guard_depth -= 1

    def _where(self) -> str:
        scope = self.context.scope
        if scope:
            return scope[0]
        return MAIN_GUARD if self._main_guard_depth else IMPORT_TIME

    # Calls -------------------------------------------------------------------------------
    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self._statement_calls.add(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.is_test:
            return
        callee = self.qualified_name(node.func)
        last_name = _last_name(node.func, callee)
        if last_name in LEARNING_CALLS:
            self._learns = True
        if last_name in RESULT_CALLS or callee in RESULT_QUALIFIED_CALLS:
            self._keeps_results = True
        seeds, surely = self._seeded_families(node, callee)
        if seeds:
            self._seeded.update(seeds)
            if surely:
                self._seeds_at.setdefault(self._where(), set()).update(seeds)
            return
        if callee is not None and callee.split(".", 1)[0] not in _NOT_FIRST_PARTY:
            self._calls_at.setdefault(self._where(), set()).add(callee)  # perhaps a seeding helper
        if any(arg.star == "**" for arg in node.args):
            return  # a seed may hide in the mapping; never guess
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        module_level = not self.context.scope
        if module_level and callee is not None and callee.rsplit(".", 1)[-1] in _WORK_VERBS:
            self._module_level_work = True
        if callee is not None:
            if self._check_seeded_api(node, callee, keywords):
                self._module_level_work |= module_level
                return
            if callee in UNSEEDED_GENERATORS:
                self._check_generator(node, callee, keywords)
                return
            if callee in SHUFFLING_LOADERS:
                if _is_true(keywords.get("shuffle")) and "generator" not in keywords and "sampler" not in keywords:
                    label = f"{callee}(shuffle=True)"
                    self._draws.append(_Draw(TORCH, node, label, verb="has no `generator=`, so it shuffles with"))
                return
            family = GLOBAL_DRAWS.get(callee)
            if family is not None:
                if not SEED_KEYWORDS & keywords.keys():
                    self._draws.append(_Draw(family, node, callee, callee in TENSOR_VALUE_DRAWS))
                    self._module_level_work |= module_level
                return
        if isinstance(node.func, cst.Attribute) and not self._resolves_elsewhere(callee):
            method = node.func.attr.value
            if method == SAMPLE_METHOD and SAMPLE_SIZE_KEYWORDS & keywords.keys():
                seed = _seed_argument(keywords)
                if seed is None or _is_none(seed):
                    receiver = _spelling(node.func.value)
                    self._numpy_fallbacks.append((node, _without_seed(f"{receiver}.sample(...)", seed)))
                    self._module_level_work |= module_level
            elif method in TENSOR_DRAW_METHODS and "generator" not in keywords and self._file_imports_torch():
                self._draws.append(_Draw(TORCH, node, f"Tensor.{method}", values_only=True))

    def _seeded_families(self, node: cst.Call, callee: str | None) -> tuple[frozenset[str], bool]:
        """The global RNGs this call seeds (every one, for an unknown call whose name says `seed`),
        and whether the call surely seeds them (False when only presumed from a `seed=` argument)."""
        none = frozenset[str]()
        if callee in NOT_SEEDERS:
            return none, True
        if callee is not None and callee in SEEDERS:
            if callee in SEEDERS_NEEDING_ARGUMENT and all(_is_none(arg.value) for arg in node.args):
                return none, True  # `random.seed()` re-seeds from the clock or OS entropy
            return SEEDERS[callee], True
        name = callee or dotted_name(node.func)
        if name is None and isinstance(node.func, cst.Attribute):
            name = node.func.attr.value
        if callee is not None and callee.split(".", 1)[0] in KNOWN_RANDOM_PACKAGES:
            return none, True  # a library call we know, and not one of the seeders
        if name is not None and "seed" in name.rsplit(".", 1)[-1].lower():
            return frozenset(FAMILY_LABELS), True  # `set_seed(1)`, `utils.fix_seeds()`: code not in view
        if node in self._statement_calls and any(
            arg.keyword is not None and arg.keyword.value in ("seed", "random_seed") and not _is_none(arg.value)
            for arg in node.args
        ):
            # `launch(config, seed=1)`: given a seed for its effect. Presumed for this file only: a
            # helper that passes `seed=` on (`super().__init__(seed=seed)`) seeds no global RNG.
            return frozenset(FAMILY_LABELS), False
        return none, True

    def _check_seeded_api(self, node: cst.Call, callee: str, keywords: dict[str, cst.BaseExpression]) -> bool:
        """Splitters and models that take `random_state`; True when `callee` is one of them."""
        package, _, rest = callee.partition(".")
        last = callee.rsplit(".", 1)[-1]
        condition = SKLEARN_STYLE_SEEDED.get(package, {}).get(last) if rest else None
        default_seeded = bool(rest) and last in DEFAULT_SEEDED.get(package, frozenset())
        if condition is None and not default_seeded:
            return False
        positional = [arg for arg in node.args if arg.keyword is None]
        if last[:1].isupper() and (any(arg.star == "*" for arg in positional) or len(positional) >= 4):
            return True  # an old positional signature: the seed may be among them
        seed = _seed_argument(keywords)
        if seed is not None and not _is_none(seed):
            return True
        if condition == SHUFFLE and not _is_true(keywords.get("shuffle")):
            return True
        if condition == SHUFFLE_BY_DEFAULT and "shuffle" in keywords and not _is_true(keywords["shuffle"]):
            return True
        if condition == PROBABILITY and not _is_true(keywords.get("probability")):
            return True
        if condition == RANDOM_INIT and "init" in keywords and not isinstance(keywords["init"], cst.SimpleString):
            return True  # starting points given: deterministic
        if default_seeded:
            if not self._implicit_library_seeds:
                return True
            keyword = "random_seed" if package == "catboost" else "random_state"
            what = _without_seed(callee + "(...)", seed, keyword)
            self.report(node, what=f"{what}, so it runs on the seed built into the library's defaults")
            return True
        self._numpy_fallbacks.append((node, _without_seed(callee + "(...)", seed)))
        return True

    def _check_generator(self, node: cst.Call, callee: str, keywords: dict[str, cst.BaseExpression]) -> None:
        if self._fallback_depth or any(arg.star for arg in node.args):
            return
        given = [arg.value for arg in node.args]
        if given and not all(_is_none(value) for value in given):
            return
        self._generators.append((node, callee))

    def _resolves_elsewhere(self, callee: str | None) -> bool:
        """Whether a method call's receiver is an imported module or object (`random.sample`)."""
        if callee is None:
            return False
        own = self.context.module
        return not (own and callee.startswith(own + "."))

    def _file_imports_torch(self) -> bool:
        if self._imports_torch is None:
            self._imports_torch = any(
                target == "torch" or target.startswith("torch.") for target in self.context.aliases.aliases.values()
            )
        return self._imports_torch

    # The whole file ------------------------------------------------------------------------
    def leave_Module(self, original_node: cst.Module) -> None:
        if self.context.is_test:
            return
        if NUMPY not in self._seeded:
            for node, what in self._numpy_fallbacks:
                self._propose(node, what, FALLBACK, NUMPY)
        entry = self._is_entry_module(original_node)
        if self._keeps_results or not entry:  # a library's hidden generator is out of its callers' reach
            for node, callee in self._generators:
                self.report(node, what=f"`{callee}()` is created without a seed, so every run draws different numbers")
        unseeded: dict[str, list[_Draw]] = {}
        for draw in self._draws:
            # In a library module, whether a draw matters is the programs' business (project phase).
            matters = not entry or (self._learns if draw.values_only else self._keeps_results)
            if matters and draw.family not in self._seeded:
                unseeded.setdefault(draw.family, []).append(draw)
        for family, draws in unseeded.items():
            shown = draws if self._every_draw else draws[:1]
            for draw in shown:
                more = 0 if self._every_draw else len(draws) - 1
                what = f"`{draw.label}` {draw.verb} {FAMILY_LABELS[family]}, and this program never seeds it"
                what += _more_draws(more)
                details = {"label": draw.label, "verb": draw.verb, "more": more}
                self._propose(draw.node, what, DRAW if entry else LIBRARY_DRAW, family, draw.values_only, details)
        self._record_program(entry)

    # The project phase's part -----------------------------------------------------------------
    def _propose(
        self,
        node: cst.Call,
        what: str,
        kind: str,
        family: str,
        values_only: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Report a finding that the project phase may drop (a seed set elsewhere in the program)."""
        self.report(node, what=what)
        self._proposed.append((node, what, kind, family, values_only, details or {}))

    def _record_program(self, entry: bool) -> None:
        """What the project phase needs: whether this is an entry module (the detection is this
        rule's, recorded here as data), what it keeps, where it seeds which RNG, the calls that
        may reach a first-party seeding helper, and the proposed findings with their RNG."""
        reports = [
            {"line": self.context.recorded_line(node), "message": what, "kind": kind, "family": family,
             "values_only": values_only, **details}
            for node, what, kind, family, values_only, details in self._proposed
        ]  # fmt: skip
        if not (entry or reports or self._seeds_at or self._calls_at):
            return
        self.record(
            "program",
            {
                "entry": entry,
                "learns": self._learns,
                "keeps": self._keeps_results,
                "seeds": {where: sorted(families) for where, families in self._seeds_at.items()},
                "own_seeds": sorted(self._seeded),
                "calls": {where: sorted(callees) for where, callees in self._calls_at.items()},
                "reports": reports,
            },
        )

    @classmethod
    def review(cls, proposed: list[Finding], project: Project, options: Any) -> Iterator[Finding]:
        """Seeding across modules: drop what a program seeds elsewhere (an imported seeding
        helper, a module that seeds when imported), and decide library draws by the programs
        that reach them."""
        programs = _Programs(project, {path: data["program"] for path, data in project.rule_data(cls.CODE).items()})
        for finding in proposed:
            decided = programs.decide(finding)
            if decided is not None:
                yield decided

    def _is_entry_module(self, module: cst.Module) -> bool:
        """A module run as a program: a notebook, `__main__.py`, a main guard, or module-level work."""
        if self.context.is_notebook or self.context.path.endswith("__main__.py") or self._module_level_work:
            return True
        return self._does_work(module.body)

    def _does_work(self, body: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]) -> bool:
        for statement in body:
            if isinstance(statement, cst.For | cst.While):
                return True
            if isinstance(statement, cst.If):
                if _is_main_guard(statement.test):
                    return True
                orelse = statement.orelse
                if self._does_work(statement.body.body):
                    return True
                if orelse is not None and self._does_work(
                    [orelse] if isinstance(orelse, cst.If) else orelse.body.body
                ):
                    return True
            elif isinstance(statement, cst.Try | cst.With):
                blocks = [statement.body.body]
                if isinstance(statement, cst.Try):
                    blocks += [handler.body.body for handler in statement.handlers]
                    blocks += [part.body.body for part in (statement.orelse, statement.finalbody) if part is not None]
                if any(self._does_work(block) for block in blocks):
                    return True
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Expr) and self._is_work_expression(small.value):
                        return True
            elif isinstance(statement, cst.Expr) and self._is_work_expression(statement.value):
                return True  # `if x: run()` on one line
        return False

    def _is_work_expression(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Await):
            return True
        if not isinstance(value, cst.Call):
            return False  # docstrings, `...`, bare names
        callee = self.qualified_name(value.func) or dotted_name(value.func) or ""
        if not callee and isinstance(value.func, cst.Attribute):
            callee = value.func.attr.value
        if callee in SEEDERS or "seed" in callee.rsplit(".", 1)[-1].lower():
            return False
        if callee.startswith(_SETUP_PREFIXES) or callee.rsplit(".", 1)[-1] in _SETUP_NAMES:
            return False
        return not callee.rsplit(".", 1)[-1].startswith("DEFINE")  # absl flag definitions


class _Programs:
    """The project's programs: each entry module with the first-party modules it imports."""

    def __init__(self, project: Project, recorded: dict[str, dict[str, Any]]) -> None:
        self.project = project
        self.recorded = recorded
        self.index = ModuleIndex(project.modules())
        self.graph = project.import_graph()
        self.entries = {path for path, data in recorded.items() if data["entry"]}
        self._helper_seeds: dict[tuple[str, str], frozenset[str]] = {}
        self._program_seeds: dict[str, frozenset[str]] = {}
        self._reports: dict[tuple[str, int, str], dict[str, Any]] = {
            (path, item["line"], item["message"]): item for path, data in recorded.items() for item in data["reports"]
        }

    def decide(self, finding: Finding) -> Finding | None:
        """The finding as it stands in its program (None when the program seeds the RNG)."""
        item = self._reports.get((finding.path, finding.line, finding.message))
        if item is None:
            return finding  # not about a global RNG: decided in its file
        family = item["family"]
        if finding.path in self.entries:
            return None if family in self.program_seeds(finding.path) else finding
        reaching = self.reaching(finding.path)
        if item["kind"] == FALLBACK:
            return None if any(family in self.program_seeds(path) for path in reaching) else finding
        if not reaching or any(family in self.program_seeds(path) for path in reaching):
            return None  # library code no program runs, or a program that seeds it
        key = "learns" if item["values_only"] else "keeps"
        # The programs that keep a result these numbers can change (all of them, when the
        # module itself learns or writes what they change).
        programs = reaching if self.recorded[finding.path][key] else [p for p in reaching if self.recorded[p][key]]
        if not programs:
            return None
        named = ", ".join(f"`{path}`" for path in programs[:_MAX_PROGRAMS])
        if len(programs) > _MAX_PROGRAMS:
            named += f" and {len(programs) - _MAX_PROGRAMS} more"
        message = (
            f"`{item['label']}` {item['verb']} {FAMILY_LABELS[family]}, and no program that imports this module "
            f"seeds it ({named}){_more_draws(item['more'])}"
        )
        return replace(finding, message=message)

    def reaching(self, path: str) -> list[str]:
        """The entry modules whose programs import the module at `path`, by path."""
        node = module_node(self.project.facts[path].module)
        if node not in self.graph:
            return []
        return sorted(
            found
            for found in (self.graph.nodes[ancestor]["path"] for ancestor in nx.ancestors(self.graph, node))
            if found in self.entries and found != path
        )

    def program_seeds(self, path: str) -> frozenset[str]:
        """The RNGs a program seeds: anywhere in its entry module, in a first-party helper that
        the entry module calls, or at import time in any first-party module it imports."""
        known = self._program_seeds.get(path)
        if known is not None:
            return known
        data = self.recorded[path]
        seeds: set[str] = set(data["own_seeds"])  # anywhere in the entry module itself, as its file phase has it
        for where in {*data["seeds"], *data["calls"]}:
            seeds |= self.helper_seeds(path, where)
        node = module_node(self.project.facts[path].module)
        if node in self.graph:
            for imported in nx.descendants(self.graph, node):
                seeds |= self.helper_seeds(self.graph.nodes[imported]["path"], IMPORT_TIME)
        result = frozenset(seeds)
        self._program_seeds[path] = result
        return result

    def helper_seeds(self, path: str, where: str) -> frozenset[str]:
        """The RNGs that running the code at `where` in the module at `path` seeds, following
        its calls into first-party functions and classes (cycles are cut)."""
        key = (path, where)
        known = self._helper_seeds.get(key)
        if known is not None:
            return known
        self._helper_seeds[key] = frozenset()  # while in progress: a cycle adds nothing
        data = self.recorded.get(path)
        if data is None:
            return frozenset()
        seeds = set(data["seeds"].get(where, ()))
        facts = self.project.facts[path]
        for callee in data["calls"].get(where, ()):
            target = self._callee(facts, callee)
            if target is not None:
                seeds |= self.helper_seeds(*target)
        result = frozenset(seeds)
        self._helper_seeds[key] = result
        return result

    def _callee(self, facts: Any, callee: str, hops: int = 0) -> tuple[str, str] | None:
        """(path, function or class name) of a first-party callee, or None. A name that its
        module only re-exports (`from .data import split`, `from .data import *` in a package's
        `__init__.py`) is followed to where it is defined."""
        own = facts.module + "."
        if facts.module and callee.startswith(own):
            head = callee[len(own) :].split(".", 1)[0]
            if self.project.module(own + head) is None:  # not a submodule: the module's own name
                return facts.path, head
        split = self.index.resolve_dotted(facts, callee)
        if split is None or not split[1]:
            return None
        target = self.project.module(split[0])
        if target is None:
            return None
        name = split[1].split(".", 1)[0]
        if hops < _MAX_REEXPORT_HOPS and not any(item.name == name and not item.scope for item in target.definitions):
            for fact in target.imports:
                if fact.name == "*" or (fact.alias == name and fact.name):
                    found = self._callee(target, f"{fact.module}.{name}", hops + 1)
                    if found is not None and found[0] != target.path:
                        return found
        return target.path, name


def _more_draws(more: int) -> str:
    return f" ({more} more draw{'s' if more > 1 else ''} from it in this file)" if more else ""


def _last_name(func: cst.BaseExpression, callee: str | None) -> str:
    if callee is not None:
        return callee.rsplit(".", 1)[-1]
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _seed_argument(keywords: dict[str, cst.BaseExpression]) -> cst.BaseExpression | None:
    for keyword in ("random_state", "seed", "random_seed", "rng", "generator"):
        if keyword in keywords:
            return keywords[keyword]
    return None


def _without_seed(call: str, seed: cst.BaseExpression | None, keyword: str = "random_state") -> str:
    if seed is not None:
        return f"`{call}` is called with `{keyword}=None`"
    return f"`{call}` is called without `{keyword}`"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _is_true(node: cst.BaseExpression | None) -> bool:
    if node is None:
        return False
    ok, value = literal_value(node)
    return ok and value is True


def _spelling(node: cst.BaseExpression) -> str:
    code = cst.Module([]).code_for_node(node)
    return code if len(code) <= 40 and "\n" not in code else "DataFrame"


def _tests_for_missing(test: cst.BaseExpression) -> bool:
    """`if x is None:` / `if not x:` — the body supplies a default for a missing argument."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return isinstance(test.expression, cst.Name | cst.Attribute)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        return isinstance(target.operator, cst.Is) and _is_none(target.comparator)
    return False


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return False
    sides = (test.left, target.comparator)
    names = {side.value for side in sides if isinstance(side, cst.Name)}
    strings = {literal_value(side)[1] for side in sides if isinstance(side, cst.SimpleString)}
    return names == {"__name__"} and strings == {"__main__"}
