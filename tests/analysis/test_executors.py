"""Executors: order of results, bounded windows, Dask on a LocalCluster."""

from __future__ import annotations

import multiprocessing
import sys
import time

import pytest
from analysis_fakes import fake_run, small_scenario

from cmdsim.analysis import ProcessExecutor, SerialExecutor, make_executor, replicate
from cmdsim.analysis.executors import _drain_ordered
from cmdsim.errors import CmdsimError


def _square(x: int) -> int:
    return x * x


def test_results_come_in_item_order_from_a_pool() -> None:
    with ProcessExecutor(2, window=3) as pool:
        assert list(pool.map_ordered(_square, range(20))) == [x * x for x in range(20)]


def _stall_after_first(x: int) -> int:
    if x > 0:
        time.sleep(3600)
    return x


def test_close_stops_the_pools_workers_at_once_and_no_other_child() -> None:
    # A child the caller started itself, running beside the pool.
    other = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(600,))
    other.start()
    try:
        pool = ProcessExecutor(2, window=2)
        # Item 1 never ends: one worker is running it when close() is called.
        results = pool.map_ordered(_stall_after_first, range(3))
        assert next(results) == 0
        workers = [p for p in multiprocessing.active_children() if p.pid != other.pid]
        assert len(workers) == 2
        pool.close()  # would wait an hour for item 1 if it did not stop the workers
        for process in workers:
            process.join(timeout=30)
            assert not process.is_alive()
        assert other.is_alive()
    finally:
        other.terminate()
        other.join()


def test_the_window_bounds_what_is_in_flight() -> None:
    in_flight: list[int] = []
    submitted: list[int] = []

    def submit(item: int) -> int:
        submitted.append(item)
        in_flight.append(len(submitted) - len(results))
        return item

    results: list[int] = []
    for value in _drain_ordered(submit, lambda f: f, range(10), window=3):
        results.append(value)
    assert results == list(range(10))
    assert max(in_flight) <= 3


def test_make_executor_picks_by_options() -> None:
    assert isinstance(make_executor(None, None), SerialExecutor)
    assert isinstance(make_executor(1, None), SerialExecutor)
    with pytest.raises(CmdsimError, match="at least 1"):
        ProcessExecutor(-1)


def test_missing_dask_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CmdsimError, match=r"pip install 'cmdsim\[dask\]'"):
        make_executor(None, "local")


def test_dask_local_cluster_gives_the_serial_bytes() -> None:
    import analysis_fakes
    import cloudpickle

    from cmdsim.analysis import DaskExecutor

    # The test helpers are not installed: ship them to the workers by value.
    cloudpickle.register_pickle_by_value(analysis_fakes)
    scenario = small_scenario()
    serial = replicate(scenario, 80, seed=6, run=fake_run)
    with DaskExecutor("local", workers=2, processes=True) as dask:
        assert dask.workers == 2
        distributed = replicate(scenario, 80, seed=6, run=fake_run, executor=dask, chunk_size=7)
    assert distributed.to_json() == serial.to_json()


def test_unreachable_scheduler_is_a_user_error() -> None:
    from cmdsim.analysis import DaskExecutor

    with pytest.raises(CmdsimError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:1", timeout="1s")


def _scaled(shared: dict[str, int], x: int) -> tuple[int, int]:
    # The id of the shared object in this worker: one unpickling per worker.
    return shared["k"] * x, id(shared)


def test_map_shared_in_order_and_shipped_once_per_worker() -> None:
    shared = {"k": 3}
    assert list(SerialExecutor().map_shared(_scaled, shared, range(3))) == [
        (0, id(shared)),
        (3, id(shared)),
        (6, id(shared)),
    ]
    with ProcessExecutor(2, window=3) as pool:
        results = list(pool.map_shared(_scaled, shared, range(20)))
    assert [r[0] for r in results] == [3 * x for x in range(20)]
    assert len({r[1] for r in results}) <= 2  # one copy per worker, not one per item


def test_dask_map_shared_scatters_once() -> None:
    from cmdsim.analysis import DaskExecutor

    with DaskExecutor("local", workers=2) as dask:
        results = list(dask.map_shared(_scaled, {"k": 2}, range(12)))
        assert [r[0] for r in results] == [2 * x for x in range(12)]
        # At most two copies per worker, never one per item: on a loaded
        # machine a task can reach a worker before the broadcast does, and
        # the worker then fetches the data from its peer as well (seen: 3).
        assert len({r[1] for r in results}) <= 4
        # The workers were warmed up: cmdsim's batch module is already imported.
        imported = dask.client.run(lambda: "cmdsim.analysis.batch" in sys.modules)
        assert all(imported.values())
