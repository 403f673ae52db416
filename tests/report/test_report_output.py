"""`langkah report -o PATH` (issue 11 part 8): never clobbers, never writes into a non-file,
never creates folders, replaces atomically, and a full disk is one clear line."""

from __future__ import annotations

import errno
import gc
import os
import stat
import subprocess
import sys
import zipfile

import docx
import pytest

from tests.cli_support import Cli


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


@pytest.fixture
def cycle(cli):
    return cli.start()


def test_an_existing_file_is_refused_without_force_and_replaced_with_it(cli, cycle, tmp_path):
    target = tmp_path / "laporan.docx"
    target.write_bytes(b"precious")
    err = cli("report", cycle, "-o", str(target), status=1)
    assert str(target) in err and "--force" in err
    assert target.read_bytes() == b"precious"
    assert cli("report", cycle, "-o", str(target), "--force").strip() == str(target)
    assert docx.Document(str(target)).paragraphs
    assert os.listdir(tmp_path) == ["laporan.docx"]  # no temp file left beside it


def test_a_new_file_is_written_without_force(cli, cycle, tmp_path):
    target = tmp_path / "baru.docx"
    assert cli("report", cycle, "-o", str(target)).strip() == str(target)
    assert docx.Document(str(target)).paragraphs


def test_a_missing_parent_folder_is_refused_not_created(cli, cycle, tmp_path):
    target = tmp_path / "tidak-ada" / "laporan.docx"
    err = cli("report", cycle, "-o", str(target), status=1)
    assert str(target.parent) in err
    assert not target.parent.exists()


def test_a_fifo_is_refused_even_with_force_and_never_opened(cli, cycle, tmp_path):
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    for extra in ([], ["--force"]):
        err = cli("report", cycle, "-o", str(fifo), *extra, status=1)
        assert str(fifo) in err and "FIFO, bukan berkas biasa" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_is_refused(cli, cycle):
    err = cli("report", cycle, "-o", "/dev/null", "--force", status=1)
    # said in the app's language (Bahasa Indonesia here), not in the code's English
    assert "/dev/null" in err and "perangkat karakter, bukan berkas biasa" in err
    assert "regular file" not in err


def test_a_directory_is_refused(cli, cycle, tmp_path):
    err = cli("report", cycle, "-o", str(tmp_path), "--force", status=1)
    assert str(tmp_path) in err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("kind", ["fifo", "device", "directory", "dangling"])
def test_a_symlink_to_anything_but_a_regular_file_is_refused(cli, cycle, tmp_path, kind):
    link = tmp_path / "tautan.docx"
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipa")
        link.symlink_to(tmp_path / "pipa")
    elif kind == "device":
        link.symlink_to("/dev/zero")
    elif kind == "directory":
        (tmp_path / "folder").mkdir()
        link.symlink_to(tmp_path / "folder")
    else:
        link.symlink_to(tmp_path / "nowhere")
    err = cli("report", cycle, "-o", str(link), "--force", status=1)
    assert str(link) in err
    said = {
        "fifo": "FIFO, bukan berkas biasa",
        "device": "perangkat karakter, bukan berkas biasa",
        "directory": "itu folder; beri nama berkas",
        "dangling": "tautan simbolik ke sesuatu yang tidak ada",
    }
    assert said[kind] in err
    assert link.is_symlink()


def test_a_symlink_to_a_regular_file_is_replaced_through_the_link_with_force(cli, cycle, tmp_path):
    real = tmp_path / "asli.docx"
    real.write_bytes(b"old")
    link = tmp_path / "tautan.docx"
    link.symlink_to(real)
    assert "--force" in cli("report", cycle, "-o", str(link), status=1)
    assert real.read_bytes() == b"old"
    cli("report", cycle, "-o", str(link), "--force")
    assert link.is_symlink() and docx.Document(str(real)).paragraphs


def test_the_write_is_atomic_a_failure_keeps_the_old_file(cli, cycle, tmp_path, monkeypatch):
    target = tmp_path / "laporan.docx"
    target.write_bytes(b"old")
    _fill_disk_after(monkeypatch, 1000)
    err = cli("report", cycle, "-o", str(target), "--force", status=1)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["laporan.docx"]
    assert str(target) in err


def test_a_full_disk_is_one_clear_line_not_a_zipfile_traceback(cli, cycle, tmp_path, monkeypatch):
    target = tmp_path / "laporan.docx"
    _fill_disk_after(monkeypatch, 1000)
    unraisable = []  # python-docx's half-written ZipFile complained from __del__ on stderr
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    out, err = cli.both("report", cycle, "-o", str(target), status=1)
    gc.collect()
    assert unraisable == []
    assert out == ""
    assert err.count("\n") == 1
    assert "disk penuh" in err and "No space left" not in err  # in the user's language
    assert str(target) in err
    assert not target.exists() and os.listdir(tmp_path) == []


def test_the_default_folder_is_still_created_and_refreshed(cli, cycle):
    first = cli("report", cycle).strip()
    again = cli("report", cycle).strip()  # Langkah's own laporan/ copy is regenerated
    assert first == again and os.path.isfile(first)


def _fill_disk_after(monkeypatch, limit: int) -> None:
    """Every file opened for writing by the report fails with ENOSPC after `limit` bytes."""
    import langkah.report as report

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle, self.written = handle, 0

        def write(self, data):
            self.written += len(data)
            if self.written > limit:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.handle.write(data)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def fdopen(fd, *args, **kwargs):
        return FullDisk(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr(report.os, "fdopen", fdopen)


def test_a_file_size_limit_in_a_real_process_is_one_line(cli, cycle, tmp_path):
    """The real thing, not a monkeypatch: RLIMIT_FSIZE makes the write fail (EFBIG)."""
    import resource

    target = tmp_path / "laporan.docx"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    result = subprocess.run(
        [sys.executable, "-m", "langkah.cli.main", "report", cycle, "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        env={**os.environ, "LANGKAH_NOW": cli.now.isoformat()},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(target) in result.stderr
    assert os.listdir(tmp_path) == []


def test_the_command_line_report_has_the_configured_author_and_logo(cli, cycle, tmp_path):
    """`langkah config --name/--logo` is what the report takes, from the command line as from
    the app: the kop's logo in the document, the author in its properties."""
    from tests.report.test_report_rules import tiny_png

    logo = tiny_png(tmp_path / "kop.png")
    cli("config", "--name", "Siti Rahayu", "--logo", str(logo))
    target = tmp_path / "laporan.docx"
    cli("report", cycle, "-o", str(target))
    document = docx.Document(str(target))
    assert document.core_properties.author == "Siti Rahayu"
    with zipfile.ZipFile(target) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
        kop = [archive.read(n) for n in pictures if archive.read(n) == logo.read_bytes()]
    assert kop, pictures  # the logo's own bytes are in the document


def test_a_configured_logo_that_is_not_an_image_is_refused_naming_it(cli, cycle, tmp_path):
    bad = tmp_path / "kop.png"
    bad.write_text("bukan gambar")
    cli("config", "--logo", str(bad))
    err = cli("report", cycle, "-o", str(tmp_path / "laporan.docx"), status=1)
    assert str(bad) in err and "PNG atau JPEG" in err  # in the user's language
    assert not (tmp_path / "laporan.docx").exists()
