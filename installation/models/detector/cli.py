"""`bayard detector fit | eval | score`: a gallery fits the detector on its own quiz
material, checks it, and scores single images.

Wire with `installation.models.detector.cli.add_commands(subparsers)`.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ...clitypes import ranged
from ...registry import UnknownName
from . import metrics
from .base import DEFAULT_MODELS_DIR, DETECTORS, Detector, DetectorUnavailable, Verdict
from .linear import best_threshold
from .preprocess import ImageError, list_images, prepare, read_image
from .spectral import SpectralModel, describe


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _images(folder: Path, what: str) -> list[Path]:
    files = list_images(folder)
    if not files:
        raise ImageError(f"{folder}: no JPEG/PNG images found for --{what}; put the {what} images there")
    return files


def _describe_folder(files: list[Path], label: str) -> tuple[list[Path], list[np.ndarray], list[np.ndarray]]:
    kept, rows, curves = [], [], []
    for path in tqdm(files, desc=f"reading {label}", unit="img"):
        try:
            row, curve = describe(prepare(read_image(path)))
        except ImageError as error:
            tqdm.write(f"skipped: {_named(path, error)}")
            continue
        kept.append(path)
        rows.append(row)
        curves.append(curve)
    return kept, rows, curves


def split_calibration(n: int, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices (fit, calibration) for one class: at least one held out when there are
    four or more, none below that (then calibration reuses the fitting rows)."""
    order = rng.permutation(n)
    held = int(round(n * fraction)) if n >= 4 else 0
    held = max(held, 1) if n >= 4 else 0
    return np.sort(order[held:]), np.sort(order[:held])


def fit_folders(
    real_dir: Path, fake_dir: Path, calibration_fraction: float = 0.25, seed: int = 0, l2: float = 0.05
) -> tuple[SpectralModel, dict]:
    """Fit a spectral model on a gallery's own folders; returns the model and a summary."""
    _, real_rows, real_curves = _describe_folder(_images(real_dir, "real"), "real")
    _, fake_rows, fake_curves = _describe_folder(_images(fake_dir, "fake"), "fake")
    if len(real_rows) < 2 or len(fake_rows) < 2:
        raise ImageError(
            f"need at least 2 readable images in each of {real_dir} and {fake_dir} "
            f"(found {len(real_rows)} and {len(fake_rows)})"
        )
    rng = np.random.default_rng(seed)
    real, fake = np.array(real_rows), np.array(fake_rows)
    r_fit, r_cal = split_calibration(len(real), calibration_fraction, rng)
    f_fit, f_cal = split_calibration(len(fake), calibration_fraction, rng)
    if len(r_cal) == 0 or len(f_cal) == 0:
        # Too few to hold any out: calibrate on the fitting rows (optimistic; said in the summary).
        r_cal, f_cal = r_fit, f_fit
        held_out = False
    else:
        held_out = True
    x_cal = np.vstack([real[r_cal], fake[f_cal]])
    y_cal = np.r_[np.zeros(len(r_cal)), np.ones(len(f_cal))]
    info = {
        "made_by": "bayard detector fit",
        "real": str(real_dir),
        "fake": str(fake_dir),
        "n_fit": [int(len(r_fit)), int(len(f_fit))],
        "n_calibration": [int(len(r_cal)), int(len(f_cal))],
        "calibration_held_out": held_out,
        "seed": seed,
    }
    model = SpectralModel.fit(
        real[r_fit],
        fake[f_fit],
        (x_cal, y_cal),
        np.array(real_curves)[r_fit],
        np.array(fake_curves)[f_fit],
        l2=l2,
        info=info,
    )
    return model, info


def _cmd_fit(args: argparse.Namespace) -> int:
    if args.quiz:
        return _cmd_fit_quiz(args)
    if not (args.real and args.fake and args.output):
        _err("give --real DIR --fake DIR -o FILE, or --quiz MANIFEST")
        return 2
    try:
        model, info = fit_folders(Path(args.real), Path(args.fake), args.calibration, args.seed)
        model.save(args.output)
    except (ImageError, OSError) as error:
        _err(str(error))
        return 2
    (nr, nf), (cr, cf) = info["n_fit"], info["n_calibration"]
    print(
        f"fitted on {nr} real + {nf} fake; calibrated on {cr} real + {cf} fake"
        + ("" if info["calibration_held_out"] else " (too few to hold out: the same images, so optimistic)")
    )
    print(f"calibrated threshold: {model.linear.threshold:.3f}")
    print(f"wrote {args.output}")
    return 0


def backend_for(model: str | None, models_dir: Path) -> str:
    """The backend when none is named: the one a given weights file was made for, else
    the face detector when its weights are installed, else the spectral one."""
    from .facedet import DEFAULT_WEIGHTS as FACES_WEIGHTS
    from .facedet import FORMAT as FACES_FORMAT

    if model is not None:
        try:
            with np.load(model, allow_pickle=False) as data:
                if "info" in data.files and FACES_FORMAT in str(data["info"]):
                    return "faces"
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):  # (a truncated .npz is a BadZipFile)
            pass  # the chosen backend reports an unreadable file with its own fix
        return "spectral"
    return "faces" if (models_dir / FACES_WEIGHTS).is_file() else "spectral"


def _folds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 2:  # (1 fold ended in an IndexError: nothing is left to fit on)
        raise argparse.ArgumentTypeError(f"'{text}': cross-fitting needs 2 folds or more")
    return value


def _load(args: argparse.Namespace) -> Detector:
    if args.detector is None:
        args.detector = backend_for(args.model, Path(args.models_dir))
    cls = DETECTORS.get(args.detector)
    return cls(weights=args.model, models_dir=Path(args.models_dir))


def _score_folder(detector: Detector, files: list[Path], label: str) -> list[Verdict]:
    verdicts = []
    for path in tqdm(files, desc=f"scoring {label}", unit="img"):
        try:
            verdicts.append(detector.score(read_image(path)))
        except ImageError as error:
            tqdm.write(f"skipped: {_named(path, error)}")
    return verdicts


def _cmd_eval(args: argparse.Namespace) -> int:
    try:
        detector = _load(args)
        real = _score_folder(detector, _images(Path(args.real), "real"), "real")
        fake = _score_folder(detector, _images(Path(args.fake), "fake"), "fake")
    except (UnknownName, DetectorUnavailable, ImageError) as error:
        _err(str(error))
        return 2
    if not real or not fake:
        _err("no readable images in one of the folders; nothing to evaluate")
        return 2
    labels = np.r_[np.zeros(len(real)), np.ones(len(fake))]
    verdicts = real + fake
    probabilities = np.array([v.probability for v in verdicts])
    ranking = None if any(v.log_odds is None for v in verdicts) else np.array([v.log_odds for v in verdicts])
    threshold = float(getattr(detector, "threshold", 0.5))
    report = metrics.evaluate(labels, probabilities, threshold, ranking)
    print(f"detector: {args.detector}" + (f" ({args.model})" if args.model else ""))
    for line in report.lines():
        print(line)
    low, high = metrics.bootstrap_auc(labels, probabilities if ranking is None else ranking)
    real_err, fake_err = metrics.class_errors(report)
    print(f"ROC AUC 95% interval (bootstrap, {len(real)} + {len(fake)} images): {low:.3f}-{high:.3f}")
    print(f"errors: {real_err:.1%} of real images called generated, {fake_err:.1%} of generated called real")
    for line in provenance(detector):
        print(line)
    best = best_threshold(probabilities, labels)
    best_report = metrics.evaluate(labels, probabilities, best)
    print(
        f"best threshold on this material: {best:.3f} (accuracy {best_report.accuracy:.3f}; "
        "optimistic, chosen on the same images; refit with `bayard detector fit` to use your own)"
    )
    return 0


def provenance(detector: Detector) -> list[str]:
    """Where the detector's weights and their training data came from (from the file)."""
    info = getattr(detector, "info", None)
    if info is None:
        info = getattr(getattr(detector, "model", None), "info", None)
    if not info:
        return ["training data: not recorded in the weights file"]
    lines = [f"weights made by: {info.get('made_by', 'unknown')}"]
    sources = info.get("sources")
    if isinstance(sources, dict):
        lines += [f"  {name}: {what}" for name, what in sources.items()]
    for key in ("real", "fake"):
        if key in info:
            lines.append(f"  {key} images: {info[key]}")
    held = info.get("held_out_test")
    if isinstance(held, dict) and "roc_auc" in held:
        lines.append(f"  its own held-out test: ROC AUC {held['roc_auc']:.3f}")
    logo = info.get("leave_one_generator_out")
    if isinstance(logo, dict) and logo:
        figures = ", ".join(f"{family} {row['auc_unseen']:.3f}" for family, row in logo.items())
        lines.append(f"  on a generator family it never saw (ROC AUC, each left out in turn): {figures}")
    return lines


def _cmd_fit_quiz(args: argparse.Namespace) -> int:
    from ...scenes.quiz_items import ItemsError
    from ...scenes.quiz_manifest import load_manifest
    from .crossfit import CROSSFIT_FILE, crossfit, write
    from .facedet import FacesDetector

    manifest = Path(args.quiz)
    show_content, show_models = _show_folders_for(manifest)
    content = Path(args.content) if args.content else show_content or manifest.resolve().parent.parent
    # Where the quiz will look: the models folder of the show the manifest belongs to (the
    # software's own copy only outside any show). Written into the software's folder, a
    # gallery's cross-fit was never read by its own quiz.
    models_dir = Path(args.models_dir) if args.models_dir else show_models or DEFAULT_MODELS_DIR
    try:
        items = _judgeable(load_manifest(manifest, content))
        labels = np.array([1 if i.truth == "fake" else 0 for i in items])
        # The weights the quiz plays with: those in that folder, else the shipped ones.
        weights = models_dir if FacesDetector.availability(models_dir).ok else DEFAULT_MODELS_DIR
        out, fold, width = crossfit([i.path for i in items], labels, args.folds, args.seed, weights)
    except (ItemsError, ImageError, ValueError, OSError) as error:
        _err(str(error))
        return 2
    target = Path(args.output) if args.output else models_dir / CROSSFIT_FILE
    k = int(fold.max()) + 1
    summary = write(target, [i.key for i in items], [i.path for i in items], labels, out, fold, k)
    low, high = summary["roc_auc_95"]
    print(f"cross-fitted {len(items)} quiz items in {k} folds ({width} features); "
          "no item judged by a model that saw it")
    print(f"out-of-fold ROC AUC {summary['roc_auc']:.3f} (95% interval {low:.3f}-{high:.3f}), "
          f"accuracy {summary['accuracy']:.3f}")
    real_error, generated_error = summary["errors"]
    print(f"errors: {real_error:.1%} of real called generated, {generated_error:.1%} of generated called real")
    print(f"wrote {target}; the quiz uses these verdicts for these files")
    return 0


def _show_folders_for(manifest: Path) -> tuple[Path | None, Path | None]:
    """The content folder and the detector's models folder of the show (the nearest
    install.toml above `manifest`), as its quiz finds them; (None, None) outside a show
    or where install.toml cannot be read."""
    import tomllib

    for folder in manifest.resolve().parents:
        show_file = folder / "install.toml"
        if not show_file.is_file():
            continue
        try:
            data = tomllib.loads(show_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None, None
        content = (data.get("show") or {}).get("content", "content")
        models = (data.get("models") or {}).get("folder", "models")
        if not (isinstance(content, str) and isinstance(models, str)):
            return None, None
        return (folder / content).resolve(), (folder / models / "detector").resolve()
    return None, None


def _named(path, error: ImageError) -> str:
    """The reason an image was skipped, with the file it is about (a size or content
    reason alone did not say which of a folder's files it was)."""
    message = str(error)
    return message if Path(str(path)).name in message else f"{path}: {message}"


def _judgeable(items: list) -> list:
    """The quiz items the machine can judge. Each one it cannot (too small, unreadable) is
    named with the reason and left out, as the quiz leaves it without a verdict: one such
    item stopped the whole fit with a message that did not say which file it was."""
    kept = []
    for item in items:
        try:
            prepare(read_image(item.path))
        except ImageError as error:
            print(f"skipped: {_named(item.key, error)}; left out of the fit", file=sys.stderr)
            continue
        kept.append(item)
    return kept


def _cmd_score(args: argparse.Namespace) -> int:
    try:
        detector = _load(args)
    except (UnknownName, DetectorUnavailable) as error:
        _err(str(error))
        return 2
    failures = 0
    for name in args.images:
        try:
            verdict = detector.score(read_image(name))
        except ImageError as error:
            print(f"skipped: {_named(name, error)}", file=sys.stderr)
            failures += 1
            continue
        print(f"{name}\t{verdict.probability:.3f}\t{verdict.label}")
    # As cat and grep do: the readable ones are scored, and a script still learns that one
    # was not (with one broken file among good ones it exited 0).
    return 1 if failures else 0


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--detector",
        default=None,
        help=f"backend: {', '.join(DETECTORS.names())} (default: what --model was made for, else faces when installed)",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="weights file (default: the backend's file in models/detector/)",
    )
    parser.add_argument(
        "--models-dir", default=str(DEFAULT_MODELS_DIR), help="where default weights are looked for"
    )


def add_commands(subparsers) -> None:
    detector = subparsers.add_parser("detector", help="fit, evaluate and run the real-or-generated detector")
    sub = detector.add_subparsers(dest="detector_command", required=True)

    fit = sub.add_parser("fit", help="fit the spectral detector on folders of real and generated images")
    fit.add_argument("--real", help="folder of real photographs")
    fit.add_argument("--fake", help="folder of generated images")
    fit.add_argument("-o", "--output", help="file to write (.npz; with --quiz, the cross-fit .json)")
    fit.add_argument(
        "--quiz",
        metavar="MANIFEST",
        help="cross-fit on a quiz manifest's own items (k folds: no item is judged by a model that saw it)",
    )
    fit.add_argument("--content", help="with --quiz: the content folder image paths are relative to")
    fit.add_argument("--folds", type=_folds, default=5, help="with --quiz: number of folds, 2 or more (default 5)")
    fit.add_argument("--models-dir", default=None,
                     help="with --quiz: the detector's folder, read and written (default: models/detector of "
                          "the show the manifest belongs to)")
    fit.add_argument(
        "--calibration",
        type=ranged(0.05, 0.5, "a share"),
        default=0.25,
        help="share of each class held out for calibration (default 0.25)",
    )
    fit.add_argument("--seed", type=int, default=0, help="seed of the calibration split")
    fit.set_defaults(func=_cmd_fit)

    evaluate = sub.add_parser("eval", help="accuracy, AP, ROC AUC and confusion matrix on labelled folders")
    evaluate.add_argument("--real", required=True, help="folder of real photographs")
    evaluate.add_argument("--fake", required=True, help="folder of generated images")
    _add_model_options(evaluate)
    evaluate.set_defaults(func=_cmd_eval)

    score = sub.add_parser("score", help="probability that each image is generated")
    score.add_argument("images", nargs="+", help="image files")
    _add_model_options(score)
    score.set_defaults(func=_cmd_score)

