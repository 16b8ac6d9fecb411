"""The .html report read back with lxml.html: statutory values in their cells, the official merges,
escaping, self-containedness. Expected values are in render_expected.py, written from the documents."""

from __future__ import annotations

import re

import lxml.html
import pytest
import render_expected as X
from conftest import consistent_numbers, make_report
from workbooks import HUAIAN, ZHUZHOU

from xlreport.forms import FORM_2019, FORM_2021
from xlreport.model import Narrative, text_value
from xlreport.render.document import compose
from xlreport.render.html import render_html
from xlreport.workbook.reader import read_report


def page(report, draft=False):
    return lxml.html.document_fromstring(render_html(compose(report, draft)))


def read_table(table) -> X.ReadTable:
    cells: dict = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in cells:
                c += 1
            for i in range(int(cell.get("rowspan", 1))):
                for j in range(int(cell.get("colspan", 1))):
                    cells[(r + i, c + j)] = (cell.text_content(), cell)
            c += int(cell.get("colspan", 1))
    return X.ReadTable(cells)


def tables(root) -> dict[str, X.ReadTable]:
    return {t.find("caption").text_content().split("\u3000")[0]: read_table(t) for t in root.iter("table")}


@pytest.fixture(scope="module")
def huaian():
    return page(read_report(HUAIAN))


@pytest.fixture(scope="module")
def seed():
    return page(read_report(ZHUZHOU))


def test_huaian_every_value_is_in_its_statutory_cell(huaian):
    t = tables(huaian)
    assert t["表二"].block_values() == X.HUAIAN_T2
    assert t["表三"].cross_values(head=3, stub=3) == X.t3_expected(X.HUAIAN_T3)
    assert t["表四"].cross_values(head=3, stub=0) == X.t4_expected(X.HUAIAN_T4)


def test_seed_tables_reproduce_the_seed_document(seed):
    t = tables(seed)
    assert t["表二"].block_values() == X.SEED_T2
    assert t["表三"].cross_values(head=3, stub=3) == X.t3_expected(X.SEED_T3)
    assert t["表四"].cross_values(head=3, stub=0) == X.t4_expected(X.SEED_T4)


def test_seed_texts_reproduce_the_seed_document(seed):
    article = seed.find(".//article")
    flow = [(el.tag, el.text_content()) for el in article if el.tag in ("h1", "h2", "h3", "p")]
    assert flow[0] == ("h1", X.SEED_TITLE)
    overview = flow.index(("h2", "一、总体情况"))
    expected = [item for sub, body in X.SEED_OVERVIEW for item in (("h3", sub), ("p", body))]
    assert flow[overview + 1 : overview + 1 + len(expected)] == expected
    assert flow[-2:] == [("p", X.SEED_SIGNATURE[0]), ("p", X.SEED_SIGNATURE[1])]


@pytest.mark.parametrize("path,version", [(ZHUZHOU, "2019"), (HUAIAN, "2021")])
def test_tables_have_the_official_merges(path, version):
    t = tables(page(read_report(path)))
    for name, merges in (("表三", X.T3_MERGES[version]), ("表四", X.T4_MERGES), ("表二", X.T2_MERGES[version])):
        for text, rows, cols in merges:
            assert t[name].span(text) == (rows, cols), (name, text)
    assert (t["表二"].ncols, t["表三"].ncols, t["表四"].ncols) == ({"2019": 5, "2021": 4}[version], 10, 15)


def test_sections_come_in_statutory_order_with_their_headings(huaian):
    assert [h.text_content() for h in huaian.iter("h2")] == X.HEADINGS
    article = huaian.find(".//article")
    kinds = [el.tag if el.tag != "h2" else el.text_content()[:2] for el in article]
    # each table sits in its own section, right after the heading
    for heading in ("二、", "三、", "四、"):
        assert kinds[kinds.index(heading) + 1] == "table"


def test_header_cells_have_scope_and_tables_have_captions(huaian):
    for table in huaian.iter("table"):
        assert table.find("caption").text_content()
        heads = table.findall(".//th")
        assert heads and all(th.get("scope") in ("col", "colgroup", "row", "rowgroup") for th in heads)
        for td in table.iter("td"):  # value cells are plain data
            assert td.get("scope") is None
    t3 = next(t for t in huaian.iter("table") if "表三" in t.find("caption").text_content())
    scopes = {th.text_content(): th.get("scope") for th in t3.iter("th")}
    assert scopes["法人或其他组织"] == "colgroup"
    assert scopes["商业企业"] == "col"
    assert scopes["（一）予以公开"] == "row"


def test_page_is_self_contained():
    html = render_html(compose(read_report(HUAIAN)))
    root = lxml.html.document_fromstring(html)
    assert not root.xpath("//script|//link|//img|//iframe|//object|//embed")
    assert not root.xpath("//@src|//@href")
    assert not re.search(r"url\(|@import|https?://", html)
    assert root.xpath("//meta/@charset") == ["utf-8"]
    assert root.get("lang") == "zh-CN"


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & <b>粗体</b>'
    numbers = consistent_numbers(FORM_2021, lambda: 1)
    numbers["t3.new.natural"] = evil  # a text cell, as --force renders it
    narrative = Narrative(preamble=evil, overview_parts=[(evil, evil)], problems=evil, other=evil)
    root = page(make_report(FORM_2021, numbers, agency=evil, narrative=narrative))
    assert not root.xpath("//script|//b")
    texts = [el.text_content() for el in root.iter("h1", "h2", "h3", "p", "td", "th", "title")]
    assert sum(evil in t for t in texts) >= 7  # title, h1, preamble, sub-heading, body, 五, 六, signature, cell
    t3 = tables(root)["表三"].cross_values(3, 3)
    assert t3[("一、本年新收政府信息公开申请数量", X.T3_COLUMNS[0])] == evil


def test_blank_cell_renders_empty_and_text_cell_renders_its_text():
    numbers = consistent_numbers(FORM_2019, lambda: 2)
    numbers["t4.cases.review_upheld"] = "无"
    del numbers["t4.cases.review_total"]
    t4 = tables(page(make_report(FORM_2019, numbers)))["表四"].cross_values(3, 0)
    assert t4[("", "行政复议/结果维持")] == "无"
    assert t4[("", "行政复议/总计")] == ""
    assert t4[("", "行政复议/结果纠正")] == "2"


@pytest.mark.parametrize(
    "form,document,period",
    [(FORM_2019, "国办公开办函〔2019〕60号", "2020年1月1日至12月31日"),
     (FORM_2021, "国办公开办函〔2021〕30号", "2024年1月1日至12月31日")],
)
def test_generated_preamble_cites_the_format_version_and_the_period(form, document, period):
    report = make_report(form, consistent_numbers(form, lambda: 0))
    report.cover["phone"] = text_value("0731-1234567")
    preamble = page(report).find(".//article/p").text_content()
    assert "《中华人民共和国政府信息公开条例》" in preamble
    assert f"（{document}）" in preamble
    assert f"统计期限为{period}" in preamble
    assert "电话：0731-1234567" in preamble


def test_typed_preamble_is_used_as_typed(huaian):
    preamble = huaian.find(".//article/p").text_content()
    assert preamble.startswith("本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》")
    assert "国办公开办函" not in preamble


def test_draft_is_marked_at_the_top_and_in_the_title():
    report = read_report(HUAIAN)
    draft, final = page(report, draft=True), page(report)
    assert "校验未通过稿" in draft.find(".//article/p").text_content()
    assert "校验未通过稿" in draft.find(".//title").text_content()
    assert "校验未通过稿" not in lxml.html.tostring(final, encoding="unicode")
