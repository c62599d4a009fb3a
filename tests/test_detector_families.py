"""The fake families the face detector learns from (families.py): each decoder rebuilds a
face at its own size through its own kind of up-sampling, the families really differ, the
living legislators are never handed to a generator, and the shipped weights carry the
leave-one-generator-out table they were chosen by."""

from __future__ import annotations

import csv
import json

import cv2
import numpy as np
import pytest

from installation.models.detector import families
from installation.models.detector.facecorpus import SETS

from .conftest import REPO
from .detector_fixtures import natural

SHIPPED = REPO / "models" / "detector" / "faces.npz"


def test_every_family_rebuilds_a_face_at_its_own_size():
    pytest.importorskip("torch")
    from installation.models.detector import autogan

    frame = natural(np.random.default_rng(0), 64)
    for name, (config, _) in families.FAMILIES.items():
        settings = dict(config)
        model = autogan.build(settings.pop("width"), **settings).eval()
        out = autogan.rebuild(model, frame, seed=1)
        assert out.shape == frame.shape and out.dtype == np.uint8, name


def test_the_families_differ_in_how_and_how_often_they_up_sample():
    configs = [config for config, _ in families.FAMILIES.values()]
    assert len({c["up"] for c in configs}) >= 5
    assert len({c["depth"] for c in configs}) >= 3
    assert any(c.get("modulated") for c in configs) and any(not c.get("skips", True) for c in configs)
    assert families.NUMPY_FAMILY in families.fake_families()


def test_living_legislators_are_real_examples_only(tmp_path):
    """No step that makes fakes reads them: they are not in the frames the generators
    rebuild, and `make` writes no example, real or fake, under their names."""
    assert families.LIVING_SET not in SETS
    work = tmp_path
    (work / "frames").mkdir()
    frame = natural(np.random.default_rng(1), 512)
    cv2.imwrite(str(work / "frames" / "oldpics-cc0__a.png"), frame[:, :, ::-1])
    with open(work / "frames.tsv", "w", encoding="utf-8") as handle:
        handle.write("key\tsource\tsplit\tgroup\tnative_side\noldpics-cc0__a\toldpics-cc0/a.png\ttrain\tg\t300\n")
    living = work / "examples" / "real_living"
    living.mkdir(parents=True)
    cv2.imwrite(str(living / "real-only-living-congress__b.png"), frame[:128, :128])
    families.cmd_make(work, seed=1, only=["real", "real_phone", families.NUMPY_FAMILY])
    made = {p.relative_to(work / "examples").as_posix() for p in (work / "examples").rglob("*.png")}
    assert made == {
        "real/oldpics-cc0__a.png",
        "real_phone/oldpics-cc0__a.png",
        f"{families.NUMPY_FAMILY}/oldpics-cc0__a.png",
        "real_living/real-only-living-congress__b.png",
    }
    for name in made:  # every example is the published (2:1 shrunk) centre of its frame
        assert cv2.imread(str(work / "examples" / name)).shape == (128, 128, 3)
    with open(work / "frames.tsv", encoding="utf-8") as table:
        assert not list(csv.reader(table))[1][0].startswith("real-only")


def test_shipped_weights_carry_the_leave_one_generator_out_table():
    info = json.loads(str(np.load(SHIPPED, allow_pickle=False)["info"]))
    table = info["leave_one_generator_out"]
    assert set(table) == set(families.fake_families())
    for row in table.values():
        low, high = row["auc_unseen_95"]
        assert low <= row["auc_unseen"] <= high
    assert "living" in info["sources"]["reals"] and "never altered" in info["sources"]["reals"]


def test_fakes_keep_the_photographs_colour_but_every_trace_the_generator_left():
    """keep_coarse puts back what our small decoders lose (colour, the coarse picture), so
    the classes cannot be told apart by it, and leaves a period-4 pattern (the finest trace
    that survives the 2:1 publishing shrink) as the generator made it."""
    rng = np.random.default_rng(5)
    frame = natural(rng, 128)
    grey = np.repeat(frame.mean(axis=2, keepdims=True), 3, axis=2)
    trace = 6.0 * np.cos(np.pi / 2 * np.arange(128))[None, :, None] * np.ones((128, 1, 3))
    rebuilt = np.clip(np.round(grey * 0.8 + trace + 20), 0, 255).astype(np.uint8)
    out = families.keep_coarse(frame, rebuilt).astype(np.float32)
    inner = (slice(16, -16), slice(16, -16))
    assert np.abs(out[inner].mean(axis=(0, 1)) - frame[inner].mean(axis=(0, 1))).max() < 1.5
    left = out - frame.astype(np.float32)
    along = left[inner].mean(axis=(0, 2))
    pattern = np.cos(np.pi / 2 * np.arange(128))[16:-16]
    assert float(np.dot(along, pattern) / np.dot(pattern, pattern)) == pytest.approx(6.0, rel=0.05)


def test_the_adversarial_family_is_opt_in_trains_and_rebuilds(tmp_path):
    """The adversarially trained family (advgan.py) is not among the shipped recipe's
    families unless named, keeps its noise at gain 1, and its file is read like the others."""
    pytest.importorskip("torch")
    from installation.models.detector import advgan, autogan

    assert "adv" not in families.fake_families() and families.fake_families(("adv",))[-1] == "adv"
    with pytest.raises(ValueError):
        families.fake_families(("nope",))
    assert families.noise_gain(tmp_path, "adv", None, seed=0) == 1.0
    config, _ = families.ADVERSARIAL["adv"]
    settings = dict(config)
    width = settings.pop("width")
    frames = [natural(np.random.default_rng(s), 96) for s in range(2)]
    advgan.train(frames, tmp_path / "adv.pt", steps=2, batch=2, patch=64, width=width, log=lambda s: None, **settings)
    out = autogan.rebuild(autogan.load(tmp_path / "adv.pt"), frames[0], seed=1)
    assert out.shape == frames[0].shape and out.dtype == np.uint8
