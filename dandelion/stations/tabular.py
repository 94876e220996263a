"""Reading a spreadsheet upload (CSV or XLSX) into rows of text, with the limits every import
shares: 5 MB, 5,000 data rows, CSV in UTF-8 (with or without BOM), UTF-16 or GB18030 (what
Chinese Excel writes by default).

Line numbers are the ones the spreadsheet shows: the first row is line 1, and blank rows are
skipped but still counted, so an error points at the row staff see.
"""

import codecs
import csv
import io
import os
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from dandelion.core.errors import ErrorCode, InvalidInput, field_error

from .errors import StationsError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5000
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", "\t", ";")

Row = tuple[int, list[str]]  # (line, cells)

# A CSV cell starting with one of these is run as a formula by Excel and WPS ("CSV injection"),
# so exports put an apostrophe in front, which spreadsheets show as plain text; imports take it
# off again, so an exported file imports unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_guard(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def formula_unguard(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def line_error(line: int | None, field: str, code: ErrorCode, msg) -> dict:
    """The one `errors[]` item shape, plus the spreadsheet `line` it is on (None: the whole
    file), which the import page and command show beside each error."""
    loc = ["line", str(line), field] if line is not None else [field]
    return {**field_error(field, code, msg, loc=loc), "line": line}


def file_error(message: str, *, code: ErrorCode) -> InvalidInput:
    return InvalidInput(message, code=code, errors=[line_error(None, "file", code, message)])


def _file_kind(data: bytes, filename: str) -> str:
    extension = os.path.splitext(filename or "")[1].lower()
    is_zip = data.startswith(ZIP_MAGIC)
    if extension == ".xlsx" or (not extension and is_zip):
        if not is_zip:
            raise file_error(_("文件不是有效的 XLSX 表格。"), code=StationsError.IMPORT_BAD_FILE)
        return "xlsx"
    if extension == ".xls":
        raise file_error(
            _("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 .csv。"),
            code=StationsError.IMPORT_WRONG_TYPE,
        )
    if extension in (".csv", "") and not is_zip:
        return "csv"
    raise file_error(_("只能导入 CSV 或 XLSX 文件。"), code=StationsError.IMPORT_WRONG_TYPE)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise file_error(_("文件不是文本格式的 CSV。"), code=StationsError.IMPORT_BAD_FILE)
    # Valid UTF-8 is almost never valid GB18030 Chinese text and vice versa, so try in turn.
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(
        _("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030 编码。"),
        code=StationsError.IMPORT_BAD_ENCODING,
    )


def _csv_rows(data: bytes) -> Iterator[Row]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, [formula_unguard(cell.strip()) for cell in cells]
    except csv.Error as exc:
        message = _("CSV 格式有误：%(error)s") % {"error": exc}
        raise file_error(message, code=StationsError.IMPORT_BAD_FILE) from exc


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person would have typed: 360403.0 → "360403"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and validations
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a corrupt file
        raise file_error(_("无法读取 XLSX 文件。"), code=StationsError.IMPORT_BAD_FILE) from exc
    try:
        if not book.worksheets:
            return
        rows = book.worksheets[0].iter_rows(values_only=True)
        for line, values in enumerate(rows, start=1):
            yield line, [cell_text(value) for value in values]
    except InvalidInput:
        raise
    except Exception as exc:
        raise file_error(_("无法读取 XLSX 文件。"), code=StationsError.IMPORT_BAD_FILE) from exc
    finally:
        book.close()


def read_table(data: bytes, filename: str) -> list[Row]:
    """The header and every non-blank row of the first sheet, each cell as trimmed text.

    Raises InvalidInput for an empty, oversized or unreadable file, a type other than CSV or
    XLSX, or more than MAX_DATA_ROWS data rows."""
    if not data:
        raise file_error(_("文件是空的。"), code=StationsError.IMPORT_EMPTY)
    if len(data) > MAX_FILE_BYTES:
        raise file_error(
            _("文件超过 %(size)d MB。") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code=StationsError.IMPORT_TOO_LARGE,
        )
    kind = _file_kind(data, filename)
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    table: list[Row] = []
    for line, cells in rows:
        if not any(cells):
            continue
        table.append((line, cells))
        if len(table) > MAX_DATA_ROWS + 1:
            raise file_error(
                _("数据行超过 %(count)d 行，请分成几个文件导入。") % {"count": MAX_DATA_ROWS},
                code=StationsError.IMPORT_TOO_MANY_ROWS,
            )
    if not table:
        raise file_error(_("文件是空的。"), code=StationsError.IMPORT_EMPTY)
    return table
