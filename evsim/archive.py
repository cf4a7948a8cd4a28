"""The bytes of evsim's ``.npz`` files: written atomically, read within bounds.

Writing (:func:`write_atomically`) puts the archive in a temporary file
beside the target, named ``.<target>.<host>.<pid>.<token>.evsim-tmp`` and
created with mode ``0o666`` so the process umask applies (as for any new
file; an existing target's mode is kept), then renames it over the target:
a failed save leaves the old target or nothing. A save killed before the
rename (SIGKILL, power loss) leaves its temporary file behind; the next save
to the same target removes every such file whose writer is gone (same host
and its process no longer runs, or older than a week), so they cannot
accumulate.

Reading (:class:`ArchiveReader`) never runs ``np.load``: it opens the zip
container itself and reads only members asked for by name, each an
``.npy`` array whose header is parsed first. A member is refused before any
of its data is decompressed if its header declares an object dtype (no
pickle is ever loaded), a shape whose bytes differ from the member's
declared size, or if the declared sizes of the members read so far exceed
``current_limits().file_bytes``; the data is then read in chunks up to that
size (``zipfile`` stops at the declared size, so a zip bomb cannot expand
past it). Every failure is a :class:`~evsim.errors.ValidationError` (or
:class:`~evsim.errors.LimitError`) naming the file and the member.
"""

from __future__ import annotations

import math
import os
import secrets
import socket
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np

from evsim.errors import ValidationError
from evsim.validation import current_limits, require_budget

__all__ = ["write_atomically", "ArchiveReader", "TEMPORARY_SUFFIX", "STALE_AFTER"]

TEMPORARY_SUFFIX = ".evsim-tmp"
STALE_AFTER = 7 * 24 * 3600.0  # seconds: a temporary file this old is stale whoever wrote it
CHUNK = 1 << 20
DTYPE_KINDS = "biufU"  # bools, integers, floats and the document's unicode string; never objects

try:  # pragma: no cover - lzma is optional in CPython builds
    import lzma

    _LZMA_ERRORS: tuple[type[BaseException], ...] = (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    _LZMA_ERRORS = ()

#: What a damaged zip container or member can raise from zipfile, zlib, bz2, lzma or NumPy's header parser.
CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
           NotImplementedError, RuntimeError, OverflowError, KeyError) + _LZMA_ERRORS


# ----------------------------------------------------------------------------- writing


def write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an ``.npz`` archive at ``path`` through a temporary file and a rename."""
    remove_stale_temporaries(path)
    handle, temporary = _create_temporary(path)
    try:
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _create_temporary(path: Path) -> tuple[int, str]:
    host = socket.gethostname().replace(os.sep, "_") or "host"
    while True:
        name = f"{_temporary_prefix(path)}{host}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        temporary = str(path.parent / name)
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:  # pragma: no cover - a 32-bit token collided
            continue


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of earlier saves to ``path`` whose writer is gone; return them."""
    prefix, removed = _temporary_prefix(path), []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(TEMPORARY_SUFFIX) and _is_stale(entry):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:  # another save removed it, or we may not
                pass
    return removed


def _is_stale(entry: os.DirEntry) -> bool:
    try:
        age = time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    writer = entry.name[:-len(TEMPORARY_SUFFIX)].rsplit(".", 3)
    if len(writer) != 4 or not writer[2].isdigit():
        return False
    host, pid = writer[1], int(writer[2])
    return host == socket.gethostname().replace(os.sep, "_") and pid != os.getpid() and not _running(pid)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # alive under another user (or not a pid we can ask about): leave its file alone
    return True


# ----------------------------------------------------------------------------- reading


class ArchiveReader:
    """The named ``.npy`` members of one zip file, each checked before it is decompressed.

    Use as a context manager; :meth:`array` reads one member.
    """

    def __init__(self, path: Path, owner: str = "io.load", expected: str = "an evsim file") -> None:
        self.path, self.owner = path, owner
        self._budget = current_limits().file_bytes
        size = path.stat().st_size
        require_budget(f"{owner}({path})", "the file", size, "file_bytes")
        try:
            self._zip = zipfile.ZipFile(path)
            self._members = {info.filename: info for info in self._zip.infolist()}
        except CORRUPT as error:
            raise ValidationError(f"{path} is not {expected}: not a readable .npz (zip) archive "
                                  f"({type(error).__name__}: {error})") from None

    def __enter__(self) -> "ArchiveReader":
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    def has(self, key: str) -> bool:
        return f"{key}.npy" in self._members

    def array(self, key: str, field: str) -> np.ndarray:
        """The array stored under ``key`` (member ``key.npy``), read for the document's ``field``."""
        info = self._members.get(f"{key}.npy")
        if info is None:
            raise ValidationError(f"{self.path}: {field} names array {key!r}, which the archive does not hold")
        self._budget -= info.file_size
        if self._budget < 0:
            require_budget(f"{self.owner}({self.path})", f"array {key!r} ({field}) with the arrays before it",
                           current_limits().file_bytes - self._budget, "file_bytes")
        try:
            with self._zip.open(info) as stream:
                return self._read(stream, info.file_size, key, field)
        except ValidationError:
            raise
        except CORRUPT as error:
            raise ValidationError(f"{self.path}: array {key!r} ({field}) is damaged "
                                  f"({type(error).__name__}: {error})") from None

    def _read(self, stream, declared: int, key: str, field: str) -> np.ndarray:
        version = np.lib.format.read_magic(stream)
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise ValueError(f"unknown .npy format version {version}")
        header = {(1, 0): np.lib.format.read_array_header_1_0}.get(version, np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = header(stream)
        where = f"{self.path}: array {key!r} ({field})"
        if dtype.hasobject or dtype.kind not in DTYPE_KINDS or dtype.fields is not None or dtype.itemsize == 0:
            raise ValidationError(f"{where} has dtype {dtype}; evsim files hold only numbers and text "
                                  f"(no objects: nothing is unpickled)")
        if any(not isinstance(s, int) or s < 0 for s in shape):
            raise ValidationError(f"{where} declares shape {shape}, which is not a shape")
        needed = math.prod(shape) * dtype.itemsize
        held = declared - stream.tell()
        if needed != held:
            raise ValidationError(f"{where} declares shape {shape} of {dtype} ({needed} bytes) but the member "
                                  f"holds {held} bytes of data")
        data = bytearray(needed)
        view, done = memoryview(data), 0
        while done < needed:
            count = stream.readinto(view[done:done + CHUNK])
            if not count:
                raise ValidationError(f"{where} ends after {done} of its {needed} bytes")
            done += count
        array = np.frombuffer(data, dtype=dtype)
        return array.reshape(shape, order="F" if fortran else "C")
