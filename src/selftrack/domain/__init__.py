"""The domain: plain, frozen values shared by every layer, and the words that name them.

- `terms`: regions, views, tools, sides, session states;
- `model`: protocols, spots, routes, steps, sessions, ratings;
- `records`: the rows the storage layer returns (history rows, heat cells, export records);
- `text`: what text selftrack accepts and how any text is made safe to show.

Import from the submodule that holds a name: this package imports nothing itself, so the
commands that need only the words do not build the dataclasses.
"""
