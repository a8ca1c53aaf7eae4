"""``cmdsim`` in a subprocess, for the tests that run the real command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

CMDSIM = str(Path(sys.executable).parent / "cmdsim")


def run_cmdsim(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CMDSIM, *args], capture_output=True, text=True, check=False, cwd=cwd, timeout=300
    )


class Server:
    """``cmdsim serve`` in a subprocess; its links read from what it prints."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        command = [CMDSIM, "serve", *args]
        env = {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self.links: dict[str, str] = {}
        self.printed: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.printed.append(line)
            found = re.match(r"\s+(.+?)\s+(http://\S+)$", line)
            if found:
                self.links[found[1]] = found[2]
            if line.startswith("Ctrl-C stops the server"):
                break
        else:
            raise AssertionError("cmdsim serve did not start:\n" + "".join(self.printed))

    def stop(self) -> tuple[int, str]:
        """Ctrl-C: the server stops cleanly (exit 0)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        rest, _ = self.process.communicate(timeout=30)
        return self.process.returncode, "".join(self.printed) + rest
