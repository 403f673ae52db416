"""A small, fast writer of the .xlsx files Langkah makes: tables of typed columns.

What it writes is what XlsxWriter wrote for the recap, part for part (the package parts, the
styles, the sheet views, the column widths in the same units), with shared strings instead of
inline ones, as Excel itself saves them: each sheet is a header row (bold, grey, wrapped, top
aligned, thin border) frozen above rows of cells whose kind and number format are fixed per
column, with an autofilter over every column, or a single column of notes. A column's kind is
resolved once, so a cell costs one getter call and one string format: ~600,000 cells take
well under a second where XlsxWriter's generic per-cell path took ~4-6 s (docs/performance.md).

Text goes through the report's sanitiser (langkah.report.sanitize.clean), once per distinct
value, and is always a string cell (a leading "=" never becomes a formula); literal `_xHHHH_`
sequences are escaped as Excel escapes them, so they read back unchanged. Numbers must be
finite; datetimes are naive local times, written as Excel serial dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import IO, Any, NamedTuple

TEXT = "text"
NUMBER = "number"
DATE = "date"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EPOCH = dt.datetime(1899, 12, 31)
_ROWS_PER_WRITE = 500
_HEADER_STYLE = 1  # the xf of header cells (styles.xml below)
# deflate level 1: a third of level 6's time for the 5,000-cycle recap (~0.4 s less), the
# file ~35 % larger (3.5 MB against 2.5 MB at level 6; XlsxWriter's, at level 6, 2.8 MB)
_DEFLATE_LEVEL = 1


class CellError(ValueError):
    """A value that no cell can hold (a number that is not finite)."""


class Column(NamedTuple):
    """One column of a table sheet: its header, width (in characters, as Excel's column width
    dialog), how a row gives its value, the kind of cell (TEXT, NUMBER, DATE) and the number
    format of its cells (None: General). A value of None or "" leaves the cell empty."""

    title: str
    width: float
    value: Callable[[Any], Any]
    kind: str = TEXT
    number_format: str | None = None


class _Sheet(NamedTuple):
    name: str
    columns: Sequence[Column]
    rows: Sequence[Any]
    table: bool  # header row, frozen, autofilter


def _letters(index: int) -> str:
    """The column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;")


_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_BAD_NAME = re.compile(r"[\[\]:*?/\\]|^'|'$")


def _width(characters: float) -> str:
    """Excel's stored column width for a width typed in characters (Calibri 11: 7 pixels a
    digit, 5 of padding), as XlsxWriter and Excel compute it."""
    if characters <= 0:
        return "0"
    pixels = int(characters * 12 + 0.5) if characters < 1 else int(characters * 7 + 0.5) + 5
    return repr(int(pixels / 7 * 256) / 256)


def _number(value: Any) -> str:
    if value.__class__ is int:
        return str(value)
    number = float(value)
    if not math.isfinite(number):
        raise CellError(f"a spreadsheet cell cannot hold {value!r}")
    return repr(number)


def _serial(value: dt.datetime) -> str:
    """A naive datetime as an Excel serial date (1900 date system, with its leap-year bug)."""
    delta = value - _EPOCH
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if days > 59:
        days += 1
    return repr(days)


class Workbook:
    """Sheets are added in order, then `close()` writes the file (a zip) at `path`."""

    def __init__(self, path: str, *, title: str, author: str,
                 clean: Callable[[Any], str]) -> None:  # fmt: skip
        self._path = path
        self._title = title
        self._author = author
        self._clean = clean
        self._sheets: list[_Sheet] = []
        self._formats: list[str] = []  # custom number formats, ids 164 on; xf 2 on
        self._strings: dict[str, str] = {}  # raw text -> its index in the shared strings

    def _check_name(self, name: str) -> None:
        """Excel's rules for a sheet name (it refuses to open a file that breaks them)."""
        taken = {sheet.name.lower() for sheet in self._sheets}
        if not 0 < len(name) <= 31 or _BAD_NAME.search(name) or name.lower() in taken:
            raise ValueError(f"not a sheet name Excel accepts here: {name!r}")

    def add_table(self, name: str, columns: Sequence[Column], rows: Sequence[Any]) -> None:
        """A sheet with a frozen header row of `columns`, one row per item of `rows`, and an
        autofilter over every column."""
        self._check_name(name)
        if not columns:
            raise ValueError("a table needs a column")
        for column in columns:
            if column.kind not in (TEXT, NUMBER, DATE):
                raise ValueError(f"unknown kind of column: {column.kind!r}")
            if column.number_format is not None:
                self._style(column.number_format)
        self._sheets.append(_Sheet(name, tuple(columns), rows, True))

    def add_notes(self, name: str, width: float, lines: Sequence[str]) -> None:
        """A sheet of text lines in its first column."""
        self._check_name(name)
        column = Column("", width, lambda line: line)
        self._sheets.append(_Sheet(name, (column,), lines, False))

    def _style(self, number_format: str | None) -> int:
        """The xf index of cells with `number_format` (0: General, no format)."""
        if number_format is None:
            return 0
        if number_format not in self._formats:
            self._formats.append(number_format)
        return 2 + self._formats.index(number_format)

    def _string(self, value: Any) -> str:
        """The shared-string index of a text value, as text (cleaned once per value)."""
        raw = value if value.__class__ is str else str(value)
        index = self._strings.get(raw)
        if index is None:
            index = self._strings[raw] = str(len(self._strings))
        return index

    def close(self) -> None:
        """Write the file; raises OSError, or CellError for a number that is not finite."""
        sheets = self._sheets
        with zipfile.ZipFile(
            self._path, "w", zipfile.ZIP_DEFLATED, compresslevel=_DEFLATE_LEVEL
        ) as archive:
            archive.writestr("[Content_Types].xml", self._content_types())
            archive.writestr("_rels/.rels", _RELS)
            archive.writestr("docProps/app.xml", _APP)
            archive.writestr("docProps/core.xml", self._core())
            archive.writestr("xl/workbook.xml", self._workbook())
            archive.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            archive.writestr("xl/styles.xml", self._styles())
            for number, sheet in enumerate(sheets, 1):
                with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as stream:
                    self._write_sheet(stream, sheet, selected=number == 1)
            with archive.open("xl/sharedStrings.xml", "w") as stream:
                self._write_strings(stream)

    # -- the sheets

    def _write_sheet(self, stream: IO[bytes], sheet: _Sheet, *, selected: bool) -> None:
        columns, rows = sheet.columns, sheet.rows
        first = 2 if sheet.table else 1
        last_row = len(rows) + first - 1
        last = _letters(len(columns) - 1)
        parts = [
            _HEAD,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
            f'<dimension ref="A1:{last}{max(last_row, 1)}"/>' if columns else "",
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0">' if selected
            else '<sheetViews><sheetView workbookViewId="0">',
        ]  # fmt: skip
        if sheet.table:
            parts.append(
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/>'
            )
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>')
        for index, column in enumerate(columns, 1):
            parts.append(
                f'<col min="{index}" max="{index}" width="{_width(column.width)}" customWidth="1"/>'
            )
        parts.append("</cols><sheetData>")
        if sheet.table:
            parts.append('<row r="1">')
            for index, column in enumerate(columns):
                parts.append(
                    f'<c r="{_letters(index)}1" s="{_HEADER_STYLE}" t="s">'
                    f"<v>{self._string(column.title)}</v></c>"
                )
            parts.append("</row>")
        stream.write("".join(parts).encode())
        self._write_rows(stream, columns, rows, first)
        tail = "</sheetData>"
        if sheet.table:
            tail += f'<autoFilter ref="A1:{last}{max(last_row, 2)}"/>'
        tail += (
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        stream.write(tail.encode())

    def _write_rows(self, stream: IO[bytes], columns: Sequence[Column], rows: Sequence[Any],
                    first: int) -> None:  # fmt: skip
        # per column, resolved once: (value getter, '<c r="B', '" s="3"><v>', encoder)
        string = self._string
        encoders: dict[str, Callable[[Any], str]] = {TEXT: string, NUMBER: _number, DATE: _serial}
        plan = []
        for index, column in enumerate(columns):
            style = self._style(column.number_format)
            attributes = (f' s="{style}"' if style else "") + (
                ' t="s"' if column.kind == TEXT else ""
            )
            plan.append(
                (column.value, f'<c r="{_letters(index)}', f'"{attributes}><v>',
                 encoders[column.kind])
            )  # fmt: skip
        out: list[str] = []
        append = out.append
        for number, item in enumerate(rows, first):
            row = str(number)
            append(f'<row r="{row}">')
            for get, opening, middle, encode in plan:
                value = get(item)
                if value is None or value == "":
                    continue
                append(f"{opening}{row}{middle}{encode(value)}</v></c>")
            append("</row>")
            if number % _ROWS_PER_WRITE == 0:
                stream.write("".join(out).encode())
                out.clear()
        stream.write("".join(out).encode())

    def _write_strings(self, stream: IO[bytes]) -> None:
        count = len(self._strings)
        stream.write(f'{_HEAD}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'.encode())
        clean = self._clean
        out = []
        for raw in self._strings:
            text = clean(raw)
            if "_x" in text:  # a literal _x0041_ would be read as "A": escape its "_"
                text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
            space = ' xml:space="preserve"' if text != text.strip() else ""
            out.append(f"<si><t{space}>{_escape(text)}</t></si>")
        out.append("</sst>")
        stream.write("".join(out).encode())

    # -- the package parts

    def _content_types(self) -> str:
        kind = "application/vnd.openxmlformats-officedocument"
        overrides = [
            ("/docProps/app.xml", f"{kind}.extended-properties+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/xl/styles.xml", f"{kind}.spreadsheetml.styles+xml"),
            ("/xl/workbook.xml", f"{kind}.spreadsheetml.sheet.main+xml"),
            *(
                (f"/xl/worksheets/sheet{n}.xml", f"{kind}.spreadsheetml.worksheet+xml")
                for n in range(1, len(self._sheets) + 1)
            ),
            ("/xl/sharedStrings.xml", f"{kind}.spreadsheetml.sharedStrings+xml"),
        ]
        return (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
            + "</Types>"
        )

    def _core(self) -> str:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        author = _escape(self._clean(self._author))
        return (
            f"{_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(self._clean(self._title))}</dc:title>"
            f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        sheets = []
        filters = []
        for index, sheet in enumerate(self._sheets):
            sheets.append(
                f'<sheet name="{_escape(sheet.name)}" sheetId="{index + 1}" r:id="rId{index + 1}"/>'
            )
            if sheet.table:
                quoted = sheet.name
                if not re.fullmatch(r"\w+", quoted):
                    quoted = "'" + quoted.replace("'", "''") + "'"
                last = _letters(len(sheet.columns) - 1)
                filters.append(
                    f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" '
                    f'hidden="1">{_escape(quoted)}!$A$1:${last}${max(len(sheet.rows) + 1, 2)}'
                    "</definedName>"
                )
        names = f"<definedNames>{''.join(filters)}</definedNames>" if filters else ""
        return (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
            '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" '
            'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
            f"<sheets>{''.join(sheets)}</sheets>{names}"
            '<calcPr calcId="124519"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        count = len(self._sheets)
        rels = [
            (f"rId{n}", f"{kind}/worksheet", f"worksheets/sheet{n}.xml")
            for n in range(1, count + 1)
        ]
        rels.append((f"rId{count + 1}", f"{kind}/styles", "styles.xml"))
        rels.append((f"rId{count + 2}", f"{kind}/sharedStrings", "sharedStrings.xml"))
        return (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{p}"/>' for i, t, p in rels)
            + "</Relationships>"
        )

    def _styles(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{164 + n}" formatCode="{_escape(code)}"/>'
            for n, code in enumerate(self._formats)
        )
        number_xfs = "".join(
            f'<xf numFmtId="{164 + n}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            for n in range(len(self._formats))
        )
        thin = '<{0} style="thin"><color auto="1"/></{0}>'
        border = "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
        return (
            f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self._formats)}">{formats}</numFmts>' if formats else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/>'
            '</font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '</fonts><fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill><fill><patternFill '
            'patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill>'
            '</fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/>'
            f"</border><border>{border}<diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{2 + len(self._formats)}">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
            'applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" '
            f'wrapText="1"/></xf>{number_xfs}</cellXfs><cellStyles count="1"><cellStyle '
            'name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles '
            'count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"'
            "/></styleSheet>"
        )


_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_APP = (
    f"{_HEAD}<Properties xmlns="
    '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Langkah</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
