"""Download and integrity helpers, as ``torchvision.datasets.utils``.

``download=True`` fetches the standard URLs with :mod:`urllib` and checks their MD5; on a
machine without network access the datasets raise a RuntimeError that names the files
expected and the directory to put them in (see :func:`not_found_error`).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence

__all__ = ["calculate_md5", "check_md5", "check_integrity", "download_url", "extract_archive",
           "download_and_extract_archive", "download_from_mirrors", "not_found_error"]

USER_AGENT = "ember/vision"


def calculate_md5(fpath: str | os.PathLike, chunk_size: int = 1024 * 1024) -> str:
    """The hex MD5 digest of the file at ``fpath``."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath: str | os.PathLike, md5: str) -> bool:
    return md5 == calculate_md5(fpath)


def check_integrity(fpath: str | os.PathLike, md5: str | None = None) -> bool:
    """Whether ``fpath`` is a file and, if ``md5`` is given, has that digest.

    Example:
        >>> from ember.vision.datasets.utils import check_integrity
        >>> check_integrity("/no/such/file")
        False
    """
    if not os.path.isfile(fpath):
        return False
    return md5 is None or check_md5(fpath, md5)


def download_url(url: str, root: str | os.PathLike, filename: str | None = None,
                 md5: str | None = None, timeout: float = 30.0) -> str:
    """Downloads ``url`` into ``root/filename`` unless a verified copy is there already.

    Raises:
        urllib.error.URLError: the server cannot be reached.
        RuntimeError: the downloaded file does not have the expected MD5.
    """
    root = os.path.expanduser(root)
    filename = filename or os.path.basename(url)
    fpath = os.path.join(root, filename)
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        return fpath
    partial = fpath + ".partial"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response, \
            open(partial, "wb") as out:
        shutil.copyfileobj(response, out)
    if not check_integrity(partial, md5):
        actual = calculate_md5(partial)
        os.remove(partial)
        raise RuntimeError(f"{fpath}: downloaded from {url} but its MD5 is {actual}, expected "
                           f"{md5}; the file is corrupted (removed).")
    os.replace(partial, fpath)
    return fpath


def extract_archive(from_path: str | os.PathLike, to_path: str | os.PathLike | None = None,
                    remove_finished: bool = False) -> str:
    """Extracts a ``.tar``, ``.tar.gz``/``.tgz``, ``.zip`` or single-file ``.gz`` archive
    into ``to_path`` (default: its directory); returns ``to_path``. Tar members that would
    land outside ``to_path`` (absolute paths, ``..``, links) are refused."""
    from_path = os.fspath(from_path)
    to_path = os.fspath(to_path) if to_path is not None else os.path.dirname(from_path)
    name = from_path.lower()
    if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        with tarfile.open(from_path) as tar:
            tar.extractall(to_path, filter="data")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(from_path) as zf:
            for member in zf.namelist():
                target = os.path.realpath(os.path.join(to_path, member))
                if not target.startswith(os.path.realpath(to_path) + os.sep):
                    raise RuntimeError(f"{from_path}: member {member!r} would be extracted "
                                       f"outside {to_path}")
            zf.extractall(to_path)
    elif name.endswith(".gz"):
        out = os.path.join(to_path, os.path.basename(from_path)[:-3])
        with gzip.open(from_path, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    else:
        raise RuntimeError(f"{from_path}: unknown archive type (expected .tar, .tar.gz, .tgz, "
                           f".zip or .gz)")
    if remove_finished:
        os.remove(from_path)
    return to_path


def download_and_extract_archive(url: str, download_root: str | os.PathLike,
                                 extract_root: str | os.PathLike | None = None,
                                 filename: str | None = None, md5: str | None = None,
                                 remove_finished: bool = False) -> None:
    """:func:`download_url` then :func:`extract_archive`."""
    download_root = os.path.expanduser(download_root)
    extract_root = extract_root if extract_root is not None else download_root
    filename = filename or os.path.basename(url)
    archive = download_url(url, download_root, filename, md5)
    extract_archive(archive, extract_root, remove_finished)


def not_found_error(dataset: str, directory: str | os.PathLike, files: Sequence[str],
                    reason: str = "") -> RuntimeError:
    """The error a dataset raises when its files are missing: it names the files expected
    and the directory they belong in, so they can be copied there by hand."""
    listing = "\n".join(f"    {f}" for f in files)
    why = f"{reason}\n" if reason else ""
    return RuntimeError(f"{why}Dataset {dataset} not found. You can use download=True to "
                        f"download it, or put these files in {directory}:\n{listing}")


def download_from_mirrors(dataset: str, resources: Sequence[tuple[str, str | None]],
                          mirrors: Sequence[str], root: str | os.PathLike,
                          extract: bool = True) -> None:
    """Downloads each ``(filename, md5)`` of ``resources`` from the first mirror that
    answers (and extracts archives when ``extract``). Without a working mirror it raises
    :func:`not_found_error` with the last network error."""
    for filename, md5 in resources:
        errors = []
        for mirror in mirrors:
            url = f"{mirror}{filename}"
            try:
                if extract:
                    download_and_extract_archive(url, root, filename=filename, md5=md5)
                else:
                    download_url(url, root, filename=filename, md5=md5)
            except (urllib.error.URLError, OSError, ValueError) as err:
                errors.append(f"{url}: {err}")
                continue
            break
        else:
            raise not_found_error(dataset, root, [f for f, _ in resources],
                                  reason="Error downloading {}:\n{}".format(
                                      filename, "\n".join(f"  {e}" for e in errors)))
