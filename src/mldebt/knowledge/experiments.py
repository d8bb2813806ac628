"""Names that mark an experiment or an old version of code (MLD506 stale-experiment-code).

A name is split into lower-case words (at `_` and at camelCase humps, leading underscores
dropped): `train_old`, `TrainerOld` and `_train_old` all end in the word `old`. A marker
word must stand at its end of the name and leave at least one other word: `old()` and
`legacy()` name nothing in particular. The exception tables keep out names in which the
marker word means something else: `exp_decay` (exponential), `try_import` (an attempt that
may fail), `remove_tmp` (it acts on temporary files), `resnet_v2` (an architecture's name).
"""

from __future__ import annotations

import re

# --- Marker words -----------------------------------------------------------------------------

# Last words that mark a copy kept beside its successor or a throw-away: `train_old`,
# `features_experimental`, `model_tmp`, `pipeline_backup`.
EXPERIMENT_SUFFIXES = frozenset({"old", "experimental", "tmp", "backup"})

# A version number as the last word: `train_v2`, `ModelV3` (`_v1` is often the only version).
VERSION_SUFFIX = re.compile(r"^v([2-9]|[1-9][0-9]+)$")

# First words that mark an experiment or an old version: `exp_new_loss`, `legacy_loader`,
# `try_lstm`.
EXPERIMENT_PREFIXES = frozenset({"exp", "legacy", "try"})

# --- Names in which a marker word means something else ------------------------------------------

# `exp_*` where `exp` is the exponential (`exp_decay`, `exp_lr_scheduler`, `exp_moving_average`),
# an experience of reinforcement learning (`exp_replay`), or an expected value (`exp_output`).
EXP_OTHER_MEANINGS = frozenset(
    {
        "decay", "lr", "moving", "avg", "average", "mean", "ma", "ema", "smoothing", "smooth",
        "schedule", "scheduler", "warmup", "anneal", "annealing", "growth", "rate", "backoff",
        "normalize", "normalise", "norm", "sum", "cumsum", "prod", "product", "log", "neg", "minus",
        "m1", "x", "kernel", "rbf", "gaussian", "family", "dist", "distribution", "cdf", "pdf",
        "transform", "func", "fn", "function", "activation", "act", "linear", "map", "scale",
        "scaled", "weight", "weights", "weighting", "curve", "fit", "term", "series", "safe",
        "stable", "clip", "clamp", "value", "values", "grad", "gradient", "integral", "sin", "cos",
        "poly", "matrix", "mat", "mult", "div", "shift", "relu", "reward", "loss", "base", "two",
        "ten", "2", "10", "e",
        "replay", "buffer", "memory", "queue", "collector", "output", "outputs", "result", "results",
        "shape", "str", "expr",
    }
)  # fmt: skip

# `try_*` where the function attempts something that may fail and falls back: `try_import`,
# `try_load_checkpoint`, `try_int`. An experiment is tried on a model or an idea (`try_lstm`).
ATTEMPT_VERBS = frozenset(
    {
        "import", "load", "get", "parse", "convert", "cast", "open", "read", "write", "save",
        "close", "connect", "reconnect", "call", "run", "exec", "execute", "eval", "remove",
        "delete", "rm", "unlink", "make", "makedirs", "mkdir", "create", "find", "fetch",
        "download", "upload", "decode", "encode", "int", "float", "str", "bool", "number", "json",
        "set", "resolve", "compile", "install", "acquire", "release", "lock", "unlock", "except",
        "catch", "wrap", "send", "request", "post", "put", "lookup", "match", "pickle", "unpickle",
        "render", "format", "copy", "move", "rename", "symlink", "link", "cleanup", "clean",
        "kill", "stop", "start", "login", "auth", "authenticate", "register", "unregister", "add",
        "pop", "next", "use", "enable", "disable", "patch", "setattr", "getattr", "hasattr",
        "to", "from", "as", "again", "retry", "hard", "cuda", "gpu", "device", "mount", "init",
        "initialize", "setup", "infer", "guess", "detect", "apply", "update", "sync", "commit",
        "push", "pull", "notify", "emit", "log", "flush", "wait", "join", "bind", "attach",
        "detach", "extract", "unzip", "untar", "decompress", "import_module", "free", "reserve",
        "allocate", "lookup", "fix", "repair", "recover", "restore", "reset", "resume",
    }
)  # fmt: skip

# `*_old`, `*_tmp`, `*_backup` after a verb or a preposition: the function acts on old, temporary
# or backup things (`is_old`, `remove_tmp`, `make_backup`, `restore_from_backup`, `clean_up_tmp`).
ACTING_ON_WORDS = frozenset(
    {
        "is", "are", "too", "has", "get", "make", "mk", "create", "clean", "cleanup", "clear",
        "remove", "rm", "delete", "del", "drop", "purge", "prune", "rotate", "save", "load",
        "restore", "write", "read", "copy", "move", "set", "check", "use", "do", "run", "take",
        "init", "setup", "list", "find", "upload", "download", "sync", "keep", "ignore", "skip",
        "filter", "discard", "archive", "handle", "open", "close", "to", "from", "in", "into", "as",
        "with", "without", "up", "of", "for", "on", "by", "replace", "swap",
        "store", "dump", "flush", "commit", "tidy", "wipe", "empty", "expire", "evict", "gc",
    }
)  # fmt: skip

# `*_v2` where the version belongs to a published architecture, dataset, or protocol:
# `resnet_v2`, `mobilenet_v3`, `load_squad_v2`, `api_v2`. Matched against every word of the name.
NAMED_VERSION_WORDS = frozenset(
    {
        # architectures
        "resnet", "resnext", "inception", "mobilenet", "efficientnet", "shufflenet", "squeezenet",
        "densenet", "vgg", "yolo", "ssd", "deeplab", "deeplabv3", "convnext", "swin", "vit", "regnet",
        "mnasnet", "ghostnet", "rcnn", "fasterrcnn", "maskrcnn", "fpn", "retinanet", "fcos", "detr",
        "bert", "roberta", "deberta", "gpt", "t5", "xception", "nasnet", "unet", "hrnet", "darknet",
        "cspdarknet", "mixnet", "fbnet", "levit", "xlnet", "albert", "electra", "clip", "llama",
        "mistral", "gemma", "qwen", "phi", "dino", "sam", "wav2vec", "hubert", "whisper",
        "stylegan", "biggan", "sd", "sdxl", "controlnet", "alexnet", "lenet", "googlenet",
        "poolformer", "beit", "deit", "moco", "segformer", "mask2former", "pvt", "coat", "layoutlm",
        "bart", "pegasus", "bloom", "falcon", "mamba", "rwkv",
        # datasets and benchmarks
        "squad", "imagenet", "coco", "voc", "cifar", "mnist", "wmt", "glue", "superglue", "mmlu",
        "kinetics", "movielens", "criteo",
        # protocols, formats and interfaces
        "api", "schema", "protocol", "format", "endpoint", "route", "http", "proto", "spec",
        "version", "signature", "sigv", "auth", "oauth", "tls", "ssl", "ipv", "uuid", "hash", "s3",
        "pickle", "onnx", "opset",
    }
)  # fmt: skip

# --- Where a name is reached without being written ------------------------------------------------

# Decorators that do not register the function anywhere: the decorated name still needs a
# reference. Matched on the decorator's last dotted part. Any other decorator (`app.route`,
# `register_model`, `pytest.fixture`, `click.command`, `task`) may register the function with
# a framework that calls it by itself, so its name is never needed.
PLAIN_DECORATORS = frozenset(
    {
        "staticmethod", "classmethod", "property", "cached_property", "setter", "getter", "deleter",
        "abstractmethod", "abstractproperty", "overload", "override", "final", "wraps", "lru_cache",
        "cache", "total_ordering", "dataclass", "no_grad", "inference_mode", "enable_grad",
        "autocast", "jit", "njit", "script", "ignore", "unused", "function", "compile", "vectorize",
        "contextmanager", "asynccontextmanager", "deprecated",
        # class decorators that build the class in place (attrs, enum, typing)
        "frozen", "define", "mutable", "s", "attrs", "unique", "runtime_checkable",
    }
)  # fmt: skip

# Words that, in the module defining a function, mean its functions may be looked up by a name
# held in data: `globals()[args.step]()`, `locals()`, `fire.Fire()` (every function becomes a
# command), `inspect.getmembers(sys.modules[__name__])`.
DYNAMIC_LOOKUP_WORDS = frozenset({"globals", "locals", "Fire", "getmembers"})
