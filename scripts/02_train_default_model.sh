#!/usr/bin/env bash
# Retrain the shipped model end to end (about 44 minutes on 2 CPU cores, a few on a GPU).
set -euo pipefail
export HF_HUB_OFFLINE=1
stance train --config scripts/stance-minilm.json "$@"
