"""The pydantic schema of `*.protocol.toml` and `*.spots.toml` files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Ident = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=64)
]
Text = Annotated[str, StringConstraints(max_length=4000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)]
Region = Literal["low-back", "buttock", "side-of-hip", "thigh", "calf", "front"]
View = Literal["back", "front", "calf"]
Tool = Literal["ball", "cane", "roller", "hands", "elbow", "partner"]
Coordinate = Annotated[float, Field(ge=-1.5, le=3.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


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
    version: int = Field(ge=1)
    name: Name
    summary: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    minutes: int | None = Field(default=None, ge=1, le=240)
    about: Text = ""
    cautions: list[Text] = []
    spots: list[SpotModel] = []
    routes: list[RouteModel] = Field(min_length=1)


class CatalogueModel(_Strict):
    """A spot catalogue file: spots shared by several protocols."""

    spots: list[SpotModel] = Field(min_length=1)
