"""Where replications run: in this process, on a process pool, or on Dask.

An executor maps a function over work items and yields the results **in the
order of the items**, keeping only a bounded number in flight, so a batch's
memory does not grow with its size and its reduce is always done in
replication order.

:meth:`Executor.map_shared` also hands every call one *shared* object (a
batch's scenario and run function), which is shipped to each worker once,
not with every item: a process pool sends it pickled once and each worker
unpickles it on its first item; Dask scatters it to every worker.

Dask is the optional extra ``cmdsim[dask]``; it is imported only when a
:class:`DaskExecutor` is made.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import importlib
import logging
import multiprocessing
import os
import pickle
import signal
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from cmdsim.errors import CmdsimError

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

WARM_MODULES = ("cmdsim.analysis.batch", "cmdsim.analysis.metrics", "cmdsim.sim")
"""Imported in every worker when an executor starts, so that the first chunk
of a batch does not pay for them."""


def warm_up() -> None:
    """Import what a chunk needs (the engine only if it is installed)."""
    for name in WARM_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _start_worker(started: Any) -> None:
    """A pool worker's start: it tells the parent its pid on ``started`` (a
    ``SimpleQueue``), so that the parent can stop it
    (:meth:`ProcessExecutor.close`).  Ctrl-C is the parent's to handle (a
    terminal sends it to the whole process group); a worker that took it
    would print a traceback, or drop its chunk and start the next."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started.put(os.getpid())
    warm_up()


class Executor(Protocol):
    """Runs ``fn`` over ``items`` and yields the results in item order."""

    workers: int

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def map_shared(self, fn: Callable[[S, T], R], shared: S, items: Iterable[T]) -> Iterator[R]:
        """``fn(shared, item)`` for each item, in order; ``shared`` travels once."""
        ...

    def close(self) -> None: ...


class SerialExecutor:
    """Everything in the calling process, one item after another."""

    workers = 1

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def map_shared(self, fn: Callable[[S, T], R], shared: S, items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(shared, item)

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


_SHARED: dict[str, Any] = {}
"""In a pool worker: the shared object of the current map, by its token."""


def _call_shared(fn: Callable[[Any, T], R], token: str, blob: bytes, item: T) -> R:
    shared = _SHARED.get(token)
    if shared is None:
        shared = pickle.loads(blob)
        _SHARED.clear()  # only the latest map's object is kept
        _SHARED[token] = shared
    return fn(shared, item)


class ProcessExecutor:
    """A pool of ``workers`` processes (``--workers K``)."""

    def __init__(self, workers: int | None = None, window: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise CmdsimError(f"--workers must be at least 1, got {self.workers}")
        self.window = window or 4 * self.workers
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        # Forked workers inherit these imports; spawned ones import them at start.
        warm_up()
        # Each worker's pid, told by the worker itself: the pool's own
        # processes are what close() stops, read through no private attribute.
        self._started = context.SimpleQueue()
        self._pids: set[int] = set()
        self._closed = False
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self._started,),
        )
        # Start the workers now, before the caller starts threads (a progress
        # bar): forking a process that runs threads can deadlock.
        self._pool.submit(int).result()
        if method == "fork":
            # A forking pool starts all its workers at once: wait for each to
            # say it is up, so that close() knows every one (a spawning pool
            # starts them as work comes, and says so as they start).
            while len(self._pids) < self.workers:
                self._pids.add(self._started.get())

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        def result(future: cf.Future[R]) -> R:
            return future.result()

        return _drain_ordered(lambda item: self._pool.submit(fn, item), result, items, self.window)

    def map_shared(self, fn: Callable[[S, T], R], shared: S, items: Iterable[T]) -> Iterator[R]:
        # Pickled once here; each task carries the bytes (a copy through a
        # pipe, cheap) and a worker unpickles them only on its first task.
        token = uuid.uuid4().hex
        blob = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)

        def submit(item: T) -> cf.Future[R]:
            return self._pool.submit(_call_shared, fn, token, blob, item)

        def result(future: cf.Future[R]) -> R:
            return future.result()

        return _drain_ordered(submit, result, items, self.window)

    def close(self) -> None:
        """Drop the items not started and stop the workers at once, without
        waiting for the ones they run: after a Ctrl-C or an error nothing
        reads them (a batch keeps the chunks it has written), and at a
        normal end none is running."""
        # The pool's own processes (those that told their pid, still this
        # process's children: a pid is not reused while its process is one),
        # others the caller started not touched.  Stopped first, then the
        # pool shut down waiting for its manager thread, which sees them gone
        # at once: shut down without waiting, a thread left running races the
        # interpreter's exit (a traceback).
        if self._closed:
            return
        self._closed = True
        while not self._started.empty():
            self._pids.add(self._started.get())
        for process in multiprocessing.active_children():
            if process.pid in self._pids:
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._started.close()

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


LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # The statistical profiler samples the running thread's stack every 10 ms:
    # on deep SimPy stacks that costs the replications themselves 5-20 %.
    "distributed.worker.profile.enabled": False,
    # Event-loop health checks (every 20 ms), system monitors (500 ms) and
    # memory monitors (100 ms) in the client, scheduler, nannies and workers
    # together kept about 0.15 of a core busy, taken from the workers.
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    # Left at Dask's defaults on purpose: queuing (worker-saturation 1.1)
    # already gives a single-threaded worker its next chunk while it runs
    # one, and keeps the rest on the scheduler, so a slow worker never holds
    # the chunk the in-order reduce waits for while the other idles.
}
"""Dask settings of the LocalCluster that ``--dask local`` starts (see
docs/cluster.md for the same settings on a cluster's workers)."""


class DaskExecutor:
    """Runs items as Dask tasks.

    ``address`` is ``"local"`` (start a ``distributed.LocalCluster`` of
    ``workers`` single-threaded worker processes, configured by
    :data:`LOCAL_CLUSTER_CONFIG`, closed with the executor) or a scheduler
    address such as ``tcp://10.0.0.5:8786``.  The workers import cmdsim and
    the engine when the executor starts, not inside the first chunk.
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
        import dask

        self._cluster: Any = None
        try:
            if address == "local":
                # Nannies hand the configuration in force to the processes they start.
                with dask.config.set(LOCAL_CLUSTER_CONFIG):
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
        except Exception as exc:
            if address == "local":
                raise
            # Something else answered there: its bytes, read as Dask's frame
            # header, can ask for exabytes (MemoryError) or fail to decode.
            raise CmdsimError(
                f"cannot reach the Dask scheduler at {address}: what answered does not "
                f"speak Dask's protocol ({type(exc).__name__})"
            ) from None
        self._client.run(warm_up)
        self._in_flight: set[Any] = set()
        """Futures submitted and not yet read: some left at close() means the
        map was abandoned (Ctrl-C, an error), and nothing will read them."""
        threads = self._client.nthreads()
        self.workers = max(1, sum(threads.values()))
        self.window = window or 4 * self.workers

    @property
    def client(self) -> Any:
        return self._client

    def _drain(self, submit: Callable[[T], Any], items: Iterable[T]) -> Iterator[R]:
        def sent(item: T) -> Any:
            future = submit(item)
            self._in_flight.add(future)
            return future

        def result(future: Any) -> R:
            value: R = future.result()
            self._in_flight.discard(future)
            future.release()
            return value

        return _drain_ordered(sent, result, items, self.window)

    def map_ordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return self._drain(lambda item: self._client.submit(fn, item, pure=False), items)

    def map_shared(self, fn: Callable[[S, T], R], shared: S, items: Iterable[T]) -> Iterator[R]:
        # Scattered to every worker once; each task names it by its key, and a
        # worker deserialises it once and keeps it in memory for the map.
        # (In a list: Dask would scatter a dict or a list item by item.)
        [ref] = self._client.scatter([shared], broadcast=True, hash=False)
        try:
            yield from self._drain(
                lambda item: self._client.submit(fn, ref, item, pure=False), items
            )
        finally:
            ref.release()

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started one.

        After a map was abandoned (Ctrl-C, an error: futures still in flight)
        nothing will read what runs, so it is not waited for.  A local
        cluster's worker processes are killed at once (a running task cannot
        be interrupted in its thread, and Dask's own close waits four seconds
        for it), and what Dask logs of the workers lost, which this executor
        caused, is not shown.  On a remote cluster the futures are cancelled:
        a task already running there runs to its end (Dask cannot stop it,
        and the workers are not this executor's to kill).
        """
        abandoned = list(self._in_flight)
        self._in_flight.clear()
        if not abandoned:
            self._client.close()
            if self._cluster is not None:
                self._cluster.close()
            return
        if self._cluster is None:
            with contextlib.suppress(Exception):
                self._client.cancel(abandoned, force=True)
            self._client.close()
            return
        quiet = logging.getLogger("distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            with contextlib.suppress(Exception):
                self._cluster.sync(_kill_workers, self._cluster)
            self._client.close()
            self._cluster.close()
        finally:
            quiet.setLevel(level)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _kill_workers(cluster: Any) -> None:
    """Kill the worker process of every nanny of a local ``cluster``, then
    close the nannies (which restart a worker that dies while they run: they
    are closing before they hear of it, both done in one turn of the
    cluster's event loop)."""
    import asyncio

    nannies = list(cluster.workers.values())
    for nanny in nannies:
        if nanny.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(nanny.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    await asyncio.gather(
        *(nanny.close(reason="cmdsim-abandoned") for nanny in nannies), return_exceptions=True
    )


def make_executor(workers: int | None = None, dask: str | None = None) -> Executor:
    """The executor the CLI options ask for: Dask, a process pool, or serial."""
    if dask is not None:
        return DaskExecutor(dask, workers)
    if workers is not None and workers > 1:
        return ProcessExecutor(workers)
    return SerialExecutor()
