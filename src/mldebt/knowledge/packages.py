"""Distribution packages whose version changes what a model learns or predicts, and lock files
that are not Python's.

Used by MLD802 (unpinned-dependency). Names are normalised as PEP 503 says (lower case, runs
of `-`, `_`, `.` as one `-`), the way `mldebt.dependencies.normalise_name` spells them, so
`scikit_learn`, `Scikit-Learn` and `scikit.learn` are all `scikit-learn`.
"""

from __future__ import annotations

# Packages whose new release can change numbers: a default hyperparameter, a tokenizer, a
# kernel, a file format. Grouped by what they do; conda spellings sit with their pip names.
ML_PACKAGES = frozenset(
    {
        # arrays, frames and the scientific stack
        "numpy", "scipy", "pandas", "polars", "pyarrow", "dask", "modin", "cudf", "xarray", "pyspark",
        # classical machine learning
        "scikit-learn", "sklearn", "xgboost", "py-xgboost", "lightgbm", "catboost", "statsmodels",
        "imbalanced-learn", "category-encoders", "feature-engine", "mlxtend", "pycaret", "autogluon",
        "flaml", "h2o", "tpot", "ngboost", "pygam", "pmdarima", "sktime", "prophet", "fbprophet",
        "lifelines", "scikit-surprise", "implicit", "tsfresh", "umap-learn", "hdbscan", "faiss-cpu",
        "faiss-gpu", "annoy",
        # deep learning frameworks and their families
        "torch", "pytorch", "torchvision", "torchaudio", "torchtext", "torchdata", "torchmetrics",
        "pytorch-lightning", "lightning", "tensorflow", "tensorflow-gpu", "tensorflow-cpu",
        "tensorflow-macos", "tf-keras", "tf-nightly", "keras", "jax", "jaxlib", "flax", "optax",
        "dm-haiku", "mxnet", "paddlepaddle", "onnx", "onnxruntime", "onnxruntime-gpu",
        "tensorrt", "fastai", "timm", "segmentation-models-pytorch", "torch-geometric", "dgl",
        "pytorch-tabnet", "einops", "deepspeed", "bitsandbytes", "xformers", "apex",
        # pretrained models, tokenizers and datasets
        "transformers", "tokenizers", "datasets", "accelerate", "diffusers", "peft", "trl",
        "sentence-transformers", "sentencepiece", "tiktoken", "huggingface-hub", "safetensors",
        "evaluate", "tensorflow-hub", "tensorflow-datasets", "tensorflow-text", "spacy", "nltk",
        "gensim", "fasttext", "stanza", "flair", "allennlp", "openai-whisper",
        # images and audio as model inputs
        "opencv-python", "opencv-python-headless", "opencv-contrib-python", "scikit-image",
        "albumentations", "imgaug", "kornia", "librosa",
        # tuning
        "optuna", "hyperopt", "keras-tuner",
    }
)  # fmt: skip

# Families named by a prefix: `tensorflow-addons`, `torch-scatter`, `keras-cv`, `nvidia-dali-…`.
ML_PACKAGE_PREFIXES = ("tensorflow-", "torch-", "keras-", "jax-", "lightgbm-", "xgboost-")

# Lock files of other languages' package managers: they pin nothing Python imports.
NON_PYTHON_LOCK_FILES = frozenset(
    {
        "yarn.lock", "gemfile.lock", "cargo.lock", "composer.lock", "mix.lock", "podfile.lock",
        "pubspec.lock", "flake.lock", "renv.lock", "paket.lock", "deno.lock", "conan.lock",
        "berksfile.lock", "shard.lock", "package.lock", "bun.lock", "gradle.lock", "cartfile.lock",
        "manifest.lock", "packages.lock",
    }
)  # fmt: skip


def is_ml_package(name: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether a normalised distribution name is an ML or data package."""
    return name in ML_PACKAGES or name in extra or name.startswith(ML_PACKAGE_PREFIXES)
