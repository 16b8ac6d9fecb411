"""Reading untrusted Office packages: zip members with a size limit, XML without DTDs.

Every .xlsx/.docx we open came from someone else. A member is read only after its declared
size is checked (zipfile never returns more than the declared size: a lying header fails the
CRC check), and never more than the limit even then. XML is parsed by lxml without entity
resolution, network or DTD loading, and a document that declares a DTD at all is refused:
no part of an Office file needs one, and entity tricks (billion laughs, external entities)
need one.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from functools import cache

MAX_XML_BYTES = 64 * 1024 * 1024  # a part we parse: a report's sheets are a few hundred KB
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # any member we copy or hand to a library (images, embedded files)

# What XML 1.0 cannot carry: C0 controls but tab, LF and CR; lone surrogates (from undecodable
# file names, Python's surrogateescape); the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")



@cache
def _parser():
    from lxml import etree  # here: the ribbon's read path never parses XML with lxml

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class ReadError(Exception):
    """A file that cannot be read; the message is for staff, in Chinese."""


def _error(message: str) -> Exception:
    return ReadError(message)


def _label(zf: zipfile.ZipFile) -> str:
    name = getattr(zf, "filename", None)
    return str(name).replace("\\", "/").rsplit("/", 1)[-1] if name else "文件"


def check_size(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = MAX_MEMBER_BYTES) -> None:
    if info.file_size > limit:
        raise _error(f"{_label(zf)} 中的 {info.filename} 解压后有 {info.file_size} 字节，大得异常（上限 {limit} 字节），拒绝读取；"
                     "文件可能已损坏或被恶意构造")


def check_sizes(zf: zipfile.ZipFile, limit: int = MAX_MEMBER_BYTES) -> None:
    """Before a library (openpyxl, python-docx) reads the whole package: no member above the limit."""
    for info in zf.infolist():
        check_size(zf, info, limit)


def read_member(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int = MAX_XML_BYTES) -> bytes:
    """The member's bytes, refusing (ReadError) a member larger than `limit` or one that is damaged."""
    try:
        info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    except KeyError:
        raise _error(f"{_label(zf)} 缺少 {name}，不是完整的文件") from None
    check_size(zf, info, limit)
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise _error(f"{_label(zf)} 中的 {info.filename} 已损坏，无法读取（{exc}）") from None
    if len(data) > limit:  # not reachable through zipfile today; kept so the limit never depends on it
        raise _error(f"{_label(zf)} 中的 {info.filename} 大得异常，拒绝读取")
    return data


def parse_xml(data: bytes, where: str = "XML"):
    """An lxml element from untrusted XML; ReadError for a DTD or malformed XML."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _error(f"{where} 含有 DTD 或实体声明，拒绝读取（正常的 Office 文件不含这些内容）")
    from lxml import etree

    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _error(f"{where} 不是合法的 XML，无法读取（{exc}）") from None
    if root.getroottree().docinfo.doctype:  # e.g. declared in another encoding the byte check missed
        raise _error(f"{where} 含有 DTD 或实体声明，拒绝读取（正常的 Office 文件不含这些内容）")
    return root


def xml_chars(text: str) -> str:
    """Text minus the characters an XML file (every Office part) cannot hold; the rest as it is."""
    return _NOT_XML.sub("", text)
