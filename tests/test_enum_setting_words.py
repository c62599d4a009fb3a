"""A word an enumerated setting does not take is said in a few words: the file and line, the
word found, the words allowed, the nearest one. A misspelt portrait `picture` repeated the
setting's whole description after them (about 900 characters), and on the operator's panel
its fix was lost under it."""

from __future__ import annotations

from installation.config.loader import load_show

from .conftest import write_show

SCENE = """
    type = "portrait"
    id = "p"
    [[portraits]]
    image = "portraits/a.jpg"
    picture = "paintng"
    """


def test_a_misspelt_picture_says_the_word_the_words_allowed_and_the_nearest_in_short(tmp_path):
    show = load_show(write_show(tmp_path, {"p": SCENE}))
    said = [str(p) for p in show.problems if "picture" in str(p)]
    assert len(said) == 1, show.problems
    message = said[0]
    assert message.startswith("scenes/p.toml:5: portraits #1, picture:"), message
    assert "found 'paintng'" in message and "did you mean 'painting'?" in message, message
    assert all(f"'{word}'" in message for word in ("auto", "photograph", "painting", "drawing", "print", "halftone"))
    assert "painter's stroke" not in message and len(message) < 260, (len(message), message)
    assert "docs/reference.md" in message  # (where each word's meaning is said)
    # A short description that tells the words apart is still said with them.
    show = load_show(write_show(tmp_path / "other", {"p": 'type = "portrait"\nid = "p"\nwithout_camera = "skp"\n'}))
    said = [str(p) for p in show.problems if "without_camera" in str(p)]
    assert len(said) == 1 and "did you mean 'skip'?" in said[0], show.problems
    assert "'skip' moves the show on to the next scene" in said[0], said[0]

