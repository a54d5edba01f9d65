"""Is ONNX Runtime faster than the in-process encoder? Times the shipped encoder both ways on the
real windows of the 60 gold articles (the encoder only, batches of 16 sorted by length, 2 threads).

    pip install onnxruntime onnx     # not a dependency of stance: this check only
    python scripts/05_onnxruntime_check.py [--model models/stance-minilm] [--repeats 2]

Prints the seconds of each runtime per pass over the windows and the largest difference of the
hidden states on real tokens.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch

import stance
from stance.articles import read_articles
from stance.model.network import encode_windows
from stance.text.normalize import normalize_text

try:
    import onnxruntime
except ImportError:
    sys.exit("This check needs ONNX Runtime: pip install onnxruntime onnx")

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="models/stance-minilm")
parser.add_argument("--articles", default="corpora/platform-stance/articles")
parser.add_argument("--repeats", type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(2)

nlp = stance.load(model=args.model)
classifier, resolver = nlp.get_pipe("stance_classifier"), nlp.get_pipe("stance_actors")
contexts = []
for article in read_articles(args.articles):
    resolver.targets = article["targets"]
    doc = nlp.make_doc(normalize_text(article["text"]))
    for name, component in nlp.pipeline:
        if name != "stance_classifier":
            doc = component(doc)
    contexts += [context for _, context in classifier._contexts(doc)]
order = sorted(range(len(contexts)), key=lambda i: len(contexts[i].window.text))
batches = [
    encode_windows(classifier.tokenizer, [contexts[i].window for i in order[start : start + 16]], 256)
    for start in range(0, len(order), 16)
]


class HiddenStates(torch.nn.Module):
    """The transformers BERT of the model folder, returning the last hidden state only."""

    def __init__(self, folder: Path):
        from transformers import AutoModel

        super().__init__()
        self.bert = AutoModel.from_pretrained(str(folder), use_safetensors=True).float().eval()

    def forward(self, input_ids, attention_mask):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


onnx_file = Path(tempfile.mkdtemp()) / "encoder.onnx"
example = batches[len(batches) // 2]
dynamic = {0: "batch", 1: "tokens"}
torch.onnx.export(
    HiddenStates(Path(args.model) / "encoder"), (example["input_ids"], example["attention_mask"]), str(onnx_file),
    input_names=["input_ids", "attention_mask"], output_names=["hidden"], opset_version=17, dynamo=False,
    dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "hidden": dynamic},
)
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = 2
options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])


@torch.inference_mode()
def in_process() -> list[torch.Tensor]:
    encoder = classifier.network.encoder
    return [encoder(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).last_hidden_state for b in batches]


def onnx() -> list[torch.Tensor]:
    feeds = ({"input_ids": b["input_ids"].numpy(), "attention_mask": b["attention_mask"].numpy()} for b in batches)
    return [torch.from_numpy(session.run(None, feed)[0]) for feed in feeds]


print(f"{len(contexts)} windows in {len(batches)} batches")
for runtime in (in_process, onnx):
    runtime()  # warm-up
for _ in range(args.repeats):
    for runtime in (in_process, onnx):
        start = time.perf_counter()
        runtime()
        print(f"{runtime.__name__:<12}{time.perf_counter() - start:8.2f} s")
real = [b["attention_mask"].bool() for b in batches]
difference = max(float((a[m] - o[m]).abs().max()) for a, o, m in zip(in_process(), onnx(), real, strict=True))
print(f"largest difference of hidden states on real tokens: {difference:.1e}")
