"""What a landed file holds, as the landing relations read it: compressed or not, text or not.

Vendors deliver the same records in many wrappings: plain or gzip- or zstd-compressed, with
or without the extension that says so, with a byte-order mark or without. The landing hook
(macro `create_landing_relations`) calls two functions of this module inside DuckDB:

- `landed_file_issue(path, reader_format)`: why a file cannot be read by its folder's reader
  (None when it can), for the file inventory `landing.landed_files`;
- `landed_compression(path)`: how a file is compressed, for the readers that decompress
  themselves (CSV);
- `landed_text(content)`: a JSON file's text, decompressed and decoded, for the JSON readers.

Compression is told by the file's first bytes, never by its name, so a gzip file named
`.json` is read and a `.gz` file that is not compressed is read too.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
PARQUET_MAGIC = b"PAR1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TEXT_FORMATS = ("json", "csv")


class UnreadableFileError(ValueError):
    """The file's bytes cannot become the text its reader expects; the message says why."""


def compression_of(head: bytes) -> str:
    """'gzip', 'zstd' or 'none', from a file's first bytes."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return "none"


def decompressed(content: bytes) -> bytes:
    """The content without its gzip or zstd wrapping (every member of a multi-member file)."""
    compression = compression_of(content[:4])
    try:
        if compression == "gzip":
            return gzip.decompress(content)
        if compression == "zstd":
            return zstandard.ZstdDecompressor().decompressobj().decompress(content)
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as error:
        raise UnreadableFileError(f"unreadable {compression} archive: {error}") from error
    return content


def decoded(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark removed); UTF-16 with its byte-order mark is decoded too."""
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFileError("not UTF-16 text despite its byte-order mark") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (byte {error.start} cannot be decoded): save the file as UTF-8"
        ) from error


def landed_text(content: bytes | None) -> str | None:
    """The text of a landed JSON file, or None when it has none (see `landed_file_issue`)."""
    if content is None:
        return None
    try:
        return decoded(decompressed(content))
    except UnreadableFileError:
        return None


def landed_compression(path: str | None) -> str | None:
    """'gzip', 'zstd' or 'none' for the file at `path`, from its first bytes."""
    if path is None:
        return None
    try:
        with Path(path).open("rb") as handle:
            return compression_of(handle.read(4))
    except OSError:
        return "none"


def landed_file_issue(path: str | None, reader_format: str | None) -> str | None:
    """Why the reader of `reader_format` cannot read the file at `path`; None when it can."""
    if path is None or reader_format is None:
        return None
    try:
        file = Path(path)
        if reader_format == "parquet":
            return _parquet_issue(file)
        if reader_format in TEXT_FORMATS:
            raw = decompressed(file.read_bytes())
            if reader_format == "csv" and raw.startswith(UTF16_BOMS):
                return "UTF-16 text: the CSV reader reads UTF-8, save the file as UTF-8"
            decoded(raw)
    except UnreadableFileError as error:
        return str(error)
    except OSError as error:
        return f"cannot be opened: {error.strerror or error}"
    return None


def _parquet_issue(file: Path) -> str | None:
    size = file.stat().st_size
    if size == 0:
        return None
    with file.open("rb") as handle:
        head = handle.read(4)
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if head != PARQUET_MAGIC or tail != PARQUET_MAGIC:
        return "not a Parquet file (no PAR1 marks at its start and end), or a truncated one"
    return None
