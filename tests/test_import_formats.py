"""HTML (rowspan/colspan), Word (merged cells) and PDF versions of the fixtures import the same.

The documents are generated here from the printed values typed by hand in test_import_fixtures,
laid out like the statutory tables (statutory-format.md §3–§4: merged label cells, 3-row headers).
"""

from __future__ import annotations

import html
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from test_import_fixtures import CASES, numbers

from xlreport.forms import FORM_2019, FORM_2021
from xlreport.forms.statutory import T3_NOTE, T3_RESULTS_GROUP, T4_OUTCOMES
from xlreport.importers import ReadError, load_report
from xlreport.model import State

HUAIAN_PRINTED = CASES["huaian2024"][4]
SEED_PRINTED = CASES["seed"][4] | {"t2.item9.procurement.amount": "115.2万"}

# A spec cell: (text, rowspan, colspan); a table: list of rows of spec cells.
Spec = list[list[tuple[str, int, int]]]


def _key(form, table, block, row, column) -> str:
    return f"{table.key}.{block.key}.{row.key}.{column.key}" if len(table.blocks) > 1 else \
        f"{table.key}.{row.key}.{column.key}"


def table_two(form, printed) -> Spec:
    table = form.table("t2")
    width = 1 + max(len(b.columns) for b in table.blocks)
    out: Spec = []
    for block in table.blocks:
        spans = [1] * (len(block.columns) - 1) + [width - len(block.columns)]
        out.append([(block.title, 1, width)])
        out.append([(block.stub, 1, 1)] + [(c.label, 1, s) for c, s in zip(block.columns, spans)])
        for row in block.rows:
            values = [printed[_key(form, table, block, row, c)] for c in block.columns]
            out.append([(row.label, 1, 1)] + [(v, 1, s) for v, s in zip(values, spans)])
    return out


def table_three(form, printed) -> Spec:
    table = form.table("t3")
    block = table.blocks[0]
    columns = block.columns
    out: Spec = [
        [(T3_NOTE, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(c.label, 1, 1) for c in columns[1:6]],
    ]
    keys = [r.key for r in block.rows]
    results = keys[keys.index("granted") : keys.index("result_total") + 1]
    seen_groups = set()
    for row in block.rows:
        values = [(printed[_key(form, table, block, row, c)], 1, 1) for c in columns]
        cells = []
        if row.key not in results:
            cells.append((row.label, 1, 3))
        else:
            if row.key == results[0]:
                cells.append((T3_RESULTS_GROUP, len(results), 1))
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    cells.append((row.group, sum(r.group == row.group for r in block.rows), 1))
                cells.append((row.label, 1, 1))
            else:
                cells.append((row.label, 1, 2))
        out.append(cells + values)
    return out


def table_four(form, printed) -> Spec:
    outcomes = [label for _, label in T4_OUTCOMES] + ["总计"]
    return [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(o, 2, 1) for o in outcomes] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(o, 1, 1) for o in outcomes * 2],
        [(printed[f"t4.cases.{c.key}"], 1, 1) for c in form.table("t4").blocks[0].columns],
    ]


def report_parts(form, printed, agency: str, year: int):
    """(paragraph text or table spec) in report order."""
    return [
        f"{agency}{year}年政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制。",
        "一、总体情况",
        "（一）主动公开。全年主动公开政府信息 120 条。",
        "（二）依申请公开。详见下表。",
        "二、主动公开政府信息情况", table_two(form, printed),
        "三、收到和处理政府信息公开申请情况", table_three(form, printed),
        "四、政府信息公开行政复议、行政诉讼情况", table_four(form, printed),
        "五、存在的主要问题及改进情况",
        "政策解读形式单一。下一步将丰富解读形式。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]


# --- HTML ------------------------------------------------------------------------------------


def html_table(spec: Spec, vertical: bool = True) -> str:
    rows = []
    for row in spec:
        cells = []
        for text, rs, cs in row:
            body = html.escape(text)
            if vertical and text in ("结果维持", "结果纠正", "其他结果", "尚未审结") and rs == 2:
                body = "<br>".join(body)  # printed as a vertical label, one character per line
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{attrs}>{body or '&nbsp;'}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


def html_report(parts, charset: str = "utf-8", portal: bool = False) -> str:
    """The report as a web page; `portal` wraps it the way old portals do: navigation, a layout
    table around the article, a footer."""
    body = []
    for part in parts:
        if isinstance(part, str):
            tag = "h3" if part[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else "p"
            body.append(f"<{tag}>{html.escape(part)}</{tag}>")
        else:
            body.append(html_table(part))
    article = '<div class="content">' + "\n".join(body) + "</div>"
    if portal:
        article = ('<div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                   '<table width="100%"><tr><td><p>发布时间：2025-01-20　来源：办公室</p>' + article +
                   '</td></tr></table><div class="footer"><p>【打印本页】【关闭窗口】</p>'
                   "<p>版权所有：某某市人民政府　网站标识码：0000000000</p></div>")
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>年报</title>'
            "<style>td{border:1px solid}</style><script>var x = '一、总体情况';</script></head>"
            "<body>" + article + "</body></html>")


def write_html(tmp_path, parts, name="report.html") -> Path:
    path = tmp_path / name
    path.write_text(html_report(parts), encoding="utf-8")
    return path


@pytest.mark.parametrize("form, printed, agency, year, expected", [
    (FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024, HUAIAN_PRINTED),
    (FORM_2019, SEED_PRINTED, "株洲市行政审批服务局", 2020, CASES["seed"][4]),
], ids=["2021", "2019"])
def test_html_report_with_merged_cells_imports_every_number(tmp_path, form, printed, agency, year, expected):
    report, findings = load_report(write_html(tmp_path, report_parts(form, printed, agency, year)))
    assert findings == []
    assert (report.agency, report.year, report.form) == (agency, year, form)
    got = numbers(report)
    assert {k: got[k] for k in expected} == {k: str(Decimal(v).normalize()) if "." in v else v
                                             for k, v in expected.items()}
    n = report.narrative
    assert n.preamble == "本报告根据《中华人民共和国政府信息公开条例》编制。"
    assert n.overview_parts == [("（一）主动公开", "全年主动公开政府信息 120 条。"), ("（二）依申请公开", "详见下表。")]
    assert n.problems == "政策解读形式单一。下一步将丰富解读形式。"
    assert n.fee_amount.number == 0


def test_html_portal_page_with_layout_table_navigation_and_footer(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(html_report(report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024), portal=True),
                    encoding="utf-8")
    report, findings = load_report(path)
    assert findings == []
    assert (report.agency, report.year) == ("淮安市人民政府", 2024)
    got = numbers(report)
    assert {k: got[k] for k in HUAIAN_PRINTED} == HUAIAN_PRINTED
    assert report.narrative.other == "本年度未收取信息处理费。"
    assert report.narrative.preamble == "本报告根据《中华人民共和国政府信息公开条例》编制。"


# How portals show a report's date (淮安 pages: "公开日期 | 2025-02-25" in a metadata table, "时间:2023-02-21").
PAGE_DATES = [
    ("发布时间", '<p>发布时间：2025-01-20　来源：办公室</p>', "2025年1月20日"),
    ("metadata-table", '<table><tr><td>索 引 号</td><td>014289810/2025-00013</td><td>发布机构</td><td>淮安市人民政府</td></tr>'
                       '<tr><td>文 号</td><td></td><td>公开日期</td><td>2025-02-25</td></tr></table>', "2025年2月25日"),
    ("时间-alone", "<p>时间:2023-02-21</p>", "2023年2月21日"),
    ("发布日期-chinese", "<p>【发布日期】2025年1月8日 【字体：大 中 小】</p>", "2025年1月8日"),
]


@pytest.mark.parametrize("case, header, expected", PAGE_DATES, ids=[c[0] for c in PAGE_DATES])
def test_the_pages_publication_date_becomes_the_cover_publication_date(tmp_path, case, header, expected):
    page = html_report(report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024))
    before, after = '<div class="content">', "年度报告</p>"
    for name, edited_page in (("before", page.replace(before, header + before, 1)),
                              ("after", page.replace(after, after + header, 1))):  # the title's two sides
        path = tmp_path / f"{name}.html"
        path.write_text(edited_page, encoding="utf-8")
        report, findings = load_report(path)
        assert findings == []
        assert report.cover["published_on"].raw == expected
        assert "时间" not in report.narrative.preamble and "日期" not in report.narrative.preamble


def test_a_date_inside_the_report_text_is_not_the_publication_date(tmp_path):
    parts = report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024)
    parts = [p.replace("本年度未收取信息处理费。", "本年度未收取信息处理费。发布时间：2025-01-20 的通知已转发。")
             if isinstance(p, str) else p for p in parts]
    report, _ = load_report(write_html(tmp_path, parts))
    assert "published_on" not in report.cover


def test_html_blank_cell_marks_and_typos(tmp_path):
    printed = dict(HUAIAN_PRINTED)
    printed["t3.withheld_process.commercial"] = ""
    printed["t3.granted.research"] = "无"
    printed["t2.item8.fees.amount"] = "/"
    parts = report_parts(FORM_2021, printed, "淮安市人民政府", 2024)
    t3 = parts[8]
    for row in t3:
        for j, (text, rs, cs) in enumerate(row):
            if text == "5.属于三类内部事务信息":
                row[j] = ("5.属于三类内容事务信息", rs, cs)
    report, findings = load_report(write_html(tmp_path, parts))
    assert report.value("t3.withheld_process.commercial").state is State.BLANK
    assert (report.value("t3.granted.research").state, report.value("t3.granted.research").raw) == (State.TEXT, "无")
    assert report.value("t2.item8.fees.amount").raw == "/"
    assert [(f.rule, f.cells[0].key) for f in findings] == [("IMPORT-LABEL", "t3.withheld_internal.natural")]


def test_html_rows_reordered_within_a_group(tmp_path):
    parts = report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024)
    t3 = parts[8]
    first = next(i for i, r in enumerate(t3) if any(t == "1.信访举报投诉类申请" for t, _, _ in r))
    t3[first + 1], t3[first + 3] = t3[first + 3], t3[first + 1]  # 2.重复申请 <-> 4.无正当理由大量反复申请
    report, findings = load_report(write_html(tmp_path, parts))
    assert findings == []
    assert report.number("t3.unprocessed_repeat.natural") == 25
    assert report.number("t3.unprocessed_abusive.natural") == 0


def test_html_table_split_in_two_with_the_header_repeated(tmp_path):
    """A table continued on the next page of a Word file becomes two tables in the HTML."""
    parts = report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024)
    t3 = parts[8]
    cut = next(i for i, r in enumerate(t3) if any(t == "1.本机关不掌握相关政府信息" for t, _, _ in r))
    parts[8:9] = [t3[:cut], t3[:3] + t3[cut:]]
    report, findings = load_report(write_html(tmp_path, parts))
    assert findings == []
    got = numbers(report)
    assert {k: got[k] for k in HUAIAN_PRINTED} == HUAIAN_PRINTED


def test_html_in_gbk_with_a_meta_charset(tmp_path):
    path = tmp_path / "gbk.htm"
    path.write_bytes(html_report(report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024), "gbk")
                     .encode("gbk"))
    report, findings = load_report(path)
    assert report.agency == "淮安市人民政府" and report.number("t3.new.total") == 3119 and findings == []


# --- Word ------------------------------------------------------------------------------------


def grid(spec: Spec) -> tuple[int, list[tuple[int, int, str, int, int]]]:
    """Place spec cells on a grid the way HTML does: (row, col, text, rowspan, colspan)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(spec):
        c = 0
        for text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, text, rs, cs))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            c += cs
            width = max(width, c)
    return width, placed


def docx_report(parts, path: Path) -> Path:
    import docx

    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        width, placed = grid(part)
        table = document.add_table(rows=len(part), cols=width)
        for r, c, text, rs, cs in placed:
            cell = table.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
            cell.text = text
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def huaian_docx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "huaian.docx"
    return docx_report(report_parts(FORM_2021, HUAIAN_PRINTED, "淮安市人民政府", 2024), path)


def test_docx_with_merged_cells_imports_every_number(huaian_docx):
    report, findings = load_report(huaian_docx)
    assert findings == []
    assert (report.agency, report.year, report.form) == ("淮安市人民政府", 2024, FORM_2021)
    got = numbers(report)
    assert {k: got[k] for k in HUAIAN_PRINTED} == HUAIAN_PRINTED
    assert report.narrative.overview_parts[0] == ("（一）主动公开", "全年主动公开政府信息 120 条。")


def test_docx_merged_cells_are_read_once(huaian_docx):
    """python-docx repeats a merged cell in every grid position; the adapter keeps it once."""
    from xlreport.importers.document import Table
    from xlreport.importers.docx import read_docx_file

    tables = [b for b in read_docx_file(huaian_docx).blocks if isinstance(b, Table)]
    t3 = tables[1]
    first_result_row = next(r for r in t3.rows if r.cells[0].text == T3_RESULTS_GROUP)
    assert [c.text for c in first_result_row.cells[:2]] == [T3_RESULTS_GROUP, "（一）予以公开"]
    assert len(first_result_row.cells) == 9
    next_row = t3.rows[t3.rows.index(first_result_row) + 1]
    assert next_row.cells[0].text.startswith("（二）部分公开") and len(next_row.cells) == 8


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice and poppler")
def test_pdf_with_a_text_layer_imports_every_number(huaian_docx, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(huaian_docx)], check=True, capture_output=True, timeout=180)
    report, findings = load_report(tmp_path / "huaian.pdf")
    assert (report.agency, report.year, report.form) == ("淮安市人民政府", 2024, FORM_2021)
    got = numbers(report)
    assert {k: got[k] for k in HUAIAN_PRINTED} == HUAIAN_PRINTED  # incl. 178 and 351 wrapped in narrow cells
    assert findings == []
    # paragraphs without first-line indent are told apart by （一） and by short last lines
    n = report.narrative
    assert n.preamble == "本报告根据《中华人民共和国政府信息公开条例》编制。"
    assert n.overview_parts == [("（一）主动公开", "全年主动公开政府信息120条。"), ("（二）依申请公开", "详见下表。")]
    assert n.other == "本年度未收取信息处理费。"


def blank_pdf(path: Path) -> Path:
    """A one-page PDF with no text at all, like a scan without OCR."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_pdf_without_text_layer_is_refused_with_advice(tmp_path):
    with pytest.raises(ReadError, match="没有文字层（可能是扫描件或图片）.*文字识别（OCR）"):
        load_report(blank_pdf(tmp_path / "scan.pdf"))


def test_pdf_falls_back_to_pypdf_without_pdftotext(tmp_path, monkeypatch):
    pytest.importorskip("pypdf")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError, match="没有文字层"):
        load_report(blank_pdf(tmp_path / "scan.pdf"))


# --- other files -----------------------------------------------------------------------------


def test_gbk_text_file_imports(tmp_path):
    text = CASES["huaian2024"][0].read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    report, findings = load_report(path)
    assert report.number("t3.result_total.total") == 3050 and findings == []


@pytest.mark.parametrize("name, data, message", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Word 文件，请在 Word 或 WPS 中另存为 .docx"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "不是完整的 Word 文档"),
    ("empty.txt", b"", "空文件"),
    ("broken.pdf", b"%PDF-1.4\nnothing here", "已损坏或不是 PDF 文件|没有文字层"),
])
def test_unreadable_files_get_a_chinese_message(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError, match=message):
        load_report(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="找不到文件"):
        load_report(tmp_path / "nope.html")


def test_workbooks_go_through_the_workbook_reader():
    from workbooks import HUAIAN

    report, findings = load_report(HUAIAN)
    assert report.number("t3.new.total") == 3119 and findings is report.read_findings


def test_validating_an_imported_report_includes_its_import_findings(tmp_path):
    """What `xlreport check report.html` runs: load_report, then rules.check.validate."""
    from xlreport.checks.report import validate

    printed = dict(HUAIAN_PRINTED, **{"t3.new.natural": "3002"})  # breaks 收办平衡 and 横向总计
    parts = report_parts(FORM_2021, printed, "淮安市人民政府", 2024)
    parts[8][3][0] = ("一、本年新收政府信息公开申请数", 1, 3)  # row 一 after the 3 header rows
    report, findings = load_report(write_html(tmp_path, parts))
    result = {(f.rule, f.cells[0].key) for f in validate(report)}
    assert ("IMPORT-LABEL", "t3.new.natural") in result
    assert {("T3-FLOW", "t3.new.natural"), ("T3-ROW-SUM", "t3.new.total")} <= result


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize("name", list(CASES))
def test_import_build_import_gives_back_the_same_report(tmp_path, name, fmt):
    """The report xlreport builds from an imported report imports back to the same values."""
    render = pytest.importorskip("xlreport.usecases.build")
    report, _ = load_report(CASES[name][0])
    (built,) = render.build_report(report, tmp_path, formats=(fmt,), force=True)
    again, findings = load_report(built)
    assert findings == []
    assert (again.agency, again.year, again.form) == (report.agency, report.year, report.form)
    assert numbers(again) == numbers(report)
    for part in ("overview_parts", "problems", "other", "fee_amount", "fee_count"):
        assert getattr(again.narrative, part) == getattr(report.narrative, part), part
