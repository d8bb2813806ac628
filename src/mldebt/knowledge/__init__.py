"""What mldebt knows about ML libraries, as data: one module per topic, tables of
qualified names. Rules import these tables; adding a library is adding rows.

- `randomness`: random draws, seeders, estimators and splitters that take a seed.
- `data_sources`: loaders of data and pretrained models, and how each is pinned.
- `models`: prediction and scoring calls, metric and setting words.
- `training`: fitting, loading, validating and stacking calls (the data-flow helper's tables).
- `pipelines`: module-level pipelines, prediction entry points, prototype shortcuts, SQL catalogs.
- `hyperparameters`: optimizers, schedulers, estimators, trainers and their tuning knobs.
- `conversions`: calls that only move data between formats.
- `languages`: entry points that run another language (SQL, shell, R, ...).
- `serving`: web frameworks' routes, request payloads, monitoring calls, validators.
- `paths`: machine-specific path prefixes.
- `prototypes`: where prototypes live: scratch and experiment folders, notebooks and their importers.
- `experiments`: names that mark experiments and old versions, and how code reaches a name unwritten.
- `roles`: training and predicting calls, black-box packages and their helper modules, shipped and
  foreign code.
- `composition`: what a line of code does (ML code, data, features, configuration, serving,
  monitoring, glue), for `mldebt audit`'s measure of the paper's Figure 1.
"""
