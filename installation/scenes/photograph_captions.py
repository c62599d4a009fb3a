"""What the photograph scene sets beside its print: the label (title, date, credits), the
story (the captions' paragraphs, the translation of the back), and where they go.

On a wide screen (16:9) the print and one column of words share the show's grid
(layout.GRID_SHARE). On a squarer screen (5:4, 1:1) one column beside the print held
words as long as Bayard's story only beside a print a quarter of the width: 333 px wide
on 1280x1024, and 281 px (still overrunning) on 1080x1080. There the label stands beside
the print, as a wall label does, and the story runs under both, the full width of the
screen (`beside_and_below`): the print is two to three times larger, and the words keep the
kiosk's type. Kept apart from the scene's logic (photograph.py), which mixes this in.
"""

from __future__ import annotations

import pygame

from ..typography import leading_for
from .layout import SCALES, portrait_screen, stand, title_scale
from .photograph_config import FLIP_S
from .style import fade, rgb

# The roles the label holds (the back's attribution is set as a credit); the rest are the story.
LABEL_ROLES = ("title", "date", "credit")
# The box a print is laid out for before it is read (Bayard's is close to 4:3 landscape):
# a print of another shape is hung in it, centred across.
PRINT_ASPECT = 4 / 3
# Screens at least this wide for their height keep the grid's one column (on 16:9 it
# holds the words beside a print of 0.44 of the width); squarer ones try beside_and_below.
WIDE = 1.6
# Beside the print the label needs at least this share of the width (its title set in
# two lines, not a word to a line).
LEAST_LABEL_SHARE = 0.26
# The story's lines hold at most this many characters (on average, of its own words in its
# own face and size), well inside the 45-75 a reader's eye follows back to the next line
# without losing it. Run under print and label the full width of a 4:3 screen (1024x768),
# Bayard's story read 75-77 characters a line, 73 on 5:4 (1280x1024), where every other
# screen sets it at 42-54; the grid's column beside the print is narrower than this anyway.
MEASURE_MOST = 64

# How open the lines are set, from the leading of the type's size (1: typography.leading_for,
# an empty line between paragraphs) to CLOSED_BY less (0: half a line between paragraphs).
# Where the words are short of room the
# leading closes before the type shrinks, a typographer's first resort: on a square
# screen (1080x1080) the open lines ran the back's attribution 168 px off the screen
# while the type was already at the kiosk's minimum and could shrink no further.
LEADINGS = (1.0, 0.5, 0.0)
# (reading text at 1.4 closes to 1.26 times its size; a heading's 1.12 no further than 1.05,
# where a line's descenders would touch the capitals below)
CLOSED_BY, CLOSEST = 0.14, 1.05
# Every setting the words may take, the most generous first: (type scale, leading).
SETTINGS = tuple((k, leading) for k in SCALES for leading in LEADINGS)
# The layout (how large the print, where the label) is chosen for the words at this one.
TIGHTEST = SETTINGS[-1]

_APART: dict[tuple, tuple[pygame.Rect, pygame.Rect, pygame.Rect] | None] = {}
_APART_KEEP = 64


class PhotographCaptions:
    """Mixed into PhotographScene: measuring, placing and drawing its words."""

    # Where the label stands beside the print: whether the credit slot (the credits, the
    # back's attribution) closes the story under it, not the label (beside_and_below).
    credits_below = False

    def _styles(self, k: float) -> dict[str, tuple[str, float, tuple[int, int, int], str]]:
        fg, accent = rgb(self.config.foreground), rgb(self.config.accent)
        return {
            "title": ("serif-semibold", 58 * title_scale(self.context.fonts, k, "serif", 42), fg, "body"),
            "date": ("sans-semibold", 30 * k, accent, "small"),
            "body": ("serif", 42 * k, fg, "body"),
            "quote": ("serif-italic", 42 * k, fg, "body"),
            "translation": ("serif-italic", 40 * k, fg, "body"),
            "credit": ("sans", 30 * k, accent, "small"),
        }

    def _block(self, text: str, role: str, k: float, leading: float = 1.0) -> pygame.Surface:
        """`text` set in `role` at type scale k and `leading` (LEADINGS) in its slot's width."""
        face, size, colour, tier = self._styles(k)[role]
        text = text.upper() if role == "date" else text
        width = self.label.width if role in LABEL_ROLES else self._measure(text, face, size, tier)
        return self.context.fonts.block(text, face, size, colour, width,
                                        leading=max(CLOSEST, leading_for(size) - CLOSED_BY * (1 - leading)),
                                        tier=tier, paragraph_gap=0.5 + 0.5 * leading)

    def _measure(self, text: str, face: str, size: float, tier: str) -> int:
        """How wide the story's lines are set: its slot's width, at most MEASURE_MOST of
        `text`'s characters in `face` at `size` (its left edge stays on the slot's)."""
        flat = " ".join(text.split())
        if not flat:
            return self.column.width
        advance = self.context.fonts.get(face, size, tier, flat).size(flat)[0] / len(flat)
        return min(self.column.width, round(MEASURE_MOST * advance))

    def _credits(self) -> list[tuple[str, float, float | None]]:
        """The words in the credit slot, each with when it fades in and out: the print's
        credit only with the print itself; the drawing's own caption while it stands in.
        A credit caption keeps its own `at` and `until` (they were once overridden: a
        credit timed for 30-40 s showed from 2 s on, for good); the manifest's credit and
        the stand-in's caption come with the first credit, by 2 s at the latest, and stay."""
        c = self.config
        first = min([cap.at for cap in c.captions if cap.role == "credit"] + [2.0])
        if not self.installed:
            return [(c.standin_caption, first, None)] if c.standin_caption else []
        found = [(cap.text, cap.at, cap.until) for cap in c.captions if cap.role == "credit"]
        manifest = self.context.credit_for(c.image)
        if manifest and manifest not in [text for text, _, _ in found]:
            found.append((manifest, first, None))
        return found

    def _words_excess(self, label: pygame.Rect, story: pygame.Rect) -> int:
        """How many pixels the words overrun `label` and `story` at the tightest setting
        (0 or less: they fit), with the drawing's credit or the print's, whichever is taller
        (the print may be installed while the show runs)."""
        installed = self.installed
        self.label, self.column = label, story  # what the measuring reads (the chosen ones replace them)
        excess = []
        try:
            for state in (False, True):  # _credits() reads it
                self.installed = state
                excess.append(self._slots(*TIGHTEST)[1])
        finally:
            self.installed = installed
        return max(excess)

    def _words_need(self, column: pygame.Rect) -> int:
        """The height the words need in one `column` at the tightest setting (giving_way's need)."""
        return column.height + self._words_excess(column, column)

    def beside_and_below(self, size: tuple[int, int], key: tuple | None = None):
        """The print's box, the label's beside it and the story's under both, with the
        largest print whose words fit at the tightest setting, on a screen squarer than WIDE,
        and whether the credits close the story (None where they fit nowhere, or on a wide or
        upright screen). The print's top and the label's first capitals hang on the grid's
        top line, the story's last line ends above the grid's bottom line. The credits stand
        on the print's foot where that hangs the larger print; on a square screen (1080x1080)
        the label beside a print could not hold them as well: there only the title and date
        stand beside it, and the credits (the back's attribution too) close the story."""
        w, h = size
        if portrait_screen(size) or w >= WIDE * h:
            return None
        if key is not None and key in _APART:
            _APART[key] = found = _APART.pop(key)  # now the most recent
            return found
        left, right, top, bottom = round(w * 0.04), round(w * 0.96), round(h * 0.08), round(h * 0.92)
        gutter, below = round(w * 0.04), round(h * 0.05)
        found = None
        measured = self.label, self.column, self.credits_below  # (measuring replaces them)
        for credits_below in (False, True):
            self.credits_below = credits_below
            height = bottom - top - below
            while height > h * 0.2 and (found is None or height > found[0].height):
                width = round(height * PRINT_ASPECT)
                mat = pygame.Rect(left, top, width, height)
                label = pygame.Rect(mat.right + gutter, top, right - mat.right - gutter, height)
                story = pygame.Rect(left, mat.bottom + below, right - left, bottom - mat.bottom - below)
                if label.width >= LEAST_LABEL_SHARE * w and self._words_excess(label, story) <= 0:
                    found = mat, label, story, credits_below
                    break
                height -= max(2, round(h * 0.01))
        self.label, self.column, self.credits_below = measured
        if key is not None:
            _APART[key] = found
            while len(_APART) > _APART_KEEP:
                del _APART[next(iter(_APART))]  # the oldest
        return found

    def _slots(self, k: float, leading: float = 1.0) -> tuple[dict[str, tuple[int, int]], int]:
        """Where the title, date, body and credit slots begin at type scale k and `leading`, and by how
        many pixels the words overrun their room (0 or less: they fit). Each slot is as tall
        as the tallest text that will ever fill it, so a new paragraph cross-fades in place
        and nothing jumps or collides."""
        c = self.config
        fonts = self.context.fonts
        label, story = self.label, self.column
        apart = label != story  # the label beside the print, the story under both
        below = not apart or self.credits_below  # the credit slot closes the story (the label's foot: False)
        gap = fonts.px(22 * k)
        tallest: dict[str, int] = {}
        for caption in c.captions:
            role = caption.role if caption.role != "quote" else "body"
            if role == "credit":
                continue
            block = self._block(caption.text, caption.role, k, leading)
            tallest[role] = max(tallest.get(role, 0), block.get_height())
        verso = 0  # the translation of the back in the body's place (and its attribution, under it)
        if c.verso is not None and c.verso.translation:
            verso = self._block(c.verso.translation, "translation", k, leading).get_height()
            if c.verso.attribution and below:
                verso += gap + self._block(c.verso.attribution, "credit", k, leading).get_height()
        credits = [text for text, _, _ in self._credits()]
        tallest["credit"] = credits_height = (sum(self._block(t, "credit", k, leading).get_height() for t in credits)
                                              + gap * max(0, len(credits) - 1))
        if c.verso is not None and c.verso.attribution and (not below or not c.verso.translation):
            attribution = self._block(c.verso.attribution, "credit", k, leading)
            tallest["credit"] = max(tallest["credit"], attribution.get_height())
        tops, y = {}, 0
        for role in ("title", "date") if apart else ("title", "date", "body"):
            tops[role] = y
            if tallest.get(role):
                y += tallest[role] + (gap if role != "body" else 2 * gap)
        # On the show's grid: the first capitals hang on the column's top line, the credit's
        # last baseline stands on its bottom (beside the print: on the print's foot).
        def lift(roles) -> int:
            first = next((cap for role in roles for cap in c.captions
                          if (cap.role if cap.role != "quote" else "body") == role), None)
            return fonts.cap_top(self._block(first.text, first.role, k, leading)) if first is not None else 0

        in_credit_slot = credits or ([c.verso.attribution] if c.verso is not None and c.verso.attribution else [])
        last = self._block(in_credit_slot[-1], "credit", k, leading) if in_credit_slot else None
        drop = last.get_height() - fonts.baseline(last) if last is not None else 0
        if apart and below:  # the title and date beside the print; the story, then the credits, under both
            up, down = lift(("title", "date")), lift(("body",))
            slots = {role: (label.x, label.y + top - up) for role, top in tops.items()}
            slots["body"] = slots["quote"] = (story.x, story.y - down)
            body = tallest.get("body", 0) + (2 * gap if tallest.get("body") else 0)
            excess = max(y - gap - up - label.height,
                         max(body - down + tallest["credit"] - drop, verso - down) - story.height)
        elif apart:
            up, down = lift(("title", "date")), lift(("body",))
            slots = {role: (label.x, label.y + top - up) for role, top in tops.items()}
            slots["body"] = slots["quote"] = (story.x, story.y - down)
            excess = max(y + gap - up + tallest["credit"] - drop - label.height,
                         max(tallest.get("body", 0), verso) - down - story.height)
        else:
            up = lift(("title", "date", "body"))
            slots = {role: (label.x, label.y + top - up) for role, top in tops.items()}
            slots["quote"] = slots["body"]
            # The credit is gone while the back's translation shows (_draw_captions), so that
            # may reach down into the credit's slot.
            excess = max(y - up + tallest["credit"] - drop, tops["body"] - up + verso) - label.height
        # The credits' last baseline on the slot's foot (the attribution, taller, stands there alone).
        last = self._block(credits[-1], "credit", k, leading) if credits else None
        slot = story if below else label
        slots["credit"] = (slot.x, slot.bottom - credits_height + (last.get_height() - fonts.baseline(last)
                                                                    if last is not None else 0))
        return slots, excess

    def _type_setting(self) -> tuple[float, float]:
        """The most generous setting (SETTINGS: the largest type, then the openest
        leading) at which the words fit their room; the tightest where none does (the
        scene has told the technician: _settle_layout). A scale whose closest leading
        overruns is passed over at one measuring, not three (this is a slice of warm())."""
        for k in SCALES:
            if self._slots(k, LEADINGS[-1])[1] <= 0:
                return next((k, leading) for leading in LEADINGS if self._slots(k, leading)[1] <= 0)
        return TIGHTEST

    def _draw_captions(self, surface: pygame.Surface, showing_back: bool) -> None:
        c = self.config
        fonts = self.context.fonts
        if self._setting is None:
            self._setting = self._type_setting()
        k, leading = self._setting
        slots, _ = self._slots(k, leading)
        for caption in c.captions:
            if caption.role == "credit":
                continue
            alpha = fade(self.t, caption.at, caption.until, c.fade)
            if showing_back and caption.role in ("body", "quote"):
                alpha = min(alpha, 1.0 - fade(self.t, c.verso.at, None, 0.6))
            if alpha > 0:
                fonts.place(surface, self._block(caption.text, caption.role, k, leading), slots[caption.role], alpha)
        verso_alpha = 0.0
        if c.verso is not None and c.verso.translation:
            verso_alpha = fade(self.t, c.verso.at + FLIP_S * 0.6, c.verso.until, c.fade)
            if verso_alpha > 0:
                block = self._block(c.verso.translation, "translation", k, leading)
                box = fonts.place(surface, block, slots["body"], verso_alpha)
                if c.verso.attribution:
                    # In the credit's place (beside the print on its foot), or under the
                    # translation on the grid's bottom line, never over the translation.
                    attribution = self._block(c.verso.attribution, "credit", k, leading)
                    if self.label == self.column or self.credits_below:  # under the translation
                        y = stand(fonts, attribution, self.column.bottom)
                        y = max(y, slots["body"][1] + block.get_height() + fonts.px(22 * k), box.bottom)
                        fonts.place(surface, attribution, (self.column.x, y), verso_alpha)
                    else:
                        fonts.place(surface, attribution, (self.label.x, stand(fonts, attribution, self.label.bottom)),
                                    verso_alpha)
        # The credit slot: while the back is shown the attribution speaks for the print.
        # The credits are gone before the translation starts to appear, back only once it
        # has gone (a long translated text may fill the column down to the credit slot).
        # Without a translation the attribution takes the credit slot itself.
        verso = c.verso if c.verso is not None and (c.verso.translation or c.verso.attribution) else None
        away = 0.0
        if verso is not None:
            quick = FLIP_S * 0.6
            away = fade(self.t, verso.at, None if verso.until is None else verso.until + quick, quick)
        x, y = slots["credit"]
        for text, at, until in self._credits():
            block = self._block(text, "credit", k, leading)
            alpha = min(fade(self.t, at, until, c.fade), 1.0 - away)
            if alpha > 0:  # (a credit not yet in keeps its place: nothing below it jumps)
                fonts.place(surface, block, (x, y), alpha)
            y += block.get_height() + fonts.px(22 * k)
        if verso is not None and not verso.translation:
            alpha = fade(self.t, verso.at + FLIP_S * 0.6, verso.until, c.fade)
            if alpha > 0:
                attribution = self._block(verso.attribution, "credit", k, leading)
                slot = self.column if self.credits_below else self.label
                fonts.place(surface, attribution, (slot.x, stand(fonts, attribution, slot.bottom)), alpha)
