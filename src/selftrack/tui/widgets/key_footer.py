"""KeyFooter: the screen's keys on one line, drawn as text (a lighter Footer)."""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterEntry(NamedTuple):
    """One key shown in the footer, and the cells it takes."""

    key: str
    start: int
    end: int
    enabled: bool


class KeyFooter(Widget):
    """The bindings a screen shows, as ` key description` pairs, drawn as Textual's Footer.

    When the keys do not all fit, the screen's FOOTER_SHORT words (by action) are used, and
    then its FOOTER_KEEP (actions, most needed first) are kept and the rest left out (the
    help screen lists every key).

    Footer mounts one widget per key and mounts them all again whenever the bindings are
    refreshed (the first rating after the walk opened paid ~30 ms for that); this widget draws
    the same line as one Text, so a change of bindings is a single repaint. Used on the home
    and walk screens, whose speed is measured (benchmarks/tui_*.py).
    """

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[FooterEntry] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        dim = Style(dim=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        width = self.size.width
        candidates = self._candidates(short=False)
        if sum(len(key) + len(words) for _b, _e, key, words in candidates) > width:
            candidates = self._candidates(short=True)
        chosen = self._fitting(candidates, width)
        entries: list[FooterEntry] = []
        for binding, enabled, key, description in candidates:
            if binding.action not in chosen:
                continue
            start = text.cell_len
            extra = Style() if enabled else dim
            text.append(key, key_style + extra)
            if description:
                text.append(description, description_style + extra)
            entries.append(FooterEntry(binding.key, start, text.cell_len, enabled))
        self._entries = entries
        text.stylize_before(self.rich_style)
        return text

    def _candidates(self, *, short: bool) -> list:
        """(binding, enabled, key text, description text) of each key shown, in order; `short`
        takes the screen's FOOTER_SHORT words where it has them."""
        words = getattr(self.screen, "FOOTER_SHORT", {}) if short else {}
        candidates = []
        shown_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            # like Footer: one entry per action (its first key), only bindings meant to be shown
            if not binding.show or binding.action in shown_actions:
                continue
            shown_actions.add(binding.action)
            key = f" {self.app.get_key_display(binding)} "
            description = words.get(binding.action, binding.description)
            candidates.append((binding, enabled, key, f"{description} " if description else ""))
        return candidates

    def _fitting(self, candidates, width: int) -> set[str]:
        """The actions shown: all of them when they fit, else the screen's FOOTER_KEEP (most
        needed first) as far as they fit, then the others in their order."""
        sizes = {binding.action: len(key) + len(description) for binding, _e, key, description in candidates}
        if width <= 0 or sum(sizes.values()) <= width:
            return set(sizes)
        keep = [action for action in getattr(self.screen, "FOOTER_KEEP", ()) if action in sizes]
        order = keep + [action for action in sizes if action not in keep]
        chosen: set[str] = set()
        used = 0
        for action in order:
            if used + sizes[action] <= width:
                chosen.add(action)
                used += sizes[action]
        return chosen

    def on_resize(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for entry in self._entries:
            if entry.start <= event.x < entry.end:
                if entry.enabled:
                    self.app.simulate_key(entry.key)
                else:
                    self.app.bell()
                return
