"""`python -m mldebt`."""

from __future__ import annotations

from mldebt.cli import main

if __name__ == "__main__":
    main()
