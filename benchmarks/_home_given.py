"""The home screen given its figures: what the screen alone costs, for `tui_startup.py`.

`python _home_given.py save DB FILE` reads the home screen's figures from DB (as the program
does) and keeps them in FILE. `python _home_given.py show DB FILE` then runs the program's own
app and home screen with those figures handed in: no command line to parse, no database to
open, nothing to read. The time to its figures on the terminal is the least any way of
reading them could reach with this screen.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path


def save(db: str, file: str) -> None:
    from selftrack.tracker import Tracker
    from selftrack.tui.home_view import load_home

    with Tracker(db) as tracker, open(file, "wb") as out:
        pickle.dump(load_home(tracker), out)


def show(db: str, file: str) -> None:
    with open(file, "rb") as given:
        data = pickle.load(given)

    from selftrack.tracker import Tracker
    from selftrack.tui.app import SelftrackApp
    from selftrack.tui.screens.home import HomeScreen

    class GivenHome(HomeScreen):
        def start_reload(self) -> None:
            """Nothing to read: the figures were handed in."""

        def on_mount(self) -> None:
            self.data = data
            self.show(data)

    class GivenApp(SelftrackApp):
        CSS_PATH = str(Path(sys.modules[SelftrackApp.__module__].__file__).with_name("app.tcss"))

        def get_default_screen(self) -> HomeScreen:
            return GivenHome()

    GivenApp(lambda: Tracker(db)).run()


if __name__ == "__main__":
    {"save": save, "show": show}[sys.argv[1]](sys.argv[2], sys.argv[3])
