"""Setting names: which UPPER_CASE module constants name an ML setting.

Used by MLD602 (conflicting-config-constant). A name is split at `_` into words; it names a
setting when its last words are one of SETTING_TERMS (`TRAIN_BATCH_SIZE` ends with
`BATCH_SIZE`), when it counts something a model is built from (`N_CLASSES`, `NUM_FOLDS`), or
when it is a path to data or a model (`DATA_DIR`, `MODEL_PATH`). Generic constants
(`MAX_RETRIES`, `DEFAULT_TIMEOUT`) match none of these.
"""

from __future__ import annotations

import re

_UPPER = re.compile(r"^_*[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_*$")


def _terms(*names: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(name.split("_")) for name in names)


# Settings named by the words a name ends with, grouped by what they set.
SETTING_TERMS = _terms(
    # optimisation
    "LEARNING_RATE", "LR", "BATCH_SIZE", "BS", "BATCHSIZE", "EPOCHS", "EPOCH", "WEIGHT_DECAY", "MOMENTUM",
    "WARMUP_STEPS", "GRADIENT_ACCUMULATION_STEPS",
    # reproducibility
    "SEED", "RANDOM_STATE",
    # decisions
    "THRESHOLD", "THRESH",
    # regularisation
    "DROPOUT", "DROPOUT_RATE", "DROPOUT_PROB", "DROP_RATE",
    # architecture sizes
    "HIDDEN_SIZE", "HIDDEN_DIM", "HIDDEN_UNITS", "HIDDEN_LAYERS", "EMBEDDING_DIM", "EMBEDDING_SIZE",
    "EMBED_DIM", "EMBED_SIZE", "EMB_DIM", "EMB_SIZE", "D_MODEL", "N_EMBD",
    # input shapes
    "SEQ_LEN", "SEQ_LENGTH", "SEQUENCE_LENGTH", "MAX_LEN", "MAX_LENGTH", "MAXLEN", "MAX_SEQ_LEN",
    "MAX_SEQ_LENGTH", "CONTEXT_LENGTH", "IMG_SIZE", "IMAGE_SIZE",
    # splits
    "TEST_SIZE", "VAL_SIZE", "VALID_SIZE", "VALIDATION_SIZE", "TRAIN_SIZE", "TEST_SPLIT", "VAL_SPLIT",
    "VALIDATION_SPLIT", "TRAIN_SPLIT", "TEST_RATIO", "VAL_RATIO", "TRAIN_RATIO",
    # trees
    "N_ESTIMATORS", "NUM_ESTIMATORS", "MAX_DEPTH", "NUM_LEAVES", "NUM_BOOST_ROUND",
    # the label
    "TARGET", "TARGET_COL", "TARGET_COLUMN", "TARGET_NAME", "LABEL_COL", "LABEL_COLUMN",
)  # fmt: skip

# Counts of what a model is built from: `N_CLASSES`, `NUM_FEATURES`, `NB_CLASSES`, `NUMBER_OF_FOLDS`.
COUNT_PREFIXES = _terms("N", "NUM", "NB", "NO", "NUMBER_OF", "N_OF")
COUNTED = frozenset(
    {"FEATURES", "CLASSES", "LABELS", "FOLDS", "SPLITS", "ESTIMATORS", "LAYERS", "HEADS", "TREES", "EPOCHS"}
)

# Paths to data or models: a word naming what is stored, and a last word naming a place.
PATH_SUBJECTS = frozenset(
    {
        "DATA", "DATASET", "DATASETS", "MODEL", "MODELS", "CHECKPOINT", "CHECKPOINTS", "CKPT", "WEIGHTS",
        "TRAIN", "TRAINING", "TEST", "VALID", "VAL", "VALIDATION", "FEATURES", "PREDICTIONS", "EMBEDDINGS",
        "SUBMISSION", "INPUT", "RAW", "PROCESSED",
    }
)  # fmt: skip
PATH_PLACES = frozenset({"PATH", "DIR", "FILE", "FOLDER", "URI", "ROOT", "DIRECTORY", "FILENAME", "FNAME", "FILEPATH"})


def is_upper_case(name: str) -> bool:
    """`LEARNING_RATE`, `N_FOLDS`, `_PRIVATE_SEED`: a constant's spelling (one letter is too short)."""
    return len(name.strip("_")) > 1 and _UPPER.match(name) is not None


def is_setting_name(name: str, extra_terms: frozenset[tuple[str, ...]] = frozenset()) -> bool:
    """Whether an UPPER_CASE name is ML vocabulary (see the module docstring)."""
    words = tuple(word for word in name.strip("_").split("_") if word)
    if not words:
        return False
    for size in range(1, len(words) + 1):
        tail = words[-size:]
        if tail in SETTING_TERMS or tail in extra_terms:
            return True
    if words[-1] in COUNTED and len(words) >= 2:
        head = words[:-1]
        if any(head[-len(prefix):] == prefix for prefix in COUNT_PREFIXES if len(prefix) <= len(head)):
            return True
    if len(words) >= 2 and words[-1] in PATH_PLACES and any(word in PATH_SUBJECTS for word in words[:-1]):
        return True
    return False
