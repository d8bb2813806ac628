"""What mldebt knows about ML libraries, as data: one module per topic, tables of
qualified names. Rules import these tables; adding a library is adding rows.

- `randomness`: random draws, seeders, estimators and splitters that take a seed.
- `data_sources`: loaders of data and pretrained models, and how each is pinned.
- `models`: prediction and scoring calls.
- `languages`: entry points that run another language (SQL, shell, R, ...).
"""
