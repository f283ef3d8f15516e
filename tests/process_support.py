"""Settings as a new process computes them: a test that changes the environment of
start-up (DEBUG, PORT, SITE_URL) runs a short script in a fresh Python process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_django_script(script: str, env: dict[str, str]) -> str:
    """Set Django up in a new process with ``env``, run ``script``, return what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
