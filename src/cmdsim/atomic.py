"""Writing an output file so that it is either complete or absent.

Every file cmdsim writes for a user (run outputs, batch outputs, reports,
exercise logs, the schema) goes through here: the text is written to a
temporary name in the same directory, flushed, ``fsync``-ed and moved into
place with ``os.replace``.  After a crash, even ``kill -9``, a reader finds
the previous file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

CSV_ENCODING = "utf-8-sig"
"""How every CSV cmdsim writes for a person is encoded: UTF-8 led by a byte
order mark.  Excel on a Chinese Windows reads a CSV without one in the
locale's code page (GBK) and shows Chinese names as mojibake; with it, as
UTF-8.  Readers of our CSVs open them as ``utf-8-sig``, which takes a file
with or without the mark."""


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "w", encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success it replaces ``path``.

    ``encoding`` applies to text modes; CSV a person opens is written as
    ``utf-8-sig`` (:data:`CSV_ENCODING`).

    A ``path`` that is a device or a pipe is written into directly (replacing
    ``/dev/null`` with a file, as root, would break the machine); a symbolic
    link keeps pointing to the file written.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write("done")
    >>> target.read_text()
    'done'
    """
    text_encoding = None if "b" in mode else encoding
    newline = None if "b" in mode else ""
    # A file name an ASCII locale could not decode (演练/gas.yaml, named in
    # an exercise log) goes out as the bytes it came in as, not a crash.
    errors = None if "b" in mode else "surrogateescape"
    if path.exists() and not path.is_file() and not path.is_dir():
        # A device or a pipe (``-o /dev/stdout``, ``/dev/null``, a FIFO): it
        # is written into, never replaced by a file; nothing to keep whole.
        with open(path, mode, encoding=text_encoding, errors=errors, newline=newline) as handle:
            yield handle
        return
    if path.is_symlink():
        # Replace the file the link points to, not the link.
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        with open(tmp, mode, encoding=text_encoding, errors=errors, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.filename == str(tmp):
            # Name the file the user asked for, not our temporary one.
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where directories can be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` (UTF-8 unless ``encoding`` says otherwise) to ``path`` atomically."""
    with atomic_writer(path, encoding=encoding) as handle:
        handle.write(text)


def write_files(directory: Path, files: Mapping[str, str]) -> None:
    """Write several files of one output into ``directory`` as one change.

    Every file is first written whole to a temporary name beside its target
    (flushed, ``fsync``-ed); only then are they moved into place, one
    ``os.replace`` each in the mapping's order, with Ctrl-C held off until
    the last (in the main thread).  An error or Ctrl-C while the temporaries
    are written removes them and leaves ``directory`` as it was.

    ``kill -9`` or a power cut between two renames leaves some files new
    and some old; the last file in ``files`` is then the earlier one.  So an
    output whose files must be read as one puts last a record naming the
    others' :func:`file_digests`, and its reader refuses what
    :func:`files_changed` finds: the record is in place only when all are.

    The temporaries such a crash left of these names are removed first
    (:func:`remove_leftovers`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    remove_leftovers(directory, files)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            target = directory / name
            tmp = _temporary(target)
            staged.append((tmp, target))
            try:
                with open(tmp, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                # Name the file the user asked for, not our temporary one.
                raise OSError(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    with _sigint_held():
        for tmp, target in staged:
            os.replace(tmp, target)
    fsync_dir(directory)


def _temporary(path: Path, pid: object = None) -> Path:
    """Where ``path`` is written before its rename: ``.NAME.tmp-PID`` beside
    it, this process's (or ``pid``'s; ``""`` for the name's stem)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid() if pid is None else pid}")


def remove_leftovers(directory: Path, names: Iterable[str]) -> list[Path]:
    """Remove the hidden temporaries (``.NAME.tmp-PID``) of ``names`` in
    ``directory`` that a writer killed before its rename left behind, and
    return them (sorted).  Only those whose PID is no live process go: a
    live one may be another cmdsim writing there now.  A PID reused by an
    unrelated process keeps its file until that process ends; where
    liveness cannot be asked without harm (not POSIX), none is removed."""
    removed = []
    for name in names:
        for tmp in sorted(directory.glob(glob.escape(_temporary(Path(name), "").name) + "*")):
            pid = tmp.name.rsplit("-", 1)[1]
            if not pid.isdigit() or not tmp.is_file() or pid_alive(int(pid)):
                continue
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                removed.append(tmp)
    return sorted(removed)


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (one of another user's counts);
    ``True`` where it cannot be asked (``os.kill`` on Windows ends it)."""
    if os.name != "posix" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, another user's
        return True
    return True


DIGESTS_KEY = "files"
"""Where a record written last (a run's ``run.json``) keeps :func:`file_digests`."""


def file_digests(files: Mapping[str, str]) -> dict[str, str]:
    """The SHA-256 (hex) of each file's text as :func:`write_files` writes
    it (UTF-8), by name: what a record written last says the others hold."""
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in files.items()}


def files_changed(directory: Path, digests: Mapping[str, object]) -> list[str]:
    """The names in ``digests`` whose file in ``directory`` holds other
    bytes than the digest says (sorted): files of another write than the
    record's.  A file not there is not counted: a reader reads what is."""
    changed = []
    for name, digest in sorted(digests.items()):
        try:
            data = (directory / name).read_bytes()
        except FileNotFoundError:
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            changed.append(name)
    return changed


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Ctrl-C pressed inside is raised on leaving, not in the middle."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *args: pressed.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
