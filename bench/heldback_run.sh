#!/usr/bin/env bash
# The held-back portrait set, measured: bench/portrait.py's quality table for every
# sitter x driver pair, one bench run per driver (so a cut-short run still leaves whole
# drivers), JOBS runs at a time.
#
#   bench/heldback_run.sh CLONE OUTDIR [JOBS]   (a copy: /tmp/unseen5/run.sh; JOBS: 2 by default;
#                                                the set: $HELDBACK_DIR or /tmp/unseen5)
#
# OUTDIR gets one raw bench output per driver (<driver>.txt), run.log (the clone's commit,
# the set's checksums checked, start, end, wall seconds); summarize with
# bench/heldback_summary.py OUTDIR. bench/heldback.md says how the set is rebuilt. Fixers must
# not look at the set: it is how the lead judges their work.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 CLONE OUTDIR [JOBS]" >&2; exit 2; }
SET=${HELDBACK_DIR:-/tmp/unseen5}
CLONE=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
JOBS=${3:-2}
# The clone's own environment where it has one (a worktree or clone made for the run often
# has none: then name one with BAYARD_PYTHON).
PY=${BAYARD_PYTHON:-$CLONE/.venv/bin/python}
[ -x "$PY" ] || { echo "$0: no Python at $PY: set BAYARD_PYTHON to a Bayard environment's python" >&2; exit 2; }
export OMP_NUM_THREADS=1 SDL_VIDEODRIVER=dummy PYTHONUNBUFFERED=1
# The bench measures nothing but fairness without the shared data, even when it is given
# its sitters and drivers: a clone made anywhere but beside ../shared needs to be told where.
export BAYARD_SHARED_DATA=${BAYARD_SHARED_DATA:-$(cd "$CLONE/.." && pwd)/shared/data}

# The files must be the set's, byte for byte: a changed file is a different benchmark.
(cd "$SET/sitters" && sha256sum --check --quiet --ignore-missing "$SET/SHA256SUMS")
(cd "$SET/drivers" && sha256sum --check --quiet --ignore-missing "$SET/SHA256SUMS")

start=$(date +%s)
{
  echo "clone $CLONE at $(git -C "$CLONE" rev-parse HEAD)"
  echo "set $SET: $(ls "$SET/sitters" | wc -l) sitters, $(ls "$SET/drivers" | wc -l) drivers, checksums match"
  echo "start $(date -u +%FT%TZ) jobs $JOBS"
} > "$OUT/run.log"

cd "$CLONE"
export PY OUT SET
# One bench run per driver, over every sitter; its output kept whole as the bench printed it.
ls "$SET/drivers" | xargs -P "$JOBS" -I{} sh -c \
  '"$PY" bench/portrait.py --only quality --frames 200 --portraits "$SET"/sitters/* \
     --drivers "$SET/drivers/{}" > "$OUT/{}.txt" 2>&1 || echo "exit $? for {}" >> "$OUT/run.log"'
# A bench run that measured no pair is said here, not left for the summary to find.
for raw in "$OUT"/*.txt; do
  grep -q "^1. Expression transfer" "$raw" || echo "no quality table in $(basename "$raw")" >> "$OUT/run.log"
done

end=$(date +%s)
{ echo "end $(date -u +%FT%TZ)"; echo "wall_s $((end - start))"; } >> "$OUT/run.log"
