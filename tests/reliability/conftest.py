import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # the shared fixtures in tests/conftest.py

from conftest import chroma_server, seed_bot  # noqa: E402,F401
