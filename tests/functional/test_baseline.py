"""Baselines: a committed file that stays the same, and fingerprints that survive edits around a finding.

Each test writes a small project, records or applies a baseline through the command line, and
edits the code the way people and formatters do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.functional.conftest import Outcome

BASELINE = "mldebt-baseline.json"

TRAIN = '''\
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def load():
    return pd.read_csv("/home/alice/data/train.csv")


def train(frame):
    model = RandomForestClassifier(n_estimators=100, max_depth=8, min_samples_leaf=2, n_jobs=-1)
    model.fit(frame, frame["y"])
    if False:
        model = RandomForestClassifier(n_estimators=10)
    return model


def train_old(frame):
    return frame


if __name__ == "__main__":
    noise = np.random.rand(3)
    print(train(load()), noise)
'''

# The same module after edits that do not touch any finding: lines inserted above, a function
# above re-indented and wrapped, blank lines added, comments, and black-style reformatting.
TRAIN_EDITED_AROUND = '''\
"""Training script."""
import os
import numpy as np
import pandas as pd

from sklearn.ensemble import RandomForestClassifier

VERSION = os.environ.get("VERSION", "1")


def helper(a, b, c):
  # indented with two spaces now
  return (
      a
      + b
      + c
  )


def load():

    return pd.read_csv("/home/alice/data/train.csv")


def train(frame):


    model = RandomForestClassifier(n_estimators=100, max_depth=8, min_samples_leaf=2, n_jobs=-1)
    model.fit(
        frame,
        frame["y"],
    )
    if False:
        model = RandomForestClassifier(n_estimators=10)
    return model


def train_old(frame):
    return frame


if __name__ == "__main__":
    print("starting")
    noise = np.random.rand(3)
    print(train(load()), noise)
'''

# The same module with only the layout of the flagged lines themselves changed: spacing inside
# them, string quotes, a comment at the end, a call split over lines with a trailing comma and
# put in parentheses, a function's signature split over lines.
TRAIN_OWN_LAYOUT = '''\
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def load():
    return pd.read_csv( '/home/alice/data/train.csv' )  # the shared copy


def train(frame):
    model = (
        RandomForestClassifier(
            n_estimators=100,
            max_depth=8,
            min_samples_leaf=2,
            n_jobs=-1,
        )
    )
    model.fit(frame, frame["y"])
    if  False :  # keep for now
        model = RandomForestClassifier(n_estimators = 10)
    return model


def train_old(
    frame,
):
    return frame


if __name__ == "__main__":
    noise = np.random.rand( 3 )
    print(train(load()), noise)
'''

REQUIREMENTS = "torch\npandas>=1.0\n"

Write = Callable[..., Path]
Run = Callable[..., Outcome]


def _fingerprints(mldebt: Run, *args: str) -> dict[str, tuple[str, str, int]]:
    outcome = mldebt("check", "--no-cache", "--format", "json", *args)
    assert outcome.exit_code in (0, 1), outcome.stderr
    findings = outcome.json()["findings"]
    return {f["fingerprint"]: (f["code"], f["path"], f["line"]) for f in findings}


def _entries(path: Path) -> list[dict[str, str]]:
    return json.loads(path.read_text(encoding="utf-8"))["findings"]


@pytest.fixture
def project(write: Write) -> Path:
    return write({"train.py": TRAIN, "requirements.txt": REQUIREMENTS, "pkg/__init__.py": "", "pkg/sub/job.py": TRAIN})


def test_the_baseline_file_is_sorted_relative_and_byte_identical_when_written_again(
    project: Path, mldebt: Run
) -> None:
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    first = (project / BASELINE).read_bytes()
    text = first.decode("utf-8")
    data = json.loads(text)
    assert set(data) == {"version", "findings"}
    entries = data["findings"]
    assert len(entries) == len(_fingerprints(mldebt)) >= 10
    assert all(set(entry) == {"code", "fingerprint", "path", "scope", "source"} for entry in entries)
    assert [(e["path"], e["code"], e["fingerprint"]) for e in entries] == sorted(
        (e["path"], e["code"], e["fingerprint"]) for e in entries
    )
    # one finding per line, relative `/` paths, nothing from this machine or this moment
    assert text.count("\n") == len(entries) + 5 and "\r" not in text
    assert {e["path"] for e in entries} == {"train.py", "requirements.txt", "pkg/sub/job.py"}
    assert str(project) not in text and "\\\\" not in text
    assert "line" not in {key for entry in entries for key in entry} and '"message"' not in text
    # the same findings give the same bytes (and the file is not even rewritten); so do edits
    # that move every finding down
    written = (project / BASELINE).stat().st_mtime_ns
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    assert (project / BASELINE).read_bytes() == first
    assert (project / BASELINE).stat().st_mtime_ns == written
    (project / "train.py").write_text(TRAIN_EDITED_AROUND, encoding="utf-8")
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    assert (project / BASELINE).read_bytes() == first


def test_a_baseline_with_no_findings(write: Write, mldebt: Run) -> None:
    root = write({"clean.py": "def add(a, b):\n    return a + b\n"})
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 0
    assert (root / BASELINE).read_text(encoding="utf-8") == '{\n  "version": 2,\n  "findings": []\n}\n'
    assert mldebt("check", "--no-cache", "--baseline", BASELINE).exit_code == 0


@pytest.mark.parametrize("edited", [TRAIN_EDITED_AROUND, TRAIN_OWN_LAYOUT], ids=["edits-around", "own-layout"])
def test_fingerprints_survive_edits_that_do_not_change_the_finding(
    project: Path, mldebt: Run, edited: str
) -> None:
    before = _fingerprints(mldebt, "train.py")
    assert {code for code, _, _ in before.values()} >= {"MLD504", "MLD506", "MLD601", "MLD801", "MLD803"}
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    (project / "train.py").write_text(edited, encoding="utf-8")
    after = _fingerprints(mldebt, "train.py")
    assert set(after) == set(before)
    assert [line for _, _, line in after.values()] != [line for _, _, line in before.values()]
    outcome = mldebt("check", "--no-cache", "--baseline", BASELINE, "--format", "json")
    assert outcome.codes() == [] and outcome.exit_code == 0


def test_a_block_is_identified_by_its_header(project: Path, mldebt: Run) -> None:
    before = _fingerprints(mldebt, "train.py")
    body = "        model = RandomForestClassifier(n_estimators=10)\n"
    edited = TRAIN.replace(body, "        # an older try\n        model = RandomForestClassifier(n_estimators=20)\n        model.warm_start = True\n")
    (project / "train.py").write_text(edited, encoding="utf-8")
    after = _fingerprints(mldebt, "train.py")
    kept = {after[fp][0] for fp in set(before) & set(after)}
    new = sorted((code, line) for fp, (code, _, line) in after.items() if fp not in before)
    assert "MLD504" in kept  # `if False:` is the same block: only its body changed
    assert new == [("MLD601", 15), ("MLD801", 15)]  # the changed line inside it is new


def test_changing_what_a_finding_says_makes_it_new(project: Path, mldebt: Run) -> None:
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    source = TRAIN.replace("n_estimators=100", "n_estimators=200")
    (project / "train.py").write_text(source, encoding="utf-8")
    outcome = mldebt("check", "--no-cache", "--baseline", BASELINE, "--format", "json")
    # the hyperparameter finding and the unseeded-model finding of that line are new
    assert outcome.codes() == [("MLD601", "train.py", 11), ("MLD801", "train.py", 11)]


def test_identical_findings_are_counted_not_merged(write: Write, mldebt: Run) -> None:
    header = "from sklearn.ensemble import RandomForestClassifier\n\n\ndef fit(x, y):\n"
    same = "    model = RandomForestClassifier(n_estimators=100, random_state=0)\n"
    footer = "    return model.fit(x, y)\n"
    root = write({"models.py": header + same * 2 + footer})
    two = _fingerprints(mldebt)
    assert sorted(two.values()) == [("MLD601", "models.py", 5), ("MLD601", "models.py", 6)]  # two fingerprints
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 0
    # A third identical line ABOVE the two: fingerprints are counted down the file, so the
    # baseline covers two of the three and exactly one is new -- reported at the last of them.
    (root / "models.py").write_text(header + "    print('fitting')\n" + same * 3 + footer, encoding="utf-8")
    outcome = mldebt("check", "--no-cache", "--baseline", BASELINE, "--format", "json")
    assert outcome.codes() == [("MLD601", "models.py", 8)]
    # Back to one of the original two: nothing is new, whichever of them was removed.
    (root / "models.py").write_text(header + "    print('fitting')\n" + same + footer, encoding="utf-8")
    assert mldebt("check", "--no-cache", "--baseline", BASELINE, "--format", "json").codes() == []


def test_fixed_findings_leave_the_baseline_when_it_is_written_again(project: Path, mldebt: Run) -> None:
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    recorded = {e["fingerprint"]: e["code"] for e in _entries(project / BASELINE)}
    fixed = TRAIN.replace("    if False:\n        model = RandomForestClassifier(n_estimators=10)\n", "")
    (project / "train.py").write_text(fixed, encoding="utf-8")
    outcome = mldebt("check", "--no-cache", "--baseline", BASELINE, "--write-baseline", BASELINE)
    assert outcome.exit_code == 0  # nothing new: the run passes
    now = {e["fingerprint"]: e["code"] for e in _entries(project / BASELINE)}
    gone = [recorded[fingerprint] for fingerprint in set(recorded) - set(now)]
    assert sorted(gone) == ["MLD504", "MLD601", "MLD801"]
    assert set(now) < set(recorded)


def test_a_project_baseline_applies_to_a_run_on_named_files(project: Path, mldebt: Run) -> None:
    whole = _fingerprints(mldebt)
    assert mldebt("check", "--no-cache", "--write-baseline", BASELINE).exit_code == 1
    for named in ("train.py", "requirements.txt", "pkg/sub/job.py"):
        alone = _fingerprints(mldebt, named)
        assert alone and set(alone) == {fp for fp, (_, path, _) in whole.items() if path == named}
        outcome = mldebt("check", "--no-cache", "--baseline", BASELINE, "--format", "json", named)
        assert outcome.exit_code == 0 and outcome.codes() == []
    # as pre-commit runs it: several files, from another working directory
    outcome = mldebt(
        "check", "--no-cache", "--baseline", str(project / BASELINE), "--format", "json",
        str(project / "train.py"), str(project / "requirements.txt"), cwd=project / "pkg",
    )
    assert outcome.exit_code == 0 and outcome.codes() == []


def test_project_and_dependency_file_findings_keep_their_fingerprints(project: Path, mldebt: Run) -> None:
    before = _fingerprints(mldebt)
    project_level = {fp: where for fp, where in before.items() if where[0] in ("MLD506", "MLD802")}
    assert {(code, path) for code, path, _ in project_level.values()} >= {
        ("MLD506", "train.py"), ("MLD802", "requirements.txt")
    }
    (project / "requirements.txt").write_text("# pinned later\n\nnumpy==1.26.4\ntorch   # the model\npandas >= 1.0\n")
    (project / "train.py").write_text(TRAIN_EDITED_AROUND, encoding="utf-8")
    after = _fingerprints(mldebt)
    assert set(project_level) <= set(after)
    assert {after[fp][2] for fp in project_level} != {where[2] for where in project_level.values()}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the baseline"),
        ("{not json", "not a baseline file (invalid JSON"),
        (b"\xff\xfe{}", "not a baseline file (invalid JSON"),
        ('{"version": 2}', "not a baseline file (no `findings` list)"),
        ("[1, 2]", "not a baseline file (no `findings` list)"),
        ('{"version": 1, "findings": []}', "a baseline of version 1, and this mldebt reads version 2"),
        ('{"version": 2, "findings": [{"code": "MLD504"}]}', "entry 1 of `findings` has no `fingerprint`"),
    ],
    ids=["missing", "invalid-json", "not-utf8", "no-findings", "not-an-object", "old-version", "no-fingerprint"],
)
def test_an_unusable_baseline_is_a_usage_error(
    project: Path, mldebt: Run, content: str | bytes | None, message: str
) -> None:
    if isinstance(content, bytes):
        (project / BASELINE).write_bytes(content)
    elif content is not None:
        (project / BASELINE).write_text(content, encoding="utf-8")
    outcome = mldebt("check", "--no-cache", "--baseline", BASELINE)
    assert outcome.exit_code == 2
    assert outcome.stdout == ""  # fails before checking anything
    assert f"mldebt: error: {BASELINE}: {message}" in outcome.stderr or (
        f"mldebt: error: {message} {BASELINE}" in outcome.stderr
    )


def test_a_baseline_that_cannot_be_written_is_a_usage_error(project: Path, mldebt: Run) -> None:
    outcome = mldebt("check", "--no-cache", "--write-baseline", "no/such/folder/baseline.json")
    assert outcome.exit_code == 2
    assert "mldebt: error: cannot write the baseline no/such/folder/baseline.json" in outcome.stderr
