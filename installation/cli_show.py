"""What the show commands share: finding the show a command means, loading it with its
problems printed, and logging as its [logging] section says."""

from __future__ import annotations

import contextlib
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .config.errors import ShowError
from .runtime.logs import apply_levels

if TYPE_CHECKING:
    from .config.loader import Show

DEFAULT_SHOW = "install.toml"
REPO_ROOT = Path(__file__).resolve().parents[1]  # the software's own folder (its models/)


def setup_logging(level: str = "info", libraries: str = "warning") -> None:
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
    apply_levels(level, libraries)


def load(path: str, keep_good: bool = False) -> Show | None:
    # The loader brings every scene kind, pygame and the fonts with it (about a second):
    # imported here, so the rooms' own commands (`animate`, `detector score`) start at once.
    from .config.loader import load_show

    if Path(path).is_dir():  # a show folder, as `assets` takes it: its install.toml
        path = str(Path(path) / "install.toml")
    try:
        return load_show(path, keep_good=keep_good)
    except ShowError as exc:
        print(f"The show file cannot be used ({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def keep_preview_state(show: Show, given: str | None, held: contextlib.ExitStack, command: str) -> Path:
    """Where a preview (`render`, `preview`) keeps what its scenes write, such as the quiz's
    verdicts and kept pictures: the folder `given` (--state), or a temporary one removed when
    `held` closes. Never the show's own [show] state, which the kiosk playing that show reads
    back: a preview of the quiz wrote its verdicts there. Screenshots stay in the show's own."""
    if given:
        folder = Path(given)
    else:
        folder = Path(held.enter_context(tempfile.TemporaryDirectory(prefix=f"bayard-{command}-state-")))
    folder = folder.resolve()
    own = show.state_dir
    show.keep_state(folder)
    if not show.config.osc.screenshots:
        # A screenshot (the S key) is the artist's, read back by nothing: it goes where it always
        # went, screenshots/ in the show's own state folder, not into a temporary one removed
        # when the preview ends.
        osc = show.config.osc.model_copy(update={"screenshots": str(own / "screenshots")})
        show.config = show.config.model_copy(update={"osc": osc})
    return folder


def state_refused(given: str | None, command: str) -> bool:
    """Whether --state names a folder the command may not write (a file, a read-only medium),
    said once before anything plays: a file named there played a render or a preview through
    with a warning for each quiz picture ("a kept quiz verdict is half-written or damaged")."""
    from .runtime.state_writable import why_unwritable

    why = why_unwritable(Path(given)) if given else None
    if why:
        print(f"bayard {command}: --state {given}: {why}; name a folder the {command} may write (made where "
              "missing), or leave --state out for a temporary one", file=sys.stderr)
    return why is not None


STATE_HELP = ("a folder for what the scenes keep while {doing}, e.g. the quiz's verdicts, read back by the next "
              "{command} given it (default: a temporary one; never the show's own [show] state)")


def empty_show(path: Path) -> Show:
    from .config.loader import Show
    from .config.show import ShowConfig

    return Show(path=path.resolve(), config=ShowConfig())


def find_show_for(scene_file: Path) -> Path:
    for folder in [scene_file.parent, *scene_file.parents]:
        candidate = folder / DEFAULT_SHOW
        if candidate.exists():
            return candidate
    return Path(DEFAULT_SHOW)
