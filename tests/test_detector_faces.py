"""The face detector: its one rule about pixels (never resample what it judges), the
network's numpy inference, the shipped weights' provenance, the eye cues, and the
cross-fitting that keeps the machine from judging an item it learned from."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from installation.models.detector import DETECTORS, DetectorUnavailable, metrics
from installation.models.detector.crossfit import crossfit, folds_of
from installation.models.detector.eyes import _disagreement, measure
from installation.models.detector.faceframe import lanczos_resize, scoring_crop
from installation.models.detector.npr import NprNet, npr
from installation.models.face import Eye

from .conftest import REPO
from .detector_fixtures import natural, upsampled

SHIPPED = REPO / "models" / "detector" / "faces.npz"


def test_scoring_crop_is_the_pictures_own_pixels():
    """Resampling would wash out the traces the detector reads: the crop is a plain slice,
    on the 8-pixel JPEG grid."""
    image = natural(np.random.default_rng(0), 512)
    crop = scoring_crop(image, None)
    assert crop.shape == (256, 256, 3)
    found = [
        (y, x) for y in range(0, 257, 8) for x in range(0, 257, 8)
        if np.array_equal(image[y : y + 256, x : x + 256], crop)
    ]
    assert found == [(128, 128)]
    small = natural(np.random.default_rng(1), 200)
    assert scoring_crop(small, None).shape == (256, 256, 3)  # padded, not enlarged
    assert np.array_equal(scoring_crop(small, None)[:200, :200], small)


def test_lanczos_resize_keeps_flat_areas_and_shrinks_without_aliasing():
    flat = np.full((300, 200, 3), 117, np.uint8)
    assert np.all(lanczos_resize(flat, 80, 120) == 117)
    # a one-pixel checkerboard is above the new Nyquist: an antialiased 2:1 shrink turns
    # it grey, where plain decimation would keep full contrast
    board = ((np.indices((64, 64)).sum(0) % 2) * 255).astype(np.uint8)[:, :, None].repeat(3, 2)
    out = lanczos_resize(board, 32, 32)[4:-4, 4:-4]
    assert out.std() < 3 and abs(out.mean() - 127.5) < 3


def test_npr_is_zero_on_a_nearest_neighbour_enlargement_and_not_on_a_photo():
    rng = np.random.default_rng(2)
    small = natural(rng, 64)
    enlarged = cv2.resize(small, (128, 128), interpolation=cv2.INTER_NEAREST)
    assert np.abs(npr(enlarged)).max() == 0.0
    assert np.abs(npr(natural(rng, 128))).mean() > 0.01


def test_numpy_network_matches_torch():
    torch = pytest.importorskip("torch")
    from installation.models.detector.npr import build_torch

    torch.manual_seed(0)
    net = build_torch()
    weights = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    image = upsampled(np.random.default_rng(3), 128)
    with torch.no_grad():
        expected = float(net(torch.from_numpy(npr(image).transpose(2, 0, 1)[None].copy())))
    assert NprNet(weights).logit(image) == pytest.approx(expected, abs=1e-4)


def test_shipped_weights_say_where_their_data_came_from_and_how_they_did():
    info = json.loads(str(np.load(SHIPPED, allow_pickle=False)["info"]))
    assert SHIPPED.stat().st_size < 20 * 1024 * 1024
    assert "shared/data/faces" in info["sources"]["not_used"]
    assert "pd-corpus" in info["sources"]["corpus"]
    held = info["held_out_test"]
    low, high = held["roc_auc_95"]
    assert low <= held["roc_auc"] <= high
    assert info["n_test_sources"] >= 20
    assert info["fairness_real_called_fake"]  # the check by group was run and stored


def test_faces_detector_judges_and_explains_without_a_face():
    detector = DETECTORS.get("faces")()
    image = natural(np.random.default_rng(4), 512)
    verdict = detector.score(image)
    assert 0.0 <= verdict.probability <= 1.0
    explanation = detector.explain(image)
    assert explanation.face_found is False
    # The map lies on the whole picture (in grey), so a visitor knows the face in it: drawn
    # over the network's crop alone, enlarged and tinted, nobody could.
    assert explanation.cue == "pixels" and explanation.picture.shape == (512, 512, 3)
    grey = image.astype(np.float32).mean(axis=2)
    corner = (slice(0, 96), slice(0, 96))  # outside the square the network read, and the ring
    assert np.abs(explanation.picture[corner].astype(np.float32).mean(axis=2) - grey[corner]).max() <= 1.0
    assert explanation.verdict.probability == pytest.approx(verdict.probability, abs=1e-6)
    assert explanation.cue_place == "the centre of the picture"


def test_broken_weights_are_one_line_with_the_fix(tmp_path):
    bad = tmp_path / "faces.npz"
    bad.write_bytes(b"not weights")
    with pytest.raises(DetectorUnavailable) as error:
        DETECTORS.get("faces")(weights=bad)
    assert "faces.npz" in str(error.value) and "\n" not in str(error.value)


def test_corneal_highlights_agree_when_both_eyes_mirror_the_same_light():
    irises = [(100.0, 100.0, 10.0), (160.0, 100.0, 10.0)]
    same = _disagreement([(103.0, 97.0), (163.0, 97.0)], irises)
    different = _disagreement([(103.0, 97.0), (155.0, 106.0)], irises)
    one_missing = _disagreement([(103.0, 97.0), None], irises)
    assert same < 0.05 and different > 0.8 and one_missing == 1.0


def _painted_eyes(spots, lid_glint=False):
    """Two painted eyes on skin: white of the eye, a dark iris (radius 10 px) and, per eye,
    a 3 px catchlight at `spots[k]` (offset from the iris centre, or None). With
    `lid_glint`, a shiny spot on the skin just above each eye as well."""
    image = np.full((120, 220, 3), 170, np.uint8)
    eyes = []
    for (cx, cy), spot in zip(((70, 60), (150, 60)), spots, strict=True):
        cv2.ellipse(image, (cx, cy), (24, 11), 0, 0, 360, (235, 235, 235), -1, cv2.LINE_AA)
        cv2.circle(image, (cx, cy), 10, (70, 55, 45), -1, cv2.LINE_AA)
        if spot is not None:
            cv2.circle(image, (cx + spot[0], cy + spot[1]), 1, (255, 255, 255), -1, cv2.LINE_AA)
        if lid_glint:
            cv2.circle(image, (cx + 3, cy - 14), 2, (255, 255, 255), -1, cv2.LINE_AA)
        # As the iris model gives them: the lower lid corner to corner, then the upper lid
        # between the corners in the same direction.
        t = np.linspace(0.0, np.pi, 9)
        lower = np.column_stack([cx - 24 * np.cos(t), cy + 11 * np.sin(t)])
        upper = np.column_stack([cx - 24 * np.cos(t[1:-1]), cy - 11 * np.sin(t[1:-1])])
        lids = np.vstack([lower, upper])
        iris = np.array([[cx, cy], [cx + 10, cy], [cx, cy - 10], [cx - 10, cy], [cx, cy + 10]], np.float64)
        eyes.append(Eye(lids=lids, iris=iris))
    return image, eyes


def test_the_ringed_highlight_is_the_catchlight_not_the_white_of_the_eye():
    # The reveal rings each eye's highlight for the visitor to compare: it must be the
    # small glint on the iris, not the bright white of the eye beside it or a shine on the
    # skin above it (the brightest pixels of the eye's square were, on almost every face).
    image, eyes = _painted_eyes([(4, -4), (4, -4)], lid_glint=True)
    cues = measure(image, eyes)
    for (cx, cy, _), spot in zip(cues.irises, cues.highlights, strict=True):
        assert spot is not None and np.hypot(spot[0] - (cx + 4), spot[1] - (cy - 4)) < 1.5
    assert cues.highlight_disagreement < 0.1
    moved, eyes = _painted_eyes([(4, -4), (-5, 3)])
    assert measure(moved, eyes).highlight_disagreement > 0.8
    dull, eyes = _painted_eyes([None, None])
    assert measure(dull, eyes).highlights == [None, None]  # no glint: nothing is ringed


def test_the_eye_opening_is_drawn_as_one_outline():
    # Drawn in the order the lid points come, the outline crossed itself and cut a wedge
    # across the middle of the eye, where the highlights and the pupil are looked for.
    _, eyes = _painted_eyes([None, None])
    for eye in eyes:
        mask = np.zeros((120, 220), np.uint8)
        cv2.fillPoly(mask, [np.round(eye.opening).astype(np.int32)], 1)
        assert abs(int(mask.sum()) - np.pi * 24 * 11) < 0.08 * np.pi * 24 * 11
        cx, cy = np.round(eye.iris_centre).astype(int)
        assert mask[cy - 3:cy + 4, cx - 10:cx + 11].all()


def test_bootstrap_interval_brackets_the_auc():
    labels = np.r_[np.zeros(30), np.ones(30)]
    perfect = np.r_[np.zeros(30), np.ones(30)] + np.linspace(0, 0.5, 60)
    assert metrics.bootstrap_auc(labels, perfect, rounds=200) == (1.0, 1.0)
    noise = np.random.default_rng(5).random(60)
    low, high = metrics.bootstrap_auc(labels, noise, rounds=500)
    assert low < metrics.roc_auc(labels, noise) < high and high - low > 0.15


def test_folds_are_stratified():
    labels = np.r_[np.zeros(10), np.ones(7)].astype(int)
    fold = folds_of(labels, 3, seed=0)
    for f in range(3):
        assert {0, 1} <= set(labels[fold == f])


def test_cross_fitting_never_judges_an_item_with_a_model_that_saw_it(tmp_path):
    """Replace one item's picture: the verdicts of the other items in its fold must not
    move (the model that judged them never saw that fold), while other folds' may."""
    rng = np.random.default_rng(6)
    paths, labels = [], []
    for i in range(6):
        for label, make in ((0, natural), (1, upsampled)):
            path = tmp_path / f"{label}-{i}.png"
            cv2.imwrite(str(path), make(rng)[:, :, ::-1])
            paths.append(path)
            labels.append(label)
    labels = np.array(labels)
    models = tmp_path / "no-models"  # spectral features only: fast
    first, fold, _ = crossfit(paths, labels, k=3, seed=1, models_dir=models)
    cv2.imwrite(str(paths[0]), upsampled(rng)[:, :, ::-1])  # a real item now looks generated
    second, fold2, _ = crossfit(paths, labels, k=3, seed=1, models_dir=models)
    assert np.array_equal(fold, fold2)
    mates = (fold == fold[0]) & (np.arange(len(paths)) != 0)
    others = fold != fold[0]
    assert mates.any() and np.allclose(first[mates], second[mates])
    assert not np.allclose(first[others, 2], second[others, 2])


def _drawn_quiz(tmp_path, rng, pairs: int):
    """content/quiz with `pairs` photographs and up-sampled pictures, and their manifest
    entries (not yet written)."""
    quiz = tmp_path / "content" / "quiz"
    quiz.mkdir(parents=True)
    lines = ""
    for i in range(pairs):
        for truth, make in (("real", natural), ("fake", upsampled)):
            cv2.imwrite(str(quiz / f"{truth}{i}.png"), make(rng)[:, :, ::-1])
            lines += f'[[item]]\nimage = "quiz/{truth}{i}.png"\ntruth = "{truth}"\n\n'
    return quiz, lines


def test_fit_quiz_names_and_leaves_out_items_the_machine_cannot_judge(tmp_path, capsys):
    """A gallery's quiz holds a thumbnail and a half-copied file among good items: the fit
    names each with its reason and goes on with the rest (it stopped at the first, with a
    message that did not say which file it was)."""
    from installation.cli import main

    rng = np.random.default_rng(8)
    quiz, lines = _drawn_quiz(tmp_path, rng, pairs=3)
    cv2.imwrite(str(quiz / "thumb.png"), natural(rng)[:10, :10, ::-1])  # an icon, not a picture
    whole = (quiz / "real0.png").read_bytes()
    (quiz / "half.png").write_bytes(whole[: len(whole) // 3])
    lines += '[[item]]\nimage = "quiz/thumb.png"\ntruth = "real"\n\n'
    lines += '[[item]]\nimage = "quiz/half.png"\ntruth = "fake"\n'
    (quiz / "manifest.toml").write_text(lines)
    models = tmp_path / "models"
    fit = ["detector", "fit", "--quiz", str(quiz / "manifest.toml"), "--folds", "2", "--models-dir", str(models)]
    assert main(fit) == 0
    said = capsys.readouterr()
    assert "thumb.png" in said.err and "too small to judge" in said.err
    assert "half.png" in said.err and "left out of the fit" in said.err
    assert "cross-fitted 6 quiz items" in said.out
    assert len(json.loads((models / "quiz-crossfit.json").read_text())["items"]) == 6


def test_fit_quiz_writes_where_the_shows_own_quiz_reads(tmp_path, capsys, monkeypatch):
    """A gallery's show lives in a folder of its own: `fit --quiz` without --models-dir wrote
    the cross-fit into the software's models/detector, where that show's quiz never looked.
    It writes into the show's models folder, which the quiz and `check` read, and the
    quiz's machine plays there with the shipped weights."""
    from installation.cli import main
    from installation.config.loader import load_show
    from installation.models.detector.base import DEFAULT_MODELS_DIR
    from installation.scenes.quiz_check import describe
    from installation.scenes.quiz_machine import load_machine

    show = tmp_path / "gallery"
    quiz, lines = _drawn_quiz(show, np.random.default_rng(9), pairs=3)
    (quiz / "manifest.toml").write_text(lines)
    (show / "scenes").mkdir()
    (show / "scenes" / "quiz.toml").write_text('type = "quiz"\nid = "quiz"\nmanifest = "quiz/manifest.toml"\n')
    (show / "install.toml").write_text('[show]\ntitle = "Gallery"\nplaylist = ["quiz"]\n')
    shipped = DEFAULT_MODELS_DIR / "quiz-crossfit.json"
    before = shipped.stat().st_mtime_ns if shipped.exists() else None
    monkeypatch.chdir(tmp_path)  # run from outside the show, as a technician might
    assert main(["detector", "fit", "--quiz", str(quiz / "manifest.toml"), "--folds", "2"]) == 0
    written = show / "models" / "detector" / "quiz-crossfit.json"
    assert f"wrote {written}" in capsys.readouterr().out
    assert len(json.loads(written.read_text())["items"]) == 6
    assert (shipped.stat().st_mtime_ns if shipped.exists() else None) == before
    # The show's quiz plays with a machine (the shipped `faces` weights, the default) and
    # `check` counts the show's own cross-fit.
    detector, why = load_machine("faces", show / "models")
    assert detector is not None, why
    assert any("cross-fitted verdicts for 6 of 6 items" in line for line in describe(load_show(show / "install.toml")))


def test_fit_quiz_and_eval_from_the_command_line(tmp_path, capsys):
    from installation.cli import main

    rng = np.random.default_rng(7)
    quiz, lines = _drawn_quiz(tmp_path, rng, pairs=4)
    (quiz / "manifest.toml").write_text(lines)
    models = tmp_path / "models"
    assert main(["detector", "fit", "--quiz", str(quiz / "manifest.toml"), "--folds", "2",
                 "--models-dir", str(models)]) == 0
    out = capsys.readouterr().out
    assert "2 folds" in out and "no item judged by a model that saw it" in out and "95% interval" in out
    saved = json.loads((models / "quiz-crossfit.json").read_text())
    assert len(saved["items"]) == 8 and {v["fold"] for v in saved["items"].values()} == {0, 1}

    (tmp_path / "r").mkdir()
    (tmp_path / "f").mkdir()
    for i in range(3):
        cv2.imwrite(str(tmp_path / "r" / f"{i}.png"), natural(rng, 512)[:, :, ::-1])
        cv2.imwrite(str(tmp_path / "f" / f"{i}.png"), upsampled(rng, 512)[:, :, ::-1])
    assert main(["detector", "eval", "--real", str(tmp_path / "r"), "--fake", str(tmp_path / "f")]) == 0
    out = capsys.readouterr().out
    assert "detector: faces" in out and "95% interval" in out and "of real images called generated" in out
    assert "pd-corpus" in out  # where the shipped weights' training data came from


def test_an_icon_gets_no_verdict_from_the_face_detector(tmp_path, capsys):
    """Padded out to the network's crop, a 10 px picture was called a real photograph,
    100% sure, from nothing in it. Every detector now says it is too small to judge, and
    the command line names the file."""
    from installation.cli import main
    from installation.models.detector.preprocess import ImageError

    icon = natural(np.random.default_rng(9))[:10, :10]
    with pytest.raises(ImageError, match="too small to judge"):
        DETECTORS.get("faces")().score(icon)
    with pytest.raises(ImageError, match="too small to judge"):
        DETECTORS.get("faces")().explain(icon)
    cv2.imwrite(str(tmp_path / "icon.png"), icon[:, :, ::-1])
    assert main(["detector", "score", str(tmp_path / "icon.png")]) == 1
    said = capsys.readouterr()
    assert "icon.png" in said.err and "too small to judge" in said.err and "icon.png\t" not in said.out
