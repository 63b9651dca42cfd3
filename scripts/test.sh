#!/usr/bin/env bash
# Set up everything the tests need (venv, Debian's chromium for the browser tests) and run them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium chromium-driver
fi
.venv/bin/python -m pytest -q "$@"
# The seed gold set through the CLI (false_abstain is a maximum): quotes verbatim, evidence hit@1 at
# the quality issue's 0.95, short answers 0.85, at most 5% false abstentions. The learned abstainer
# does not reach the first version's 0.875 on the set's 10 unanswerable items (see docs/eval/quality.md).
.venv/bin/assistant eval gold/seed.jsonl --documents seeds/000_8355bb5549ec8e52.txt \
  --min quote_fidelity=1.0 --min hit@1=0.95 --min answer_contains=0.85 --min false_abstain=0.05 \
  --min false_intent=0.02 > /dev/null
# Questions about the whole article (the seed and a second article written for the tests), each asked
# within its own article: the intent recognised for 95% and every reply right for 95%.
.venv/bin/assistant eval gold/whole_article.jsonl --scoped \
  --documents seeds/000_8355bb5549ec8e52.txt tests/articles/ferry_strike.txt \
  --min quote_fidelity=1.0 --min intent_recognised=0.95 --min whole_article_correct=0.95 > /dev/null
