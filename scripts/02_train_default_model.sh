#!/usr/bin/env bash
# Retrain the shipped model end to end (about an hour on 2 CPU cores, a few minutes on a GPU).
set -euo pipefail
export HF_HUB_OFFLINE=1
stance train --config scripts/stance-minilm.json "$@"
