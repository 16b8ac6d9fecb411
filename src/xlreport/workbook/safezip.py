"""Reading untrusted Office packages (.xlsx, .docx, .xlam): one check, one set of limits.

Every package we open came from someone else. `check_package` makes one pass over it before
any library (python-calamine, openpyxl, python-docx) reads it, and refuses with a Chinese
message what no program should read and what Excel or Word could only open by "repairing"
it, losing content on the way:

- sizes from the zip directory, before anything is inflated (zip bombs): per member, in
  total, and the compression ratio of large members;
- damage: every member's data must inflate and match its checksum (XML parts are read whole,
  other members only started);
- XML parts: no DTD or entity declaration (no Office part has one, and entity tricks need
  one), text that decodes, none of the characters XML 1.0 forbids (a NUL in a cell's text),
  and the part must end with its root element's end tag (a truncated part);
- the package: `[Content_Types].xml` present, and every part a relationship names present,
  with a content type.

A mismatched tag in the middle of a part is not looked for: that needs a real XML parse of
every part, which would add about four fifths to the time of the whole `check`
(bench/bench_check.py prints the ratio); the readers that parse (openpyxl, python-docx, lxml
here) report it themselves.

The XML parts read by the check are returned, so a reader never inflates them twice.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
import zlib
from functools import cache, lru_cache

MB = 1024 * 1024
MAX_PART_BYTES = 20 * MB  # one XML part read into memory: a report's largest sheet is a few hundred KB
MAX_MEMBER_BYTES = 100 * MB  # any member (pictures, embedded files)
MAX_TOTAL_BYTES = 500 * MB
MAX_RATIO = 100  # Office XML compresses about 10:1, a zip bomb about 1000:1; checked above 1 MB
XML_SUFFIXES = (".xml", ".rels", ".vml")

# What XML 1.0 cannot carry: C0 controls but tab, LF and CR; lone surrogates (from undecodable
# file names, Python's surrogateescape); the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_C0_FORBIDDEN_BYTES = tuple(bytes([c]) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
# What zipfile raises on damaged data besides BadZipFile: bad deflate streams, offsets that seek
# before the start (OSError), unknown compression methods, members flagged as encrypted.
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, RuntimeError, OSError)

_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*?)/?>")
_CONTENT_TYPE = re.compile(rb"<(?:[\w.-]+:)?(Default|Override)\b([^>]*?)/?>")
ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')


class ReadError(Exception):
    """A file that cannot be read; the message is for staff, in Chinese."""


@cache
def _parser():
    from lxml import etree  # here: the ribbon's read path never parses XML with lxml

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _label(zf: zipfile.ZipFile) -> str:
    name = getattr(zf, "filename", None)
    return str(name).replace("\\", "/").rsplit("/", 1)[-1] if name else "文件"


def damaged(label: str) -> str:
    return f"{label} 已损坏（不是完整的 zip/xlsx 文件），Excel 可能也无法打开"


def _needs_repair(label: str, what: str) -> ReadError:
    if label.lower().endswith(".docx"):
        program, remedy = "Word", "请用 Word 或 WPS 文字打开（按提示修复），核对内容后另存为新的 .docx，再导入"
    else:
        program, remedy = "Excel", ("请用 Excel 或 WPS 打开（按提示修复），核对数字和文字后另存为新的 .xlsx，再检查；"
                                    "或用 xlreport new 新建标准工作簿重新填写")
    return ReadError(f"{label} {what}。{program} 无法直接打开这样的文件（要“修复”，会丢失内容）。{remedy}")


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / MB:.0f} MB"


def _refuse_sizes(label: str, info: zipfile.ZipInfo, total: int, limit: int) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limit or total > MAX_TOTAL_BYTES or (info.file_size > MB and ratio > MAX_RATIO):
        raise ReadError(f"{label} 中的 {info.filename} 解压后有 {_size(info.file_size)}（压缩比 {ratio:.0f}:1），大得异常，"
                        "不是正常的 Office 文件（可能已损坏或是恶意构造的“压缩炸弹”），拒绝读取")


def read_member(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int = MAX_PART_BYTES) -> bytes:
    """One member's bytes, refusing (ReadError) a member above `limit`, a missing or a damaged one."""
    label = _label(zf)
    try:
        info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    except KeyError:
        raise _needs_repair(label, f"的文件结构已损坏（缺少 {name}）") from None
    _refuse_sizes(label, info, 0, limit)
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except ZIP_DAMAGE as exc:
        raise ReadError(f"{label} 中的 {info.filename} 已损坏，无法读取（{exc}）") from None
    if len(data) > limit:  # not reachable through zipfile today; kept so the limit never depends on it
        raise ReadError(f"{label} 中的 {info.filename} 大得异常，拒绝读取")
    return data


def _xml_problem(data: bytes) -> str | None:
    """Why an XML part is not one Excel or Word reads as it is; None when it passes the checks above."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, which the packaging standard allows
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return "文字编码有误"
        if _NOT_XML.search(text):
            return "含有 XML 不允许的控制字符"
        data = text.encode("utf-8")  # the checks below then read it as they read UTF-8
    else:
        if any(map(data.__contains__, _C0_FORBIDDEN_BYTES)):  # memchr per byte value: half a translate() pass
            return "含有 XML 不允许的控制字符（如 NUL）"
        if not data.isascii():
            try:
                text = data.decode("utf-8")  # also refuses encoded surrogates
            except UnicodeDecodeError:
                return "文字编码有误（不是 UTF-8）"
            if "\ufffe" in text or "\uffff" in text:
                return "含有 XML 不允许的字符（U+FFFE、U+FFFF）"
    root = _ROOT_TAG.search(data)  # the first element: <?xml …?>, comments and DTDs do not match
    prolog = data if root is None else data[: root.start()]
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:  # a DTD can stand only before the root element
        return "含有 DTD 或实体声明（正常的 Office 文件不含这些内容）"
    if root is None:
        return "没有内容"
    end = data.rstrip()
    start_tag_end = data.find(b">", root.end())
    self_closed = start_tag_end == len(end) - 1 and data[start_tag_end - 1:start_tag_end] == b"/"
    if not (self_closed or end.endswith(b"</" + root.group(1) + b">")):
        return "内容不完整（被截断）"
    return None


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a part name: relative to the folder of the part that names it."""
    if target.startswith("/"):
        return target.lstrip("/")
    folder = posixpath.dirname(posixpath.dirname(source))  # xl/_rels/workbook.xml.rels → xl
    return posixpath.normpath(posixpath.join(folder, target))


def _package_problem(parts: dict[str, bytes], members: dict[str, str]) -> str | None:
    """The first thing that makes the package one Excel or Word must repair; None if none."""
    rels = tuple((n, parts[n]) for n in parts if n.endswith(".rels"))
    return _structure_problem(parts.get(members.get("[content_types].xml", "")), rels, frozenset(members.items()))


@lru_cache(maxsize=64)  # workbooks made from one template share their structure: checked once per batch
def _structure_problem(types: bytes | None, rels_parts: tuple[tuple[str, bytes], ...], member_items: frozenset) -> str | None:
    members = dict(member_items)
    if types is None:
        return "缺少 [Content_Types].xml，文件包的内容类型清单"
    extensions, overrides = set(), set()
    for kind, attrs in _CONTENT_TYPE.findall(types):
        a = dict(ATTR.findall(attrs))
        if kind == b"Default":
            extensions.add(a.get(b"Extension", b"").decode("utf-8", "replace").lower())
        else:
            overrides.add(a.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/").lower())
    for rels, rels_xml in rels_parts:
        for attrs in _RELATIONSHIP.findall(rels_xml):
            a = dict(ATTR.findall(attrs))
            if a.get(b"TargetMode") == b"External":
                continue
            target = a.get(b"Target", b"").decode("utf-8", "replace")
            if not target or target.startswith("#"):
                continue
            part = _resolve(rels, target.split("#", 1)[0]).lower()
            if part not in members:
                return f"缺少 {rels} 中登记的部件 {_resolve(rels, target)}"
            if part not in overrides and posixpath.splitext(part)[1].lstrip(".") not in extensions:
                return f"部件 {members[part]} 没有在 [Content_Types].xml 中登记内容类型"
    return None


def check_package(
    zf: zipfile.ZipFile,
    label: str | None = None,
    main_part: str | None = None,
) -> dict[str, bytes]:
    """One pass over a package before any library reads it (see the module's docstring).

    `main_part` (xl/workbook.xml, word/document.xml) is the part without which the file is not
    the kind of document the caller reads at all: said first, before any damage.
    Returns every XML part's bytes by member name; ReadError for anything refused.
    """
    label = label or _label(zf)
    infos = zf.infolist()
    members = {i.filename.lower(): i.filename for i in infos}  # part names are case-insensitive (ECMA-376 Part 2)
    parts: dict[str, bytes] = {}
    bad_part: tuple[str, str] | None = None  # the first XML part that fails; named after the sheets are known
    try:
        total = 0
        for info in infos:  # sizes from the directory first: nothing is inflated before all are known
            total += info.file_size
            _refuse_sizes(label, info, total, MAX_MEMBER_BYTES)
        if main_part and main_part.lower() not in members:
            kind = "Word 文档" if main_part.startswith("word/") else "Excel 工作簿"
            raise ReadError(f"{label} 缺少 {main_part}，不是完整的{kind}")
        for info in infos:
            if info.filename.lower().endswith(XML_SUFFIXES):
                if info.file_size > MAX_PART_BYTES:
                    raise ReadError(f"{label} 中的 {info.filename} 大得异常（{_size(info.file_size)}），拒绝读取")
                data = parts[info.filename] = zf.read(info)
                problem = bad_part is None and _xml_problem(data)
                if problem:
                    bad_part = (info.filename, problem)
            elif not info.is_dir():
                with zf.open(info) as fh:  # the member's own header and first bytes: damage shows here
                    fh.read(1)
    except ZIP_DAMAGE:
        raise ReadError(damaged(label)) from None
    if bad_part:
        member, problem = bad_part
        sheet = next((name for name, part in sheet_members(parts).items() if part.lower() == member.lower()), None)
        where = f"的工作表“{sheet}”已损坏（{member} {problem}）" if sheet else f"的文件结构已损坏（{member} {problem}）"
        raise _needs_repair(label, where)
    problem = _package_problem(parts, members)
    if problem:
        raise _needs_repair(label, f"的文件结构已损坏（{problem}）")
    return parts


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*?)/?>")


def sheet_members(parts: dict[str, bytes]) -> dict[str, str]:
    """A workbook's sheet names → their worksheet members, from its XML parts; {} for other packages.

    The returned mapping is shared between calls: do not modify it."""
    workbook, rels_xml = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels_xml is None:
        return {}
    start, end = workbook.find(b"<sheets"), workbook.find(b"</sheets>")  # prefixed <x:sheets>: whole part
    return _sheet_members(workbook[start:end] if 0 <= start < end else workbook, rels_xml)


@lru_cache(maxsize=64)  # workbooks made from one template: once per batch
def _sheet_members(sheets_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Regular expressions suffice: check_package refused DTDs, and sheets are plain elements."""
    rels = {}
    for attrs in _RELATIONSHIP.findall(rels_xml):
        a = dict(ATTR.findall(attrs))
        rels[a.get(b"Id")] = xml_text(a.get(b"Target", b""))
    out = {}
    for attrs in _SHEET_TAG.findall(sheets_xml):
        a = {k.rsplit(b":", 1)[-1]: v for k, v in ATTR.findall(attrs)}
        target = rels.get(a.get(b"id"), "")
        out[xml_text(a.get(b"name", b""))] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


@lru_cache(maxsize=8192)  # a batch of workbooks from one template repeats the same names and targets
def xml_text(raw: bytes) -> str:
    """An attribute value or text as XML bytes carry it, entities resolved (&amp; → &)."""
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def parse_xml(data: bytes, where: str = "XML"):
    """An lxml element from untrusted XML; ReadError for a DTD or malformed XML."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ReadError(f"{where} 含有 DTD 或实体声明，拒绝读取（正常的 Office 文件不含这些内容）")
    from lxml import etree

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{where} 不是合法的 XML，无法读取（{exc}）") from None
    if root.getroottree().docinfo.doctype:  # e.g. declared in another encoding the byte check missed
        raise ReadError(f"{where} 含有 DTD 或实体声明，拒绝读取（正常的 Office 文件不含这些内容）")
    return root


def xml_chars(text: str) -> str:
    """Text minus the characters an XML file (every Office part) cannot hold; the rest as it is."""
    return _NOT_XML.sub("", text)
