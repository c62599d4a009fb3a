"""Validation an artist can act on: every error names file, line, key and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from installation.cli import main
from installation.config.errors import ShowError
from installation.config.loader import check_media, load_scene_file, load_show

from .conftest import REPO, load_default_show, title_scene, write_show


def problems_text(show) -> str:
    return "\n".join(str(p) for p in show.problems)


def test_default_show_is_valid():
    show = load_default_show()
    assert show.errors == []
    assert show.playlist[:2] == ["opening", "bayard"]
    assert main(["check", "--show", str(REPO / "install.toml")]) == 0


def test_missing_bayard_photograph_is_reported_as_not_installed(capsys):
    main(["check", "--show", str(REPO / "install.toml")])
    out = capsys.readouterr().out
    assert "bayard/drowned-man.jpg' is not installed yet" in out
    assert "bayard assets" in out


def test_typo_in_key_names_line_and_suggests(tmp_path):
    path = write_show(tmp_path, {"a": """
        type = "title"
        id = "a"
        heading = "Hi"
        durration = 5
        """})
    show = load_show(path)
    text = problems_text(show)
    assert "a.toml:4: durration: unknown key 'durration' (did you mean 'duration'?)" in text
    # The broken scene is left out of the playlist, with the reason on the show file.
    assert show.playlist == []
    assert "its scene file a.toml has errors" in text


@pytest.mark.parametrize("typo", ["speeed = 2", "duration = 45 s"])
def test_broken_scene_file_is_named_by_the_id_it_declares(tmp_path, typo):
    # The default show's loop.toml plays id "faces": one typo in it (an unknown key, or a TOML
    # slip) had the show file say no scene file had that id, sending the technician hunting
    # for a missing file instead of to the typo.
    path = write_show(tmp_path, {"loop": f"""
        type = "title"
        id = "faces"
        heading = "Hi"
        {typo}
        """}, playlist=["faces"])
    text = problems_text(load_show(path))
    assert "'faces': its scene file loop.toml has errors" in text
    assert "no scene file has this id" not in text


def test_wrong_type_says_expected_and_found(tmp_path):
    path = write_show(tmp_path, {"a": """
        type = "title"
        id = "a"
        heading = "Hi"
        duration = "ten"
        """})
    show = load_show(path)
    text = problems_text(show)
    assert "a.toml:4: duration:" in text
    assert 'duration is the text "ten"; it takes a number, without quotes' in text
    assert show.playlist == ["a"]  # the scene plays, its duration as if not written


def test_unknown_scene_type_lists_valid_types(tmp_path):
    path = write_show(tmp_path, {"a": """
        type = "photgraph"
        id = "a"
        """})
    text = problems_text(load_show(path))
    assert "a.toml:1: type: unknown scene type 'photgraph' (did you mean 'photograph'?)" in text
    assert "valid types:" in text and "title" in text


@pytest.mark.parametrize("image, words", [
    ("../../etc/passwd.jpg", "leaves the content folder"),
    ("/etc/hostname.jpg", "absolute path"),
])
def test_media_path_escaping_content_is_rejected(tmp_path, image, words):
    path = write_show(tmp_path, {"p": f"""
        type = "photograph"
        id = "p"
        image = "{image}"
        """})
    text = problems_text(load_show(path))
    assert "p.toml:3: image:" in text and words in text


def test_missing_and_corrupt_media_are_named(tmp_path):
    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        image = "nothere.jpg"
        """, "q": """
        type = "photograph"
        id = "q"
        image = "broken.jpg"
        """})
    (tmp_path / "content" / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    show = load_show(path)
    text = "\n".join(str(p) for p in check_media(show))
    assert "p.toml:3: image: media file 'nothere.jpg' not found" in text
    assert "q.toml:3: image: media file 'broken.jpg' cannot be decoded" in text
    assert main(["check", "--show", str(path)]) == 1


def test_a_misspelt_media_file_is_named_and_a_missing_one_says_what_to_do(tmp_path):
    """'loop/facez.mp4' beside loop/faces.mp4 was "not found" and no more: only another letter
    case or another folder was offered. A near name in the same folder is offered; where there
    is none, the message says the fix."""
    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        image = "prints/drowned-mann.jpg"
        """, "q": """
        type = "photograph"
        id = "q"
        image = "prints/elsewhere.jpg"
        """})
    (tmp_path / "content" / "prints").mkdir()
    (tmp_path / "content" / "prints" / "drowned-man.jpg").write_bytes(b"\xff\xd8\xff")
    text = "\n".join(str(p) for p in check_media(load_show(path), decode=False))
    assert "p.toml:3: image: media file 'prints/drowned-mann.jpg' not found" in text
    assert "did you mean 'prints/drowned-man.jpg'?" in text
    assert "q.toml:3: image: media file 'prints/elsewhere.jpg' not found" in text
    assert "copy the file there, or correct the path" in text


def test_toml_syntax_error_has_line(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a")})
    (tmp_path / "scenes" / "a.toml").write_text('type = "title"\nid = "a"\nheading = "unterminated\n')
    text = problems_text(load_show(path))
    assert "a.toml:3: TOML syntax" in text


def test_files_saved_by_windows_editors_load_and_other_encodings_are_named(tmp_path):
    """Notepad puts a byte-order mark before UTF-8 (and saves "Unicode" as UTF-16): read as
    plain UTF-8, such a scene failed at line 1 with "Invalid statement" over a character
    nobody can see, and the show skipped it."""
    path = write_show(tmp_path, {"a": title_scene("a", heading="Café Bayard"), "b": title_scene("b")})
    scene = tmp_path / "scenes" / "a.toml"
    text = scene.read_text(encoding="utf-8")
    show_text = path.read_text(encoding="utf-8")
    for encoded in (b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"), text.encode("utf-16"),
                    b"\xfe\xff" + text.encode("utf-16-be")):
        scene.write_bytes(encoded)
        path.write_bytes(b"\xef\xbb\xbf" + show_text.encode("utf-8"))
        show = load_show(path)
        assert not show.errors, problems_text(show)
        assert show.scenes["a"].heading == "Café Bayard"
        assert show.config.show.playlist == ["a", "b"]
    scene.write_bytes(text.encode("latin-1"))
    said = problems_text(load_show(path))
    assert "a.toml:4: not UTF-8 text" in said and "save the file as UTF-8" in said


def test_nested_error_points_at_the_array_entry(tmp_path):
    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        image = "x.jpg"

        [[captions]]
        at = 1
        text = "fine"

        [[captions]]
        at = 2
        role = "headline"
        text = "bad role"
        """})
    text = problems_text(load_show(path))
    assert "p.toml:11: captions #2, role:" in text
    assert "'title'" in text  # the valid roles are listed


def test_a_copied_scene_file_never_takes_over_from_the_one_named_after_its_id(tmp_path):
    """`cp opening.toml "opening copy.toml"`: the copy sorted first and played, edits to
    opening.toml changed nothing, and the error blamed opening.toml."""
    path = write_show(tmp_path, {"opening": title_scene("opening", heading="Edited")})
    original = (tmp_path / "scenes" / "opening.toml").read_text()
    (tmp_path / "scenes" / "opening copy.toml").write_text(original.replace("Edited", "Old copy"))
    show = load_show(path)
    assert show.scene_files["opening"].name == "opening.toml" and show.scenes["opening"].heading == "Edited"
    text = problems_text(show)
    assert "opening copy.toml:" in text and "already used by opening.toml, which plays" in text


def test_duplicate_ids_and_unknown_playlist_entries(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a"), "b": title_scene("a")}, playlist=["a", "zz"])
    text = problems_text(load_show(path))
    assert "b.toml:2: id: id 'a' is already used by a.toml" in text
    assert "show.playlist #2: 'zz': no scene file has this id" in text


def test_broken_show_file_is_fatal_with_location(tmp_path):
    path = write_show(tmp_path, {"a": title_scene("a")}, extra="\n[display]\n")
    with pytest.raises(ShowError):
        load_show(path)
    path.write_text('[display]\nfps = "fast"\nsizee = [1, 2]\n')
    with pytest.raises(ShowError) as info:
        load_show(path)
    text = str(info.value)
    assert "install.toml:2: display.fps:" in text
    assert "install.toml:3: display.sizee: unknown key 'sizee' (did you mean 'size'?)" in text


def test_bad_colour_explains_the_format(tmp_path):
    scene = tmp_path / "s.toml"
    scene.write_text('type = "title"\nid = "s"\nheading = "x"\nbackground = "red"\n')
    with pytest.raises(ShowError) as info:
        load_scene_file(scene, tmp_path)
    assert "s.toml:4: background: 'red' is not a colour; write it as '#rrggbb'" in str(info.value)


def test_reference_doc_matches_schema():
    from installation.docs import generate

    assert (REPO / "docs" / "reference.md").read_text(encoding="utf-8") == generate(), (
        "docs/reference.md is out of date: run `python -m installation.docs > docs/reference.md`")


def test_every_default_scene_file_loads():
    for file in sorted((REPO / "scenes").glob("*.toml")):
        load_scene_file(file, REPO / "content")  # raises with located problems
    assert Path(REPO / "scenes" / "bayard.toml").exists()


def test_the_camera_may_be_named_by_its_device_path(tmp_path, capsys):
    """`ls /dev/v4l/by-id/` names each camera for good; an index may change after a reboot."""
    extra = '\n[camera]\ndevice = "/dev/v4l/by-id/usb-Test_Camera-video-index0"\n'
    path = write_show(tmp_path, {"a": title_scene("a")}, extra=extra)
    show = load_show(path)
    assert not show.errors, problems_text(show)
    assert show.config.camera.device == "/dev/v4l/by-id/usb-Test_Camera-video-index0"
    assert main(["check", "--show", str(path), "--fast"]) == 0
    said = capsys.readouterr().out
    assert "install.toml:" in said and "no camera at /dev/v4l/by-id/usb-Test_Camera-video-index0 now" in said
    for wrong, told in (('"visitor.mp4"', "goes in `file`"), ("-1", "0 or more")):
        path.write_text(path.read_text().replace('"/dev/v4l/by-id/usb-Test_Camera-video-index0"', wrong))
        with pytest.raises(ShowError, match="camera.device") as refused:
            load_show(path)
        assert told in str(refused.value)
        path.write_text(path.read_text().replace(wrong, '"/dev/v4l/by-id/usb-Test_Camera-video-index0"'))


def test_backend_names_are_checked_where_they_are_written(tmp_path):
    """`backend = "fom"` passed check and faulted the portrait on the gallery floor;
    `[models] motion = "meshh"` made `check` end in a traceback with no line."""
    path = write_show(tmp_path, {"a": title_scene("a")}, extra='\n[models]\nmotion = "meshh"\n')
    with pytest.raises(ShowError) as refused:
        load_show(path)
    said = str(refused.value)
    assert "install.toml:" in said and "models.motion" in said and "did you mean 'mesh'" in said
    path.write_text(path.read_text().replace('"meshh"', '"mesh"') + 'detector = "facess"\n')
    with pytest.raises(ShowError, match="did you mean 'faces'"):
        load_show(path)
    path.write_text(path.read_text().replace('"facess"', '"none"'))
    assert not load_show(path).errors
    scenes = {"p": 'type = "portrait"\nid = "p"\nbackend = "fom"\n',
              "q": 'type = "quiz"\nid = "q"\ndetector = "spectal"\n'}
    path = write_show(tmp_path / "scenes-too", scenes)
    said = problems_text(load_show(path))
    assert "p.toml:3" in said and "did you mean 'fomm'" in said
    assert "q.toml:3" in said and "did you mean 'spectral'" in said
    assert main(["check", "--show", str(path), "--fast"]) != 0


def test_backend_names_in_the_schema_are_the_registered_ones():
    from installation.config.common import DETECTOR_NAMES, MOTION_BACKEND_NAMES
    from installation.models.detector import DETECTORS
    from installation.models.motion.choose import MOTION_BACKENDS, PREFERENCE, _load_backends

    _load_backends()

    def shipped(registry):  # (tests register backends of their own in the same registries)
        return sorted(n for n in registry.names() if registry.get(n).__module__.startswith("installation."))

    assert sorted(MOTION_BACKEND_NAMES) == shipped(MOTION_BACKENDS) == sorted(PREFERENCE)
    assert sorted(DETECTOR_NAMES) == shipped(DETECTORS)


def test_a_backend_registered_by_a_gallery_is_accepted_by_name(tmp_path):
    from installation.models.motion.base import MOTION_BACKENDS
    from installation.models.motion.flow import FlowBackend

    if "gallery-own" not in MOTION_BACKENDS:
        MOTION_BACKENDS.register("gallery-own")(type("GalleryOwn", (FlowBackend,), {}))
    path = write_show(tmp_path, {"p": 'type = "portrait"\nid = "p"\nbackend = "gallery-own"\n'})
    assert not load_show(path).errors


@pytest.mark.parametrize(("where", "setting", "says"), [
    ("runtime", 'metrics_bind = "not-an-address"', "is not an IP address"),
    ("runtime", 'closed_display = "off"', "'auto', 'dpms' or 'screen'"),
    ("camera", "size = [0, 0]", "outside 160x120"),
])
def test_settings_that_failed_only_at_run_time_are_refused_with_their_line(tmp_path, where, setting, says):
    """Each passed `check`: a wrong bind address logged "choose another port", a wrong
    closed_display printed a regular expression, and a 0x0 camera ended in an OpenCV
    assertion when the camera started."""
    path = write_show(tmp_path, {"a": title_scene("a")}, extra=f"\n[{where}]\n{setting}\n")
    with pytest.raises(ShowError) as refused:
        load_show(path)
    said = str(refused.value)
    assert "install.toml:" in said and says in said


def test_a_keyframe_centre_outside_the_picture_is_named(tmp_path):
    scene = ('type = "photograph"\nid = "p"\nimage = "x.png"\n'
             '[[keyframes]]\nat = 0\n[[keyframes]]\nat = 3\ncenter = [3.6, -0.42]\n')
    said = problems_text(load_show(write_show(tmp_path, {"p": scene})))
    assert "p.toml:8" in said and "keyframes #2, center #1" in said and "keyframes #2, center #2" in said


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_infinite_or_not_a_number_settings_are_named(tmp_path, capsys, value):
    """TOML writes inf and nan; `duration = inf` passed the schema and `bayard check` ended
    in an OverflowError before it listed the other scenes' problems."""
    scene = f'type = "title"\nid = "a"\nheading = "A"\nduration = {value}\n'
    path = write_show(tmp_path, {"a": scene, "b": title_scene("b")})
    said = problems_text(load_show(path))
    assert "a.toml:" in said and "finite number" in said
    assert main(["check", "--show", str(path), "--fast"]) != 0
    assert "Traceback" not in capsys.readouterr().err


def test_check_names_paths_that_only_failed_once_the_show_ran(tmp_path, capsys):
    """Each passed `check`: a missing video standing in for the camera, a missing OSC
    passcodes file (OSC is then off), a loop folder matching nothing, broken subtitles."""
    scenes = {
        "l": 'type = "loop"\nid = "l"\nfolder = "loopp/*.mp4"\n',
        "v": 'type = "video"\nid = "v"\nfile = "film.mp4"\nsubtitles = "film.srt"\n',
    }
    extra = ('\n[camera]\nfile = "nope/missing.mp4"\n'
             '\n[osc]\nport = 0\npasscodes_file = "secret/passcodes.toml"\n')
    path = write_show(tmp_path, scenes, extra=extra)
    (tmp_path / "content" / "film.mp4").write_bytes(b"")
    (tmp_path / "content" / "film.srt").write_text("1\n00:00:01,000 -> 00:00:02,000\nHello\n")
    main(["check", "--show", str(path), "--fast"])
    out = capsys.readouterr().out
    assert "install.toml:" in out and "camera.file: no video 'nope/missing.mp4' in the content folder" in out
    assert "osc.passcodes_file:" in out and "passcodes file not found" in out and "OSC stays off" in out
    assert "l.toml:3: folder: 'loopp/*.mp4' matches no file" in out
    assert "v.toml:4: subtitles:" in out and "without subtitles" in out


def test_problems_count_captions_as_the_artist_does(tmp_path, capsys):
    """The fourth caption was "captions[3]" (counted from 0, as Python counts), beside a
    message about "caption 4": an artist looked for the third caption, or thought two were
    meant. Now both count from 1, and the line is that caption's own."""
    from installation.cli import main

    captions = "".join(f'\n[[captions]]\nat = {at}\ntext = "Caption {n}"\n' for n, at in enumerate((1, 5, 9, 45), 1))
    path = write_show(tmp_path, {"p": 'type = "photograph"\nid = "p"\nimage = "x.png"\nduration = 30\n' + captions
                                      + '\n[[captions]]\nat = 12\ntxt = "typo"\n'})
    lines = (tmp_path / "scenes" / "p.toml").read_text().splitlines()
    fourth = next(n for n, line in enumerate(lines, 1) if line == "at = 45")
    fifth = next(n for n, line in enumerate(lines, 1) if line.startswith("txt"))
    assert main(["check", "--fast", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"scenes/p.toml:{fifth}: captions #5, txt: unknown key 'txt' (did you mean 'text'?)" in out
    # (With the fifth broken, the scene is left out; mended, the check reads its timing.)
    (tmp_path / "scenes" / "p.toml").write_text("\n".join(lines).replace('txt = "typo"', 'text = "fifth"') + "\n")
    main(["check", "--show", str(path)])
    out = capsys.readouterr().out
    assert f'scenes/p.toml:{fourth}: captions #4, at: caption 4 ("Caption 4") begins at 45 s' in out


def test_a_media_path_that_is_a_symlink_loop_is_named_not_a_traceback(tmp_path, capsys):
    """`image = "a.jpg"` where a.jpg and b.jpg link to each other: resolving the path raised
    Python's RuntimeError ("Symlink loop"), and `bayard check` ended in a traceback (a quiz
    manifest listing it faulted the playing quiz)."""
    import os

    (tmp_path / "content").mkdir()
    os.symlink("b.jpg", tmp_path / "content" / "a.jpg")
    os.symlink("a.jpg", tmp_path / "content" / "b.jpg")
    path = write_show(tmp_path, {"p": 'type = "photograph"\nid = "p"\nimage = "a.jpg"\n'})
    assert main(["check", "--show", str(path)]) == 1
    out = capsys.readouterr().out
    assert "scenes/p.toml:3: image: 'a.jpg' is a link that leads round in a circle (a symlink loop)" in out


def test_a_missing_files_hint_never_offers_a_file_another_line_names(tmp_path):
    """loop/a.jpg missing beside loop/b.jpg, which another scene shows: 'did you mean loop/b.jpg?'
    sent the technician to rename or repoint the other scene's picture. A near name nobody names
    is still offered."""
    import installation.scenes.loop  # noqa: F401  (registers the kind)
    from installation.harness import run_test

    path = write_show(tmp_path, {"p": """
        type = "photograph"
        id = "p"
        image = "loop/a.jpg"
        """, "q": """
        type = "photograph"
        id = "q"
        image = "loop/b.jpg"
        """, "r": """
        type = "photograph"
        id = "r"
        image = "loop/face1.jpg"
        """})
    (tmp_path / "content" / "loop").mkdir()
    for name in ("b.jpg", "face2.jpg"):
        shutil.copy(REPO / "content" / "portraits" / "thoreau-1856.jpg", tmp_path / "content" / "loop" / name)
    said = {p.file.name: p.message for p in check_media(load_show(path), decode=False)}
    assert "loop/a.jpg" in said["p.toml"] and "did you mean" not in said["p.toml"], said
    assert "copy the file there, or correct the path" in said["p.toml"], said
    assert "did you mean 'loop/face2.jpg'?" in said["r.toml"], said  # (no line names it)
    # The running show says it in the same words (its log and status).
    with run_test(path, fps=10) as pilot:
        pilot.advance(1.0)
        told = [e["message"] for e in pilot.engine.errors if "loop/a.jpg" in e["message"]]
    assert told and all("loop/b.jpg" not in m for m in told), told
