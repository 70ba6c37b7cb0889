"""Reading and writing the spreadsheets, CSV or XLSX, with tablib.

tablib (maintained by the Jazzband) gives both formats one `Dataset` API, reads XLSX through
openpyxl (which Wagtail already installs) and writes both; django-import-export would bring its
own admin and model resources, which the importer's checks and per-row transactions do not fit.
What tablib leaves to us is what staff's files really look like: Excel's UTF-8 byte order
mark, a `;` separator (French Excel) or `,`, files saved in Windows-1252, header names typed
with capitals or accents.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.utils.translation import gettext as _

from ..admin_search import folded
from .columns import COLUMNS, HEADERS

FORMATS = ("csv", "xlsx")
_XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: its message is for staff."""


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as the spreadsheet shows it (the header is row 1)."""

    number: int
    cells: dict[str, str]


def header_key(text: str) -> str:
    """`Hero image`, `HERO_IMAGE` and `héro-image ` all name the column `hero_image`."""
    return "_".join(folded(str(text or "")).replace("-", " ").split())


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor Windows-1252 text."))


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def load_dataset(content: bytes, name: str = "") -> tablib.Dataset:
    """The file's rows, CSV or XLSX (told by its first bytes, whatever its name says)."""
    try:
        if content.startswith(_XLSX_MAGIC):
            return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        text = _decode(content)
        return tablib.Dataset().load(text, format="csv", delimiter=_delimiter(text))
    except UnreadableFile:
        raise
    except Exception as error:  # tablib and openpyxl raise many kinds for a damaged file
        raise UnreadableFile(
            _("The file %(name)s cannot be read as CSV or XLSX (%(error)s).")
            % {"name": Path(name).name or _("sent"), "error": error}
        ) from error


def read_rows(content: bytes, name: str = "") -> list[SourceRow]:
    dataset = load_dataset(content, name)
    columns = [header_key(header) for header in dataset.headers or []]
    missing = [column.name for column in COLUMNS if column.required and column.name not in columns]
    if missing:
        raise UnreadableFile(
            _("The file lacks the columns %(columns)s. Its first row must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for number, values in enumerate(dataset, start=2):
        cells = dict.fromkeys(HEADERS, "")
        for column, value in zip(columns, values, strict=False):
            if column in cells and value is not None:
                cells[column] = _cell_text(value)
        if any(cells.values()):
            rows.append(SourceRow(number=number, cells=cells))
    return rows


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def write_dataset(rows: list[dict[str, str]], file_format: str) -> bytes:
    """The rows as a CSV (UTF-8 with a byte order mark, so Excel reads the accents) or XLSX."""
    dataset = tablib.Dataset(headers=list(HEADERS))
    for row in rows:
        dataset.append([row[name] for name in HEADERS])
    if file_format == "xlsx":
        return dataset.export("xlsx")
    return ("\ufeff" + dataset.export("csv")).encode("utf-8")
