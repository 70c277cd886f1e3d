"""One HTTP transfer into ``NAME.part`` that ends whole or not at all.

Why so careful: a server (or a proxy) can close early, lie about the length either way, ignore
or restart a Range request, change the file between two runs, trickle or never stop. A file is
complete only when its length matches the declared length and it opens as a whole ZIP or gzip
stream. A transfer is resumed only with a validator (ETag or Last-Modified, sent as If-Range)
and only when the answer proves it continues the same bytes (206 with the matching
Content-Range); otherwise it starts again. ``.part`` is created with O_EXCL|O_NOFOLLOW in the
target folder, so a planted link is never written through. Size and time are capped per file.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flowviz.exceptions import FlowvizError

CHUNK = 1 << 16
ZIP = "ZIP"
GZIP = "gzip"
MAGIC = {ZIP: b"PK", GZIP: b"\x1f\x8b"}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class DownloadError(FlowvizError, OSError):
    """A download that could not be completed; the message says which and why."""


class NotTheFile(DownloadError):
    """The server answered with something else (the RS site's "not found" page)."""


@dataclass(frozen=True)
class Limits:
    """Per-file bounds: the largest published file (FY2024 5-1) is about 10 MB zipped."""

    max_bytes: int = 2 << 30
    deadline: float = 1800.0  # seconds for one file, all reads together
    read_timeout: float = 60.0  # seconds one read may wait


@dataclass(frozen=True)
class Validator:
    """What identifies the bytes of a ``.part``: resumed only if the server still agrees."""

    etag: str = ""
    last_modified: str = ""
    total: int = -1

    def if_range(self) -> str:
        """If-Range takes a strong ETag, else the date (RFC 9110 §13.1.5)."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified

    def dump(self) -> str:
        return f"{self.etag}\n{self.last_modified}\n{self.total}\n"

    @classmethod
    def load(cls, text: str) -> Validator | None:
        lines = text.split("\n")
        if len(lines) < 3 or not lines[2].isdigit():
            return None
        found = cls(lines[0][:512], lines[1][:512], int(lines[2]))
        return found if found.if_range() else None


def _read_small(path: Path) -> str:
    """A small state file of ours, never through a link; "" if absent or odd."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as f:
        return f.read(2048).decode("utf-8", "replace")


def write_small(path: Path, text: str) -> None:
    """Write a small state file whole: a fresh O_EXCL file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _open_part(part: Path, fresh: bool) -> int:
    """The ``.part`` file's descriptor; a fresh one replaces whatever had the name (a link
    is removed, not followed)."""
    if fresh:
        part.unlink(missing_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    else:
        flags = os.O_WRONLY | os.O_APPEND | _NOFOLLOW
    fd = os.open(part, flags, 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DownloadError(f"{part}: not a regular file; remove it and run again")
    return fd


def _resume_point(part: Path, state: Path) -> tuple[int, Validator | None]:
    """(bytes to keep, validator): (0, None) unless a regular ``.part`` and its validator exist."""
    try:
        st = os.lstat(part)
    except OSError:
        return 0, None
    validator = Validator.load(_read_small(state))
    if not stat.S_ISREG(st.st_mode) or validator is None or not 0 < st.st_size < validator.total:
        return 0, None
    return st.st_size, validator


_RANGE = re.compile(r"bytes (\d{1,19})-(\d{1,19})/(\d{1,19})")


def _continues(resp, start: int, validator: Validator) -> bool:
    """A 206 whose Content-Range starts where ``.part`` ends, of the same total and ETag."""
    found = _RANGE.fullmatch(resp.headers.get("Content-Range", "").strip())
    if resp.status != 206 or not found:
        return False
    first, last, total = map(int, found.groups())
    etag = resp.headers.get("ETag", "")
    same_tag = not (validator.etag and etag) or etag == validator.etag
    return first == start and last == total - 1 and total == validator.total and same_tag


def _declared(resp) -> int:
    """The whole file's declared length, or -1 if the server did not say."""
    found = _RANGE.fullmatch(resp.headers.get("Content-Range", "").strip())
    if resp.status == 206 and found:
        return int(found.group(3))
    length = resp.headers.get("Content-Length", "")
    return int(length) if length.isdigit() and len(length) < 20 else -1


def _open(url: str, limits: Limits, start: int = 0, validator: Validator | None = None):
    headers = {"User-Agent": "flowviz", "Accept-Encoding": "identity"}
    if start and validator:
        headers |= {"Range": f"bytes={start}-", "If-Range": validator.if_range()}
    timeout = min(limits.read_timeout, limits.deadline)
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)


def _stream(resp, f, have: int, total: int, limits: Limits, started: float, kind: str, progress):
    """Append the body to ``f`` within the size cap and deadline; the bytes kept."""
    head = b"" if have == 0 else None
    while True:
        if time.monotonic() - started > limits.deadline:
            raise DownloadError(f"not finished within the deadline of {limits.deadline:g} s")
        chunk = resp.read1(CHUNK)
        if not chunk:
            break
        if head is not None:
            head += chunk[:2]
            if len(head) >= 2:
                if not head.startswith(MAGIC[kind]):
                    raise NotTheFile(f"the answer is not a {kind} file")
                head = None
        have += len(chunk)
        if have > limits.max_bytes:
            raise DownloadError(f"larger than the size cap of {limits.max_bytes:,} bytes")
        if 0 <= total < have:
            raise DownloadError(f"more bytes than the declared {total:,}")
        f.write(chunk)
        if progress:
            progress(len(chunk))
    if head is not None:
        raise NotTheFile(f"the answer is not a {kind} file")
    return have


def check_whole(path: Path, kind: str) -> None:
    """Raise unless ``path`` opens as one whole ZIP (every member's CRC, nothing before or
    after the archive) or one whole gzip stream (read to its end)."""
    try:
        if kind == ZIP:
            with zipfile.ZipFile(path) as zf:
                bad = zf.testzip()
                tail = len(zf.comment) + 22
            if bad:
                raise zipfile.BadZipFile(f"member {bad!r} fails its CRC check")
            with path.open("rb") as f:
                head = f.read(4)
                f.seek(-tail, os.SEEK_END)
                if head not in (b"PK\x03\x04", b"PK\x05\x06") or f.read(4) != b"PK\x05\x06":
                    raise zipfile.BadZipFile("data before or after the archive")
        else:
            with gzip.open(path, "rb") as f:
                while f.read(1 << 20):
                    pass
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, ValueError) as exc:
        raise DownloadError(f"not a whole {kind} file ({exc})") from None


def _drop(*paths: Path) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def fetch(
    url: str, part: Path, kind: str, limits: Limits, progress: Callable[[int], None] | None = None
) -> None:
    """Bring ``url`` into ``part`` whole (see the module docstring), or raise
    :class:`DownloadError`; a ``.part`` is left behind only where it can be resumed safely."""
    state = part.with_name(part.name + ".resume")
    started = time.monotonic()
    start, validator = _resume_point(part, state)
    try:
        resp = _open(url, limits, start, validator)
        if start and not _continues(resp, start, validator):
            if resp.status != 200:  # a 206 that does not continue: ask for the whole file
                resp.close()
                resp = _open(url, limits)
            start = 0
        with resp:
            total = _declared(resp)
            if start == 0:
                _drop(state)
                fresh = Validator(
                    resp.headers.get("ETag", ""), resp.headers.get("Last-Modified", ""), total
                )
                fd = _open_part(part, fresh=True)
                if total > 0 and fresh.if_range():
                    write_small(state, fresh.dump())
            else:
                fd = _open_part(part, fresh=False)
            with os.fdopen(fd, "ab") as f:
                have = _stream(resp, f, start, total, limits, started, kind, progress)
    except (NotTheFile, DownloadError):
        _drop(part, state)
        raise
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        if isinstance(exc, urllib.error.HTTPError) or not state.exists():
            _drop(part, state)
        raise DownloadError(
            f"{getattr(exc, 'reason', exc)}; run the command again to resume"
        ) from None
    if total >= 0 and have < total:
        if not state.exists():
            _drop(part)
        raise DownloadError(
            f"the connection closed after {have:,} of {total:,} bytes; run the command again to resume"
        )
    try:
        check_whole(part, kind)
    except DownloadError:
        _drop(part, state)
        raise
    _drop(state)
