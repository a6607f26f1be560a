"""Training logs: one JSON object per line in a file, a compact line on stdout, TensorBoard if installed."""
from __future__ import annotations

import json
import os


class MetricLog:
    def __init__(self, path: str, tensorboard: bool = False):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._file = open(path, "a", encoding="utf-8")
        self._tb = None
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
                self._tb = SummaryWriter(os.path.join(os.path.dirname(os.path.abspath(path)), "tensorboard"))
            except ImportError:
                print("tensorboard is not installed; logging to JSONL only", flush=True)

    def write(self, record: dict) -> None:
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()
        print(" ".join(f"{k}={_fmt(v)}" for k, v in record.items()), flush=True)
        if self._tb is not None and "step" in record:
            for k, v in record.items():
                if isinstance(v, (int, float)) and k != "step":
                    self._tb.add_scalar(k, v, record["step"])

    def close(self) -> None:
        self._file.close()
        if self._tb is not None:
            self._tb.close()


def _fmt(v) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)
