"""The pydantic schema of `*.protocol.toml` and `*.spots.toml` files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from selftrack.domain.conditions import CONDITION_IDS
from selftrack.domain.terms import PROTOCOL_VERSION_MAX
from selftrack.domain.text import LABEL_PATTERN, PROTOCOL_TEXT_MAX, PROTOCOL_TEXT_PATTERN

Ident = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=64)
]
# texts and names as the text gate (selftrack.domain.text) accepts them
Text = Annotated[str, StringConstraints(max_length=PROTOCOL_TEXT_MAX, pattern=PROTOCOL_TEXT_PATTERN)]
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True, pattern=LABEL_PATTERN)
]
Region = Literal["low-back", "buttock", "side-of-hip", "thigh", "calf", "front"]
View = Literal["back", "front", "calf"]
Tool = Literal["ball", "cane", "roller", "hands", "elbow", "partner"]
Coordinate = Annotated[float, Field(ge=-1.5, le=3.0)]
ConditionId = Literal[CONDITION_IDS]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class AdaptModel(_Strict):
    """When any of `when` applies to the person: skip, drop tools, add a caution, reword."""

    when: list[ConditionId] = Field(min_length=1)
    skip: bool = False
    remove_tools: list[Tool] = []
    caution: Text = ""
    pressure: Text = ""
    find: Text = ""

    @model_validator(mode="after")
    def _does_something(self):
        changes = bool(self.remove_tools or self.pressure or self.find)
        if self.skip and changes:
            raise ValueError("'skip' leaves it out: 'remove_tools', 'pressure' and 'find' do nothing with it")
        if self.skip and not self.caution.strip():
            raise ValueError("'skip' needs a 'caution' that says why it is left out")
        if not (self.skip or changes or self.caution.strip()):
            raise ValueError("an adapt rule needs 'skip', 'remove_tools', 'caution', 'pressure' or 'find'")
        return self


class RoutineAdaptModel(AdaptModel):
    """A routine-wide rule; with `regions`, only spots in those regions are changed."""

    regions: list[Region] = []


class SpotFields(_Strict):
    """Descriptive fields shared by a spot and a generated run of spots."""

    region: Region
    view: View = "back"
    muscles: list[Name] = []
    find: Text = ""
    feel: Text = ""
    refers: Text = ""
    cautions: list[Text] = []
    tools: list[Tool] = []
    pressure: Text = ""
    sided: bool = True
    adapt: list[AdaptModel] = Field(default=[], max_length=20)


class SpotModel(SpotFields):
    """One named spot."""

    id: Ident
    name: Name
    x: Coordinate
    y: Coordinate


class AlongModel(SpotFields):
    """Spots generated evenly along a path (right-side coordinates)."""

    path: list[tuple[Coordinate, Coordinate]] = Field(min_length=2, max_length=20)
    count: int = Field(ge=2, le=40)
    id_prefix: Ident
    name: Name
    use: dict[int, Ident] = {}  # spot n is this named spot (which must lie where spot n would)

    @model_validator(mode="after")
    def _use_in_range(self) -> AlongModel:
        outside = sorted(n for n in self.use if not 1 <= n <= self.count)
        if outside:
            raise ValueError(f"'use' numbers spots 1 to {self.count}, not {outside[0]}")
        return self


class RouteModel(_Strict):
    """A route: named spot ids, or spots generated along a path."""

    id: Ident
    name: Name
    kind: Literal["line", "arc", "set"]
    spots: list[Ident] | None = Field(default=None, min_length=1)
    along: AlongModel | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _one_source(self) -> RouteModel:
        if (self.spots is None) == (self.along is None):
            raise ValueError("a route needs either 'spots' or 'along', not both")
        return self


class ProtocolModel(_Strict):
    """A whole protocol file."""

    id: Ident
    version: int = Field(ge=1, le=PROTOCOL_VERSION_MAX)
    name: Name
    summary: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=LABEL_PATTERN)]
    minutes: int | None = Field(default=None, ge=1, le=240)
    about: Text = ""
    cautions: list[Text] = []
    adapt: list[RoutineAdaptModel] = Field(default=[], max_length=20)
    spots: list[SpotModel] = []
    routes: list[RouteModel] = Field(min_length=1)


class CatalogueModel(_Strict):
    """A spot catalogue file: spots shared by several protocols."""

    spots: list[SpotModel] = Field(min_length=1)
