#!/usr/bin/env bash
# Re-derive the train/dev/test split of corpora/platform-stance from its records (deterministic:
# whole event groups are hashed to a split; the held-out targets below go to test only).
set -euo pipefail
corpus=corpora/platform-stance
all=$(mktemp --suffix=.jsonl)
cat "$corpus"/train.jsonl "$corpus"/dev.jsonl "$corpus"/test.jsonl > "$all"
stance corpus split "$all" --output-dir "$corpus" --force \
  --held-out Marketvale --held-out Zunpay --held-out Crateo \
  --held-out Glimmr --held-out "Sonora Play" --held-out Pixora \
  --held-out Ridenest --held-out Roomyard --held-out Drivana \
  --held-out Querix --held-out Filebarn --held-out "Halvorsen Motors" \
  --held-out "Helena Marchetti" --held-out "Tobias Reinholt" --held-out "Civic Renewal Party" \
  --held-out "Brantwood Telecom" --held-out "Solvey Records" --held-out "Orinoco Airways"
stance corpus validate "$corpus"
stance corpus stats "$corpus"
