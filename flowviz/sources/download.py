"""Fetch the official files of a year from the RS system, as published.

The site publishes 15 ZIPs per sheet year at ``{base}/files/{YEAR}/rs/{name}.zip`` and answers a
missing file with HTTP 200 and an HTML page: such an answer is listed as missing. A file is
written only whole (flowviz/sources/transfer.py says what that takes); beside each one
``NAME.sha256`` (``sha256sum -c`` format) records its hash, so a later run knows a complete copy
from a damaged one and ``--refresh`` can say what changed on the server since the last copy.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flowviz.sources.transfer import (
    GZIP,
    ZIP,
    DownloadError,
    Limits,
    NotTheFile,
    check_whole,
    fetch,
    write_small,
)

__all__ = ["DownloadError", "DownloadResult", "Limits", "download", "rs_urls", "judgit_urls"]

RS_BASE = "https://rssystem.go.jp"
RS_FILES = (
    "1-1_RS_{y}_基本情報_組織情報",
    "1-2_RS_{y}_基本情報_事業概要等",
    "1-3_RS_{y}_基本情報_政策・施策、法令等",
    "1-4_RS_{y}_基本情報_補助率等",
    "1-5_RS_{y}_基本情報_関連事業",
    "2-1_RS_{y}_予算・執行_サマリ",
    "2-2_RS_{y}_予算・執行_予算種別・歳出予算項目",
    "3-1_RS_{y}_効果発現経路_目標・実績",
    "3-2_RS_{y}_効果発現経路_目標のつながり",
    "4-1_RS_{y}_点検・評価",
    "5-1_RS_{y}_支出先_支出情報",
    "5-2_RS_{y}_支出先_支出ブロックのつながり",
    "5-3_RS_{y}_支出先_費目・使途",
    "5-4_RS_{y}_支出先_国庫債務負担行為等による契約",
    "6-1_RS_{y}_その他備考",
)


@dataclass
class DownloadResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # answered with a page, not the file
    failed: list[str] = field(default_factory=list)  # "NAME: why", nothing kept
    #: what changed since the last copy, for each written (or refreshed) file
    changes: dict[Path, str] = field(default_factory=dict)


def rs_urls(year: int, base: str = RS_BASE) -> list[tuple[str, str]]:
    """(file name, URL) of the 15 official ZIPs of ``year``."""
    out = []
    for pattern in RS_FILES:
        name = pattern.format(y=year) + ".zip"
        out.append((name, f"{base.rstrip('/')}/files/{year}/rs/{urllib.parse.quote(name)}"))
    return out


def judgit_urls(year: int, base: str) -> list[tuple[str, str]]:
    """(file name, URL) of one year of old-format sheets as NDJSON.gz (one sheet a line)."""
    name = f"judgit-{year}.ndjson.gz"
    return [(name, f"{base.rstrip('/')}/{urllib.parse.quote(name)}")]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _recorded(target: Path) -> str:
    """The hash recorded beside ``target`` by the last download, or ""."""
    side = target.with_name(target.name + ".sha256")
    try:
        fd = os.open(side, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as f:
        word = f.read(100).split(b" ", 1)[0].decode("ascii", "replace")
    return word if len(word) == 64 and all(c in "0123456789abcdef" for c in word) else ""


def _complete(target: Path, kind: str, recorded: str) -> bool:
    """A regular file (not a link) matching its recorded hash, or whole if none is recorded
    (a copy from before hashes were kept; its hash is recorded now)."""
    if target.is_symlink() or not target.is_file():
        return False
    if recorded:
        return _sha256(target) == recorded
    try:
        check_whole(target, kind)
    except DownloadError:
        return False
    _record(target, _sha256(target))
    return True


def _record(target: Path, digest: str) -> None:
    write_small(target.with_name(target.name + ".sha256"), f"{digest}  {target.name}\n")


def _change(old: str, new: str, size: int) -> str:
    if not old:
        return f"new, {size:,} bytes, sha256 {new[:12]}"
    if old == new:
        return f"unchanged since the last copy, sha256 {new[:12]}"
    return f"changed since the last copy: sha256 {old[:12]} → {new[:12]}, now {size:,} bytes"


def _one(name: str, url: str, folder: Path, kind: str, job: Job, out: DownloadResult) -> None:
    target = folder / name
    old = _recorded(target)
    if not job.refresh and _complete(target, kind, old):
        out.skipped.append(target)
        return
    part = folder / (name + ".part")
    try:
        fetch(url, part, kind, job.limits, job.progress)
    except NotTheFile:
        out.missing.append(name)
        return
    except DownloadError as exc:
        out.failed.append(f"{name}: {exc} ({url})")
        return
    new = _sha256(part)
    if new == old and _complete(target, kind, old):
        part.unlink()
        out.skipped.append(target)
    else:
        os.replace(part, target)
        _record(target, new)
        out.written.append(target)
    out.changes[target] = _change(old, new, target.stat().st_size)


@dataclass(frozen=True)
class Job:
    """How to download: bounds per file, whether to ask again for files already complete."""

    limits: Limits = Limits()
    refresh: bool = False
    progress: Callable[[int], None] | None = None


def _download(urls: list[tuple[str, str]], folder: Path, kind: str, job: Job) -> DownloadResult:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create {folder}: {exc.strerror}") from None
    out = DownloadResult()
    for name, url in urls:
        _one(name, url, folder, kind, job, out)
    return out


def download(
    source: str, year: int, to: str | Path, base: str | None = None, job: Job = Job()
) -> DownloadResult:
    """``download rs|judgit YEAR``: the right files, from ``base`` or the official site.
    JUDGIT! itself publishes a Git repository of per-sheet JSON files (`flowviz import` reads a
    clone's folder); ``judgit`` here fetches ``judgit-YEAR.ndjson.gz`` from a mirror."""
    if source == "rs":
        return _download(rs_urls(year, base or RS_BASE), Path(to), ZIP, job)
    if source == "judgit":
        if not base:
            raise DownloadError(
                "download judgit needs --base-url: JUDGIT! publishes a Git repository"
                " (judgit/data) rather than per-year files; clone it and `flowviz import` its"
                " data folder, or give a mirror that serves judgit-YEAR.ndjson.gz"
            )
        return _download(judgit_urls(year, base), Path(to), GZIP, job)
    raise DownloadError(f"download {source!r}: choose rs or judgit")
