"""Every `lotse` command loads in a fresh process: import cycles show only when a command's
module is the first to import an area (the scheduler once died at start-up this way)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lotse.core.i18n import PACKAGE_DIR

COMMANDS = sorted(
    path.stem
    for path in PACKAGE_DIR.glob("*/management/commands/*.py")
    if not path.name.startswith("_")
)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_command_loads_in_a_fresh_process(command: str) -> None:
    lotse = Path(sys.executable).with_name("lotse")
    done = subprocess.run(
        [str(lotse), command, "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
