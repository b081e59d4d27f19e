"""`gradguard check` as a new user meets it: exit codes, summary, config errors, stdin, progress, encodings."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gradguard.cli_report import summary
from gradguard.findings import Severity

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "examples" / "resnet_block.py"  # one GG201


def gradguard(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "gradguard", *args], cwd=cwd, input=stdin, capture_output=True)


def text(done) -> tuple[str, str]:
    return done.stdout.decode(), done.stderr.decode()


def test_findings_exit_1_even_when_the_reader_closes_the_pipe(tmp_path):
    for i in range(150):  # well over a pipe buffer of output, so the writer does meet the closed pipe
        shutil.copy(BAD, tmp_path / f"m{i:03}.py")
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "gradguard", "check", "-j", "1", "."], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = proc.stdout.readline()
        proc.stdout.close()  # what `| head -1` does
        _, err = proc.communicate(timeout=300)
        assert b"GG201" in first
        assert proc.returncode == 1, err.decode()
        assert b"Traceback" not in err


def test_summary_counts_files_with_findings_apart_from_files_checked(tmp_path):
    shutil.copy(BAD, tmp_path / "bad.py")
    (tmp_path / "fine.py").write_text("x = 1\n")
    out, _ = text(gradguard("check", ".", cwd=tmp_path))
    assert out.splitlines()[-1] == "Found 1 finding (1 error) in 1 file (2 checked)."


def test_summary_wording():
    line = summary({Severity.INFORMATION: 13, Severity.WARNING: 2}, checked=5, with_findings=3, failed=0,
                   missing=0, paths=["."])
    assert line == "Found 15 findings (13 information, 2 warnings) in 3 files (5 checked)."


def test_a_missing_path_is_not_all_clear(tmp_path):
    (tmp_path / "fine.py").write_text("x = 1\n")
    done = gradguard("check", "fine.py", "nope.py", cwd=tmp_path)
    out, err = text(done)
    assert done.returncode == 2
    assert "All clear" not in out and "1 path not found" in out
    assert "nope.py: no such file or directory" in err


def test_a_folder_without_python_files_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    done = gradguard("check", ".", cwd=tmp_path)
    assert done.returncode == 0
    assert text(done)[0].startswith("No Python files to check in .")


@pytest.mark.parametrize("table, key", [
    ('select = ["GG9"]', "select"),
    ('ignore = ["XX999"]', "ignore"),
    ('severity = {XX1 = "error"}', "severity"),
    ('selcet = ["GG1"]', "selcet"),
])
def test_pyproject_errors_name_file_key_and_value_and_exit_2(tmp_path, table, key):
    (tmp_path / "pyproject.toml").write_text(f"[tool.gradguard]\n{table}\n")
    shutil.copy(BAD, tmp_path / "bad.py")
    done = gradguard("check", ".", cwd=tmp_path)
    _, err = text(done)
    assert done.returncode == 2
    assert str(tmp_path / "pyproject.toml") in err and f"[tool.gradguard] {key} = " in err
    assert ("unknown key" if key == "selcet" else "unknown rule code") in err
    assert done.stdout == b""


def test_command_line_codes_get_the_same_error(tmp_path):
    done = gradguard("check", "--ignore", "XX999", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "--ignore XX999: unknown rule code XX999" in text(done)[1]


def test_an_excluded_file_named_on_the_command_line_gets_a_note(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.gradguard]\nexclude = ["bad.py"]\n')
    shutil.copy(BAD, tmp_path / "bad.py")
    done = gradguard("check", "bad.py", cwd=tmp_path)
    err = text(done)[1]
    assert done.returncode == 0
    assert err.strip() == "gradguard: bad.py is not checked: it matches `exclude`"


def test_stdin_with_stdin_filename(tmp_path):
    done = gradguard("check", "-", "--stdin-filename", "pkg/model.py", cwd=tmp_path, stdin=BAD.read_bytes())
    out = text(done)[0]
    assert done.returncode == 1
    assert out.startswith("pkg/model.py:40:9: GG201")
    clean = gradguard("check", "-", cwd=tmp_path, stdin=b"x = 1\n")
    assert clean.returncode == 0 and "All clear: 1 file checked" in text(clean)[0]


def test_invalid_utf8_names_the_byte_and_the_line(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"x = 1\n# caf\xe9\n")
    done = gradguard("check", "latin.py", cwd=tmp_path)
    assert done.returncode == 2
    assert "latin.py: not valid UTF-8 (byte 0xe9 at line 2)" in text(done)[1]
    declared = tmp_path / "declared.py"
    declared.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\nx = 1\n")
    assert gradguard("check", "declared.py", cwd=tmp_path).returncode == 0


def test_help_lists_formats_and_exit_codes(tmp_path):
    out = text(gradguard("check", "--help", cwd=tmp_path))[0]
    for needle in ("exit codes:", "0  no findings", "1  findings", "2  usage", "text ", "json ", "sarif "):
        assert needle in out


def run_with_terminal_stderr(args, cwd) -> tuple[int, str, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "gradguard", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        err += chunk
    out = proc.stdout.read()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out.decode(), err.decode()


def test_progress_on_a_terminal_only(tmp_path):
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text("x = 1\n")
    code, out, err = run_with_terminal_stderr(["check", "-j", "1", "."], tmp_path)
    assert code == 0
    assert "3/3 files" in err and "files/s" in err
    assert "files/s" not in out
    piped = gradguard("check", "-j", "1", ".", cwd=tmp_path)
    assert b"files/s" not in piped.stderr and b"files/s" not in piped.stdout
