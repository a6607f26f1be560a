"""Flex-template entry point (FLEX_TEMPLATE_PYTHON_PY_FILE): the launcher runs
``python main.py --name=value ...`` with the template parameters and Dataflow's own options."""
from __future__ import annotations

import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flex_template import template_argv


def main() -> None:
    from pipeline.run import run
    logging.basicConfig(level=os.environ.get("CODEPREF_LOG", "INFO"))
    run(template_argv(sys.argv[1:]))


if __name__ == "__main__":
    main()
