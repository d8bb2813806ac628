"""MLD801 unseeded-randomness beyond its own examples: options, one finding per RNG, entry modules."""

from __future__ import annotations

import ast
import textwrap
from typing import Any

import pytest

from mldebt.analysis import RuleSetup
from mldebt.registry import load_registry
from mldebt.runner import check_sources

RULE: Any = next(rule for rule in load_registry().rules if rule.CODE == "MLD801")


def findings(code: str, path: str = "example.py", **options: Any) -> list[tuple[int, str]]:
    setup = RuleSetup(RULE, RULE.Options(**options), RULE.SEVERITY)
    source = textwrap.dedent(code).strip("\n") + "\n"
    ast.parse(source)  # an example that does not parse would pass silently
    result = check_sources({path: source}, [setup])
    assert not result.errors
    return sorted((f.line, f.message) for f in result.findings if f.code == "MLD801")


def lines(code: str, path: str = "example.py", **options: Any) -> list[int]:
    return [line for line, _ in findings(code, path, **options)]


SCRIPT = """
import numpy as np
import random
if __name__ == "__main__":
    a = np.random.rand(3)
    b = np.random.randn(3)
    random.shuffle(items)
    c = np.random.choice(a)
    model.fit(a, b)
"""


def test_one_finding_per_rng_at_its_first_draw() -> None:
    assert lines(SCRIPT) == [4, 6]


def test_report_every_draw_option() -> None:
    assert lines(SCRIPT, report_every_draw=True) == [4, 5, 6, 7]


def test_implicit_library_seeds_option() -> None:
    code = """
    import xgboost as xgb
    from catboost import CatBoostRegressor
    model = xgb.XGBClassifier(n_estimators=100)
    other = CatBoostRegressor(random_seed=None)
    seeded = xgb.XGBRegressor(random_state=0)
    """
    assert lines(code) == []
    assert findings(code, implicit_library_seeds=True) == [
        (3, "`xgboost.XGBClassifier(...)` is called without `random_state`, "
            "so it runs on the seed built into the library's defaults"),
        (4, "`catboost.CatBoostRegressor(...)` is called with `random_seed=None`, "
            "so it runs on the seed built into the library's defaults"),
    ]


def test_shuffling_dataloader_counts_as_a_torch_draw() -> None:
    code = """
    import torch
    from torch.utils.data import DataLoader
    if __name__ == "__main__":
        train = DataLoader(ds, shuffle=True)
        valid = DataLoader(ds, shuffle=True)
        loss.backward()
    """
    assert findings(code) == [
        (4, "`torch.utils.data.DataLoader(shuffle=True)` has no `generator=`, so it shuffles with "
            "torch's global RNG, and this program never seeds it (1 more draw from it in this file)"),
    ]


def test_tensor_values_count_only_in_a_program_that_learns() -> None:
    smoke = """
    import torch
    if __name__ == "__main__":
        x = torch.randn(2, 3, 224, 224)
        print(Net()(x).shape)
    """
    assert lines(smoke) == []
    smoke = textwrap.dedent(smoke)
    assert lines(smoke + "    scheduler.step()\n") == []  # a diffusion sampler steps without learning
    assert lines(smoke + "    loss.backward()\n") == [3]


def test_draws_count_only_in_a_program_that_keeps_a_result() -> None:
    demo = """
    import random
    if __name__ == "__main__":
        print(random.choice(["heads", "tails"]))
    """
    assert lines(demo) == []
    assert lines(textwrap.dedent(demo) + "    frame.to_parquet('out.parquet')\n") == [3]


def test_data_order_draws_count_without_learning() -> None:
    code = """
    import torch
    from torch.utils.data import random_split
    if __name__ == "__main__":
        train, valid = random_split(ds, [0.8, 0.2])
        save(train, valid)
    """
    assert lines(code) == [4]


@pytest.mark.parametrize(
    "code",
    [
        # Only definitions, imports, constants and configuration calls.
        """
        import warnings
        import numpy as np
        import matplotlib
        matplotlib.use("Agg")
        warnings.filterwarnings("ignore")
        __all__ = ["augment"]
        DEFAULTS = {"p": 0.5}
        def augment(x):
            return x[np.random.permutation(len(x))]
        """,
        # A class body is a definition, even with calls in it.
        """
        import random
        class Sampler:
            order = sorted(range(3))
            def draw(self):
                return random.random()
        """,
        # Registration at import time.
        """
        import random
        REGISTRY = {}
        def register(fn):
            REGISTRY[fn.__name__] = fn
            return fn
        @register
        def jitter(x):
            return x + random.gauss(0, 1)
        register(jitter)
        """,
    ],
)
def test_library_modules_are_not_programs(code: str) -> None:
    assert lines(textwrap.dedent(code) + "def fit(model, x):\n    model.fit(x)\n") == []


@pytest.mark.parametrize(
    "code",
    [
        "import numpy as np\nmain()\ndef f():\n    return np.random.rand()\n",
        "import numpy as np\nwith open('x') as fh:\n    rows = np.random.permutation(10)\n",
        "import numpy as np\nargs = parser.parse_args()\nnp.random.shuffle(rows)\n",
    ],
)
def test_module_level_work_makes_a_program(code: str) -> None:
    assert len(lines(code + "def save_split():\n    frame.to_csv('split.csv')\n")) == 1


def test_package_main_is_a_program() -> None:
    code = "import random\ndef run():\n    return model.predict(random.random())\n"
    assert lines(code, path="pkg/__main__.py") == [3]


@pytest.mark.parametrize(
    "seeding",
    [
        "import transformers\ntransformers.set_seed(0)\n",
        "from pytorch_lightning import seed_everything\nseed_everything(0)\n",
        "import tensorflow as tf\ntf.keras.utils.set_random_seed(1)\n",
        "from helpers import fix_all_seeds\nfix_all_seeds()\n",
        "def init(seed):\n    np.random.seed(seed)\n",
        "from engine import setup\nsetup(cfg, seed=3)\n",
        "import colossalai\ncolossalai.launch_from_torch(config={})\n",
        "from transformers import Trainer\ntrainer = Trainer(model=model, args=args)\n",
    ],
)
def test_seeding_helpers_seed_numpy(seeding: str) -> None:
    code = "import numpy as np\n" + seeding + "if __name__ == '__main__':\n    np.random.shuffle(rows)\n"
    assert lines(code + "    model.fit(rows)\n") == []
    unseeded = "import numpy as np\nif __name__ == '__main__':\n    np.random.shuffle(rows)\n    model.fit(rows)\n"
    assert lines(unseeded) == [3]


@pytest.mark.parametrize(
    "not_seeding",
    [
        "torch.seed()\n",  # draws a fresh, random seed
        "ds = ds.shuffle(seed=42)\n",  # seeds its own shuffle, used for its value
        "torch.manual_seed(0)\n",  # another RNG
    ],
)
def test_calls_that_do_not_seed_numpy(not_seeding: str) -> None:
    code = "import numpy as np\nimport torch\n" + not_seeding
    code += "if __name__ == '__main__':\n    x = np.random.permutation(10)\n    np.save('order.npy', x)\n"
    assert lines(code) == [5]


def test_tests_are_not_reported() -> None:
    assert lines(SCRIPT, path="tests/test_split.py") == []
    assert lines("import numpy as np\nrng = np.random.default_rng()\n", path="test_rng.py") == []


def test_sample_method_needs_a_size_keyword_and_a_non_module_receiver() -> None:
    code = """
    import random
    import numpy as np
    def pick(self, frame):
        a = random.sample(population=items, k=3)
        b = np.random.sample(size=3)
        c = frame.sample(5)
        return self.data.sample(n=5)
    """
    assert lines(code) == [7]
