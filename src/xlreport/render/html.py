"""The report as one self-contained HTML page for the government portal.

Real <table> markup with the official rowspan/colspan, a <caption>, <th scope>; no scripts, fonts,
images or links to load; every text escaped. The tables also carry border="1" so they keep their
rules when a portal editor strips the <style> block on paste.
"""

from __future__ import annotations

from html import escape

from .document import DRAFT_MARK, ReportDocument
from .grid import Grid, GridCell

_CSS = """
body{margin:0;background:#fff;color:#000}
.xlreport{max-width:56em;margin:0 auto;padding:1.5em;font-family:"仿宋_GB2312","仿宋",FangSong,serif;font-size:16pt;line-height:1.8}
.xlreport h1{font-family:"方正小标宋简体","小标宋",serif;font-size:22pt;font-weight:normal;text-align:center;margin:.5em 0 1em}
.xlreport h2{font-family:"黑体",SimHei,sans-serif;font-size:16pt;font-weight:normal;text-indent:2em;margin:0}
.xlreport h3{font-family:"楷体_GB2312","楷体",KaiTi,serif;font-size:16pt;font-weight:normal;text-indent:2em;margin:0}
.xlreport p{text-indent:2em;margin:0;text-align:justify}
.xlreport p.signature,.xlreport p.date{text-align:right;text-indent:0;padding-right:4em}
.xlreport p.signature{margin-top:2em}
.xlreport p.draft{text-indent:0;text-align:center;font-family:"黑体",SimHei,sans-serif;color:#c00;border:2px solid #c00;padding:.2em;margin-bottom:1em}
.xlreport table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:10.5pt;line-height:1.4}
.xlreport caption{font-size:10.5pt;padding:.3em}
.xlreport th,.xlreport td{border:1px solid #000;padding:.25em .3em;text-align:center;vertical-align:middle;font-weight:normal}
.xlreport th[scope=row]{text-align:left}
.xlreport td.note{text-align:left}
.xlreport .t4{font-size:9pt}
@media print{.xlreport p.draft{position:fixed;top:0;left:0;right:0;background:#fff}}
"""


def _attrs(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _scope(cell: GridCell) -> str:
    if cell.role == "title":
        return "rowgroup"  # heads the block's <tbody>
    if cell.role == "rowhead":
        return "row"
    return "col" if cell.colspan == 1 else "colgroup"


def _cell(cell: GridCell) -> str:
    text = escape(cell.text)
    if cell.is_header:
        return f'<th scope="{_scope(cell)}"{_attrs(cell)}>{text}</th>'
    cls = ' class="note"' if cell.role == "corner" else ""
    return f"<td{cls}{_attrs(cell)}>{text}</td>"


def table_html(grid: Grid) -> str:
    rows = grid.rows()
    out = [f'<table border="1" class="{escape(grid.table)}">', f"<caption>{escape(grid.caption)}</caption>"]
    if grid.header_rows:
        out.append("<thead>")
        out += ["<tr>" + "".join(map(_cell, rows[r])) + "</tr>" for r in range(grid.header_rows)]
        out.append("</thead>")
    bounds = list(grid.groups) + [grid.nrows]
    for start, end in zip(bounds, bounds[1:]):
        out.append("<tbody>")
        out += ["<tr>" + "".join(map(_cell, rows[r])) + "</tr>" for r in range(start, end)]
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


_TAGS = {"title": "h1", "h1": "h2", "h2": "h3", "body": "p"}


def render_html(doc: ReportDocument) -> str:
    page_title = f"{DRAFT_MARK}：{doc.title}" if doc.draft else doc.title
    body = []
    if doc.draft:
        body.append(f'<p class="draft" role="note">{DRAFT_MARK}（存在未更正的校验错误，不得公开发布）</p>')
    for part in doc.parts:
        if part.kind == "table":
            body.append(table_html(part.grid))
        elif part.kind in ("signature", "date"):
            body.append(f'<p class="{part.kind}">{escape(part.text)}</p>')
        else:
            tag = _TAGS[part.kind]
            body.append(f"<{tag}>" + "<br>".join(escape(line) for line in part.text.split("\n")) + f"</{tag}>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(page_title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        '<body>\n<article class="xlreport">\n' + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )
