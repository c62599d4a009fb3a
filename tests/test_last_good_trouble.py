"""A last good copy that cannot be made (a full or read-only disk, a folder the show's user may
not write) was only in the log: status, the overlay and OSC status said nothing, and a
technician believed the show protected against a broken edit when it was not. It is a warning
where a technician looks, said once while its cause stays, and gone once a copy is made again."""

from __future__ import annotations

import errno
import shutil

from installation.clock import FakeClock
from installation.config import lastgood
from installation.config.loader import load_show
from installation.engine import Engine, init_pygame
from installation.overlay_words import status_blocks

from .conftest import title_scene, write_show


def _full_disk(monkeypatch) -> None:
    def copy2(source, target, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(shutil, "copy2", copy2)


def _said(engine: Engine) -> list[dict]:
    """Status's conditions that hold until mended (not the history, which scrolls)."""
    status = engine.status()
    assert not any("last good copy" in e["message"] for e in status["errors"]), "said twice"
    return [e for e in status["standing"] if "last good copy" in e["message"]]


def _amber(engine: Engine) -> list[str]:
    """The overlay's lines under "Until it is mended:" (drawn amber for warnings)."""
    blocks = status_blocks(engine.status(), idle_close_s=30, max_errors=6)
    at = next((i for i, b in enumerate(blocks) if b.words == ["Until it is mended:"]), None)
    return [] if at is None else [" ".join(b.words) for b in blocks[at + 1:] if b.style == "text"]


def test_a_last_good_copy_on_a_full_disk_is_a_warning_until_a_copy_is_made_again(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a", duration=3, heading="Before")})
    show = load_show(path)
    init_pygame(headless=True)
    with monkeypatch.context() as full:
        _full_disk(full)
        assert lastgood.remember(show) is None  # (as `bayard run` does before the show starts)
        engine = Engine(show, FakeClock(), synchronous_prepare=True)
        try:
            engine.step()
            said = _said(engine)
            assert len(said) == 1, f"a failed last good copy is not in status: {engine.status()['errors']}"
            warning = said[0]
            assert warning["severity"] == "warning"
            folder = str(tmp_path.resolve() / "var")  # (a full drive is the state folder's trouble, said as its)
            assert f"state folder {folder} " in warning["message"] and "No space left on device" in warning["message"]
            assert "free space" in warning["message"], "the warning gives no fix"
            assert any(folder in line for line in _amber(engine)), _amber(engine)
            # Each edit's copy fails the same way: said once, not once per edit.
            scene = tmp_path / "scenes" / "a.toml"
            for heading in ("Edit 1", "Edit 2"):
                scene.write_text(scene.read_text().replace("Before", heading).replace("Edit 1", heading))
                assert engine.reload() is True
                engine.step()
            assert len(_said(engine)) == 1, _said(engine)
        except BaseException:
            engine.shutdown()
            raise
    try:
        scene.write_text(scene.read_text().replace("Edit 2", "After"))
        assert engine.reload() is True  # (the disk has room again: this copy is made)
        engine.step()
        assert "After" in (tmp_path / "var" / "last-good" / "scenes" / "a.toml").read_text()
        assert _said(engine) == [], "the warning stays after a copy was made again"
        assert not any("last good copy" in line for line in _amber(engine))
    finally:
        engine.shutdown()


def test_a_read_only_state_folder_names_its_own_fix(tmp_path, monkeypatch):
    path = write_show(tmp_path, {"a": title_scene("a", duration=3)})
    show = load_show(path)
    init_pygame(headless=True)

    def copy2(source, target, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(target))

    monkeypatch.setattr(shutil, "copy2", copy2)
    assert lastgood.remember(show) is None
    engine = Engine(show, FakeClock(), synchronous_prepare=True)
    try:
        engine.step()
        said = _said(engine)
        assert len(said) == 1 and "Read-only file system" in said[0]["message"]
        assert "read-only" in said[0]["message"].split("Read-only file system")[1], said
    finally:
        engine.shutdown()


def test_a_first_start_with_errors_does_not_claim_a_last_good_copy_is_kept(tmp_path, caplog):
    """At a first start with a broken scene file the log said "the last good copy in …/var/
    last-good is kept", where none was ever made: a technician went looking for it. It says
    there is none yet; once one exists, that it is kept."""
    path = write_show(tmp_path, {"a": title_scene("a"), "b": 'type = "title"\nid = "b"\nduration = = 5\n'})
    show = load_show(path)
    assert show.errors, "the broken scene file was not seen"
    with caplog.at_level("WARNING", logger="bayard.lastgood"):
        lastgood.remember(show)
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "no last good copy is made (there is none yet" in said and "is kept" not in said

    (tmp_path / "scenes" / "b.toml").write_text(title_scene("b"), encoding="utf-8")
    good = load_show(path)
    assert not good.errors, good.errors
    lastgood.remember(good)
    assert (good.state_dir / lastgood.FOLDER / "install.toml").is_file(), "a good show's copy was not made"
    (tmp_path / "scenes" / "b.toml").write_text('type = "title"\nid = "b"\nduration = = 5\n', encoding="utf-8")
    caplog.clear()
    with caplog.at_level("WARNING", logger="bayard.lastgood"):
        lastgood.remember(load_show(path))
    assert "is kept" in " ".join(r.getMessage() for r in caplog.records)
