"""`python -m mldebt` must not import the analysed project's modules.

`python -m` puts the current directory first on `sys.path`, and mldebt is usually
run from the root of the repository it checks. A `libcst.py`, `click.py` or
`csv.py` there would then be imported, and run, in place of the real module the
first time mldebt (or the standard library) imports it. Importing this module,
which the package does before anything else, drops that entry, as `python -P`
(Python 3.11+) would. The `mldebt` command itself is safe already: its
`sys.path[0]` is its script's folder.
"""

from __future__ import annotations

import os
import sys


def forget_working_directory() -> None:
    """Remove the current directory from the front of `sys.path` when this process is `python -m mldebt`."""
    if getattr(sys.flags, "safe_path", False) or not _runs_this_package():
        return
    if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == os.getcwd()):
        del sys.path[0]


def _runs_this_package() -> bool:
    """True while `python -m mldebt` is locating its module (`sys.argv[0]` is then `-m`), and only then:
    a program that imports mldebt keeps its own `sys.path`."""
    if sys.argv[:1] != ["-m"]:
        return False
    arguments = list(getattr(sys, "orig_argv", []))[1:]
    for index, argument in enumerate(arguments):
        if argument == "-m":
            return arguments[index + 1 : index + 2] in (["mldebt"], ["mldebt.__main__"])
        if argument.startswith("-m"):
            return argument[2:] in ("mldebt", "mldebt.__main__")
    return False


forget_working_directory()
