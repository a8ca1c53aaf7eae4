"""Where replications run: in this process, on a process pool, or on Dask.

An executor maps a function over work items and yields the results **in the
order of the items**, keeping only a bounded number in flight, so a batch's
memory does not grow with its size and its reduce is always done in
replication order.

Dask is the optional extra ``cmdsim[dask]``; it is imported only when a
:class:`DaskExecutor` is made.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from cmdsim.errors import CmdsimError

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn`` over ``items`` and yields the results in item order."""

    workers: int

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in the calling process, one item after another."""

    workers = 1

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        pass

    def __enter__(self) -> SerialExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _drain_ordered(
    submit: Callable[[T], Any], result: Callable[[Any], R], items: Iterable[T], window: int
) -> Iterator[R]:
    pending: collections.deque[Any] = collections.deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class ProcessExecutor:
    """A pool of ``workers`` processes (``--workers K``)."""

    def __init__(self, workers: int | None = None, window: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise CmdsimError(f"--workers must be at least 1, got {self.workers}")
        self.window = window or 4 * self.workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context(method)
        )
        # Start the workers now, before the caller starts threads (a progress
        # bar): forking a process that runs threads can deadlock.
        self._pool.submit(int).result()

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def result(future: cf.Future[R]) -> R:
            return future.result()

        return _drain_ordered(lambda item: self._pool.submit(fn, item), result, items, self.window)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise CmdsimError(
            "Dask is not installed: pip install 'cmdsim[dask]' to run batches on Dask"
        ) from None
    return distributed


class DaskExecutor:
    """Runs items as Dask tasks.

    ``address`` is ``"local"`` (start a ``distributed.LocalCluster`` of
    ``workers`` single-threaded worker processes, closed with the executor)
    or a scheduler address such as ``tcp://10.0.0.5:8786``.
    """

    def __init__(
        self,
        address: str = "local",
        workers: int | None = None,
        window: int | None = None,
        processes: bool = True,
        timeout: str = "20s",
    ) -> None:
        distributed = _import_distributed()
        self._cluster: Any = None
        try:
            if address == "local":
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=None,
                )
                self._client: Any = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise CmdsimError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))
        self.window = window or 4 * self.workers

    @property
    def client(self) -> Any:
        return self._client

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def submit(item: T) -> Any:
            return self._client.submit(fn, item, pure=False)

        def result(future: Any) -> R:
            value: R = future.result()
            future.release()
            return value

        return _drain_ordered(submit, result, items, self.window)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(workers: int | None = None, dask: str | None = None) -> Executor:
    """The executor the CLI options ask for: Dask, a process pool, or serial."""
    if dask is not None:
        return DaskExecutor(dask, workers)
    if workers is not None and workers > 1:
        return ProcessExecutor(workers)
    return SerialExecutor()
