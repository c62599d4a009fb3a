"""A show's own words (`[show] words`): a gallery translates what visitors read without
touching the software's files. Before, "replace that table" meant editing
installation/words.toml for every show on the machine, and the quiz's buttons and the
portrait's prompts could not be translated per show at all."""

from __future__ import annotations

import shutil

from installation.cli import main
from installation.config.loader import load_show
from installation.harness import run_test
from installation.runtime.watch import relevant

from .conftest import REPO, write_show

QUIZ = """
    type = "quiz"
    id = "q"
    detector = "none"
    manifest = "quiz/items.toml"
    """

PORTRAIT = """
    type = "portrait"
    id = "p"
    about = "Un texte de la galerie"
    """


def _show(tmp_path, words: str):
    path = write_show(tmp_path, {"q": QUIZ, "p": PORTRAIT}, playlist=["q", "p"],
                      extra='\n', size=(960, 540))
    path.write_text(path.read_text().replace("[show]\n", '[show]\nwords = "mots.toml"\n', 1))
    quiz = tmp_path / "content" / "quiz"
    quiz.mkdir(parents=True, exist_ok=True)
    picture = next(p for p in sorted((REPO / "content" / "quiz").rglob("*.jpg")))
    shutil.copy(picture, quiz / "a.jpg")
    shutil.copy(picture, quiz / "b.jpg")
    (quiz / "items.toml").write_text('[[item]]\nimage = "quiz/a.jpg"\ntruth = "real"\n\n'
                                     '[[item]]\nimage = "quiz/b.jpg"\ntruth = "fake"\n')
    (tmp_path / "mots.toml").write_text(words, encoding="utf-8")
    return path


def test_the_shows_words_are_what_visitors_read_and_scene_keys_still_win(tmp_path):
    path = _show(tmp_path, '[quiz]\nplay = "Touchez pour jouer"\n\n[portrait]\n'
                           'heading = "Bougez, le portrait vous suit"\nabout = "Ignoré: la scène a le sien"\n')
    show = load_show(path)
    assert not [p for p in show.problems if p.severity == "error"], show.problems
    assert show.scenes["p"].heading == "Bougez, le portrait vous suit"  # a scene default, translated
    assert show.scenes["p"].about == "Un texte de la galerie"  # the scene file's own key wins
    with run_test(path, fps=10) as pilot:
        pilot.engine.fonts.log.recording = True
        pilot.advance(1.0)
        shown = {b.text for b in pilot.engine.fonts.log.boxes}
    assert "Touchez pour jouer" in shown and "Touch to play" not in shown  # a word the scene picks as it draws


def test_mistakes_in_the_shows_words_are_named_at_their_lines_and_the_show_plays(tmp_path, capsys):
    path = _show(tmp_path, '[quiz]\nplai = "Touchez"\nplay = 3\nscore = "{points} sur {total}"\n')
    assert main(["check", "--show", str(path)]) == 0  # warnings: the built-in words stand in
    out = capsys.readouterr().out
    assert "mots.toml:2: quiz.plai: 'quiz.plai' is not one of the show's words (did you mean 'quiz.play'?)" in out
    assert "mots.toml:3: quiz.play: 'quiz.play' is text: write it between quotes" in out
    assert "mots.toml:4: quiz.score: 'quiz.score' uses {points}, which the scene does not fill" in out


def test_saving_the_shows_words_reloads_the_show(tmp_path):
    import time

    from installation.runtime.attach import attach

    from .test_runtime_unattended import env_for

    assert relevant(tmp_path / "mots.toml", tmp_path, also=("mots.toml",))
    assert not relevant(tmp_path / "notes.toml", tmp_path, also=("mots.toml",))
    path = _show(tmp_path, '[quiz]\nplay = "Touchez pour jouer"\n')
    path.write_text(path.read_text() + "\n[runtime]\nwatch = true\n")
    with run_test(path, fps=10) as pilot:
        runtime = attach(pilot.engine, env=env_for(tmp_path))
        time.sleep(0.6)
        (tmp_path / "mots.toml").write_text('[quiz]\nplay = "Jouez !"\n', encoding="utf-8")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pilot.engine.show.words.get("quiz.play") != "Jouez !":
            pilot.step()
            time.sleep(0.05)
        runtime.stop()
    assert pilot.engine.show.words.get("quiz.play") == "Jouez !"


def test_a_brace_or_a_field_the_scene_cannot_fill_never_takes_the_show_down(tmp_path, capsys):
    """A stray "{" in the words file was a traceback in check, run and render; "{said:d}"
    passed check and failed the quiz mid-round."""
    from installation.words import use_show_words, words

    path = _show(tmp_path, '[quiz]\nplay = "Touchez {"\nyou_said = "Vous avez dit {said:d}."\n'
                           'score = "{number!x} sur {total}"\nnext = "}"\n')
    assert main(["check", "--show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "mots.toml:2: quiz.play: 'quiz.play' has a { or } without its pair" in out
    assert "mots.toml:4: quiz.score: 'quiz.score' writes {number} with a form the show cannot use" in out
    assert "mots.toml:5: quiz.next" in out
    # A format only the scene's values can refuse: the built-in text stands in, at run time.
    use_show_words({"quiz.you_said": "Vous avez dit {said:d}."})
    try:
        assert words("quiz.you_said", said="real") == words.__globals__["_table"]()["quiz"]["you_said"].strip().format(
            said="real")
    finally:
        use_show_words(None)


def test_a_words_file_with_a_syntax_mistake_is_named_at_its_line(tmp_path, capsys):
    path = _show(tmp_path, '[quiz]\nplay = \u201cTouchez\u201d\n')
    assert main(["check", "--show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "mots.toml:2: TOML syntax: Invalid value; the text is in curly quotes" in out
    assert "until it is mended the last good words" in out


def test_a_translated_list_such_as_the_quiz_tips_is_used(tmp_path):
    path = _show(tmp_path, '[quiz]\ntips = ["Regardez les yeux.", "Regardez les dents."]\n')
    assert load_show(path).scenes["q"].tips == ["Regardez les yeux.", "Regardez les dents."]


def test_the_last_good_copy_keeps_the_shows_words(tmp_path):
    """Played from its last good copy (install.toml broken at start), the show spoke English:
    the copy did not hold the words table."""
    from installation.config.lastgood import recall, remember

    path = _show(tmp_path, '[quiz]\nplay = "Touchez pour jouer"\n')
    assert remember(load_show(path)) is not None
    path.write_text("[show\nbroken")
    kept = recall(path)
    assert kept is not None and kept.words.get("quiz.play") == "Touchez pour jouer"


def test_a_words_table_broken_while_the_show_plays_keeps_its_last_good_words(tmp_path):
    """A typo saved while the show played turned the whole show English at the next scene."""
    path = _show(tmp_path, '[quiz]\nplay = "Touchez pour jouer"\n\n[portrait]\nheading = "Bougez"\n')
    with run_test(path, fps=10) as pilot:
        pilot.advance(0.5)
        (tmp_path / "mots.toml").write_text('[quiz]\nplay = \u201cTouchez\u201d\n', encoding="utf-8")
        assert pilot.engine.reload() is True
        show = pilot.engine.show
        assert show.words.get("quiz.play") == "Touchez pour jouer"
        assert show.scenes["p"].heading == "Bougez"  # the scenes too, not only the words picked as they play


def test_a_heading_translated_in_the_words_table_is_warned_at_the_table_not_the_scene(tmp_path, capsys):
    """The words table translated the portrait's heading but not its no-camera twin: the
    warning sent the artist to the scene file, which has no heading to mend."""
    path = _show(tmp_path, '[portrait]\nheading = "Bougez, le portrait vous suit"\n')
    main(["check", "--show", str(path)])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "heading_no_camera" in line)
    assert "mots.toml:2" in line and "add it here" in line, line
    assert "p.toml" not in line


def test_a_flood_of_mistaken_words_lists_its_tally_after_the_mistakes_it_counts(tmp_path, capsys):
    """'and 40 more mistakes like these' has no line, and was listed first, above the
    thirty it follows."""
    keys = "\n".join(f'tittle{i} = "x"' for i in range(70))
    path = _show(tmp_path, f"[quiz]\n{keys}\n")
    main(["check", "--show", str(path)])
    lines = [line for line in capsys.readouterr().out.splitlines() if "mots.toml" in line]
    assert len(lines) == 31, lines
    assert "and 40 more mistakes like these" in lines[-1]
    assert "mots.toml:2:" in lines[0]
