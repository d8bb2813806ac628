"""Analysing files in worker processes, so that no single file can take a run down.

Files are analysed in forked worker processes, one file at a time per
worker, each within a time limit (`file-timeout`, 10 s by default). The limit
counts the worker's CPU time where the system tells it (Linux), so a loaded
machine does not cut ordinary files short; a worker that is blocked rather
than computing is stopped at WALL_FACTOR times the limit. When a
worker overruns the limit it is killed and the file becomes a notice; when a
worker dies on a file (libcst's native parser has segfaulted on odd input;
the kernel kills a process that runs out of memory), the file becomes an
MLD001 finding. Either way a fresh worker takes its place and every other
file is still checked. Serial runs (`--jobs 1`, or too few files to pay for
more processes) use one such worker too: a crash in this process could not
be survived, nor a native parse that never returns be stopped.

Workers are forked, so they share the loaded rules (rules loaded from a
folder by path are not importable by name in a fresh interpreter); each
receives a file's bytes and path and sends back plain data. Within a worker
the analysis runs in a deep-stack thread (`mldebt.guards.run_deep`), so deep
but legal code is checked instead of failing with `RecursionError`.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from mldebt.analysis import analyse_bytes, analyse_source, source_excerpt
from mldebt.results import FileResult, RuleSetup
from mldebt.builtin import SyntaxErrorFinding
from mldebt.config import DEFAULT_FILE_TIMEOUT
from mldebt.findings import Finding, Notice
from mldebt.guards import run_deep
from mldebt.source import DecodeFailure, decode_source, split_lines
from mldebt.suppression import Suppressions, parse_suppressions

STOP_GRACE = 1.0  # seconds a worker gets to exit on its own when the run ends, before it is killed
WALL_FACTOR = 10  # a worker that is not computing (blocked, sleeping) is stopped at this many times the limit

# Analysed once here before several workers are forked. The first file a process analyses builds the
# walker's per-node-type plans and each rule's visitor tables (a quarter of a second); built before
# the fork, every worker, and every worker that replaces a lost one, starts with them.
WARM_UP_SOURCE = """\
import os
from pathlib import Path as P


@decorator(1, key="value")
class Model(Base, metaclass=Meta):
    attribute: int = 0

    def method(self, value, *args, flag=False, **kwargs):
        global counter
        with open(self.path) as handle, lock:
            for index, item in enumerate(handle):
                if item and not flag or value is None:
                    continue
                elif index > 2:
                    break
            else:
                pass
        try:
            result = {key: [x ** 2 for x in range(3) if x] for key in kwargs}
        except (KeyError, ValueError) as error:
            raise RuntimeError(f"failed: {error!r:>10}") from error
        finally:
            del value
        while False:
            lambda a, b=1: (a, b)
        return result[0][1:2, ...], {1, 2}, -value, (yield value), not flag


async def run(*items):
    async with session() as client:
        await client.get(items[0] if items else None)
    async for item in stream():
        assert item, "message"
    return [i async for i in stream()]


counter: int
counter = x = 1 + 2 * 3 // 4 % 5 - 6 @ m
counter += 1
print(*args, sep=" ", **options) if __name__ == "__main__" else None
match counter:
    case [1, *rest] | {"key": _}:
        pass
    case Point(x=0) if x:
        pass
"""


class Job(Protocol):
    """What a worker needs to analyse one file (`mldebt.parallel.FileJob`): its path relative to the
    root, its bytes (or, for stdin, its text), and whether its folder is a package."""

    @property
    def path(self) -> str: ...

    @property
    def data(self) -> bytes | str: ...

    @property
    def in_package(self) -> bool: ...


def analyse_job(job: Job, setups: Sequence[RuleSetup]) -> FileResult:
    if isinstance(job.data, str):
        return analyse_source(job.data, job.path, setups, job.in_package)
    return analyse_bytes(job.data, job.path, setups, job.in_package)


def analyse_contained(
    jobs: Sequence[Job],
    setups: Sequence[RuleSetup],
    processes: int,
    timeout: float | None = DEFAULT_FILE_TIMEOUT,
    done: Callable[[], None] | None = None,
    context: BaseContext | None = None,
) -> Iterator[FileResult]:
    """Analyse every job in `processes` workers (at least one); yields results as they arrive.

    Without `context` (a platform without fork) the files are analysed in this process, uncontained.
    """
    if not jobs:
        return
    if context is None:
        for job in jobs:
            yield run_deep(lambda job=job: analyse_job(job, setups))  # type: ignore[misc]
            if done is not None:
                done()
        return
    workers = max(1, min(processes, len(jobs)))
    if workers > 1:  # one worker builds the tables it needs as it goes, as this process would
        _warm_up(setups)
    try:
        pool = _Pool(context, setups, workers, timeout)
    except OSError:  # no process can be made (out of memory, a process limit): analyse here, uncontained
        yield from analyse_contained(jobs, setups, processes, timeout, done, None)
        return
    try:
        for result in pool.run(jobs):
            yield result
            if done is not None:
                done()
    finally:
        pool.close()


def _warm_up(setups: Sequence[RuleSetup]) -> None:
    try:
        run_deep(lambda: analyse_source(WARM_UP_SOURCE, "warm_up.py", setups))
    except Exception:  # only a head start: a rule that fails here fails in its worker, where it is reported
        pass


# --- The worker side ---------------------------------------------------------------------------


def _serve(connection: Connection, setups: Sequence[RuleSetup], inherited: Sequence[Connection]) -> None:
    """A worker's life: analyse each job it is sent until told to stop (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends its workers
    for other in inherited:  # the parent's ends of the pipes: held here, the parent's death would go unseen
        other.close()
    run_deep(lambda: _answer_jobs(connection, setups))


def _answer_jobs(connection: Connection, setups: Sequence[RuleSetup]) -> None:
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            result = analyse_job(job, setups)
        except Exception as error:  # a bug in the engine: reported, the run goes on
            result = _engine_failure(job.path, error)
        try:
            connection.send((result, time.process_time()))  # and the CPU time used so far, for the limit
        except (EOFError, OSError):
            return
        except Exception as error:  # the result does not pickle: a bug too
            connection.send((_engine_failure(job.path, error), time.process_time()))


def _engine_failure(path: str, error: BaseException) -> FileResult:
    return FileResult(path, errors=(f"the engine failed on {path}: {type(error).__name__}: {error}",), cacheable=False)


# --- The parent side ---------------------------------------------------------------------------


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    job: Job | None = None
    deadline: float = 0.0  # when to look at the worker's CPU time next
    started: float = 0.0  # when the job was sent
    cpu: float = 0.0  # the worker's CPU time when it finished its last job (a forked process starts at 0)


class _Pool:
    def __init__(self, context: BaseContext, setups: Sequence[RuleSetup], size: int, timeout: float | None) -> None:
        self.context = context
        self.setups = setups
        self.timeout = timeout
        self.workers: list[_Worker] = []
        try:
            for _ in range(size):
                self.workers.append(self._start())
        except OSError:
            if not self.workers:
                raise
            # Fewer workers than asked for are still workers.

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        others = [worker.connection for worker in self.workers]  # a fork inherits them: the worker closes them
        process = self.context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child_end, self.setups, [parent_end, *others]), name="mldebt-worker", daemon=True
        )
        process.start()
        child_end.close()  # the worker's end lives in the worker only: its death reads as end of file here
        return _Worker(process, parent_end)

    def _replace(self, worker: _Worker) -> None:
        """End a worker that timed out, died or broke its pipe, and start another in its place
        (or, when no process can be started any more, go on with one worker fewer)."""
        _end(worker)
        self.workers.remove(worker)
        try:
            fresh = self._start()
        except OSError:
            return
        worker.process, worker.connection, worker.job = fresh.process, fresh.connection, None
        self.workers.append(worker)

    def run(self, jobs: Sequence[Job]) -> Iterator[FileResult]:
        queue = deque(jobs)
        while True:
            if not self.workers:  # none could be restarted: the rest is analysed here, uncontained
                yield from analyse_contained(list(queue), self.setups, 1, self.timeout, None, None)
                return
            for worker in list(self.workers):
                if worker.job is None and queue:
                    failed = self._dispatch(worker, queue.popleft())
                    if failed is not None:
                        yield failed
            busy = [worker for worker in self.workers if worker.job is not None]
            if not busy:
                if queue:
                    continue
                return
            ready = set(wait(_waitables(busy), timeout=self._wait_time(busy)))
            now = time.monotonic()
            for worker in busy:
                result = self._collect(worker, ready, now)
                if result is not None:
                    yield result

    def _dispatch(self, worker: _Worker, job: Job) -> FileResult | None:
        """Send a job to an idle worker; one that died while idle is replaced and the job sent again."""
        for _ in range(2):
            try:
                worker.connection.send(job)
            except (OSError, EOFError):
                self._replace(worker)
                if worker not in self.workers:
                    break
                continue
            worker.job = job
            worker.started = time.monotonic()
            worker.deadline = worker.started + self.timeout if self.timeout else float("inf")
            return None
        return crashed(job, self.setups, "a worker process could not be started")

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if not self.timeout:
            return None
        return max(0.0, min(worker.deadline for worker in busy) - time.monotonic())

    def _collect(self, worker: _Worker, ready: set[Any], now: float) -> FileResult | None:
        """The worker's result if it has one; a finding or notice for its file if it died or overran."""
        job = worker.job
        assert job is not None
        if worker.connection in ready or worker.process.sentinel in ready:
            try:
                if worker.connection.poll():
                    result: FileResult
                    result, worker.cpu = worker.connection.recv()
                    worker.job = None
                    return result
            except (EOFError, OSError):
                pass
            except Exception as error:  # the message arrived but does not unpickle: a bug of ours
                worker.job = None
                return _engine_failure(job.path, error)
            worker.process.join(STOP_GRACE)
            how = _exit_description(worker.process.exitcode)
            self._replace(worker)
            return crashed(job, self.setups, how)
        if now >= worker.deadline:
            timeout = self.timeout or 0.0
            used = _cpu_seconds(worker.process.pid)
            spent = now - worker.started if used is None else used - worker.cpu
            if spent < timeout and now - worker.started < timeout * WALL_FACTOR:
                # Waiting for the processor, not computing: look again when the limit could be reached.
                worker.deadline = now + max(timeout - spent, 0.05)
                return None
            self._replace(worker)
            return timed_out(job, timeout)
        return None

    def close(self) -> None:
        for worker in self.workers:
            if worker.job is None:
                try:
                    worker.connection.send(None)
                except (OSError, EOFError):
                    pass
        deadline = time.monotonic() + STOP_GRACE
        for worker in self.workers:
            if worker.job is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            _end(worker)


def _waitables(workers: list[_Worker]) -> list[Connection | int]:
    return [item for worker in workers for item in (worker.connection, worker.process.sentinel)]


def _end(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.connection.close()
    try:
        worker.process.close()
    except ValueError:
        pass


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") and "SC_CLK_TCK" in os.sysconf_names else 100


def _cpu_seconds(pid: int | None) -> float | None:
    """A running process's CPU time (user and system), where /proc tells it; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()  # after the command name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime and stime, fields 14 and 15
    except (OSError, IndexError, ValueError):
        return None


def _exit_description(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:
            return f"it was killed by {name}, as the system does when memory runs out"
        return f"it died of {name}"
    return f"it exited with status {code}"


# --- What a lost file becomes ------------------------------------------------------------------


def crashed(job: Job, setups: Sequence[RuleSetup], how: str) -> FileResult:
    """An MLD001 finding for a file whose analysis killed its worker: the file is not checked, and
    a user must know (a notice would let the run pass)."""
    lines, suppressions = _lines_and_suppressions(job.data)
    reason = f"mldebt's worker process crashed analysing this file ({how}); the file is not checked"
    finding = SyntaxErrorFinding.finding(job.path, reason, 1, 1, source_excerpt(lines, 1, 1))
    return FileResult(job.path, findings=(_configured(finding, setups),), suppressions=suppressions, cacheable=False)


def timed_out(job: Job, timeout: float) -> FileResult:
    """A notice for a file whose analysis overran the time limit; it is tried again on the next run."""
    message = f"skipped: analysing it took longer than the time limit of {timeout:g} s (file-timeout)"
    return FileResult(job.path, notices=(Notice(message, job.path),), cacheable=False)


def _configured(finding: Finding, setups: Sequence[RuleSetup]) -> Finding:
    for setup in setups:
        if setup.rule is SyntaxErrorFinding:
            return finding.with_severity(setup.severity)
    return finding


def _lines_and_suppressions(data: bytes | str) -> tuple[list[str], Suppressions]:
    """The file's lines and noqa comments, read here so that `# mldebt: noqa` and a configured
    severity still apply to a file whose worker died."""
    text = data if isinstance(data, str) else decode_source(data)
    if isinstance(text, DecodeFailure):
        return [], Suppressions()
    lines = split_lines(text)
    return lines, parse_suppressions(lines)


def fork_context() -> BaseContext | None:
    """Fork where the platform has it; elsewhere files are analysed in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")
