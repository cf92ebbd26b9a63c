"""A reader at the search box, as the browser tests drive it: the ways people focus the
box (a click, the `/` key, a tap), the ways text gets into it (the keyboard, at two
speeds; a Korean input method, syllable by syllable; Ctrl+V; text that arrives with no
key at all, as from a context-menu paste, dictation or a phone keyboard), editing with
Backspace and clearing, at three moments of the page's life and on two screens.

Nothing here sets the box's value from JavaScript. The page is only observed: an init
script counts the queries Material's search hands to its worker and the answers that
come back, so a test waits for the answer to what the box holds now, never for a time."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from gevent_guide.browser import hangul
from gevent_guide.browser.chromium import HANG_BOUND_MS

SEARCH_BOX = "input.md-search__input"
SEARCH_LABEL = "label.md-header__button[for=__search]"  # the magnifier of narrow screens
CLEAR_BUTTON = "button.md-search__icon[type=reset]"
INDEX = "**/search/search_index.json"
HUMAN_PAUSE_MS = 60  # between two steps of an input method, and before reading answers

# Counts what Material asks its search worker (type 2: a query) and what it answers
# (type 3: results). Observation only: the messages pass unchanged.
WATCH_WORKER = """
(() => {
  const Native = window.Worker
  window.__search = { asked: [], answered: 0 }
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === 3) window.__search.answered++
      })
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) window.__search.asked.push(message.data)
      return super.postMessage(message, ...rest)
    }
  }
})()
"""

# True once the worker has answered every query, the last of which is what the box holds.
ANSWERED = """
() => {
  const box = document.querySelector("input.md-search__input")
  const s = window.__search
  return Boolean(box && s && s.asked.length && s.answered === s.asked.length
    && s.asked[s.asked.length - 1] === box.value)
}
"""

# True once an element takes taps and nothing on the page is moving: no finite CSS
# transition or animation is running (or waiting out its delay). Not only the element's
# own: when the search opens on a phone, the panel slides in and the overlay grows, and
# until the overlay has finished the layout is 17 px wider; at its end everything in the
# header shifts left at once. A tap measured before that lands beside the button (its
# mousedown and mouseup then hit different elements, and no click reaches the button).
SHOWN = """
selector => {
  const el = document.querySelector(selector)
  return Boolean(el) && getComputedStyle(el).pointerEvents !== "none"
    && document.getAnimations().every(animation => animation.playState !== "running"
      || animation.effect.getComputedTiming().endTime === Infinity)
}
"""

RESULTS = """
() => [...document.querySelectorAll(".md-search-result__list > li.md-search-result__item")]
  .map(li => li.querySelector("a.md-search-result__link").href)
"""


class Moment(enum.Enum):
    LOADING = "while loading"  # the page is up, its search index not yet arrived
    LOADED = "right after load"  # the load event has just fired
    IDLE = "after 3 s idle"  # the page has sat still for at least 3 seconds


class Entry(enum.Enum):
    KEYS_FAST = "keyboard, 20 ms a key"
    KEYS_SLOW = "keyboard, 150 ms a key"
    IME = "Korean input method"
    PASTE_KEYS = "Ctrl+V"
    NO_KEY = "text with no key (menu paste, dictation)"
    BACKSPACE = "a typo, then Backspace"


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    touch: bool

    def context_options(self) -> dict:
        options = {"viewport": {"width": self.width, "height": self.height}}
        if self.touch:
            options.update(has_touch=True, is_mobile=True, device_scale_factor=2)
        return options


DESKTOP = Screen("desktop", 1280, 900, touch=False)
PHONE = Screen("phone", 390, 844, touch=True)
SCREENS = (DESKTOP, PHONE)


@dataclass(frozen=True)
class Way:
    """How one reader searches: how the box gets focus, how the text gets in."""

    focus: str  # "click", "slash" or "tap"
    entry: Entry

    def __str__(self) -> str:
        return f"{self.focus} + {self.entry.value}"


def ways_for(screen: Screen, lang: str) -> list[Way]:
    """Every entry, each with a way of focusing this screen offers: a phone is tapped; a
    desktop is clicked or gets `/`, alternately. An input method is for Korean only."""
    entries = [e for e in Entry if lang == "ko" or e is not Entry.IME]
    if screen.touch:
        return [Way("tap", e) for e in entries]
    return [Way(("click", "slash")[i % 2], e) for i, e in enumerate(entries)]


class SearchBox:
    """The search box of one page, driven as a person drives it."""

    def __init__(self, page, screen: Screen):
        self.page = page
        self.screen = screen
        self._held: list | None = None  # requests for the search index, while held
        self._composing = ""  # what the input method is composing

    # ------------------------------------------------------------------ the page

    def open(self, url: str, moment: Moment) -> None:
        if not getattr(self.page, "watched_search", False):
            self.page.add_init_script(WATCH_WORKER)
            self.page.watched_search = True
        if moment is Moment.LOADING:
            # hold the search index back until the reader has typed: the page works,
            # its search does not yet
            self._held = []
            self.page.route(INDEX, lambda route: self._held.append(route))
            self.page.goto(url, wait_until="domcontentloaded")
        else:
            self.page.goto(url, wait_until="load")
            if moment is Moment.IDLE:
                self.page.wait_for_timeout(3000)

    def release(self) -> None:
        """Let a held search index arrive."""
        if self._held is not None:
            for route in self._held:
                route.continue_()
            self.page.unroute(INDEX)
            self._held = None

    # ------------------------------------------------------------------ focusing

    def focus(self, how: str) -> None:
        if how == "tap":
            self.page.tap(SEARCH_LABEL)
        elif how == "slash":
            self.page.keyboard.press("/")
        else:
            self.page.click(SEARCH_BOX)
        self._until(
            f"() => document.activeElement.matches({SEARCH_BOX!r})",
            f"{how} did not focus the search box",
        )

    # ------------------------------------------------------------------ typing

    def enter(self, text: str, entry: Entry) -> None:
        keyboard = self.page.keyboard
        if entry is Entry.KEYS_FAST:
            keyboard.type(text, delay=20)
        elif entry is Entry.KEYS_SLOW:
            keyboard.type(text, delay=150)
        elif entry is Entry.IME:
            self.compose(text)
        elif entry is Entry.PASTE_KEYS:
            self.page.evaluate("text => navigator.clipboard.writeText(text)", text)
            keyboard.press("Control+V")
        elif entry is Entry.NO_KEY:
            self._cdp().send("Input.insertText", {"text": text})
        elif entry is Entry.BACKSPACE:
            keyboard.type(text + "x", delay=20)
            self.page.wait_for_timeout(HUMAN_PAUSE_MS)
            keyboard.press("Backspace")
        value = self.page.input_value(SEARCH_BOX)
        assert value == text, f"{entry.value}: the box holds {value!r}, not {text!r}"

    def compose(self, text: str, each=None) -> None:
        """Type `text` through a Korean input method: every composition state of every
        syllable (ㄱ, 그, 글, 그리, 그린 ...), committing a syllable when the next one
        starts. Other characters are typed on the keyboard. The last syllable is left
        composing, as when a reader stops typing. `each(shown)` runs after every step."""
        cdp = self._cdp()
        for step in hangul.ime_steps(text):
            if step.commit:
                cdp.send("Input.insertText", {"text": step.commit})
            if step.key:
                self.page.keyboard.type(step.key)
            self._composing = step.composing
            if step.composing:
                end = len(step.composing)
                cdp.send(
                    "Input.imeSetComposition",
                    {"text": step.composing, "selectionStart": end, "selectionEnd": end},
                )
            self.page.wait_for_timeout(HUMAN_PAUSE_MS)
            if each:
                each(step.shown)

    def clear(self) -> None:
        """Empty the box as a reader does, and check that the placeholder is back."""
        if self._composing:  # the syllable still being composed is committed first
            self._cdp().send("Input.insertText", {"text": self._composing})
            self._composing = ""
        if self.screen.touch:
            # the button fades and grows in once the box holds text, and the panel
            # around it slides in when the search opens: a reader taps it where it
            # is, not where it is passing
            self.page.wait_for_function(SHOWN, arg=CLEAR_BUTTON, polling="raf")
            self.page.tap(CLEAR_BUTTON)
        else:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Backspace")
        self._until(
            f"() => document.querySelector({SEARCH_BOX!r}).value === ''",
            "after clearing, the box still holds {!r}",
            lambda: self.page.input_value(SEARCH_BOX),
        )
        self.wait_for_answer()
        placeholder = self.page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent)"
            ".translations['search.result.placeholder']"
        )
        meta = self.page.inner_text(".md-search-result__meta").strip()
        assert meta == placeholder, f"after clearing, the box says {meta!r}, not {placeholder!r}"
        assert not self.page.evaluate(RESULTS), "after clearing, results are still listed"

    def leave(self) -> None:
        """Close the search as a reader moving on does: Escape, then a click (a tap) on
        the page's title, which takes the focus out of the box."""
        self.page.keyboard.press("Escape")
        title = self.page.locator("article.md-content__inner h1")
        if self.screen.touch:
            title.tap()
        else:
            title.click()
        self._until(
            f"() => !document.getElementById('__search').checked"
            f" && !document.activeElement.matches({SEARCH_BOX!r})",
            "the search is still open after Escape and a click on the page",
        )

    def _until(self, condition: str, problem: str, shown=None) -> None:
        """Wait until the page has reacted to what the reader did. A tap's click comes
        after the touch events, whenever the page gets to it (under load, after
        `tap()` has returned), so the page is looked at until it shows the change, with
        a hang bound, not once."""
        try:
            self.page.wait_for_function(condition, polling="raf", timeout=HANG_BOUND_MS)
        except PlaywrightTimeoutError:
            raise AssertionError(problem.format(shown() if shown else None)) from None

    # ------------------------------------------------------------------ answers

    def wait_for_answer(self) -> None:
        self.page.wait_for_function(ANSWERED, polling="raf", timeout=HANG_BOUND_MS)

    def results(self) -> list[str]:
        """The result links, best first, once the answer to the box's text is shown."""
        self.wait_for_answer()
        return self.page.evaluate(RESULTS)

    def _cdp(self):
        if not hasattr(self, "_session"):
            self._session = self.page.context.new_cdp_session(self.page)
        return self._session


def search_as(box: SearchBox, way: Way, query: str, stay: bool = False) -> list[str]:
    """One reader on an open page: focus the box `way.focus`, enter `query`
    `way.entry`, and return the result links (best first); then clear the box (the
    placeholder must come back). With `stay`, the reader then leaves the search and
    stays on the page, ready for the next one."""
    box.focus(way.focus)
    box.enter(query, way.entry)
    box.release()
    found = box.results()
    box.clear()
    if stay:
        box.leave()
    return found
