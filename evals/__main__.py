"""``python -m evals run ...``: see evals/run.py."""

import sys

from evals.run import main

sys.exit(main())
