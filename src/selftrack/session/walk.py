"""Where a guided session stands: the current spot, its ratings so far, what comes next.

Pure state: the front end asks the Tracker to store a rating (in a worker), then hands the
stored Rating back here to move on. Nothing in this module touches the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from selftrack.domain.model import Rating, Session, SpotSpec, Step
from selftrack.domain.outcomes import HOLD_SECONDS_MAX, PRESSURES
from selftrack.domain.terms import BODY_WEIGHT_TOOLS, TOOLS

SpotSide = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Flags:
    """What the user marked on the current spot, stored with its rating, and the dose: the
    tool when it is not the session's (None: the session's), the pressure (None: not said)
    and the seconds on the hold timer (None: the timer was off)."""

    recognised: bool = False
    referred: bool = False
    referred_to: str = ""
    nerve: bool = False
    note: str = ""
    tool: str | None = None
    pressure: str | None = None
    hold_seconds: int | None = None

    @classmethod
    def of(cls, rating: Rating) -> Flags:
        """The flags and dose a stored rating carries."""
        return cls(
            rating.recognised, rating.referred, rating.referred_to, rating.nerve, rating.note,
            rating.tool, rating.pressure, rating.hold_seconds,
        )  # fmt: skip

    def values(self) -> dict:
        """The flags as the keyword arguments of Tracker.record_rating."""
        return asdict(self)


@dataclass
class Walk:
    """A session in progress, seen step by step."""

    session: Session
    ratings: dict[int, Rating] = field(default_factory=dict)
    previous: dict[SpotSide, Rating] = field(default_factory=dict)
    nerve_warnings: dict[SpotSide, datetime] = field(default_factory=dict)
    current: int = 0
    pending: Flags = field(default_factory=Flags)
    order: list[int] = field(default_factory=list)
    # steps passed over by default (why), and steps to press lightly (why)
    resting: dict[int, str] = field(default_factory=dict)
    lighter: dict[int, str] = field(default_factory=dict)

    @classmethod
    def begin(
        cls,
        session: Session,
        ratings: list[Rating],
        previous: dict[SpotSide, Rating] | None = None,
        nerve_warnings: dict[SpotSide, datetime] | None = None,
        resting: dict[SpotSide, str] | None = None,
        lighter: dict[SpotSide, str] | None = None,
    ) -> Walk:
        """The walk of a session and its ratings so far, at the first unrated step that is not
        resting. `resting` spots are passed over by default (they can still be rated)."""
        by_step = {r.step_index: r for r in ratings}
        steps = session.steps
        walk = cls(
            session=session,
            ratings=by_step,
            previous=previous or {},
            nerve_warnings=nerve_warnings or {},
            order=sorted(by_step, key=lambda i: by_step[i].rated_at),
            resting={s.index: why for s in steps if (why := (resting or {}).get((s.spot_id, s.side)))},
            lighter={s.index: why for s in steps if (why := (lighter or {}).get((s.spot_id, s.side)))},
        )
        first = walk.next_unrated(-1)
        walk.current = first if first is not None else 0
        walk.pending = walk.flags_at(walk.current)
        return walk

    # -- what is shown ----------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.session.steps)

    @property
    def step(self) -> Step:
        return self.session.steps[self.current]

    @property
    def spot(self) -> SpotSpec:
        return self.session.spots[self.step.spot_id]

    def spot_of(self, index: int) -> SpotSpec:
        return self.session.spots[self.session.steps[index].spot_id]

    @property
    def route_name(self) -> str:
        return self.session.route_names.get(self.step.route_id, self.step.route_id)

    @property
    def answered_count(self) -> int:
        """Steps with a rating or a skip (how far the walk has got)."""
        return len(self.ratings)

    @property
    def rated_count(self) -> int:
        """Steps given a tenderness (a skip is not a rating of 0, nor counted here)."""
        return sum(1 for r in self.ratings.values() if not r.skipped)

    @property
    def skipped_count(self) -> int:
        return sum(1 for r in self.ratings.values() if r.skipped)

    @property
    def nothing_rated(self) -> bool:
        """No step has a tenderness yet: finishing now would not make a finished session."""
        return self.rated_count == 0

    @property
    def done(self) -> bool:
        """Every step has a rating (or a skip), or rests."""
        return all(i in self.ratings or i in self.resting for i in range(self.total))

    def last_time(self, index: int | None = None) -> Rating | None:
        """This spot's rating on the same side in the latest earlier session."""
        step = self.session.steps[self.current if index is None else index]
        return self.previous.get((step.spot_id, step.side))

    def nerve_warning(self, index: int | None = None) -> datetime | None:
        """When a nerve feeling was last flagged on this spot and side, if ever."""
        step = self.session.steps[self.current if index is None else index]
        return self.nerve_warnings.get((step.spot_id, step.side))

    def flags_at(self, index: int) -> Flags:
        rating = self.ratings.get(index)
        return Flags.of(rating) if rating else Flags()

    def route_steps(self) -> list[Step]:
        """The steps of the current route on the current side, in order."""
        step = self.step
        return [
            s for s in self.session.steps if s.route_id == step.route_id and s.side == step.side
        ]

    def positions(self) -> list[tuple[float, float] | None]:
        """Map point of every step (None for spots drawn on another view)."""
        out: list[tuple[float, float] | None] = []
        for step in self.session.steps:
            spot = self.session.spots[step.spot_id]
            out.append(spot.position(step.side) if spot.view == "back" else None)
        return out

    # -- moving -----------------------------------------------------------------------

    def next_unrated(self, after: int) -> int | None:
        """The first unrated step after `after` that is not resting, wrapping round; None when
        there is none."""
        for index in (*range(after + 1, self.total), *range(0, min(after + 1, self.total))):
            if index not in self.ratings and index not in self.resting:
                return index
        return None

    def flags_to_save(self) -> Flags | None:
        """The current step's changed flags, when it is already rated (they are saved at once)."""
        return self.pending if self.current in self.ratings else None

    def accept(self, rating: Rating, *, advance: bool = True) -> None:
        """Take a stored rating in and move to the next unrated step (unless `advance` is off)."""
        self.ratings[rating.step_index] = rating
        if rating.step_index in self.order:
            self.order.remove(rating.step_index)
        self.order.append(rating.step_index)
        if advance:
            following = self.next_unrated(rating.step_index)
            if following is not None:
                self.go(following)

    def forget(self, rating: Rating) -> None:
        """Take back an undone rating and return to its step."""
        self.ratings.pop(rating.step_index, None)
        if rating.step_index in self.order:
            self.order.remove(rating.step_index)
        self.go(rating.step_index)

    def go(self, index: int) -> None:
        """Make `index` the current step (its stored flags become the pending ones)."""
        if not 0 <= index < self.total:
            raise IndexError(f"step {index} is outside this session")
        self.current = index
        self.pending = self.flags_at(index)

    def back(self) -> bool:
        """Go to the previous step; False at the first."""
        if self.current == 0:
            return False
        self.go(self.current - 1)
        return True

    def forward(self) -> bool:
        """Go to the next step without rating; False at the last."""
        if self.current >= self.total - 1:
            return False
        self.go(self.current + 1)
        return True

    def toggle(self, flag: str, referred_to: str | None = None) -> Flags:
        """Switch a flag on the current step (recognised, referred, nerve)."""
        value = not getattr(self.pending, flag)
        changes: dict = {flag: value}
        if flag == "referred":
            changes["referred_to"] = (referred_to or "") if value else ""
        self.pending = replace(self.pending, **changes)
        return self.pending

    # -- the dose ---------------------------------------------------------------------

    @property
    def tool(self) -> str:
        """The tool on the current spot: its own when changed, else the session's ('' when the
        session named none)."""
        return self.pending.tool or self.session.tool

    def next_tool(self) -> Flags:
        """Change the tool on the current spot to the next one this spot offers (its `tools`,
        already without those the person's conditions rule out and, near a nerve, without
        body weight); round the list it comes back to the session's own. A spot that names
        no tools is offered only tools that put no body weight on it."""
        base = self.session.tool if self.session.tool in TOOLS else ""
        offered = self.spot.tools or tuple(t for t in TOOLS if t not in BODY_WEIGHT_TOOLS)
        cycle = [None, *(t for t in offered if t != base)]
        position = cycle.index(self.pending.tool) if self.pending.tool in cycle else 0
        self.pending = replace(self.pending, tool=cycle[(position + 1) % len(cycle)])
        return self.pending

    def next_pressure(self) -> Flags:
        """Change the pressure on the current spot: not said, light, medium, firm, not said."""
        cycle = [None, *PRESSURES]
        position = cycle.index(self.pending.pressure) if self.pending.pressure in cycle else 0
        self.pending = replace(self.pending, pressure=cycle[(position + 1) % len(cycle)])
        return self.pending

    def rating_values(self, held: int | None = None, *, skipped: bool = False) -> dict:
        """The keyword arguments of Tracker.record_rating for the current spot: its flags and
        dose. `held` (seconds on the hold timer, None when it is off) is the hold of a new
        rating, at most an hour; a skip has no hold, and a change of flags on a rated spot
        keeps the hold stored with it."""
        values = self.pending.values()
        if skipped:
            values["hold_seconds"] = None
        elif held is not None:
            values["hold_seconds"] = max(0, min(int(held), HOLD_SECONDS_MAX))
        return values

    def set_note(self, note: str) -> Flags:
        self.pending = replace(self.pending, note=note.strip())
        return self.pending

    def set_referred(self, where: str) -> Flags:
        """Mark the current step as spreading pain, optionally naming where."""
        self.pending = replace(self.pending, referred=True, referred_to=where.strip())
        return self.pending

    def last_entered(self) -> int | None:
        """The step rated most recently in this sitting (the one undo removes)."""
        return self.order[-1] if self.order else None

    def nearest_step(self, x: float, y: float) -> int | None:
        """The step whose map point is nearest (x, y); same-spot ties go to the current side."""
        from selftrack import bodymap

        points = self.positions()
        candidates = [(i, p) for i, p in enumerate(points) if p is not None]
        if not candidates:
            return None
        found = bodymap.nearest([p for _i, p in candidates], x, y)
        return None if found is None else candidates[found][0]
