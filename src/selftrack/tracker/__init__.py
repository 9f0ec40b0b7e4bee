"""The use cases of selftrack behind one façade, `Tracker`, that both front ends call.

- `facade`: the Tracker — sessions, ratings, protocols, files, and the entry to the rest;
- `review`: reading history (history, trends, heat map, regularity, flags, notes, focus);
- `overview`: the home screen's figures.
The modules below the Tracker are given its Store (database, profile, clock), never the
Tracker itself.
"""

from selftrack.tracker.facade import Tracker, TrackerError

__all__ = ["Tracker", "TrackerError"]
