"""What a sheet declares: its columns, and for a registry sheet its export rows and its bulk
service (`prepare` checks the parsed rows against each other and the database, `save` writes them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

if TYPE_CHECKING:
    from bioplan.core.models import Region, User

ProgressCallback = Callable[[int, int, str], None]  # (rows done, rows in all, phase)


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}：{self.problem}"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any]
    required: bool = False
    width: int = 14
    kind: str = "text"  # text | number | date: how the export writes it
    present: bool = False  # the header must be there even where cells may be blank


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class ImportContext:
    """What a sheet's prepare/save see: the district imported into, the user, the problems so far."""

    spec: SheetSpec
    region: Region
    user: User | None
    problems: list[RowProblem] = field(default_factory=list)
    locked: set[int] = field(default_factory=set)  # ids of rows the user may read but not change

    def problem(self, row: int, key: str, text: str) -> None:
        self.problems.append(RowProblem(self.spec.title, row, self.spec.header_of(key), text))

    def problems_of(self, row: int, exc: ValidationError, default_key: str) -> None:
        """Record a domain rule's ValidationError (from the app's services) against the row."""
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    key = default_key if name == "__all__" else self.spec.key_of_field.get(name, name)
                    self.problem(row, key, message.rstrip("。"))
        else:
            for message in exc.messages:
                self.problem(row, default_key, message.rstrip("。"))

    def model_problems(self, row: int, instance: models.Model, exclude: list[str] | None = None) -> None:
        """Run the model's field and model validation and record problems. Uniqueness and foreign
        keys are not checked here (each would cost a query per row): the sheets resolve them in bulk."""
        relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        try:
            instance.clean_fields(exclude=[*(exclude or []), *relations])
            instance.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.problem(row, self.spec.key_of_field.get(name, name), message)


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0


def default_max_rows() -> int:
    return int(getattr(settings, "BIOPLAN_SHEET_MAX_ROWS", 200_000))


@dataclass
class SheetSpec:
    kind: str
    title: str
    columns: list[Column]
    export_rows: Callable[[Any, Region], Iterable[list[Any]]]
    prepare: Callable[[ImportContext, list[ParsedRow]], Any]
    save: Callable[[ImportContext, Any], SaveResult]
    key_of_field: dict[str, str] = field(default_factory=dict)
    max_rows: int | None = None  # data rows one import may hold; None: BIOPLAN_SHEET_MAX_ROWS

    def header_of(self, key: str) -> str:
        for c in self.columns:
            if c.key == key:
                return c.header
        return key

    @property
    def row_limit(self) -> int:
        return self.max_rows or default_max_rows()


_SHEETS: dict[str, SheetSpec] = {}


def register_sheet(spec: SheetSpec) -> None:
    _SHEETS[spec.kind] = spec


def sheet_spec(kind: str) -> SheetSpec:
    return _SHEETS[kind]


def registered_sheets() -> dict[str, SheetSpec]:
    return dict(_SHEETS)
