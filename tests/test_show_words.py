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

    from installation.runtime.service import attach

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
