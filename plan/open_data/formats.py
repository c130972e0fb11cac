"""File formats for downloads: CSV (UTF-8 with BOM, RFC 4180) and XLSX, as HTTP responses."""

import csv
import io
import re
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json; charset=utf-8"


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.

    The byte-order mark lets Excel on Windows open the Chinese text as UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(sheet_title: str, header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(stem: str, words: list[str], extension: str) -> str:
    """「search-詐欺-監視器.csv」: the words a reader typed, with nothing but letters, digits and
    CJK characters kept (no path separators, dots or quotes from a query reach a file name)."""
    kept = [re.sub(r"[^\w]+|_", "", word) for word in words]
    return "-".join([stem, *(word[:30] for word in kept if word)]) + f".{extension}"


def download(
    content: bytes,
    content_type: str,
    filename: str,
    *,
    inline: bool = False,
    ascii_name: str = "",
):
    """A response other sites may fetch (CORS) and browsers save under a sensible name."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    # The plain filename= keeps only characters that need no quoting; filename*= has the rest.
    ascii_name = ascii_name or re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "download"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
