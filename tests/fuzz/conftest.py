from __future__ import annotations

import sys
from pathlib import Path

# The strategies and properties live beside the quick tests, in tests/fuzzing.py.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
