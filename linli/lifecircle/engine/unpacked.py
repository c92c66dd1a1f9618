"""How much a compressed OpenStreetMap file unpacks to, found before libosmium reads it.

A ``.osm.pbf`` is a sequence of blocks, each a length-prefixed ``BlobHeader`` and a ``Blob``
whose ``raw_size`` declares what its zlib (or lzma, lz4, zstd) data unpacks to. libosmium sizes
its output buffer from ``raw_size`` and fails on data that unpacks to more, so the sum of the
declared sizes bounds what reading the file will decompress. Walking the framing reads a few bytes
per block and decompresses nothing; a file that stops mid-block is refused here as unreadable.

A ``.osm.gz`` or ``.osm.bz2`` has no such directory, so it is decompressed once and only counted
(nothing is kept), stopping as soon as the count passes the limit.
"""

from __future__ import annotations

import bz2
import gzip
import struct
import zlib
from pathlib import Path
from typing import IO

from .network import NetworkImportError

# From the PBF specification (and libosmium's limits): a BlobHeader under 64 KiB, a Blob under
# 32 MiB.
MAX_HEADER_BYTES = 64 * 1024
MAX_BLOB_BYTES = 32 * 1024 * 1024
_RAW, _RAW_SIZE, _DATASIZE = 1, 2, 3
_CHUNK = 1024 * 1024


class UnpackedTooLarge(NetworkImportError):
    """The file would unpack to more than ``limit`` bytes."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(f"{path}: the file unpacks to more than {limit} bytes")
        self.limit = limit


def check_unpacked(path: Path, fmt: str, limit: int) -> None:
    """Raise :class:`UnpackedTooLarge` if the file at ``path`` unpacks to more than ``limit``
    bytes; ``fmt`` is ``"pbf"``, ``"gz"``, ``"bz2"`` or anything else (not compressed)."""
    if fmt == "pbf":
        _check_pbf(path, limit)
    elif fmt in ("gz", "bz2"):
        _check_stream(path, fmt, limit)


def _unreadable(path: Path, why: str) -> NetworkImportError:
    return NetworkImportError(f"{path}: not a readable OpenStreetMap file ({why})")


def _check_pbf(path: Path, limit: int) -> None:
    total = 0
    with path.open("rb") as f:
        while prefix := f.read(4):
            if len(prefix) < 4:
                raise _unreadable(path, "cut off in a block header")
            (header_size,) = struct.unpack(">I", prefix)
            if header_size > MAX_HEADER_BYTES:
                raise _unreadable(path, "a block header is too large")
            header = _read_exactly(f, header_size, path)
            datasize = _fields(header, path).get(_DATASIZE)
            if not isinstance(datasize, int) or datasize > MAX_BLOB_BYTES:
                raise _unreadable(path, "a block has no valid size")
            total += _raw_size(_read_exactly(f, datasize, path), path)
            if total > limit:
                raise UnpackedTooLarge(path, limit)


def _read_exactly(f: IO[bytes], size: int, path: Path) -> bytes:
    data = f.read(size)
    if len(data) < size:
        raise _unreadable(path, "cut off in a block")
    return data


def _raw_size(blob: bytes, path: Path) -> int:
    fields = _fields(blob, path)
    if _RAW in fields:
        return fields[_RAW]  # stored uncompressed: its length is what it unpacks to
    raw_size = fields.get(_RAW_SIZE)
    if not isinstance(raw_size, int):
        raise _unreadable(path, "a compressed block does not declare its size")
    return raw_size


def _fields(message: bytes, path: Path) -> dict[int, int]:
    """A protobuf message's fields: varints by value, length-delimited ones by their length
    (their bytes are skipped, never copied)."""
    fields: dict[int, int] = {}
    pos = 0
    while pos < len(message):
        key, pos = _varint(message, pos, path)
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields[number], pos = _varint(message, pos, path)
        elif wire == 2:
            length, pos = _varint(message, pos, path)
            fields[number] = length
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise _unreadable(path, "a block is damaged")
        if pos > len(message):
            raise _unreadable(path, "a block is damaged")
    return fields


def _varint(data: bytes, pos: int, path: Path) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise _unreadable(path, "a block is damaged")


def _check_stream(path: Path, fmt: str, limit: int) -> None:
    total = 0
    try:
        with gzip.open(path, "rb") if fmt == "gz" else bz2.open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise UnpackedTooLarge(path, limit)
    except (OSError, EOFError, zlib.error) as exc:
        raise _unreadable(path, f"the {fmt} compression is damaged") from exc
