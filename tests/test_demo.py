"""The README's first command ends in `bash examples/demo.sh`: it must run to the end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.slow
def test_the_demo_runs_to_the_end_on_a_fresh_sqlite_file(tmp_path):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["DOSSIER_DB"] = str(tmp_path / "demo.db")  # the embedded default, whatever the suite's backend
    result = subprocess.run(
        ["bash", str(EXAMPLES / "demo.sh")], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    # It shows what dossier is for: the top-10 exercise and the report written last.
    assert "Wrote the report" in result.stderr + result.stdout
    assert (EXAMPLES / "report.html").stat().st_size > 1000
