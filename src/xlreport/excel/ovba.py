"""Just enough of MS-OVBA and MS-CFB to rebuild a VBA project on any OS, without Office.

- compress / decompress: the MS-OVBA §2.4.1 container used by the `dir` and module streams.
- write_cfb: a minimal MS-CFB v3 writer (olefile can only overwrite a stream at the same size).
- edit_project: a template vbaProject.bin with standard modules replaced, added or dropped,
  each new source stored source-only (no p-code cache), as xlwings' own add-in build does.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Iterable

import olefile

CHUNK = 4096


# --- MS-OVBA §2.4.1 compression ------------------------------------------------------------


def _copy_token_bits(chunk_pos: int) -> int:
    """§2.4.1.3.19.1: offset bits grow with the position in the chunk, never below 4."""
    return max((chunk_pos - 1).bit_length(), 4)


def _longest_match(data: bytes, start: int, cur: int, end: int) -> tuple[int, int]:
    """(offset, length) of the longest earlier copy of data[cur:] within the chunk, or (0, 0)."""
    if cur == start:
        return 0, 0
    limit = min((0xFFFF >> _copy_token_bits(cur - start)) + 3, end - cur)
    best, length = -1, 2
    while length < limit:
        # the source may overlap the bytes being produced, so it only has to start before cur
        s = data.rfind(data[cur : cur + length + 1], start, cur + length)
        if s < 0:
            break
        best, length = s, length + 1
        while length < limit and data[s + length] == data[cur + length]:
            length += 1
    return (cur - best, length) if best >= 0 else (0, 0)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    body, cur = bytearray(), start
    while cur < end:
        flag_at, flags = len(body), 0
        body.append(0)
        for bit in range(8):
            if cur >= end:
                break
            offset, length = _longest_match(data, start, cur, end)
            if length:
                bits = _copy_token_bits(cur - start)
                body += (((offset - 1) << (16 - bits)) | (length - 3)).to_bytes(2, "little")
                flags |= 1 << bit
                cur += length
            else:
                body.append(data[cur])
                cur += 1
        body[flag_at] = flags
    if len(body) > CHUNK:  # incompressible: a raw chunk, zero-padded to 4096 bytes (§2.4.1.3.10)
        return (0x3000 | (CHUNK - 1)).to_bytes(2, "little") + data[start:end].ljust(CHUNK, b"\0")
    return (0xB000 | (len(body) - 1)).to_bytes(2, "little") + body


def compress(data: bytes) -> bytes:
    """MS-OVBA §2.4.1 CompressedContainer of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Inverse of compress (§2.4.1.3.1); raises ValueError on a malformed container."""
    if container[:1] != b"\x01":
        raise ValueError("不是 MS-OVBA 压缩数据（首字节应为 0x01）")
    out, pos = bytearray(), 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        if header >> 12 & 0b111 != 0b011:
            raise ValueError(f"MS-OVBA 压缩块签名错误（位置 {pos}）")
        end, pos, start = min(pos + (header & 0x0FFF) + 3, len(container)), pos + 2, len(out)
        if not header & 0x8000:
            out += container[pos:end]
            pos = end
            continue
        while pos < end:
            flags, pos = container[pos], pos + 1
            for bit in range(8):
                if pos >= end:
                    break
                if flags >> bit & 1:
                    token = int.from_bytes(container[pos : pos + 2], "little")
                    bits = _copy_token_bits(len(out) - start)
                    offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                    if offset > len(out) - start:
                        raise ValueError(f"MS-OVBA 复制标记越界（位置 {pos}）")
                    for _ in range(length):
                        out.append(out[-offset])
                    pos += 2
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)


# --- MS-CFB v3 writer ----------------------------------------------------------------------

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


@dataclass(eq=False)
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN

    def key(self) -> tuple[int, str]:  # §2.6.4: shorter names first, then case-insensitive
        return len(self.name), self.name.upper()


def _red_black(nodes: list[_Entry], depth: int = 0, red_from: int | None = None) -> int:
    """Balanced tree of the sorted siblings; only the incomplete last level is red (§2.6.4)."""
    if red_from is None:
        red_from = (len(nodes) + 1).bit_length() - 1
    if not nodes:
        return NOSTREAM
    mid = len(nodes) // 2
    node = nodes[mid]
    node.left = _red_black(nodes[:mid], depth + 1, red_from)
    node.right = _red_black(nodes[mid + 1 :], depth + 1, red_from)
    node.black = depth < red_from
    return node.sid


def _chain(first: int, count: int) -> list[int]:
    return [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN] if count else []


def _sectors(n_bytes: int, size: int = SECTOR) -> int:
    return -(-n_bytes // size)


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ({"VBA/dir": b"..."}); storages follow from the paths.

    Deterministic: no timestamps or CLSIDs, entries and sectors in a fixed order.
    """
    root = _Entry("Root Entry", ROOT)
    for path in sorted(streams):
        parent, *dirs, name = [root, *path.split("/")]
        for part in dirs:
            found = next((c for c in parent.children if c.name.upper() == part.upper()), None)
            if found is None:
                found = _Entry(part, STORAGE)
                parent.children.append(found)
            parent = found
        if len(name) > 31 or any(c in name for c in "\\:!"):
            raise ValueError(f"复合文档流名无效：{path}")
        parent.children.append(_Entry(name, STREAM, streams[path]))

    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.sid = len(entries)
        entries.append(entry)
        entry.children.sort(key=_Entry.key)
        for c in entry.children:
            number(c)

    number(root)
    for e in entries:
        if e.children:
            e.child = _red_black(e.children)

    mini, minifat, big = bytearray(), [], []
    for e in entries:
        if e.kind != STREAM or not e.data:
            continue
        if len(e.data) < MINI_CUTOFF:
            e.start = len(mini) // MINI_SECTOR
            n = _sectors(len(e.data), MINI_SECTOR)
            minifat += _chain(e.start, n)
            mini += e.data.ljust(n * MINI_SECTOR, b"\0")
        else:
            big.append(e)

    n_dir = _sectors(len(entries) * 128)
    n_minifat = _sectors(len(minifat) * 4)
    n_mini = _sectors(len(mini))
    n_other = n_dir + n_minifat + n_mini + sum(_sectors(len(e.data)) for e in big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_other + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("复合文档过大（本写入器不支持 DIFAT 扇区）")

    fat = [FATSECT] * n_fat
    first_dir = len(fat)
    fat += _chain(first_dir, n_dir)
    first_minifat = len(fat) if n_minifat else ENDOFCHAIN
    fat += _chain(len(fat), n_minifat)
    root.start = len(fat) if n_mini else ENDOFCHAIN
    fat += _chain(len(fat), n_mini)
    body = [mini]
    for e in big:
        e.start = len(fat)
        fat += _chain(e.start, _sectors(len(e.data)))
        body.append(e.data)
    fat += [FREESECT] * (n_fat * SECTOR // 4 - len(fat))
    minifat += [FREESECT] * (n_minifat * SECTOR // 4 - len(minifat))

    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        size = len(mini) if e.kind == ROOT else len(e.data)
        start = e.start if e.kind != STORAGE else 0
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ", name, len(name), e.kind, int(e.black),
            e.left, e.right, e.child, b"", 0, 0, 0, start, size,
        )
    free_entry = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0)
    directory += free_entry * (n_dir * 4 - len(entries))

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, n_fat, first_dir, 0, MINI_CUTOFF, first_minifat, n_minifat, ENDOFCHAIN, 0,
    )
    header += struct.pack("<109I", *(list(range(n_fat)) + [FREESECT] * (109 - n_fat)))
    out = bytearray(header)
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += struct.pack(f"<{len(minifat)}I", *minifat)
    for data in body:
        out += data
        out += b"\0" * (-len(data) % SECTOR)
    return bytes(out)


def read_cfb(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, by path ("VBA/dir")."""
    with olefile.OleFileIO(data) as ole:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir(streams=True, storages=False)}


# --- VBA project (MS-OVBA §2.3) ------------------------------------------------------------

MODULENAME, MODULESTREAMNAME, MODULEOFFSET, MODULE_END = 0x19, 0x1A, 0x31, 0x2B
PROCEDURAL, PROJECTMODULES, PROJECTNAME, PROJECTCODEPAGE, PROJECTVERSION = 0x21, 0x0F, 0x04, 0x03, 0x09


def _records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos < len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        if rid == PROJECTVERSION:  # its "size" is a reserved 4, and 6 bytes follow
            size = 6
        out.append((rid, dir_stream[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return out


def _serialize(records: Iterable[tuple[int, bytes]]) -> bytes:
    return b"".join(
        struct.pack("<HI", rid, 4 if rid == PROJECTVERSION else len(payload)) + payload for rid, payload in records
    )


@dataclass
class _Module:
    records: list[tuple[int, bytes]]

    def get(self, rid: int) -> bytes:
        return next(p for r, p in self.records if r == rid)

    def set(self, rid: int, payload: bytes) -> None:
        self.records = [(r, payload if r == rid else p) for r, p in self.records]


@dataclass
class Project:
    """A parsed vbaProject.bin: the dir records, and the other streams kept as bytes."""

    head: list[tuple[int, bytes]]
    modules: list[_Module]
    tail: list[tuple[int, bytes]]
    streams: dict[str, bytes]

    @classmethod
    def parse(cls, vba_bin: bytes) -> Project:
        streams = read_cfb(vba_bin)
        records = _records(decompress(streams["VBA/dir"]))
        first = next(i for i, (rid, _) in enumerate(records) if rid == MODULENAME)
        head, modules, current = records[:first], [], []
        tail: list[tuple[int, bytes]] = []
        for rid, payload in records[first:]:
            if not current and rid != MODULENAME:
                tail.append((rid, payload))
                continue
            current.append((rid, payload))
            if rid == MODULE_END:
                modules.append(_Module(current))
                current = []
        return cls(head, modules, tail, streams)

    @property
    def codec(self) -> str:
        return f"cp{int.from_bytes(next(p for r, p in self.head if r == PROJECTCODEPAGE), 'little')}"

    def names(self) -> list[str]:
        return [m.get(MODULENAME).decode(self.codec) for m in self.modules]

    def module(self, name: str) -> _Module:
        return self.modules[self.names().index(name)]

    def is_procedural(self, name: str) -> bool:
        return any(r == PROCEDURAL for r, _ in self.module(name).records)

    def source(self, name: str) -> str:
        m = self.module(name)
        stream = self.streams["VBA/" + m.get(MODULESTREAMNAME).decode(self.codec)]
        offset = int.from_bytes(m.get(MODULEOFFSET), "little")
        return decompress(stream[offset:]).decode(self.codec)


def _module_records(name: bytes, name16: bytes) -> list[tuple[int, bytes]]:
    """§2.3.4.2.3.2 MODULE records of a new standard module, stored source-only."""
    return [
        (MODULENAME, name), (0x47, name16), (MODULESTREAMNAME, name), (0x32, name16),
        (0x1C, b""), (0x48, b""), (MODULEOFFSET, bytes(4)), (0x1E, bytes(4)),
        (0x2C, b"\xff\xff"), (PROCEDURAL, b""), (MODULE_END, b""),
    ]


def edit_project(vba_bin: bytes, *, name: str, sources: dict[str, str], drop: Iterable[str] = ()) -> bytes:
    """The template project renamed to `name`, modules in `drop` removed, and each standard
    module in `sources` ({module name: VBA source}) replacing the module of that name or added.

    Every written module is source-only (MODULEOFFSET 0): the VBA spec says the p-code cache
    must be ignored on read, and Office recompiles the source, as it does for xlwings' add-in.
    """
    project = Project.parse(vba_bin)
    codec = project.codec
    drop = set(drop)
    dropped_streams = {"VBA/" + project.module(n).get(MODULESTREAMNAME).decode(codec) for n in drop}
    streams = {k: v for k, v in project.streams.items() if k not in dropped_streams}
    modules = [m for m, n in zip(project.modules, project.names()) if n not in drop]
    added = []
    for module_name, source in sources.items():
        encoded = module_name.encode(codec)
        match = [m for m in modules if m.get(MODULENAME) == encoded]
        if match:
            match[0].set(MODULEOFFSET, bytes(4))
            stream_name = match[0].get(MODULESTREAMNAME).decode(codec)
        else:
            modules.append(_Module(_module_records(encoded, module_name.encode("utf-16-le"))))
            added.append(module_name)
            stream_name = module_name
        streams["VBA/" + stream_name] = compress(source.encode(codec))

    head = [
        (rid, name.encode(codec) if rid == PROJECTNAME else len(modules).to_bytes(2, "little") if rid == PROJECTMODULES else p)
        for rid, p in project.head
    ]
    streams["VBA/dir"] = compress(_serialize(head + [r for m in modules for r in m.records] + project.tail))
    streams["PROJECT"] = _edit_project_stream(streams["PROJECT"].decode(codec), name, drop, added).encode(codec)
    names = [m.get(MODULENAME) for m in modules]
    streams["PROJECTwm"] = b"".join(n + b"\0" + n.decode(codec).encode("utf-16-le") + b"\0\0" for n in names) + b"\0\0"
    return write_cfb(streams)


def _edit_project_stream(text: str, name: str, drop: set[str], added: list[str]) -> str:
    """§2.3.1 PROJECT stream: the project name, and Module= lines for dropped and added modules."""
    # ID= stays: CMG/DPB/GC (protection state) are encrypted with a key derived from it (§2.4.3)
    lines, out, section = text.split("\r\n"), [], ""
    last_module = 0
    for line in lines:
        key, _, value = line.partition("=")
        if line.startswith("["):
            section = line
        elif not section and key == "Module" and value in drop:
            continue
        elif section == "[Workspace]" and key in drop:
            continue
        elif not section and key == "Name":
            line = f'Name="{name}"'
        out.append(line)
        if not section and key in ("Module", "Document", "Class", "BaseClass", "Package"):
            last_module = len(out)
    out[last_module:last_module] = [f"Module={m}" for m in added]
    return "\r\n".join(out)
