"""Hyperparameters: which calls take tuning knobs, which of their arguments are knobs, and
how command-line options are declared (argparse, click, typer).

Used by MLD601 (hardcoded-hyperparameter) and MLD603 (unused-config-option). Qualified
names are the ones the engine's import-alias map yields (`optim.Adam` ->
`torch.optim.Adam`, `tf.keras.optimizers.Adam` -> `tensorflow.keras.optimizers.Adam`).

A callee is described by a `Knobs`: the parameter names of its positional arguments (so
`SGD(params, 0.1)` reads as `lr=0.1`; "" marks a position that is not a knob) and the
keywords that count. `keywords=None` means "every keyword except NOT_HYPERPARAMETERS" —
right for estimators and optimizers, whose every numeric argument is a tuning knob;
trainers, loaders and generic `fit`/`train` methods list their knobs explicitly, since
most of their other arguments are plumbing (logging intervals, devices, paths).
Network layers (`torch.nn.*`, `keras.layers.*`, `flax.linen.*`) are deliberately absent:
their sizes and kernel widths are the model's shape, not tuning knobs.
"""

from __future__ import annotations

from dataclasses import dataclass

from mldebt.knowledge.randomness import DEFAULT_SEEDED, SHUFFLING_LOADERS


@dataclass(frozen=True)
class Knobs:
    """Which arguments of a call are hyperparameters.

    Attributes:
        kind: What the callee is: "optimizer", "scheduler", "estimator", "trainer", "loader",
            "callback", "booster" or "method".
        positional: Parameter names by position ("" for a position that is not a knob).
        keywords: The keywords that count, or None for every keyword not in NOT_HYPERPARAMETERS.
        params_position: Position of a `params` mapping (xgboost/lightgbm `train`) whose
            literal entries are knobs too, or -1.
    """

    kind: str
    positional: tuple[str, ...] = ()
    keywords: frozenset[str] | None = None
    params_position: int = -1


def _names(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# --- Arguments that are never hyperparameters ---------------------------------------------

# Seeds, logging, parallelism and hardware placement: they change how a run executes or
# reports, not what it learns (MLD801 looks after seeds).
NOT_HYPERPARAMETERS = frozenset(
    {
        # seeds
        "random_state", "seed", "random_seed", "rng",
        # verbosity and logging cadence
        "verbose", "verbosity", "silent", "logging_level", "metric_period", "log_every_n_steps",
        "logging_steps", "save_steps", "eval_steps", "save_total_limit", "log_interval", "print_freq",
        "validation_freq", "verbose_eval", "eval_period", "log_period", "check_val_every_n_epoch",
        "val_check_interval", "num_sanity_val_steps",
        # parallelism, devices and data-loading plumbing
        "n_jobs", "nthread", "nthreads", "num_threads", "thread_count", "workers", "use_multiprocessing",
        "max_queue_size", "device", "devices", "gpu_id", "gpus", "num_gpus", "num_nodes", "local_rank",
        "world_size", "rank", "num_workers", "pin_memory", "prefetch_factor", "persistent_workers",
        "dataloader_num_workers", "precision", "cache_size", "pre_dispatch",
        # resuming a schedule, not configuring it
        "last_epoch",
    }
)  # fmt: skip

# Values that are defaults, switches or sentinels rather than tuned numbers: 0 and 1 (off,
# on, "one of", no decay) and -1 ("all", "no limit"). Booleans and None are not numbers.
NEUTRAL_VALUES = frozenset({0, 1, -1})


# --- Optimizers -------------------------------------------------------------------------------

# torch.optim: `Optimizer(params, lr, ...)`. Also matched under private paths (`torch.optim.adam.Adam`).
TORCH_OPTIMIZER_PACKAGE = "torch.optim"
TORCH_OPTIMIZERS: dict[str, tuple[str, ...]] = {
    "SGD": _names("- lr momentum dampening weight_decay"),
    "Adam": _names("- lr betas eps weight_decay"),
    "AdamW": _names("- lr betas eps weight_decay"),
    "Adamax": _names("- lr betas eps weight_decay"),
    "NAdam": _names("- lr betas eps weight_decay momentum_decay"),
    "RAdam": _names("- lr betas eps weight_decay"),
    "SparseAdam": _names("- lr betas eps"),
    "Adagrad": _names("- lr lr_decay weight_decay initial_accumulator_value eps"),
    "Adadelta": _names("- lr rho eps weight_decay"),
    "RMSprop": _names("- lr alpha eps weight_decay momentum"),
    "Rprop": _names("- lr etas step_sizes"),
    "ASGD": _names("- lr lambd alpha t0 weight_decay"),
    "LBFGS": _names("- lr max_iter max_eval tolerance_grad tolerance_change history_size"),
    "Adafactor": _names("- lr beta2_decay d eps weight_decay"),
}

# Third-party torch optimizers with the same `(params, lr, ...)` signature.
TORCH_STYLE_OPTIMIZERS: dict[str, frozenset[str]] = {
    "transformers": frozenset({"AdamW", "Adafactor"}),
    "transformers.optimization": frozenset({"AdamW", "Adafactor"}),
    "bitsandbytes.optim": frozenset(
        {"Adam", "AdamW", "Adam8bit", "AdamW8bit", "PagedAdamW", "PagedAdamW8bit", "Lion", "Lion8bit", "SGD8bit"}
    ),
    "timm.optim": frozenset({"Lamb", "Lars", "AdamP", "SGDP", "Lookahead", "AdaBelief", "Adan", "Lion"}),
    "torch_optimizer": frozenset({"Lamb", "RAdam", "Ranger", "AdaBelief", "Lookahead", "Yogi", "AdaBound", "QHAdam"}),
    "apex.optimizers": frozenset({"FusedAdam", "FusedLAMB", "FusedSGD"}),
    "deepspeed.ops.adam": frozenset({"FusedAdam", "DeepSpeedCPUAdam"}),
}

# Keras / TensorFlow optimizers: `Optimizer(learning_rate, ...)` (Keras 2 also took `lr=`).
KERAS_OPTIMIZER_PACKAGES = (
    "tensorflow.keras.optimizers",  # also `.legacy` and `.experimental`
    "tensorflow.optimizers",
    "tensorflow.python.keras.optimizers",
    "keras.optimizers",
    "keras.src.optimizers",
    "tf_keras.optimizers",
)
KERAS_OPTIMIZERS: dict[str, tuple[str, ...]] = {
    "SGD": _names("learning_rate momentum"),
    "Adam": _names("learning_rate beta_1 beta_2 epsilon"),
    "AdamW": _names("learning_rate weight_decay beta_1 beta_2 epsilon"),
    "Adamax": _names("learning_rate beta_1 beta_2 epsilon"),
    "Nadam": _names("learning_rate beta_1 beta_2 epsilon"),
    "RMSprop": _names("learning_rate rho momentum epsilon"),
    "Adagrad": _names("learning_rate initial_accumulator_value epsilon"),
    "Adadelta": _names("learning_rate rho epsilon"),
    "Ftrl": _names("learning_rate learning_rate_power"),
    "Lion": _names("learning_rate beta_1 beta_2"),
    "Adafactor": _names("learning_rate beta_2_decay epsilon_1 epsilon_2"),
}

# TensorFlow 1 optimizers: `XOptimizer(learning_rate, ...)`.
TF1_OPTIMIZER_PACKAGES = ("tensorflow.train", "tensorflow.compat.v1.train")
TF1_OPTIMIZERS: dict[str, tuple[str, ...]] = {
    "GradientDescentOptimizer": _names("learning_rate"),
    "MomentumOptimizer": _names("learning_rate momentum"),
    "AdamOptimizer": _names("learning_rate beta1 beta2 epsilon"),
    "AdagradOptimizer": _names("learning_rate initial_accumulator_value"),
    "AdadeltaOptimizer": _names("learning_rate rho epsilon"),
    "RMSPropOptimizer": _names("learning_rate decay momentum epsilon"),
    "FtrlOptimizer": _names("learning_rate learning_rate_power"),
}

# optax (JAX): gradient transformations `optax.adam(learning_rate, ...)`.
OPTAX_PACKAGE = "optax"
OPTAX_OPTIMIZERS: dict[str, tuple[str, ...]] = {
    "sgd": _names("learning_rate momentum"),
    "adam": _names("learning_rate b1 b2 eps"),
    "adamw": _names("learning_rate b1 b2 eps eps_root mu_dtype weight_decay"),
    "adamax": _names("learning_rate b1 b2 eps"),
    "nadam": _names("learning_rate b1 b2 eps"),
    "radam": _names("learning_rate b1 b2 eps"),
    "adabelief": _names("learning_rate b1 b2 eps"),
    "adagrad": _names("learning_rate initial_accumulator_value eps"),
    "adadelta": _names("learning_rate rho eps"),
    "rmsprop": _names("learning_rate decay eps"),
    "lamb": _names("learning_rate b1 b2 eps"),
    "lars": _names("learning_rate weight_decay"),
    "lion": _names("learning_rate b1 b2"),
    "adafactor": _names("learning_rate"),
    "novograd": _names("learning_rate b1 b2 eps"),
}


# --- Learning-rate schedules --------------------------------------------------------------------

# torch.optim.lr_scheduler: `Scheduler(optimizer, ...)` ("-" is the optimizer). LambdaLR and
# friends take functions, SequentialLR/ChainedScheduler take schedulers: no knobs of their own
# beyond milestones.
TORCH_SCHEDULER_PACKAGE = "torch.optim"  # `torch.optim.lr_scheduler.X`, re-exported under `torch.optim`
TORCH_SCHEDULERS: dict[str, tuple[str, ...]] = {
    "StepLR": _names("- step_size gamma"),
    "MultiStepLR": _names("- milestones gamma"),
    "ExponentialLR": _names("- gamma"),
    "CosineAnnealingLR": _names("- T_max eta_min"),
    "CosineAnnealingWarmRestarts": _names("- T_0 T_mult eta_min"),
    "CyclicLR": _names("- base_lr max_lr step_size_up step_size_down"),
    "OneCycleLR": _names("- max_lr total_steps epochs steps_per_epoch pct_start"),
    "LinearLR": _names("- start_factor end_factor total_iters"),
    "ConstantLR": _names("- factor total_iters"),
    "PolynomialLR": _names("- total_iters power"),
    "ReduceLROnPlateau": _names("- - factor patience threshold"),
    "SequentialLR": _names("- - milestones"),
}

# Hugging Face schedule factories: `get_..._schedule_with_warmup(optimizer, num_warmup_steps, ...)`.
HF_SCHEDULE_PACKAGES = ("transformers", "transformers.optimization", "diffusers.optimization")
HF_SCHEDULES: dict[str, tuple[str, ...]] = {
    "get_linear_schedule_with_warmup": _names("- num_warmup_steps num_training_steps"),
    "get_cosine_schedule_with_warmup": _names("- num_warmup_steps num_training_steps num_cycles"),
    "get_cosine_with_hard_restarts_schedule_with_warmup": _names("- num_warmup_steps num_training_steps num_cycles"),
    "get_constant_schedule_with_warmup": _names("- num_warmup_steps"),
    "get_polynomial_decay_schedule_with_warmup": _names("- num_warmup_steps num_training_steps lr_end power"),
    "get_inverse_sqrt_schedule": _names("- num_warmup_steps timescale"),
    # get_scheduler(name, optimizer, ...): diffusers puts `step_rules` third, so keywords only.
    "get_scheduler": (),
}

# Keras learning-rate schedules: `Schedule(initial_learning_rate, decay_steps, ...)`.
KERAS_SCHEDULE_PACKAGES = tuple(f"{package}.schedules" for package in KERAS_OPTIMIZER_PACKAGES) + (
    "tensorflow.keras.experimental",
)
KERAS_SCHEDULES: dict[str, tuple[str, ...]] = {
    "ExponentialDecay": _names("initial_learning_rate decay_steps decay_rate"),
    "InverseTimeDecay": _names("initial_learning_rate decay_steps decay_rate"),
    "PolynomialDecay": _names("initial_learning_rate decay_steps end_learning_rate power"),
    "CosineDecay": _names("initial_learning_rate decay_steps alpha"),
    "CosineDecayRestarts": _names("initial_learning_rate first_decay_steps t_mul m_mul alpha"),
    "PiecewiseConstantDecay": _names("boundaries values"),
}

# optax schedules.
OPTAX_SCHEDULES: dict[str, tuple[str, ...]] = {
    "constant_schedule": _names("value"),
    "linear_schedule": _names("init_value end_value transition_steps"),
    "cosine_decay_schedule": _names("init_value decay_steps alpha"),
    "exponential_decay": _names("init_value transition_steps decay_rate"),
    "warmup_cosine_decay_schedule": _names("init_value peak_value warmup_steps decay_steps end_value"),
    "warmup_exponential_decay_schedule": _names("init_value peak_value warmup_steps transition_steps decay_rate"),
    "cosine_onecycle_schedule": _names("transition_steps peak_value pct_start"),
    "piecewise_constant_schedule": _names("init_value boundaries_and_scales"),
}

# Keras callbacks that are training-loop knobs (early stopping, plateau schedules).
KERAS_CALLBACK_PACKAGES = (
    "tensorflow.keras.callbacks",
    "keras.callbacks",
    "keras.src.callbacks",
    "tf_keras.callbacks",
)
KERAS_CALLBACKS = frozenset({"EarlyStopping", "ReduceLROnPlateau"})


# --- Estimators -----------------------------------------------------------------------------------

# scikit-learn: every class of the model families below (matched as `sklearn.<family>.<Class>`,
# also under private paths such as `sklearn.ensemble._forest.RandomForestClassifier`).
# Preprocessing, decomposition, manifold learning and model selection are left out: their
# numbers are mostly the data's shape (`n_components=2` for a plot) or the evaluation's (`cv=5`).
SKLEARN_MODEL_FAMILIES = frozenset(
    {
        "ensemble", "linear_model", "svm", "tree", "neighbors", "neural_network", "naive_bayes",
        "cluster", "gaussian_process", "kernel_ridge", "discriminant_analysis", "mixture",
        "semi_supervised", "isotonic", "cross_decomposition",
    }
)  # fmt: skip
# Classes in those families that are data structures or helpers, not models.
SKLEARN_NOT_MODELS = frozenset({"KDTree", "BallTree", "DistanceMetric"})
# Old-style positional hyperparameters (sklearn < 1.0 accepted them).
SKLEARN_POSITIONAL: dict[str, tuple[str, ...]] = {
    "KMeans": _names("n_clusters"),
    "MiniBatchKMeans": _names("n_clusters"),
    "KNeighborsClassifier": _names("n_neighbors"),
    "KNeighborsRegressor": _names("n_neighbors"),
    "RandomForestClassifier": _names("n_estimators"),
    "RandomForestRegressor": _names("n_estimators"),
    "ExtraTreesClassifier": _names("n_estimators"),
    "ExtraTreesRegressor": _names("n_estimators"),
}

# Gradient-boosting libraries' scikit-learn-style models (every keyword is a knob):
# xgboost, lightgbm and catboost, as listed in the randomness tables.
BOOSTING_MODELS: dict[str, frozenset[str]] = DEFAULT_SEEDED

# Their native training functions: `xgb.train(params, dtrain, num_boost_round, ...)`; the
# literal entries of an inline `params` dict are knobs too.
BOOSTING_TRAIN_KEYWORDS = frozenset(
    {"num_boost_round", "early_stopping_rounds", "nfold", "num_iterations", "iterations"}
)
BOOSTING_TRAIN_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "xgboost.train": _names("params - num_boost_round"),
    "xgboost.cv": _names("params - num_boost_round nfold"),
    "lightgbm.train": _names("params - num_boost_round"),
    "lightgbm.cv": _names("params - num_boost_round"),
    "catboost.train": (),
    "catboost.cv": (),
}

# fastText's training functions (keyword-only knobs).
FASTTEXT_TRAINERS = frozenset(
    {"fasttext.train_supervised", "fasttext.train_unsupervised", "fasttext.FastText.train_supervised"}
)


# --- Trainers and loaders (explicit knobs only) --------------------------------------------------

# Hugging Face `TrainingArguments` and TRL's configs: learning schedule and batch knobs (output
# paths, logging and saving cadences are plumbing).
HF_TRAINING_ARGUMENTS_PACKAGES = ("transformers", "transformers.training_args", "trl")
HF_TRAINING_ARGUMENTS = frozenset(
    {
        "TrainingArguments", "Seq2SeqTrainingArguments", "SFTConfig", "DPOConfig", "RewardConfig", "PPOConfig",
        "GRPOConfig",
    }
)
HF_TRAINING_KNOBS = frozenset(
    {
        "learning_rate", "num_train_epochs", "max_steps", "per_device_train_batch_size",
        "per_gpu_train_batch_size", "gradient_accumulation_steps", "warmup_steps", "warmup_ratio",
        "weight_decay", "adam_beta1", "adam_beta2", "adam_epsilon", "max_grad_norm",
        "label_smoothing_factor", "beta", "max_seq_length", "max_length",
    }
)  # fmt: skip

# Lightning's Trainer: epoch and step budgets, clipping and accumulation.
LIGHTNING_TRAINER_PACKAGES = ("lightning", "lightning.pytorch", "pytorch_lightning", "lightning.pytorch.trainer")
LIGHTNING_TRAINERS = frozenset({"Trainer"})
LIGHTNING_TRAINER_KNOBS = frozenset(
    {"max_epochs", "min_epochs", "max_steps", "min_steps", "gradient_clip_val", "accumulate_grad_batches"}
)

# Data loaders: `DataLoader(dataset, batch_size, ...)`, the classes whose shuffling `randomness` watches.
DATA_LOADERS = SHUFFLING_LOADERS
DATA_LOADER_POSITIONAL = _names("- batch_size")
DATA_LOADER_KNOBS = frozenset({"batch_size"})


# --- Training methods on any receiver ----------------------------------------------------------------

# `model.fit(X, y, epochs=50, batch_size=32)`, `learner.fit_one_cycle(5, 1e-3)`: the receiver's
# type is unknown, so only these well-known knob keywords count (never `sample_weight`,
# `validation_split`, callbacks, ...), and positionals only for fastai's own method names.
TRAINING_METHOD_KNOBS = frozenset(
    {
        "epochs", "epoch", "nb_epoch", "num_epochs", "n_epochs", "n_epoch", "max_epochs", "batch_size",
        "learning_rate", "lr", "lr_max", "base_lr", "steps_per_epoch", "early_stopping_rounds",
        "num_boost_round", "patience", "virtual_batch_size", "freeze_epochs", "weight_decay", "wd",
    }
)  # fmt: skip
TRAINING_METHODS: dict[str, tuple[str, ...]] = {
    "fit": (),
    "fit_generator": (),
    "train": (),
    "fit_one_cycle": _names("n_epoch lr_max"),  # fastai
    "fit_flat_cos": _names("n_epoch lr"),  # fastai
    "fine_tune": _names("epochs base_lr"),  # fastai
}


def _positional(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("" if name == "-" else name for name in names)


def _under(qualified: str, packages: tuple[str, ...] | str) -> bool:
    """Whether `qualified` is a name inside one of `packages` (at any depth)."""
    prefixes = (packages,) if isinstance(packages, str) else packages
    return any(qualified.startswith(f"{package}.") for package in prefixes)


def hyperparameter_callee(qualified: str) -> Knobs | None:
    """The knobs of the callable `qualified` names, or None when it takes no hyperparameters."""
    parts = qualified.split(".")
    last = parts[-1]
    if qualified in DATA_LOADERS:
        return Knobs("loader", _positional(DATA_LOADER_POSITIONAL), DATA_LOADER_KNOBS)
    if qualified in BOOSTING_TRAIN_FUNCTIONS:
        names = _positional(BOOSTING_TRAIN_FUNCTIONS[qualified])
        params_position = 0 if names and names[0] == "params" else -1
        return Knobs("booster", names, BOOSTING_TRAIN_KEYWORDS | set(names), params_position)
    if qualified in FASTTEXT_TRAINERS:
        return Knobs("trainer")
    if _under(qualified, TORCH_OPTIMIZER_PACKAGE):
        if last in TORCH_OPTIMIZERS:
            return Knobs("optimizer", _positional(TORCH_OPTIMIZERS[last]))
        if last in TORCH_SCHEDULERS:
            return Knobs("scheduler", _positional(TORCH_SCHEDULERS[last]))
        return None
    for package, optimizers in TORCH_STYLE_OPTIMIZERS.items():
        if last in optimizers and _under(qualified, package):
            return Knobs("optimizer", ("", "lr"))
    if last in HF_SCHEDULES and _under(qualified, HF_SCHEDULE_PACKAGES):
        return Knobs("scheduler", _positional(HF_SCHEDULES[last]))
    if last in KERAS_SCHEDULES and _under(qualified, KERAS_SCHEDULE_PACKAGES):
        return Knobs("scheduler", KERAS_SCHEDULES[last])
    if last in KERAS_OPTIMIZERS and _under(qualified, KERAS_OPTIMIZER_PACKAGES):
        return Knobs("optimizer", KERAS_OPTIMIZERS[last])
    if last in TF1_OPTIMIZERS and _under(qualified, TF1_OPTIMIZER_PACKAGES):
        return Knobs("optimizer", TF1_OPTIMIZERS[last])
    if last in KERAS_CALLBACKS and _under(qualified, KERAS_CALLBACK_PACKAGES):
        return Knobs("callback")
    if parts[0] == OPTAX_PACKAGE and len(parts) >= 2:
        if last in OPTAX_OPTIMIZERS:
            return Knobs("optimizer", OPTAX_OPTIMIZERS[last])
        if last in OPTAX_SCHEDULES:
            return Knobs("scheduler", OPTAX_SCHEDULES[last])
        return None
    if parts[0] == "sklearn" and len(parts) >= 3:
        if parts[1] in SKLEARN_MODEL_FAMILIES and last[:1].isupper() and last not in SKLEARN_NOT_MODELS:
            return Knobs("estimator", SKLEARN_POSITIONAL.get(last, ()))
        return None
    if parts[0] in BOOSTING_MODELS and last in BOOSTING_MODELS[parts[0]]:
        return Knobs("estimator")
    if last in HF_TRAINING_ARGUMENTS and _under(qualified, HF_TRAINING_ARGUMENTS_PACKAGES):
        return Knobs("trainer", (), HF_TRAINING_KNOBS)
    if last in LIGHTNING_TRAINERS and _under(qualified, LIGHTNING_TRAINER_PACKAGES):
        return Knobs("trainer", (), LIGHTNING_TRAINER_KNOBS)
    return None


def training_method(name: str) -> Knobs | None:
    """The knobs of a training method called on any receiver (`model.fit(...)`), or None."""
    if name not in TRAINING_METHODS:
        return None
    return Knobs("method", TRAINING_METHODS[name], TRAINING_METHOD_KNOBS)


# --- Stand-ins -----------------------------------------------------------------------------------

# Classes whose name says they are test doubles or toys (`BoringModel`, `DummyNet`): their
# numbers only need to run, not to learn anything.
STAND_IN_CLASS_PREFIXES = ("Boring", "Dummy", "Mock", "Fake", "Stub", "Toy")
# Synthetic datasets (`DataLoader(RandomDataset(32, 64), batch_size=2)`): a loader over them
# exercises code, not a model. Matched by the callee's last name part.
SYNTHETIC_DATASET_PREFIXES = ("Random", "Fake", "Dummy", "Synthetic")
SYNTHETIC_DATASET_SUFFIXES = ("Dataset", "Data")


# --- Command-line options (MLD603) -------------------------------------------------------------------

# argparse: methods that declare an option on a parser, an argument group or a subparser, and
# the calls that produce the parsed namespace.
ARGPARSE_ADD_METHODS = frozenset({"add_argument"})
ARGPARSE_PARSE_METHODS = frozenset(
    {"parse_args", "parse_known_args", "parse_intermixed_args", "parse_known_intermixed_args"}
)
# Actions that argparse itself consumes: the option never reaches the namespace.
ARGPARSE_SELF_CONSUMED_ACTIONS = frozenset({"help", "version"})
# Options a launcher passes to every process whether the script uses them or not
# (`torch.distributed.launch` adds `--local_rank`): declared only so parsing does not fail.
LAUNCHER_OPTIONS = frozenset({"local_rank", "local-rank"})
# Calls that log or save a namespace (or its `vars()` dict) with the run without taking any
# option out of it: an option that only reaches these is still unused.
NAMESPACE_LOG_SINKS = frozenset(
    {
        "builtins.print", "builtins.str", "builtins.repr", "pprint.pprint", "json.dump", "json.dumps",
        "yaml.dump", "yaml.safe_dump", "wandb.init", "wandb.config.update", "mlflow.log_params",
    }
)  # fmt: skip
# The same, as methods on any receiver: experiment trackers and loggers.
NAMESPACE_LOG_SINK_METHODS = frozenset(
    {"init_trackers", "log_hyperparams", "log_params", "add_hparams", "info", "debug", "warning"}
)
# Copies of a namespace, which carry its options along.
NAMESPACE_COPIES = frozenset({"copy.copy", "copy.deepcopy"})

# click: decorators that declare a command parameter, and the ones that make a command.
CLICK_PARAMETER_DECORATORS = frozenset({"click.option", "click.argument"})
CLICK_COMMAND_DECORATORS = frozenset({"click.command", "click.group"})
CLICK_COMMAND_METHODS = frozenset({"command", "group"})  # `@cli.command()`, `@app.group()`

# typer: parameter defaults (or `Annotated` metadata) that declare an option or argument.
TYPER_PARAMETERS: dict[str, str] = {"typer.Option": "option", "typer.Argument": "argument"}
# What makes a function a typer command, so that every parameter is an option: `typer.run(main)`,
# or `@app.command()`/`@app.callback()` on an `app = typer.Typer()` of the same file.
TYPER_RUNNERS = frozenset({"typer.run"})
TYPER_APPS = frozenset({"typer.Typer"})
TYPER_APP_METHODS = frozenset({"command", "callback"})
# Parameter types that hand over the command's context rather than an option.
CONTEXT_TYPES = frozenset({"typer.Context", "click.Context", "click.core.Context"})
