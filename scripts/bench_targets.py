"""`stance.classify` with ten different targets in a row on one loaded pipeline, timed.

    python scripts/bench_targets.py [--model models/stance-minilm] [--repeat 3]

Targets travel with each document (``doc._.target_request``), so a new target must cost one
document's time — not a pipeline rebuild (about 1.5 s). The table shows, per call, the seconds of
``stance.classify`` beside a plain ``nlp(text)`` of the same text (median of ``--repeat`` runs), and
checks that the one cached pipeline was never rebuilt or changed.
"""

from __future__ import annotations

import argparse
import statistics
import time

import stance
from stance import api

TEXT = (
    "Kering, the owner of Gucci, sued Alibaba in New York, while eBay and Amazon said they would keep "
    "working with the brands. Analysts at Bernstein said Tencent, JD.com, Pinduoduo, Rakuten, Shopify, "
    "Zalando and Etsy face the same questions from regulators in Brussels."
)
TARGETS = ["Alibaba", "eBay", "Amazon", "Tencent", "JD.com", "Pinduoduo", "Rakuten", "Shopify", "Zalando", "Etsy"]


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    load_seconds, _ = timed(lambda: stance.classify(TEXT, "Kering", "Alibaba", model=args.model))
    nlp = api._cached(args.model)
    config_before = nlp.config.to_str()
    print(f"first call (loads the pipeline once): {load_seconds:.2f} s\n")
    print("| # | target | classify (s) | plain nlp(text) (s) | Kering's stance |")
    print("|---:|---|---:|---:|---|")
    totals = []
    for number, target in enumerate(TARGETS, 1):
        runs = [timed(lambda t=target: stance.classify(TEXT, "Kering", t, model=args.model)) for _ in range(args.repeat)]
        plain = statistics.median(timed(lambda: nlp(TEXT))[0] for _ in range(args.repeat))
        seconds, result = statistics.median(s for s, _ in runs), runs[-1][1]
        totals.append(seconds)
        print(f"| {number} | {target} | {seconds:.3f} | {plain:.3f} | {result['label']} {result['score']:.2f} |")
    same = api._cached(args.model) is nlp and nlp.config.to_str() == config_before
    print(f"\nten targets: {sum(totals):.2f} s in all; one pipeline, never rebuilt or changed: {same}")
    print(f"pipelines built: {api._cached.cache_info().misses}")


if __name__ == "__main__":
    main()
