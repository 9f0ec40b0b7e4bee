"""The results screens receive from the core (selftrack.tui.core.call): one class each."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class CoreResult(Message):
    """A core call finished; `result` is what it returned."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class HomeLoaded(CoreResult):
    """The home screen's figures (HomeData)."""


class ProtocolsLoaded(CoreResult):
    """The routines to choose from (a list of ProtocolSpec)."""


class SessionStarted(CoreResult):
    """A new session was stored (Session); its walk can begin."""


class SessionAbandoned(CoreResult):
    """An unfinished session was closed without finishing (Session)."""


class WalkOpened(CoreResult):
    """A session's walk was read (Walk)."""


class RatingSaved(CoreResult):
    """A rating was committed to the database (Rating)."""


class RatingUndone(CoreResult):
    """The last rating was removed (Rating), or there was none (None)."""


class ReportLoaded(CoreResult):
    """What a session found (SessionReport)."""


class SessionFinished(CoreResult):
    """A session was finished with its pain after and notes (Session)."""


class SessionDiscarded(CoreResult):
    """A session with nothing rated was deleted (None)."""


class SafetyNoted(CoreResult):
    """The first-run safety note was marked as read."""


class HistoryLoaded(CoreResult):
    """A page of history: (rows, routines, total)."""


class SessionLoaded(CoreResult):
    """One past session and its ratings: (Session, ratings)."""


class SessionChanged(CoreResult):
    """A past session was changed: (what: "corrected", "notes" or "deleted", in words)."""


class TrendsLoaded(CoreResult):
    """Region and pain trends with the left/right comparison: (trends, asymmetries)."""


class SpotTrendsLoaded(CoreResult):
    """A trend for every spot and side (list of Trend)."""


class SpotChartLoaded(CoreResult):
    """One spot's whole series, to chart (list of Trend)."""


class HeatLoaded(CoreResult):
    """The heat map's figures: (mode, figures)."""


class AdherenceLoaded(CoreResult):
    """Sessions per week and the streak (Adherence)."""


class ExportWritten(CoreResult):
    """An export file was written (ExportResult)."""


class CareLoaded(CoreResult):
    """What must happen before a session starts (selftrack.tracker.care.CareState)."""


class ScreeningAnswered(CoreResult):
    """The red-flag questions were answered and stored (Screening)."""


class ConditionsSaved(CoreResult):
    """The conditions that adapt the routines were stored (None)."""


class SorenessAnswered(CoreResult):
    """How a hard session left the person was stored (None)."""


class PromptsLoaded(CoreResult):
    """What the outcome questions need to know now (OutcomePrompts)."""


class CheckInStored(CoreResult):
    """The morning check-in was stored (CheckInSaved: it, and the one of today it replaced)."""


class WeeklyFormStored(CoreResult):
    """The weekly form was stored (WeeklyForm)."""


class InsightsLoaded(CoreResult):
    """What the person's own data says (selftrack.analysis.insights.Insights)."""
