#!/bin/sh
# Remakes the default exhibition's generated-faces loop from nothing but this repository:
# procedural portraits -> a small GAN trained on the CPU -> a seamless latent walk.
# Run from the repository root. About 25 minutes in all on a 2-core laptop (training, about 20 minutes, dominates).
# Exact frames can differ on other CPUs/torch versions (floating-point order); the recipe is the same.
set -e
PY=${PYTHON:-python}
WORK=${WORK:-/tmp/bayard-loop}
mkdir -p "$WORK"
$PY -m installation generator faces -o "$WORK/faces" --count 6000 --size 64 --seed 0
$PY -m installation generator train --images "$WORK/faces" -o "$WORK/train.pt" \
    --size 64 --width 128 --steps 2000 --batch 16 --seed 7 --threads 1 --save-every 100 \
    --export models/generator/faces64.pt
$PY -m installation generator render --checkpoint models/generator/faces64.pt \
    --frames 600 --walk --size 512 --fps 25 --seed 1840 --seconds-per-face 3 --crf 26 --truncation 1 \
    -o content/loop/faces.mp4
