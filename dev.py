#!/usr/bin/env python3
"""Set up and run Louzu with nothing but Python 3.11+.

    python3 dev.py serve   install, migrate, load demo data, serve on 127.0.0.1:8000
    python3 dev.py test    install and run the whole test suite (extra args go to pytest)
    python3 dev.py install only create .venv and install the dependencies

The virtual environment lives in .venv and is refreshed when pyproject.toml changes.
"""

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".louzu-installed"


def ensure_environment() -> None:
    """Create .venv and install the pinned dependencies when they changed."""
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    digest = hashlib.sha256(pyproject).hexdigest()
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    project = tomllib.loads(pyproject.decode())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    print("Installing dependencies ...", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        check=True,
    )
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", *requirements], check=True
    )
    STAMP.write_text(digest)


def manage(*args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, check=True)


def serve() -> int:
    manage("migrate", "--noinput")
    manage("seed_demo")
    print(
        "\nLouzu is running at http://127.0.0.1:8000/  (Ctrl+C stops it)\n", flush=True
    )
    try:
        return subprocess.run(
            [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000"], cwd=ROOT
        ).returncode
    except KeyboardInterrupt:
        return 0


def test(extra: list[str]) -> int:
    return subprocess.run(
        [str(PYTHON), "-m", "pytest", *extra], cwd=ROOT, env=os.environ.copy()
    ).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test", "install"}:
        print(__doc__)
        return 2
    ensure_environment()
    if sys.argv[1] == "install":
        return 0
    if sys.argv[1] == "serve":
        return serve()
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
