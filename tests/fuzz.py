"""A fork server for fuzzing the command line: one worker process imports the package once, then
forks a child per input, which runs ``cli.main`` with a CPU-time and memory cap
(``resource.setrlimit``) in its own folder, with stdin, stdout and stderr on files.

Each run costs a fork instead of an interpreter start and a sympy import (about 1 s), so a few
hundred hostile inputs fit in a CI run. The worker is started single-threaded
(``OPENBLAS_NUM_THREADS=1`` and friends), so a fork cannot inherit a lock held by a BLAS thread.

    with Worker() as w:
        r = w.run(["check", "x**2", "--at", "0"], cwd=tmp)
        r = w.run(["report", "--out", "out"], cwd=tmp, env={"SYMBOLIC_EOS_CATALOG": folder})
        r.code, r.stdout, r.stderr, r.timed_out
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_SERVER = r'''
import json, os, resource, signal, sys, tempfile, time
import symbolic_eos.cli as cli
# imported once, before forking
import symbolic_eos.api  # noqa: F401

def vm_bytes():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0

for line in sys.stdin:
    job = json.loads(line)
    io = tempfile.mkdtemp(prefix="fuzz-io-")
    paths = {k: os.path.join(io, k) for k in ("stdin", "stdout", "stderr")}
    with open(paths["stdin"], "wb") as fh:
        fh.write(job.get("stdin", "").encode("utf-8", "surrogateescape"))
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job["cwd"])
            os.environ.update(job.get("env", {}))
            limit = vm_bytes() + job["memory"]
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CPU, (job["cpu"], job["cpu"] + 1))
            for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY | os.O_CREAT),
                                   (2, "stderr", os.O_WRONLY | os.O_CREAT)):
                f = os.open(paths[name], mode, 0o600)
                os.dup2(f, fd)
                os.close(f)
            sys.stdin = open(0, "r", closefd=False)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            code = cli.main(job["argv"])
            sys.stdout.flush(); sys.stderr.flush()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # a traceback the CLI let through: record it, exit 1 like Python would
            import traceback
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            code = 1
        os._exit(code if isinstance(code, int) else 1)
    deadline = started + job["wall"]
    status, timed_out = None, False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            timed_out, status = True, None
            break
        time.sleep(0.005)
    out = {"timed_out": timed_out, "seconds": time.monotonic() - started}
    if status is not None:
        out["code"] = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        out["signal"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    for k in ("stdout", "stderr"):
        try:
            with open(paths[k], "rb") as fh:
                out[k] = fh.read(200000).decode("utf-8", "replace")
        except OSError:
            out[k] = ""
    for p in paths.values():
        try:
            os.remove(p)
        except OSError:
            pass
    os.rmdir(io)
    print(json.dumps(out), flush=True)
'''


@dataclass(frozen=True)
class Run:
    """What one CLI run did."""

    code: int | None
    signal: int | None
    stdout: str
    stderr: str
    timed_out: bool
    seconds: float


class Worker:
    """The fork server (a context manager); :meth:`run` runs one command line."""

    def __init__(self, wall: float = 60.0, cpu: int = 60, memory: int = 2 << 30):
        self.wall, self.cpu, self.memory = wall, cpu, memory
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        env = dict(os.environ)
        env.update({k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=env)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait(timeout=30)

    def run(self, argv: list[str], cwd: str, stdin: str = "", env: dict[str, str] | None = None) -> Run:
        """Run ``argv`` in ``cwd`` with ``env`` added to the environment."""
        assert self.process is not None and self.process.stdin and self.process.stdout
        job = {"argv": argv, "cwd": cwd, "stdin": stdin, "env": env or {}, "wall": self.wall, "cpu": self.cpu,
               "memory": self.memory}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the fuzz worker died")
        d = json.loads(line)
        return Run(d.get("code"), d.get("signal"), d.get("stdout", ""), d.get("stderr", ""), d["timed_out"], d["seconds"])
