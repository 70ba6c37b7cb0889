"""Builders of the files staff send: spreadsheets (CSV or XLSX) and ZIPs of photos."""

from __future__ import annotations

import io
import zipfile

import tablib
from PIL import Image as PILImage

from poc_catalogue.transfer.columns import EXAMPLE_ROW, HEADERS


def poc_row(reference: str = "POC-001", **cells: str) -> dict[str, str]:
    """A complete, valid row; override any cell."""
    row = {
        **EXAMPLE_ROW,
        "reference": reference,
        "title": f"Bancs de réemploi {reference}",
        "hero_image": f"{reference.lower()}.jpg",
        "gallery": "",
        "gallery_alt": "",
        "gallery_credit": "",
    }
    row.update(cells)
    return row


def csv_file(rows: list[dict[str, str]], delimiter: str = ",", bom: bool = True) -> bytes:
    dataset = tablib.Dataset(headers=list(HEADERS))
    for row in rows:
        dataset.append([row.get(name, "") for name in HEADERS])
    text = dataset.export("csv", delimiter=delimiter)
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_file(rows: list[dict[str, str]], headers: list[str] | None = None) -> bytes:
    dataset = tablib.Dataset(headers=headers or list(HEADERS))
    for row in rows:
        dataset.append([row.get(name, "") for name in HEADERS])
    return dataset.export("xlsx")


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (32, 24)) -> bytes:
    buffer = io.BytesIO()
    colour = (seed * 37 % 256, seed * 91 % 256, seed * 53 % 256)
    PILImage.new("RGB", size, colour).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def zip_file(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def photos_for(rows: list[dict[str, str]]) -> bytes:
    """A ZIP with a distinct JPEG for every image the rows name."""
    names: list[str] = []
    for row in rows:
        names += [row["hero_image"], *[n.strip() for n in row["gallery"].split(";")]]
    unique = dict.fromkeys(name for name in names if name)
    return zip_file({name: jpeg_bytes(seed) for seed, name in enumerate(unique, start=1)})
