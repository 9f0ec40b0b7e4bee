"""StartScreen: choose the routine, sides, tool and pain now, then begin."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from selftrack.domain.model import ONE_SIDE_FIRST, WALK_ORDERS, ProtocolSpec, Session, walk_order_of
from selftrack.domain.terms import SIDES, TOOLS
from selftrack.domain.text import printable
from selftrack.tui import core
from selftrack.render.words import counted
from selftrack.tui.messages import ProtocolsLoaded, SessionStarted
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar
from selftrack.tui.widgets.title_bar import TitleBar


class StartScreen(Screen):
    """The choices a session starts with; `protocol`/`side` arrive already chosen."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+b", "begin", "Begin"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        *,
        protocol: str | None = None,
        side: str | None = None,
        last: Session | None = None,
    ) -> None:
        super().__init__()
        self.chosen_protocol = protocol
        self.chosen_side = side
        self.last = last
        self.specs: dict[str, ProtocolSpec] = {}
        self._starting = False
        self._loaded_routines = False

    @property
    def ready_for_keys(self) -> bool:
        """Keys wait until the routines are read (ctrl+b needs one) and while a session starts."""
        return self._loaded_routines and not self._starting

    def compose(self) -> ComposeResult:
        yield TitleBar("start a session")
        with VerticalScroll(id="start-body"):
            yield Label("Routine", classes="field-title")
            yield OptionList(id="start-protocol")
            yield Label("Sides", classes="field-title")
            with RadioSet(id="start-sides", classes="choices"):
                for side in SIDES:
                    yield RadioButton(side, id=f"side-{side}")
            yield Label("Order (both sides)", classes="field-title", id="start-order-title")
            with RadioSet(id="start-order", classes="choices"):
                for order, words in WALK_ORDERS.items():
                    yield RadioButton(words, id=f"order-{order}")
            yield Label("Tool (optional)", classes="field-title")
            with RadioSet(id="start-tool", classes="choices"):
                for tool in TOOLS:
                    yield RadioButton(tool, id=f"tool-{tool}")
            yield Label("Pain now, overall (type 0–9, t for 10; optional)", classes="field-title")
            yield RatingBar(id="start-pain")
        with Vertical(id="start-ready"):
            yield Static(id="start-hint")
            yield Button("Begin (ctrl+b)", id="start-begin", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        side = self.chosen_side or (self.last.sides if self.last else "both")
        self.query_one(f"#side-{side}", RadioButton).value = True
        if self.last and self.last.tool in TOOLS:
            self.query_one(f"#tool-{self.last.tool}", RadioButton).value = True
        order = ONE_SIDE_FIRST
        if self.last and self.last.sides == "both" and self.last.steps:
            order = walk_order_of(self.last.steps)  # the order chosen last time
        self.query_one(f"#order-{order}", RadioButton).value = True
        self._show_order()
        core.call(self, self.app.tracker.protocols, done=ProtocolsLoaded, doing="read the routines")

    @on(ProtocolsLoaded)
    def _loaded(self, event: ProtocolsLoaded) -> None:
        specs = event.result
        self.specs = {spec.id: spec for spec in specs}
        options = self.query_one("#start-protocol", OptionList)
        options.add_options([Option(_protocol_prompt(spec), id=spec.id) for spec in specs])
        wanted = self.chosen_protocol or (self.last.protocol_id if self.last else None)
        if wanted in self.specs:
            options.highlighted = list(self.specs).index(wanted)
        elif specs:
            options.highlighted = 0
        if not specs:
            self.query_one("#start-hint", Static).update(
                "No routines were found. Add a *.protocol.toml file to your protocols folder."
            )
        if self.chosen_protocol and self.chosen_side:
            self.query_one("#start-pain", RatingBar).focus()
        elif self.chosen_protocol:
            self.query_one("#start-sides", RadioSet).focus()
        else:
            options.focus()
        self._update_hint()
        self._loaded_routines = True
        keys_ready(self)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#start-sides", RadioSet).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._update_hint()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show_order()
        self._update_hint()

    def _show_order(self) -> None:
        """The order of the walk is a choice only when both sides are walked."""
        both = self._sides() == "both"
        self.query_one("#start-order-title").display = both
        self.query_one("#start-order").display = both

    def _sides(self) -> str:
        button = self.query_one("#start-sides", RadioSet).pressed_button
        return str(button.id).removeprefix("side-") if button else "both"

    def _order(self) -> str:
        button = self.query_one("#start-order", RadioSet).pressed_button
        return str(button.id).removeprefix("order-") if button else ONE_SIDE_FIRST

    def on_key(self, event: events.Key) -> None:
        """A digit (t for 10) typed anywhere on this screen is the pain now."""
        number = RatingBar.number_for(event)
        if number is not None:
            event.stop()
            self.query_one("#start-pain", RatingBar).choose(number)

    def on_rating_bar_submitted(self, event: RatingBar.Submitted) -> None:
        event.stop()
        self.query_one("#start-begin", Button).focus()
        self._update_hint()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start-begin":
            self.action_begin()

    def _choices(self) -> tuple[ProtocolSpec | None, str, str, int | None]:
        """What Begin uses: the routine under the cursor, the sides, tool and pain chosen."""
        options = self.query_one("#start-protocol", OptionList)
        spec = None
        if options.highlighted is not None and options.option_count:
            option_id = options.get_option_at_index(options.highlighted).id
            spec = self.specs.get(option_id or "")
        tool_button = self.query_one("#start-tool", RadioSet).pressed_button
        tool = str(tool_button.id).removeprefix("tool-") if tool_button else ""
        return spec, self._sides(), tool, self.query_one("#start-pain", RatingBar).value

    def _update_hint(self) -> None:
        """The Ready line: exactly what Begin will use."""
        spec, sides, tool, pain = self._choices()
        if spec is None:
            return
        stops = len(spec.steps(sides))
        minutes = spec.minutes_for(sides)
        about = f", about {counted(minutes, 'minute')}" if minutes else ""
        order = f" ({WALK_ORDERS[self._order()]})" if sides == "both" else ""
        pain_text = "not given" if pain is None else str(pain)
        self.query_one("#start-hint", Static).update(
            Text.assemble(
                ("Ready: ", "bold"),
                f"{printable(spec.name)}, {'both sides' if sides == 'both' else sides + ' side'}{order}: "
                f"{counted(stops, 'spot')} to rate{about}; tool {tool or 'not given'}; pain now {pain_text}.",
            )
        )

    def action_begin(self) -> None:
        if self._starting:
            return
        spec, sides, tool, pain = self._choices()
        if spec is None:
            self.notify("Choose a routine first.", severity="warning")
            return
        self._starting = True
        order = self._order() if sides == "both" else ""
        core.call(
            self, self.app.tracker.start_session, spec, sides, tool=tool, pain_before=pain,
            order=order, done=SessionStarted, doing="start the session",
        )  # fmt: skip

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._starting = False
        self._loaded_routines = True
        keys_ready(self)

    @on(SessionStarted)
    def _started(self, event: SessionStarted) -> None:
        from selftrack.tui.screens.walk import WalkScreen

        self.app.switch_screen(WalkScreen(event.result.id))


def _protocol_prompt(spec: ProtocolSpec) -> Text:
    text = Text(printable(spec.name), style="bold")
    details = [counted(spec.spot_count, "spot")]
    if spec.minutes:
        details.append(f"about {spec.minutes} min for both sides")
    text.append("  " + " · ".join(details), style="italic")
    text.append(f"\n{printable(spec.summary)}")
    return text
