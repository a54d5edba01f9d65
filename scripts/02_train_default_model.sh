#!/usr/bin/env bash
# Retrain the shipped model end to end, in two steps (on 2 CPU cores: about an hour, then 20-40 minutes).
#   1. the written-corpus model (scripts/stance-minilm.json), into .cache/models/stance-minilm-written
#   2. continued on real news (scripts/stance-minilm-wikinews.json): the Wikinews train articles, the
#      hand-labelled NewsMTSC pairs and half of the written records, stopping early on the Wikinews dev
#      articles; then the temperature is fitted on the Wikinews dev records.
# Step 2 needs the NewsMTSC release files (github.com/fhamborg/NewsMTSC, MIT): pass their folder.
#   bash scripts/02_train_default_model.sh PATH/TO/NEWSMTSC [OUTPUT_DIR]
set -euo pipefail
export HF_HUB_OFFLINE=1
newsmtsc=${1:?pass the folder holding NewsMTSC train.jsonl, devtest_rw.jsonl and devtest_mt.jsonl}
out=${2:-models/stance-minilm}
stance train --config scripts/stance-minilm.json --output-dir .cache/models/stance-minilm-written
stance corpus newsmtsc-labels "$newsmtsc" corpora/newsmtsc-stance/labels.jsonl --out .cache/newsmtsc-records.jsonl --force
stance train --config scripts/stance-minilm-wikinews.json --output-dir "$out"
stance corpus records corpora/wikinews-stance/articles/dev.jsonl --out .cache/wikinews-dev.jsonl --force
stance calibrate --model "$out" --data .cache/wikinews-dev.jsonl
