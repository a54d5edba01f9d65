#!/usr/bin/env bash
# A scheduler and two workers started from the command line on this machine; 200+ articles through
# --scheduler tcp://127.0.0.1:PORT, merged, compared with the single-machine run.
set -euo pipefail
port=${PORT:-8786}
work=$(mktemp -d)
python -c "from stance.bench import build_folder; from pathlib import Path; build_folder(Path('$work/articles'), 90000)"
echo "articles: $(ls "$work/articles" | wc -l)"
dask scheduler --host 127.0.0.1 --port "$port" --no-dashboard > "$work/scheduler.log" 2>&1 &
scheduler=$!
sleep 3
dask worker "tcp://127.0.0.1:$port" --nworkers 2 --nthreads 1 --no-dashboard > "$work/workers.log" 2>&1 &
workers=$!
trap 'kill $workers $scheduler 2>/dev/null || true' EXIT
sleep 8
time stance annotate "$work/articles" --target Alibaba --out "$work/parts" --scheduler "tcp://127.0.0.1:$port" --quiet
stance merge "$work/parts" --out "$work/cluster.jsonl"
time stance annotate "$work/articles" --target Alibaba --out "$work/single.jsonl" --quiet
python - "$work/cluster.jsonl" "$work/single.jsonl" <<'PY'
import json, sys
def load(path):
    return {r["id"]: r for r in map(json.loads, open(path))}
cluster, single = load(sys.argv[1]), load(sys.argv[2])
lines = sum(1 for _ in open(sys.argv[1]))
labels = lambda r: [(a["name"], s["target"], s["label"]) for a in r["actors"] for s in a["stances"]]
scores = lambda r: [s["score"] for a in r["actors"] for s in a["stances"]]
same_labels = all(labels(cluster[i]) == labels(single[i]) for i in single)
max_diff = max(abs(x - y) for i in single for x, y in zip(scores(cluster[i]), scores(single[i])))
print(f"records: cluster {len(cluster)} (lines {lines}), single machine {len(single)}; "
      f"same ids: {set(cluster) == set(single)}; identical labels: {same_labels}; max score difference: {max_diff:.2e}")
PY
