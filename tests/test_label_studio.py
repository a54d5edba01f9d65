"""The round trip through a real Label Studio server: scripts/label_studio_check.sh.

Runs only with STANCE_LABEL_STUDIO=1. The script installs label-studio into its own venv the first
time (LS_VENV, default .cache/label-studio-venv; PyPI needed), starts it on localhost with SQLite,
labels the example tasks through the API, imports the export and trains a tiny model on it: about
three minutes once installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("STANCE_LABEL_STUDIO"), reason="set STANCE_LABEL_STUDIO=1 to run it"),
]


def test_round_trip_through_label_studio(tmp_path):
    env = {**os.environ, "STANCE_PYTHON": os.environ.get("STANCE_PYTHON", sys.executable)}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "label_studio_check.sh"), str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=1800)
    out = done.stdout
    assert done.returncode == 0, out[-4000:] + done.stderr[-4000:]
    assert "imported 9 tasks with 9 predictions" in out and "annotations submitted: 9" in out
    assert "task 8 (veltra-privacy-inquiry.txt): actor 'Open Ledger': no stance toward 'Veltra'" in out
    assert "tasks 9: imported 9 articles (train 6, dev 1, test 2), left out 0" in out
    assert f"{tmp_path / 'corpus'}: OK" in out
    assert "Label Studio round trip OK" in out
    assert (tmp_path / "model" / "head.safetensors").is_file()
