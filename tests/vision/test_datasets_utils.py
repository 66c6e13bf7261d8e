"""Download helpers: integrity checks, file:// downloads, archive extraction."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import urllib.error
import zipfile

import pytest

from ember.vision.datasets import utils


def test_md5_and_integrity(tmp_path):
    p = tmp_path / "f.bin"
    p.write_bytes(b"hello")
    digest = hashlib.md5(b"hello").hexdigest()
    assert utils.calculate_md5(p) == digest and utils.check_md5(p, digest)
    assert utils.check_integrity(p) and utils.check_integrity(p, digest)
    assert not utils.check_integrity(p, "0" * 32)
    assert not utils.check_integrity(tmp_path / "missing")


def test_download_url_from_file_uri(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(b"payload")
    out = utils.download_url(src.as_uri(), str(tmp_path / "dl"), md5=hashlib.md5(
        b"payload").hexdigest())
    assert open(out, "rb").read() == b"payload"
    with pytest.raises(urllib.error.URLError):
        utils.download_url((tmp_path / "absent").as_uri(), str(tmp_path / "dl2"))


def test_extract_gz_tar_and_zip(tmp_path):
    gz = tmp_path / "a.txt.gz"
    gz.write_bytes(gzip.compress(b"A"))
    (tmp_path / "out").mkdir()
    utils.extract_archive(str(gz), str(tmp_path / "out"), remove_finished=True)
    assert (tmp_path / "out" / "a.txt").read_bytes() == b"A" and not gz.exists()

    tgz = tmp_path / "b.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        info = tarfile.TarInfo("dir/b.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"B"))
    utils.extract_archive(str(tgz), str(tmp_path / "t"))
    assert (tmp_path / "t" / "dir" / "b.txt").read_bytes() == b"B"

    zp = tmp_path / "c.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        zf.writestr("c.txt", "C")
    utils.extract_archive(str(zp), str(tmp_path / "z"))
    assert (tmp_path / "z" / "c.txt").read_text() == "C"

    with pytest.raises(RuntimeError, match="unknown archive type"):
        utils.extract_archive(str(tmp_path / "x.rar"))


def test_extraction_refuses_paths_outside_the_target(tmp_path):
    tgz = tmp_path / "evil.tar"
    with tarfile.open(tgz, "w") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"E"))
    (tmp_path / "t").mkdir()
    with pytest.raises(tarfile.TarError):
        utils.extract_archive(str(tgz), str(tmp_path / "t"))
    assert not (tmp_path / "escape.txt").exists()

    zp = tmp_path / "evil.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        zf.writestr("../escape2.txt", "E")
    with pytest.raises(RuntimeError, match="outside"):
        utils.extract_archive(str(zp), str(tmp_path / "t"))


def test_not_found_error_lists_files_and_directory():
    err = utils.not_found_error("X", "/data/X/raw", ["a.gz", "b.gz"])
    assert isinstance(err, RuntimeError)
    assert str(err) == ("Dataset X not found. You can use download=True to download it, or put "
                        "these files in /data/X/raw:\n    a.gz\n    b.gz")
