#!/usr/bin/env python3
"""Set up and run Louzu with nothing but Python 3.11+.

    python3 dev.py serve    install, migrate, load demo data, serve on 127.0.0.1:8000
                            with the task worker alongside (deliveries, periodic jobs)
    python3 dev.py test     install and run the whole test suite (extra args go to pytest)
    python3 dev.py install  only create .venv and install the locked dependencies
    python3 dev.py lock     update requirements.lock to pyproject.toml (add --upgrade to
                            move every package to its newest allowed version)
    python3 dev.py screens  screenshots of the main pages at 390 px, normal and large
                            text, into docs/screens/ (names of pages: only those)

Dependencies are installed from requirements.lock (exact versions with hashes) into .venv,
again whenever the lock file changes. pyproject.toml declares the ranges; `lock` resolves
them to the newest matching versions with pip-tools in a throwaway environment.
"""

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".louzu-installed"
LOCK = ROOT / "requirements.lock"
COMMANDS = ("serve", "test", "install", "lock", "screens")


def ensure_environment() -> None:
    """Create .venv and install the locked dependencies when the lock file changed."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    print("Installing dependencies from requirements.lock ...", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        check=True,
    )
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--require-hashes"]
        + ["-r", str(LOCK)],
        check=True,
    )
    STAMP.write_text(digest)


def lock(extra: list[str]) -> int:
    """Resolve pyproject.toml (with the test extra) into requirements.lock."""
    with tempfile.TemporaryDirectory() as tmp:
        tools = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(tools)
        tools_bin = tools / ("Scripts" if os.name == "nt" else "bin")
        subprocess.run(
            [str(tools_bin / "python"), "-m", "pip", "install", "--quiet", "pip-tools"],
            check=True,
        )
        return subprocess.run(
            [str(tools_bin / "pip-compile"), "--quiet", "--extra=test"]
            + ["--generate-hashes", "--strip-extras", "--allow-unsafe"]
            + ["--no-emit-find-links", "--no-emit-index-url", *extra]
            + ["--output-file=requirements.lock", "pyproject.toml"],
            cwd=ROOT,
            env={**os.environ, "CUSTOM_COMPILE_COMMAND": "python3 dev.py lock"},
        ).returncode


def manage(*args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout or ""


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def serve() -> int:
    manage("migrate", "--noinput")
    seeded = manage("seed_demo", capture=True).splitlines()
    # What the console notification sender printed while seeding goes first; the
    # summary with the log-ins comes last, so it stays on screen under the server's banner.
    print("\n".join(line for line in seeded if line.startswith("[notify")))
    logins = "\n".join(line for line in seeded if not line.startswith("[notify"))
    # The task worker delivers SMS and WeCom group posts and runs the periodic jobs.
    worker = subprocess.Popen([str(PYTHON), "manage.py", "worker"], cwd=ROOT)
    server = subprocess.Popen(
        [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"], cwd=ROOT
    )
    try:
        if wait_for_port(8000, server):
            print("\n" + logins, flush=True)
            print("Louzu is running at http://127.0.0.1:8000/  (Ctrl+C stops it)")
            print("The task worker runs alongside it (deliveries, periodic jobs).\n")
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return 0
    finally:
        stop(worker)


def stop(process: subprocess.Popen, seconds: float = 10) -> None:
    """Ask a child process to finish (it may be in the middle of a task), then make it."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test(extra: list[str]) -> int:
    # -rs lists every skipped test with its reason at the end of the run. The tests run
    # in one process per core (pytest-xdist: each has its own test database and cache);
    # modules that generate expensive shared data stay in one of them (--dist loadgroup,
    # xdist_group marks). An explicit -n (e.g. -n 0 for one process, as pdb needs) wins.
    chosen = any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in extra)
    parallel = [] if chosen else ["-n", "auto", "--dist", "loadgroup"]
    # Bytecode is written (in __pycache__ folders, which git ignores) even where
    # PYTHONDONTWRITEBYTECODE is set: every worker and every program a test starts
    # would otherwise compile the project and rewrite the test modules' asserts again,
    # about 6 s a process (10 s to collect the tests, 4 s once compiled).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        [str(PYTHON), "-m", "pytest", "-rs", *parallel, *extra], cwd=ROOT, env=env
    ).returncode


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if command not in COMMANDS:
        print(f"Unknown command: {command!r}" if command else "No command given.")
        print(__doc__)
        return 2
    if command == "lock":
        return lock(sys.argv[2:])
    ensure_environment()
    if command == "install":
        return 0
    if command == "serve":
        return serve()
    if command == "screens":
        script = str(ROOT / "scripts" / "screens.py")
        return subprocess.run([str(PYTHON), script, *sys.argv[2:]], cwd=ROOT).returncode
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
