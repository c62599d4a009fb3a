#!/bin/sh
# Remakes the default exhibition's composite-portrait loop from its public-domain sources
# and checks it against the checksums in recipe.toml (byte for byte).
# Run from the repository root: PD_CORPUS=/path/to/pd-corpus content/loop/remake.sh
# About 80 s on a shared 2-core machine. The corpus is not in the repository; see CREDITS.md.
set -e
PY=${PYTHON:-python}
: "${PD_CORPUS:?set PD_CORPUS to the folder holding the files listed in content/loop/sources.tsv}"
$PY -m installation generator composite --recipe content/loop/recipe.toml --corpus "$PD_CORPUS" \
    -o content/loop/faces.mp4 --members content/loop/composites.tsv --check
