"""Where prototypes live: the folders and files of a project that hold scratch work.

Used by MLD510 (prototype-import). Names match a path segment case-insensitively.
"""

from __future__ import annotations

# Folders that hold prototypes, experiments and scratch work: a module under any of them
# is inside a prototype area.
PROTOTYPE_AREAS = frozenset(
    {"scratch", "sandbox", "playground", "prototype", "prototypes", "experiments", "notebooks", "tmp"}
)

# Of those, the words that libraries also give real sub-packages (`triage.experiments` runs
# experiments; it is not one): a folder so named is a prototype area only when it is not a
# sub-package of a package (a top-level `experiments/`, or one under a plain folder).
LIBRARY_PACKAGE_WORDS = frozenset({"experiments", "notebooks"})

# Words that also name products: a code-execution `sandbox/` service, a `playground/` app. A
# folder so named that is a package with sub-packages of its own is engineered code, not scratch.
PRODUCT_PACKAGE_WORDS = frozenset({"sandbox", "playground"})

# File names (without `.py`) that say the file itself is scratch work: `scratch.py`, `tmp.py`.
# `experiments.py` and `notebooks.py` are not here: libraries name real modules so (an
# experiment-tracking API, a notebook runner).
PROTOTYPE_FILE_STEMS = frozenset({"scratch", "sandbox", "playground", "prototype", "prototypes", "tmp"})

# Notebooks are prototypes by nature: a module whose file is a notebook is inside a prototype area.
NOTEBOOK_SUFFIXES = (".ipynb",)

# Packages that make notebooks importable from Python: `import import_ipynb` (then
# `import analysis` loads `analysis.ipynb`), `nbimporter`, and `ipynb` (whose
# `ipynb.fs.full.<notebook>` / `ipynb.fs.defs.<notebook>` modules are notebooks).
NOTEBOOK_IMPORT_PACKAGES = frozenset({"import_ipynb", "nbimporter", "ipynb"})
NOTEBOOK_MODULE_PREFIXES = ("ipynb.fs.full.", "ipynb.fs.defs.")
