"""Write a set of files as one folder that replaces the old one whole.

Why: an evidence pack written file by file into an existing folder left the files of an earlier,
larger run beside a new summary, so a reader could not tell which findings were current. Here
every file is written into a fresh sibling folder first; only then is the old folder moved
aside and the new one put in its place. A folder that is not one of ours is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from flowviz.exceptions import OutputError
from flowviz.render.output import atomic_write, is_stdout


def replace_folder(
    folder: str | Path, files: dict[str, str | bytes], ours: Callable[[Path], bool], what: str
) -> Path:
    """Put ``files`` (name → data) in ``folder`` as a whole: nothing of an earlier run stays,
    and on any error the old folder is left as it was."""
    if is_stdout(folder):
        raise OutputError(f"{what} is a folder of files; give a folder, not -")
    folder = Path(folder).absolute()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"{folder} is not a folder; give a new or empty folder for the {what}")
    if folder.is_dir() and any(folder.iterdir()) and not ours(folder):
        raise OutputError(
            f"{folder} holds other files and is not an earlier {what}; give a new or empty folder"
        )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
    except OSError as exc:
        raise OutputError(f"cannot write into {folder.parent}: {exc.strerror}") from None
    try:
        os.chmod(fresh, 0o755)
        for name, data in files.items():
            atomic_write(fresh / name, data)
        old = fresh.with_name(fresh.name.replace(".new-", ".old-"))
        if folder.exists():
            os.rename(folder, old)
        os.rename(fresh, folder)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder
