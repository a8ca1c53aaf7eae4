"""An address where something other than a Dask scheduler answers is a
user's error (exit 2), not a traceback: a web server's reply, read as a Dask
frame header, asked numpy for exabytes (found by running docs/cluster.md's
``--dask tcp://10.0.0.5:8786`` where a proxy answered)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.errors import CmdsimError

pytest.importorskip("distributed")

GAS = Path(__file__).resolve().parents[2] / "scenarios" / "gas.yaml"


@pytest.fixture
def not_dask() -> Iterator[str]:
    """The address of a server that answers every connection with HTTP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(30)

    def answer() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" + b"\xff" * 64)
                conn.recv(1024)

    threading.Thread(target=answer, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_an_address_that_is_not_a_scheduler_is_a_user_error(not_dask: str) -> None:
    from cmdsim.analysis import DaskExecutor

    with pytest.raises(CmdsimError, match="does not speak Dask's protocol"):
        DaskExecutor(not_dask, timeout="5s")


def test_batch_exits_2_naming_the_address(not_dask: str) -> None:
    from cmdsim.cli import main

    result = CliRunner().invoke(
        main, ["batch", str(GAS), "-n", "2", "--no-progress", "--dask", not_dask]
    )
    assert result.exit_code == 2, result.output
    assert f"cannot reach the Dask scheduler at {not_dask}" in result.stderr
