"""`python -m installation.inputs.osc docs/osc.md` rewrites the address table in the docs."""

import sys
from pathlib import Path

from .addresses import rewrite_doc

rewrite_doc(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/osc.md"))
