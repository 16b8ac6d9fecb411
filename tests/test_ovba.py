"""MS-OVBA compression and the MS-CFB writer, checked against independent readers (oletools, olefile)."""

from __future__ import annotations

import random
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():  # oletools' pyparsing grammar warns on import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser, decompress_stream

from xlreport.excel import ovba

XLWINGS = Path(__import__("importlib").util.find_spec("xlwings").origin).parent
TEMPLATE = XLWINGS / "quickstart_addin_ribbon.xlam"
VBA_TEXT = (XLWINGS / "xlwings_custom_addin.bas").read_bytes()


def oletools_decompress(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


def sample(kind: str, size: int) -> bytes:
    if kind == "random":
        rnd = random.Random(size)
        return bytes(rnd.randrange(256) for _ in range(size))
    if kind == "repetitive":
        return (b"abc" * size)[:size]
    return (VBA_TEXT * 2)[:size]  # real VBA source text


SIZES = [0, 1, 656, 657, 4095, 4096, 4097, 10000]


@pytest.mark.parametrize("kind", ["random", "repetitive", "vba"])
@pytest.mark.parametrize("size", SIZES)
def test_compressed_data_round_trips_through_oletools(kind, size):
    data = sample(kind, size)
    back = oletools_decompress(ovba.compress(data))
    if kind == "random" and size == 4095:
        # the one incompressible partial chunk: stored raw and zero-padded to 4096 (§2.4.1.3.10)
        assert back == data + b"\0"
    else:
        assert back == data


@pytest.mark.parametrize("kind", ["random", "repetitive", "vba"])
@pytest.mark.parametrize("size", SIZES)
def test_own_decompressor_agrees_with_oletools(kind, size):
    container = ovba.compress(sample(kind, size))
    assert ovba.decompress(container) == oletools_decompress(container)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=9000) | st.lists(st.sampled_from([b"a", b"ab", b"Sub ", b"\r\n", b"    "]), max_size=3000).map(b"".join))
def test_any_input_round_trips_except_spec_padding(data):
    container = ovba.compress(data)
    chunks_raw = [data[i : i + 4096] for i in range(0, len(data), 4096)]
    back = oletools_decompress(container)
    # only a raw (incompressible) last partial chunk can come back longer, padded with zeros
    assert back[: len(data)] == data
    assert back[len(data) :] in (b"", b"\0" * (4096 - len(chunks_raw[-1]) if chunks_raw else 0))


# MS-OVBA §3.2.1 (no compression) and §3.2.3 (maximum compression), bytes as printed in the spec.
SPEC_NO_COMPRESSION = bytes.fromhex("01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
SPEC_MAXIMUM = bytes.fromhex("01 03 B0 02 61 45 00")
# §3.2.2 (normal compression): Office picks other (equally valid) offsets than a longest-match
# search, so only decompression is compared there.
SPEC_NORMAL = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F"
    " 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)


def test_spec_examples_compress_to_the_printed_bytes():
    assert ovba.compress(b"abcdefghijklmnopqrstuv.") == SPEC_NO_COMPRESSION
    assert ovba.compress(b"a" * 73) == SPEC_MAXIMUM


def test_spec_normal_example_decompresses_to_the_printed_text():
    assert ovba.decompress(SPEC_NORMAL) == b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"


def test_incompressible_full_chunk_is_stored_raw():
    data = sample("random", 4096)
    container = ovba.compress(data)
    assert container[:3] == b"\x01\xff\x3f"  # signature, header: size 4098, raw, signature 0b011
    assert container[3:] == data


def test_text_chunks_are_compressed_and_every_chunk_covers_4096_bytes():
    container = ovba.compress(VBA_TEXT[:10000])
    pos, decoded = 1, 0
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        assert header & 0x8000 and header >> 12 & 0b111 == 0b011
        pos += (header & 0x0FFF) + 3
        decoded += 1
    assert pos == len(container) and decoded == 3  # 4096 + 4096 + 1808 bytes


def test_malformed_container_is_refused():
    with pytest.raises(ValueError):
        ovba.decompress(b"\x00\x19\xb0")
    with pytest.raises(ValueError):
        ovba.decompress(b"\x01\x19\x00abc")  # chunk signature 0b000


# --- CFB ---------------------------------------------------------------------------------


def strict(data: bytes) -> olefile.OleFileIO:
    """olefile raising on any structural defect, not only fatal ones."""
    return olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)


STREAMS = {
    "PROJECT": b"ID=\r\n" * 30,
    "VBA/dir": b"x" * 4095,  # just under the mini-stream cutoff
    "VBA/big": bytes(range(256)) * 16,  # exactly 4096: regular sectors
    "VBA/huge": bytes(random.Random(3).randrange(256) for _ in range(70000)),
    "VBA/empty": b"",
    "VBA/Sub/deep": b"nested storage",
    **{f"VBA/m{i:02d}": bytes([i]) * (i * 37 + 1) for i in range(20)},
}


def test_compound_file_reads_back_with_olefile_strictly():
    data = ovba.write_cfb(STREAMS)
    assert olefile.isOleFile(data)
    ole = strict(data)
    read = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
    assert read == STREAMS
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE and ole.get_type("VBA/Sub") == olefile.STGTY_STORAGE


def test_compound_file_is_deterministic_and_sector_aligned():
    a, b = ovba.write_cfb(STREAMS), ovba.write_cfb(dict(reversed(STREAMS.items())))
    assert a == b
    assert len(a) % 512 == 0


def _key(entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _check_tree(ole, sid) -> tuple[int, list]:
    """(black height, in-order entries) of the red-black subtree at sid, asserting §2.6.4."""
    if sid == olefile.NOSTREAM:
        return 1, []
    e = ole.direntries[sid]
    left_h, left = _check_tree(ole, e.sid_left)
    right_h, right = _check_tree(ole, e.sid_right)
    assert left_h == right_h, f"black heights differ under {e.name}"
    if e.color == 0:  # red: children black
        for child in (e.sid_left, e.sid_right):
            assert child == olefile.NOSTREAM or ole.direntries[child].color == 1
    return left_h + (e.color == 1), left + [e] + right


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 8, 12, 31, 40])
def test_directory_siblings_form_a_valid_red_black_tree(n):
    names = [f"S{'x' * (i % 5)}{i}" for i in range(n)]
    ole = strict(ovba.write_cfb({f"VBA/{name}": b"1" for name in names}))
    storage = ole.direntries[ole.root.sid_child]
    root = ole.direntries[storage.sid_child]
    assert root.color == 1
    _, ordered = _check_tree(ole, storage.sid_child)
    assert [e.name for e in ordered] == sorted(names, key=lambda s: (len(s), s.upper()))


def test_stream_names_cfb_cannot_hold_are_refused():
    with pytest.raises(ValueError):
        ovba.write_cfb({"VBA/" + "x" * 32: b""})


# --- VBA project editing -----------------------------------------------------------------


def template_vba() -> bytes:
    return zipfile.ZipFile(TEMPLATE).read("xl/vbaProject.bin")


def modules_by_olevba(vba_bin: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}


def test_editing_replaces_adds_and_drops_modules():
    source = 'Attribute VB_Name = "Added"\r\nSub Hello()\r\nEnd Sub\r\n'
    edited = ovba.edit_project(
        template_vba(), name="demo", sources={"Added": source, "xlwings": 'Attribute VB_Name = "xlwings"\r\n'}, drop=["RibbonMyAddin"]
    )
    modules = modules_by_olevba(edited)
    assert set(modules) == {"ThisWorkbook", "Dictionary", "Sheet2", "xlwings", "Added"}
    assert modules["Added"] == source
    assert modules["xlwings"] == 'Attribute VB_Name = "xlwings"\r\n'
    project = strict(edited).openstream("PROJECT").read().decode("cp1252")
    assert 'Name="demo"' in project.splitlines()
    assert "Module=Added" in project.splitlines() and "RibbonMyAddin" not in project
    assert strict(edited).openstream("PROJECTwm").read().endswith(b"A\0d\0d\0e\0d\0\0\0\0\0")


def test_untouched_modules_keep_their_stream_bytes():
    before = ovba.read_cfb(template_vba())
    after = ovba.read_cfb(ovba.edit_project(template_vba(), name="demo", sources={}, drop=[]))
    for stream in ("VBA/Dictionary", "VBA/Sheet2", "VBA/ThisWorkbook", "VBA/xlwings", "VBA/_VBA_PROJECT"):
        assert after[stream] == before[stream]


def test_written_modules_are_source_only():
    edited = ovba.edit_project(template_vba(), name="demo", sources={"New": 'Attribute VB_Name = "New"\r\n'})
    project = ovba.Project.parse(edited)
    offset = project.module("New").get(ovba.MODULEOFFSET)
    assert offset == bytes(4)
    assert ovba.read_cfb(edited)["VBA/New"][:1] == b"\x01"  # the container starts the stream
