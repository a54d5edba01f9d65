#!/usr/bin/env bash
# The round trip through a real Label Studio server, end to end:
#   stance annotate -> stance review -> Label Studio (SQLite, on localhost): project with the shipped
#   config, tasks imported, annotations submitted through the API -> export -> stance corpus import
#   -> stance corpus validate -> stance train (a tiny encoder, 1 epoch) -> evaluate, doc-score, load, annotate.
#
# Usage: bash scripts/label_studio_check.sh [WORK_DIR]        (default: a new temporary folder)
# Environment:
#   STANCE_PYTHON  the Python with stance installed (default: .venv/bin/python, made by `make install`)
#   LS_VENV        Label Studio's own venv, created and installed when missing (default: .cache/label-studio-venv)
#   LS_PACKAGES    what to install there (default: the versions this check was run with)
#   LS_PORT        the port Label Studio listens on, on localhost (default: 8089)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)
PY=${STANCE_PYTHON:-$ROOT/.venv/bin/python}
LS_VENV=${LS_VENV:-$ROOT/.cache/label-studio-venv}
LS_PACKAGES=${LS_PACKAGES:-"label-studio==1.23.2 label-studio-sdk==2.1.2"}
PORT=${LS_PORT:-8089}
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
stance() { "$PY" -m stance "$@"; }
up() { "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://localhost:$PORT/health" 2>/dev/null; }
step() { printf '\n== %s\n' "$*"; }

step "Label Studio in its own venv: $LS_VENV"
if [ ! -x "$LS_VENV/bin/label-studio" ]; then
  python3 -m venv "$LS_VENV"
  # shellcheck disable=SC2086
  "$LS_VENV/bin/pip" install --quiet $LS_PACKAGES
fi
"$LS_VENV/bin/pip" list 2>/dev/null | grep -E '^label-studio(-sdk)? '

step "the model's reading: stance annotate, then stance review"
stance annotate samples examples/own-corpus/articles --target Alibaba --target Veltra --out "$WORK/results.jsonl" --quiet --force
stance review "$WORK/results.jsonl" --out "$WORK/tasks.json" --force
stance review --config > "$WORK/label_studio.xml"

step "start Label Studio on localhost:$PORT (SQLite in $WORK/label-studio)"
TOKEN=$("$PY" -c "import secrets; print(secrets.token_hex(20))")
DJANGO_DB=sqlite "$LS_VENV/bin/label-studio" start --no-browser --port "$PORT" --data-dir "$WORK/label-studio" \
  --username check@example.com --password "$TOKEN" --user-token "$TOKEN" --enable-legacy-api-token \
  > "$WORK/label-studio.log" 2>&1 &
LS_PID=$!
trap 'kill "$LS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  up && break
  kill -0 "$LS_PID" 2>/dev/null || { tail -20 "$WORK/label-studio.log"; exit 1; }
  sleep 2
done
up || { echo "Label Studio did not start on port $PORT; see $WORK/label-studio.log"; exit 1; }
printf '{"url": "http://localhost:%s", "token": "%s", "config": "%s"}\n' "$PORT" "$TOKEN" "$WORK/label_studio.xml" > "$WORK/state.json"
DRIVER=("$LS_VENV/bin/python" scripts/label_studio_check.py)

step "project, tasks and annotations through the SDK"
"${DRIVER[@]}" submit "$WORK/state.json" "$WORK/tasks.json" scripts/label_studio_labels.json
"${DRIVER[@]}" export "$WORK/state.json" "$WORK/export-first.json"

step "stance corpus import of the first export: one task is incomplete and must be reported (exit 1)"
set +e
stance corpus import "$WORK/export-first.json" --output-dir "$WORK/corpus-first" --force
code=$?
set -e
[ "$code" = 1 ] || { echo "expected exit 1 (a task left out), got $code"; exit 1; }

step "the labeller completes the task; export and import again"
"${DRIVER[@]}" complete "$WORK/state.json" scripts/label_studio_labels.json
"${DRIVER[@]}" export "$WORK/state.json" "$WORK/export.json"
stance corpus import "$WORK/export.json" --output-dir "$WORK/corpus" --force
stance corpus validate "$WORK/corpus"
kill "$LS_PID"

step "train a tiny model on the import (1 epoch), evaluate it on the held-out part, use it"
"$PY" -c "import sys; from pathlib import Path; sys.path.insert(0, 'tests'); from conftest import build_tiny_encoder; build_tiny_encoder(Path(sys.argv[1]))" "$WORK/tiny-encoder"
stance train --set train_file="$WORK/corpus/train.jsonl" --set dev_file="$WORK/corpus/dev.jsonl" \
  --set article_files="$WORK/corpus/articles/train.jsonl" --set base_model="$WORK/tiny-encoder" --set epochs=1 \
  --output-dir "$WORK/model" --set checkpoint_dir="$WORK/checkpoints"
stance evaluate "$WORK/corpus/test.jsonl" --model "$WORK/model"
stance doc-score "$WORK/corpus/articles/test.jsonl" --model "$WORK/model"
"$PY" -c "import stance, sys; nlp = stance.load(model=sys.argv[1], targets=['Veltra']); print('stance.load:', [(s.actor, s.label) for s in nlp('Korvane Athletic sued Veltra over fakes.')._.stances])" "$WORK/model"
stance annotate examples/own-corpus/articles --target Veltra --model "$WORK/model" --out "$WORK/again.jsonl" --quiet --force

step "done: everything is in $WORK"
echo "Label Studio round trip OK"
