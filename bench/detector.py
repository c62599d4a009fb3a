"""Detector figures, per route and per cue: ROC AUC with a bootstrap 95% interval,
accuracy and each class's error rate at the route's own threshold, on

* held-out material the project may use: the test split of the face examples (public-domain
  faces in five real kinds, living legislators as reals, and the same public-domain faces
  rebuilt by the seven fake families; sources never seen in training), read from
  build/faces when it exists (`--work`), with the leave-one-generator-out table stored in
  the weights;
* the development faces (../shared/data/faces: 20 FFHQ photographs, 20 StyleGAN2 faces;
  development only: nothing here is fitted on them, and no threshold is set on them);

and the scoring time per 512 px image on one core.

    python bench/detector.py [--work build/faces] [--shared-data DIR] [--weights FILE]

Cues are scored alone, with a fixed direction and no fitting (higher = more likely
generated): `highlights` (the two corneal highlights disagree) and `pupils` (pupil outline
far from an ellipse), so their figures say what each cue carries by itself. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from installation.models.detector import eyes, load_detector, metrics  # noqa: E402
from installation.models.detector.preprocess import list_images, read_image  # noqa: E402


def shared_data(given: str | None) -> Path:
    if given:
        return Path(given)
    if os.environ.get("BAYARD_SHARED_DATA"):
        return Path(os.environ["BAYARD_SHARED_DATA"])
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def own_test(work: Path) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
    """The test split's examples (sources never seen in training): every real kind and
    the living legislators against every fake family. They are already the square the
    face detector reads (make_faces), so the `faces` route scores them as they are."""
    from installation.models.detector.make_faces import load_split

    if not (work / "frames.tsv").is_file() or not (work / "examples").is_dir():
        return None
    test = load_split(work)["test"]
    return test["real"], test["fake"]


class OnCrop:
    """A face detector scoring a picture that is already its crop (the own test split)."""

    def __init__(self, detector) -> None:
        self.detector, self.threshold = detector, detector.threshold

    def score(self, image: np.ndarray):
        return self.detector.verdict_of_logit(self.detector.net.logit(image))


def line(name: str, labels: np.ndarray, scores: np.ndarray, threshold: float | None) -> str:
    auc = metrics.roc_auc(labels, scores)
    low, high = metrics.bootstrap_auc(labels, scores, rounds=1000)
    text = f"  {name:<22} AUC {auc:.3f} (95% {low:.3f}-{high:.3f})"
    if threshold is not None:
        report = metrics.evaluate(labels, (scores >= threshold).astype(float), 0.5)
        real_err, fake_err = metrics.class_errors(report)
        text += (f"  accuracy {report.accuracy:.3f}  real called generated {real_err:.1%}  "
                 f"generated called real {fake_err:.1%}")
    else:
        text += "  (a cue alone: no threshold fixed)"
    return text


class Cues:
    """The eye cues of a picture (None without a face)."""

    def __init__(self) -> None:
        from installation.models.face import FaceStack

        self.stack = FaceStack.open(threads=1)

    def __call__(self, image: np.ndarray):
        from installation.models.face import portrait_faces

        faces = portrait_faces(image, self.stack)
        if not faces:
            return None
        return eyes.measure(image, self.stack.eyes(image, faces[0].landmarks))


def evaluate(title: str, real: list[np.ndarray], fake: list[np.ndarray], routes: dict, cues: Cues) -> None:
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    print(f"{title} ({len(real)} real, {len(fake)} generated)")
    for name, detector in routes.items():
        verdicts = [detector.score(im) for im in real + fake]
        log_odds = np.array([v.log_odds for v in verdicts])
        cut = float(np.log(detector.threshold / (1 - detector.threshold)))
        print(line(name, labels, log_odds, cut))
    measured = [cues(im) for im in real + fake]
    found = np.array([m is not None for m in measured])
    for cue in ("highlight_disagreement", "pupil_irregularity"):
        values = np.array([getattr(m, cue) if m is not None else 0.5 for m in measured])
        print(line(f"cue {cue.split('_')[0]}s", labels[found], values[found], None) + f"  ({found.sum()} with a face)")


def timing(detector, image: np.ndarray, runs: int = 10) -> tuple[float, float]:
    detector.score(image)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(runs):
        detector.score(image)
    return (time.perf_counter() - start) / runs * 1000, (time.process_time() - cpu) / runs * 1000


def load_routes(weights: Path | None = None) -> dict:
    return {"faces (NPR network)": load_detector("faces", weights=weights),
            "spectral (old default)": load_detector("spectral")}


def quiz_items(routes: dict, cues: Cues) -> None:
    """The default quiz: generated faces and photographs the portrait engine gave a smile,
    each kind against all the photographs (by the manifest's truth)."""
    from installation.scenes.quiz_manifest import load_manifest

    content = Path(__file__).resolve().parents[1] / "content"
    if not (content / "quiz" / "manifest.toml").is_file():
        return
    items = load_manifest(content / "quiz" / "manifest.toml", content)
    real = [read_image(i.path) for i in items if i.kind == "real"]
    kinds = (("fake", "generated by the project's network"), ("altered", "given a smile by the portrait engine"))
    for kind, what in kinds:
        fake = [read_image(i.path) for i in items if i.kind == kind]
        if fake:
            evaluate(f"the default quiz items, photographs against faces {what} (sources the network never trained on)",
                     real, fake, routes, cues)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("build/faces"))
    parser.add_argument("--shared-data", default=None)
    parser.add_argument("--weights", type=Path, default=None,
                        help="the faces network's weights (default: the shipped models/detector/faces.npz)")
    parser.add_argument("--only", choices=("quiz", "own", "shared"), default=None,
                        help="only this part: the default quiz items, the own held-out split, "
                        "or the development faces")
    args = parser.parse_args()
    if args.only == "quiz":
        quiz_items(load_routes(args.weights), Cues())
        return 0
    routes = load_routes(args.weights)
    info = routes["faces (NPR network)"].info
    held = info["held_out_test"]
    print(
        f"faces.npz: trained on {info['n_train_examples']}; its own test split {info['n_test_examples']} "
        f"at making: AUC {held['roc_auc']:.3f} (95% {held['roc_auc_95'][0]:.3f}-{held['roc_auc_95'][1]:.3f}), "
        f"real called generated {held['real_called_fake']:.1%}, generated called real {held['fake_called_real']:.1%}"
    )
    print("leave-one-generator-out at making (trained without the family, judged on it; test split):")
    for family, row in (info.get("leave_one_generator_out") or {}).items():
        low, high = row["auc_unseen_95"]
        print(f"  {family:<14} AUC {row['auc_unseen']:.3f} (95% {low:.3f}-{high:.3f}), "
              f"real called generated {row['real_called_fake']:.1%}, "
              f"unseen family called real {row['unseen_called_real']:.1%}")
    print("fairness (test split's real faces called generated, by group):")
    for group, (n, share) in info["fairness_real_called_fake"].items():
        print(f"  {group:<40} {share:.1%} of {n}")
    cues = Cues()
    data = shared_data(args.shared_data)
    faces = data / "faces"
    sample = read_image(list_images(faces / "real")[0]) if (faces / "real").is_dir() else None
    if sample is not None:
        for name, detector in routes.items():
            wall, cpu = timing(detector, sample)
            print(f"scoring one 512 px face, {name}: {wall:.0f} ms wall, {cpu:.0f} ms CPU "
                  f"(load {os.getloadavg()[0]:.1f})")
        start = time.process_time()
        for _ in range(5):
            cues(sample)
        print(f"eye cues (face stack + iris + both measures): {(time.process_time() - start) / 5 * 1000:.0f} ms CPU")
    if args.only is None:
        quiz_items(routes, cues)
    own = own_test(args.work) if args.only in (None, "own") else None
    if own is None and args.only != "shared":
        print(f"no pairs in {args.work}; remake them (docs/detector.md) for the own held-out figures")
    elif own is not None:
        on_crops = {n: OnCrop(d) if n.startswith("faces") else d for n, d in routes.items()}
        evaluate("held-out own material (test split, face-centre crops)", *own, on_crops, cues)
    if sample is None or args.only not in (None, "shared"):
        if sample is None:
            print(f"no development faces at {faces}; skipping them")
        return 0
    real = [read_image(p) for p in list_images(faces / "real")]
    fake = [read_image(p) for p in list_images(faces / "fake")]
    evaluate(f"development faces {faces} (development check only)", real, fake, routes, cues)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
