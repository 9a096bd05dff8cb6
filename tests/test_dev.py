"""python3 dev.py: what it says and how it exits, without installing or serving."""

import subprocess
import sys
from pathlib import Path

import dev

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unknown_command_says_so_and_fails():
    done = run("srve")
    assert done.returncode != 0
    assert "Unknown command: 'srve'" in done.stdout
    assert "python3 dev.py serve" in done.stdout  # and shows what there is


def test_no_command_fails_too():
    done = run()
    assert done.returncode != 0 and "No command given." in done.stdout


def test_help_succeeds():
    for flag in ("--help", "-h", "help"):
        done = run(flag)
        assert done.returncode == 0, flag
        assert "python3 dev.py test" in done.stdout


def test_the_test_command_lists_why_tests_were_skipped(monkeypatch):
    calls = []

    def fake_run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    assert dev.test([]) == 0
    assert "-rs" in calls[0]
    assert calls[0][calls[0].index("-n") + 1] == "auto"
    assert dev.test(["-n", "0", "tests/test_dev.py"]) == 0
    assert "-rs" in calls[1] and "auto" not in calls[1]


def test_serve_prints_the_demo_log_ins_last(monkeypatch, capsys):
    seeded = "[notify sms] 13800000001: 欢迎\nDemo log-ins:\n  leader 13800000001"
    monkeypatch.setattr(
        dev, "manage", lambda *args, capture=False: seeded if capture else ""
    )

    class Server:
        def __init__(self, *args, **kwargs):
            pass

        def poll(self):
            return None

        def wait(self, *args):
            print("server output")
            return 0

        def terminate(self):
            pass

    monkeypatch.setattr(dev.subprocess, "Popen", Server)
    monkeypatch.setattr(dev, "wait_for_port", lambda port, server: True)
    assert dev.serve() == 0
    out = capsys.readouterr().out
    assert out.index("[notify sms]") < out.index("Demo log-ins:")
    assert out.index("leader 13800000001") < out.index("Louzu is running")
