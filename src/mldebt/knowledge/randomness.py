"""Randomness in ML libraries: which calls draw from a global RNG, which calls seed one,
and which callables take their own seed.

Everything here is a qualified name as `mldebt.names` resolves it (`numpy.random.rand`
for `np.random.rand`). The rules decide what to do with these facts; this module only
records what the libraries do.
"""

from __future__ import annotations

# The global random-number generators a program may need to seed ("RNG families").
NUMPY = "numpy"
PYTHON = "random"
TORCH = "torch"
TENSORFLOW = "tensorflow"
ALL_FAMILIES = frozenset({NUMPY, PYTHON, TORCH, TENSORFLOW})

# How a message names each family.
FAMILY_LABELS: dict[str, str] = {
    NUMPY: "numpy's global RNG",
    PYTHON: "Python's global `random` RNG",
    TORCH: "torch's global RNG",
    TENSORFLOW: "TensorFlow's global RNG",
}

# Keyword arguments that hand a call its own seed, generator or key: such a call is
# reproducible whatever the global RNGs do (`random_state=None` is checked apart).
SEED_KEYWORDS = frozenset({"random_state", "seed", "random_seed", "rng", "generator", "key"})


def _names(prefix: str, names: str) -> frozenset[str]:
    return frozenset(f"{prefix}.{name}" for name in names.split())


# --- Draws from a global RNG ---------------------------------------------------------

# numpy's legacy module-level functions: all share the hidden `RandomState` in
# `numpy.random.mtrand`. (`default_rng`, `Generator`, `RandomState`, `get_state`, ...
# are not draws.)
_NUMPY_GLOBAL = """
    rand randn randint random_integers random_sample random ranf sample choice bytes
    shuffle permutation beta binomial chisquare dirichlet exponential f gamma geometric
    gumbel hypergeometric laplace logistic lognormal logseries multinomial
    multivariate_normal negative_binomial noncentral_chisquare noncentral_f normal pareto
    poisson power rayleigh standard_cauchy standard_exponential standard_gamma
    standard_normal standard_t triangular uniform vonmises wald weibull zipf
"""

# The `random` module's functions: all share one hidden `random.Random` instance.
_PYTHON_GLOBAL = """
    random uniform randint randrange choice choices shuffle sample gauss normalvariate
    lognormvariate expovariate vonmisesvariate gammavariate betavariate paretovariate
    weibullvariate triangular getrandbits randbytes binomialvariate
"""

# torch factory functions and initialisers that draw from the default generator unless
# given `generator=`.
_TORCH_GLOBAL = _names(
    "torch",
    "rand rand_like randn randn_like randint randint_like randperm bernoulli normal "
    "multinomial poisson",
) | _names(
    "torch.nn.init",
    "uniform_ normal_ trunc_normal_ xavier_uniform_ xavier_normal_ kaiming_uniform_ "
    "kaiming_normal_ orthogonal_ sparse_",
) | _names(
    # Splits and samplers that seed themselves from the default generator.
    "torch.utils.data",
    "random_split RandomSampler SubsetRandomSampler WeightedRandomSampler",
)

# TensorFlow ops that use the global seed unless given an op-level `seed=` (with an
# op seed and no global seed, TF falls back to a fixed default global seed).
_TF_RANDOM = "uniform normal truncated_normal shuffle categorical gamma poisson"
_TF1_RANDOM = (
    "random_uniform random_normal truncated_normal random_shuffle multinomial random_gamma random_poisson random_crop"
)
_TF_IMAGE = (
    "random_flip_left_right random_flip_up_down random_crop random_brightness "
    "random_contrast random_hue random_saturation random_jpeg_quality"
)
_TENSORFLOW_GLOBAL = (
    _names("tensorflow.random", _TF_RANDOM)
    | _names("tensorflow.compat.v1.random", _TF_RANDOM)
    | _names("tensorflow.compat.v2.random", _TF_RANDOM)
    | _names("tensorflow", _TF1_RANDOM)
    | _names("tensorflow.compat.v1", _TF1_RANDOM)
    | _names("tensorflow.image", _TF_IMAGE)
)

# Draws that make random tensor *values*. Programs that only trace, export, profile or
# smoke-test a model feed it such tensors as example inputs, where the values do not
# matter; they count as debt only in programs that learn from them. (Splits, samplers
# and `randperm` decide which data is used, and always count.)
TENSOR_VALUE_DRAWS = (
    _names("torch", "rand rand_like randn randn_like randint randint_like bernoulli normal multinomial poisson")
    | _names(
        "torch.nn.init",
        "uniform_ normal_ trunc_normal_ xavier_uniform_ xavier_normal_ kaiming_uniform_ "
        "kaiming_normal_ orthogonal_ sparse_",
    )
    | _TENSORFLOW_GLOBAL
)

GLOBAL_DRAWS: dict[str, str] = {
    **{name: NUMPY for name in _names("numpy.random", _NUMPY_GLOBAL)},
    **{name: PYTHON for name in _names("random", _PYTHON_GLOBAL)},
    **{name: TORCH for name in _TORCH_GLOBAL},
    **{name: TENSORFLOW for name in _TENSORFLOW_GLOBAL},
}

# In-place tensor methods that draw from torch's default generator (`w.data.normal_(0, 0.02)`).
# The receiver's type is unknown statically; these names are torch's alone, so they count
# only in files that import torch.
TENSOR_DRAW_METHODS = frozenset(
    {"normal_", "uniform_", "random_", "bernoulli_", "exponential_", "cauchy_", "geometric_", "log_normal_"}
)


# --- Seeding a global RNG ------------------------------------------------------------

# Calls that seed global RNGs, and which ones. Calls marked in SEEDERS_NEEDING_ARGUMENT
# seed only when given a value (`random.seed()` re-seeds from the clock/OS entropy).
SEEDERS: dict[str, frozenset[str]] = {
    "numpy.random.seed": frozenset({NUMPY}),
    "random.seed": frozenset({PYTHON}),
    "torch.manual_seed": frozenset({TORCH}),
    "torch.random.manual_seed": frozenset({TORCH}),
    "torch.cuda.manual_seed": frozenset({TORCH}),
    "torch.cuda.manual_seed_all": frozenset({TORCH}),
    "tensorflow.random.set_seed": frozenset({TENSORFLOW}),
    "tensorflow.set_random_seed": frozenset({TENSORFLOW}),
    "tensorflow.compat.v1.set_random_seed": frozenset({TENSORFLOW}),
    "tensorflow.compat.v1.random.set_random_seed": frozenset({TENSORFLOW}),
    # Keras seeds Python, numpy and its backend (TensorFlow, torch or JAX).
    "keras.utils.set_random_seed": ALL_FAMILIES,
    "keras.src.utils.set_random_seed": ALL_FAMILIES,
    "tensorflow.keras.utils.set_random_seed": ALL_FAMILIES,
    # Hugging Face: Python, numpy, torch and TensorFlow when installed.
    "transformers.set_seed": ALL_FAMILIES,
    "transformers.trainer_utils.set_seed": ALL_FAMILIES,
    "transformers.enable_full_determinism": ALL_FAMILIES,
    "transformers.trainer_utils.enable_full_determinism": ALL_FAMILIES,
    "accelerate.utils.set_seed": ALL_FAMILIES,
    "accelerate.utils.random.set_seed": ALL_FAMILIES,
    # Hugging Face trainers call `set_seed(args.seed)` when built (the default seed is 42).
    **{
        name: ALL_FAMILIES
        for name in (
            "transformers.Trainer",
            "transformers.Seq2SeqTrainer",
            "sentence_transformers.SentenceTransformerTrainer",
            "trl.SFTTrainer",
            "trl.DPOTrainer",
            "trl.RewardTrainer",
            "trl.ORPOTrainer",
            "trl.KTOTrainer",
            "trl.GRPOTrainer",
        )
    },
    # ColossalAI's launchers seed Python, numpy and torch (default seed 1024).
    **{
        name: frozenset({PYTHON, NUMPY, TORCH})
        for name in (
            "colossalai.launch",
            "colossalai.launch_from_torch",
            "colossalai.launch_from_slurm",
            "colossalai.launch_from_openmpi",
        )
    },
    # Lightning and friends: Python, numpy and torch.
    **{
        name: frozenset({PYTHON, NUMPY, TORCH})
        for name in (
            "lightning.seed_everything",
            "lightning.pytorch.seed_everything",
            "lightning.fabric.seed_everything",
            "lightning.fabric.utilities.seed.seed_everything",
            "lightning.pytorch.utilities.seed.seed_everything",
            "lightning_fabric.utilities.seed.seed_everything",
            "pytorch_lightning.seed_everything",
            "pytorch_lightning.utilities.seed.seed_everything",
            "torch_geometric.seed_everything",
            "ignite.utils.manual_seed",
            "stable_baselines3.common.utils.set_random_seed",
            "fastai.torch_core.set_seed",
            "mmengine.runner.set_random_seed",
            "mmcv.runner.set_random_seed",
            "detectron2.utils.env.seed_all_rng",
        )
    },
}
SEEDERS_NEEDING_ARGUMENT = frozenset({"numpy.random.seed", "random.seed"})

# Packages whose seed-taking calls this module knows one by one. A call elsewhere, made
# for its effect (`setup_env(seed=args.seed)`, `launch(config, seed=1)`), is taken to seed
# the global RNGs: its code is not in view, and it is given a seed for a reason.
KNOWN_RANDOM_PACKAGES = frozenset(
    {
        "numpy", "random", "torch", "tensorflow", "keras", "jax", "sklearn", "imblearn", "umap",
        "xgboost", "lightgbm", "catboost", "pandas", "polars",
    }
)

# Calls whose name says "seed" but that do not fix a seed: they draw a fresh one.
NOT_SEEDERS = frozenset(
    {
        "torch.seed",
        "torch.random.seed",
        "torch.cuda.seed",
        "torch.cuda.seed_all",
        "numpy.random.SeedSequence",
        "tensorflow.random.experimental.stateless_split",
    }
)


# --- Generators that need a seed of their own -------------------------------------------

# Constructing one of these with no seed (or `None`) seeds it from OS entropy: every run
# differs, and no global seed can fix it.
UNSEEDED_GENERATORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.PCG64",
        "numpy.random.PCG64DXSM",
        "numpy.random.MT19937",
        "numpy.random.Philox",
        "numpy.random.SFC64",
        "random.Random",
    }
)

# DataLoaders whose `shuffle=True` draws the shuffling seed from torch's global RNG
# unless given `generator=`.
SHUFFLING_LOADERS = frozenset(
    {
        "torch.utils.data.DataLoader",
        "torch.utils.data.dataloader.DataLoader",
        "torch_geometric.loader.DataLoader",
        "torch_geometric.data.DataLoader",
    }
)


# --- Callables that take their own seed ---------------------------------------------------

# When a seeded callable is random. ALWAYS: every call. SHUFFLE: only with `shuffle=True`
# (KFold and friends default to no shuffling). SHUFFLE_BY_DEFAULT: unless `shuffle=False`.
# PROBABILITY: only with `probability=True` (SVC's Platt scaling uses an internal CV).
# RANDOM_INIT: unless `init=` is given starting points (an array rather than a method name
# such as "k-means++"), which makes Lloyd's iterations deterministic.
ALWAYS = "always"
SHUFFLE = "shuffle"
SHUFFLE_BY_DEFAULT = "shuffle-by-default"
PROBABILITY = "probability"
RANDOM_INIT = "random-init"

# scikit-learn callables whose `random_state=None` means numpy's global RNG. Matched by
# the last part of the qualified name under `sklearn`, so old and private paths
# (`sklearn.cross_validation.KFold`, `sklearn.ensemble._forest.RandomForestClassifier`)
# match too. Left out on purpose: estimators whose `random_state` matters only for
# non-default settings (LogisticRegression, Ridge, PCA, NMF, KernelPCA, LinearSVC,
# IterativeImputer, QuantileTransformer, DummyClassifier, ...).
SKLEARN_SEEDED: dict[str, str] = {
    # Splitters and splitting helpers.
    "train_test_split": SHUFFLE_BY_DEFAULT,
    "KFold": SHUFFLE,
    "StratifiedKFold": SHUFFLE,
    "GroupKFold": SHUFFLE,
    "StratifiedGroupKFold": SHUFFLE,
    "learning_curve": SHUFFLE,
    "RepeatedKFold": ALWAYS,
    "RepeatedStratifiedKFold": ALWAYS,
    "ShuffleSplit": ALWAYS,
    "StratifiedShuffleSplit": ALWAYS,
    "GroupShuffleSplit": ALWAYS,
    # Search and inspection that sample.
    "RandomizedSearchCV": ALWAYS,
    "HalvingRandomSearchCV": ALWAYS,
    "permutation_importance": ALWAYS,
    # Utilities.
    "shuffle": ALWAYS,
    "resample": ALWAYS,
    # Trees and ensembles.
    "DecisionTreeClassifier": ALWAYS,
    "DecisionTreeRegressor": ALWAYS,
    "ExtraTreeClassifier": ALWAYS,
    "ExtraTreeRegressor": ALWAYS,
    "RandomForestClassifier": ALWAYS,
    "RandomForestRegressor": ALWAYS,
    "ExtraTreesClassifier": ALWAYS,
    "ExtraTreesRegressor": ALWAYS,
    "RandomTreesEmbedding": ALWAYS,
    "IsolationForest": ALWAYS,
    "GradientBoostingClassifier": ALWAYS,
    "GradientBoostingRegressor": ALWAYS,
    "HistGradientBoostingClassifier": ALWAYS,
    "HistGradientBoostingRegressor": ALWAYS,
    "AdaBoostClassifier": ALWAYS,
    "AdaBoostRegressor": ALWAYS,
    "BaggingClassifier": ALWAYS,
    "BaggingRegressor": ALWAYS,
    # Neural networks and stochastic linear models.
    "MLPClassifier": ALWAYS,
    "MLPRegressor": ALWAYS,
    "BernoulliRBM": ALWAYS,
    # Stochastic linear models: random only through shuffling (and early stopping's split).
    "SGDClassifier": SHUFFLE_BY_DEFAULT,
    "SGDRegressor": SHUFFLE_BY_DEFAULT,
    "SGDOneClassSVM": SHUFFLE_BY_DEFAULT,
    "Perceptron": SHUFFLE_BY_DEFAULT,
    "PassiveAggressiveClassifier": SHUFFLE_BY_DEFAULT,
    "PassiveAggressiveRegressor": SHUFFLE_BY_DEFAULT,
    "SVC": PROBABILITY,
    "NuSVC": PROBABILITY,
    # Clustering, mixtures, decompositions, embeddings, kernel approximation.
    "KMeans": RANDOM_INIT,
    "MiniBatchKMeans": ALWAYS,
    "BisectingKMeans": ALWAYS,
    "GaussianMixture": ALWAYS,
    "BayesianGaussianMixture": ALWAYS,
    "TruncatedSVD": ALWAYS,
    "FastICA": ALWAYS,
    "LatentDirichletAllocation": ALWAYS,
    "MiniBatchDictionaryLearning": ALWAYS,
    "TSNE": ALWAYS,
    "MDS": ALWAYS,
    "GaussianRandomProjection": ALWAYS,
    "SparseRandomProjection": ALWAYS,
    "RBFSampler": ALWAYS,
    "Nystroem": ALWAYS,
    # Synthetic data.
    "make_classification": ALWAYS,
    "make_regression": ALWAYS,
    "make_blobs": ALWAYS,
    "make_moons": ALWAYS,
    "make_circles": ALWAYS,
    "make_gaussian_quantiles": ALWAYS,
    "make_multilabel_classification": ALWAYS,
    "make_s_curve": ALWAYS,
    "make_swiss_roll": ALWAYS,
    "make_friedman1": ALWAYS,
    "make_friedman2": ALWAYS,
    "make_friedman3": ALWAYS,
    "make_sparse_spd_matrix": ALWAYS,
    "make_spd_matrix": ALWAYS,
    "make_low_rank_matrix": ALWAYS,
    "make_biclusters": ALWAYS,
    "make_checkerboard": ALWAYS,
}

# Other libraries built on scikit-learn's convention (`random_state=None` is numpy's
# global RNG), matched by top-level package and last name part.
SKLEARN_STYLE_SEEDED: dict[str, dict[str, str]] = {
    "sklearn": SKLEARN_SEEDED,
    "imblearn": {
        name: ALWAYS
        for name in (
            "SMOTE SMOTENC SMOTEN ADASYN BorderlineSMOTE SVMSMOTE KMeansSMOTE RandomOverSampler "
            "RandomUnderSampler ClusterCentroids NearMiss SMOTETomek SMOTEENN BalancedRandomForestClassifier "
            "BalancedBaggingClassifier EasyEnsembleClassifier RUSBoostClassifier"
        ).split()
        if name != "NearMiss"  # NearMiss is deterministic
    },
    "umap": {"UMAP": ALWAYS},
}

# Gradient-boosting libraries whose models fall back to a fixed seed built into the
# library when none is given (XGBoost 0, LightGBM's C++ defaults, CatBoost 0): runs repeat,
# but the seed is an implicit, version-dependent default rather than part of the code.
DEFAULT_SEEDED: dict[str, frozenset[str]] = {
    "xgboost": frozenset({"XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor"}),
    "lightgbm": frozenset({"LGBMClassifier", "LGBMRegressor", "LGBMRanker", "LGBMModel"}),
    "catboost": frozenset({"CatBoostClassifier", "CatBoostRegressor", "CatBoostRanker", "CatBoost"}),
}

# The pandas (and polars) row sampler: a `.sample(...)` method call with `n=`/`frac=`
# (polars: `fraction=`), seeded by `random_state=` (polars: `seed=`).
SAMPLE_METHOD = "sample"
SAMPLE_SIZE_KEYWORDS = frozenset({"n", "frac", "fraction"})

# Calls that show a program learns from what it draws: backpropagation, gradient
# updates, fitting. A file with none of them that draws random tensors is tracing,
# exporting, profiling, sampling or smoke-testing with example inputs. (Not `step`:
# diffusion samplers step a scheduler without learning.)
LEARNING_CALLS = frozenset(
    {
        "backward", "minimize", "apply_gradients", "fit", "fit_generator", "fit_transform", "fit_predict",
        "train_on_batch", "partial_fit", "train", "train_epoch", "train_one_epoch",
    }
)

# Calls that turn what a program draws into a result someone keeps: a prediction or a
# score, a data file, a saved model. (Last name parts; `savefig` and `print` are not
# results: a plot or a log line of random numbers is a demonstration.)
RESULT_CALLS = LEARNING_CALLS | frozenset(
    {
        "predict", "predict_proba", "evaluate", "cross_val_score", "cross_validate",
        "save", "savez", "savez_compressed", "save_pretrained", "save_to_disk", "imsave", "imwrite",
        "to_csv", "to_parquet", "to_feather", "to_pickle", "to_hdf",
    }
)
RESULT_QUALIFIED_CALLS = frozenset({"pickle.dump", "joblib.dump", "torch.save", "numpy.save", "numpy.savetxt"})
