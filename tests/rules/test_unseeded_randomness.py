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


# --- Programs across modules (the project phase) ------------------------------------------


def project_findings(files: dict[str, str]) -> list[tuple[str, int]]:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    sources = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    result = check_sources(sources, [setup])
    assert not result.errors
    return sorted((f.path, f.line) for f in result.findings if f.code == "MLD801")


SPLIT = """
import random
import settings
if __name__ == "__main__":
    random.shuffle(lines)
    pd.DataFrame({"text": lines}).to_csv("valid.csv")
"""


def test_a_module_that_seeds_when_imported_seeds_the_program_transitively() -> None:
    seeding = "import random\nrandom.seed(7)\n"
    assert project_findings({"split.py": SPLIT, "settings.py": "import common\n", "common.py": seeding}) == []
    # Seeding inside a function that nobody calls does not count, nor does the main guard of an import.
    for settings in ("import random\ndef fix():\n    random.seed(7)\n",
                     "import random\nif __name__ == '__main__':\n    random.seed(7)\n"):
        assert project_findings({"split.py": SPLIT, "settings.py": settings}) == [("split.py", 4)]


def test_a_seeding_helper_is_followed_through_first_party_calls_and_classes() -> None:
    entry = """
    import torch
    from runner import Runner
    if __name__ == "__main__":
        runner = Runner(cfg)
        x = torch.randn(3)
        loss.backward()
    """
    runner = "from tools import init\nclass Runner:\n    def __init__(self, cfg):\n        init(cfg)\n"
    seeds = "import torch\ndef init(cfg):\n    torch.manual_seed(cfg.seed)\n"
    assert project_findings({"train.py": entry, "runner.py": runner, "tools.py": seeds}) == []
    assert project_findings({"train.py": entry, "runner.py": runner, "tools.py": "def init(cfg):\n    pass\n"}) == [
        ("train.py", 5)
    ]


def test_helper_cycles_end() -> None:
    entry = "import random\nfrom a import f\nif __name__ == '__main__':\n    f()\n    random.shuffle(x)\n    model.fit(x)\n"
    files = {"main.py": entry, "a.py": "from b import g\ndef f():\n    g()\n", "b.py": "from a import f\ndef g():\n    f()\n"}
    assert project_findings(files) == [("main.py", 5)]


def test_a_library_draw_needs_a_program_that_reaches_it_keeps_a_result_and_never_seeds() -> None:
    library = "import numpy as np\ndef pick(rows):\n    return np.random.choice(rows)\n"
    demo = "from lib import pick\nif __name__ == '__main__':\n    print(pick([1, 2]))\n"
    train = "from lib import pick\nif __name__ == '__main__':\n    model.fit(pick(rows))\n"
    seeded = "import numpy as np\nfrom lib import pick\nif __name__ == '__main__':\n    np.random.seed(0)\n    model.fit(pick(rows))\n"
    assert project_findings({"lib.py": library}) == []
    assert project_findings({"lib.py": library, "demo.py": demo}) == []
    assert project_findings({"lib.py": library, "train.py": train}) == [("lib.py", 3)]
    assert project_findings({"lib.py": library, "train.py": seeded}) == []
    # Reached through another library module, by one seeded and one unseeded program: seeded wins.
    files = {"lib.py": library, "pipeline.py": "import lib\n", "a.py": seeded.replace("from lib", "from pipeline"),
             "b.py": train.replace("from lib import pick", "from pipeline import lib")}
    assert project_findings(files) == []


def test_numpy_fallbacks_follow_their_programs() -> None:
    library = "from sklearn.model_selection import train_test_split\ndef split(x):\n    return train_test_split(x)\n"
    seeded = "import numpy as np\nimport lib\nif __name__ == '__main__':\n    np.random.seed(0)\n    model.fit(lib.split(x))\n"
    helper = "import helper\nimport lib\nif __name__ == '__main__':\n    helper.setup()\n    model.fit(lib.split(x))\n"
    assert project_findings({"lib.py": library}) == [("lib.py", 3)]
    assert project_findings({"lib.py": library, "train.py": seeded}) == []
    entry_split = "from sklearn.model_selection import train_test_split\nimport helper\nhelper.setup()\nparts = train_test_split(x)\n"
    numpy_helper = "import numpy as np\ndef setup():\n    np.random.seed(1)\n"
    assert project_findings({"run.py": entry_split, "helper.py": numpy_helper}) == []
    assert project_findings({"run.py": entry_split, "helper.py": "def setup():\n    pass\n"}) == [("run.py", 4)]
    assert project_findings({"lib.py": library, "train.py": helper, "helper.py": numpy_helper}) == []


def test_entry_module_detection_is_recorded_as_data() -> None:
    setup = RuleSetup(RULE, RULE.Options(), RULE.SEVERITY)
    files = {"train.py": "import lib\nif __name__ == '__main__':\n    lib.run()\n", "lib.py": "import random\ndef run():\n    random.random()\n"}
    result = check_sources(files, [setup])
    assert result.project is not None
    programs = {path: data["program"] for path, data in result.project.rule_data("MLD801").items()}
    assert programs["train.py"]["entry"] is True
    assert programs["lib.py"]["entry"] is False
    assert programs["train.py"]["calls"] == {"__main__": ["lib.run"]}


def test_a_seed_argument_passed_on_seeds_no_program_that_calls_the_helper() -> None:
    # `super().__init__(seed=seed)` is presumed to seed in its own file, never for its callers.
    models = "import xgboost\nclass Booster(Base):\n    def __init__(self, seed=0):\n        super().__init__(seed=seed)\n"
    entry = "import random\nfrom models import Booster\nif __name__ == '__main__':\n    model = Booster()\n    random.shuffle(rows)\n    model.fit(rows)\n"
    assert project_findings({"task.py": entry, "models.py": models}) == [("task.py", 5)]
    # In the entry module itself, a call given `seed=` for its effect still counts (as before).
    seeded = entry.replace("    model = Booster()\n", "    model = Booster()\n    launch(cfg, seed=1)\n")
    assert project_findings({"task.py": seeded, "models.py": models}) == []


def test_a_helper_re_exported_by_a_package_is_followed_to_its_definition() -> None:
    entry = "import numpy as np\nfrom lib.utils import split\nif __name__ == '__main__':\n    parts = split(rows, seed=1)\n    np.random.shuffle(rows)\n    model.fit(rows)\n"
    data = "import numpy as np\ndef split(rows, seed=0):\n    np.random.seed(seed)\n    return rows\n"
    for init in ("from .data import *\n", "from .data import split\n", "from lib.utils.data import split as split\n"):
        files = {"run.py": entry, "lib/__init__.py": "", "lib/utils/__init__.py": init, "lib/utils/data.py": data}
        assert project_findings(files) == [], init
    files = {"run.py": entry, "lib/__init__.py": "", "lib/utils/__init__.py": "from .other import *\n",
             "lib/utils/other.py": "def split(rows, seed=None):\n    return rows\n"}
    assert project_findings(files) == [("run.py", 5)]


def test_a_helper_that_seeds_under_a_condition_is_taken_to_seed_as_in_the_file_phase() -> None:
    # Leniency on purpose (never cry wolf): `setup(args)` seeding under `if args.seed:` is common.
    entry = "import numpy as np\nfrom helpers import split\nif __name__ == '__main__':\n    parts = split(rows)\n    np.random.shuffle(rows)\n    model.fit(rows)\n"
    conditional = "import numpy as np\ndef split(rows, seed=None):\n    if seed:\n        np.random.seed(seed)\n    return rows\n"
    assert project_findings({"run.py": entry, "helpers.py": conditional}) == []
