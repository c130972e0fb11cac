"""Reading downloaded files back as a re-user's ordinary tools would."""

import csv
import io


def csv_records(response) -> list[list[str]]:
    """The CSV as the csv module reads it: BOM dropped, header first, embedded line breaks kept."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def csv_dicts(response) -> list[dict[str, str]]:
    """The CSV's rows as {column: value}, keyed by its header."""
    header, *rows = csv_records(response)
    return [dict(zip(header, row, strict=True)) for row in rows]
