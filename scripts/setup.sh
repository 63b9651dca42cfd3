#!/usr/bin/env bash
# Create (or reuse) .venv at the repo root and install the project. Usage: scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned: left to the resolver it picks a CUDA build of several GB
.venv/bin/python -m pip install -q "torch==2.13.0"
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
