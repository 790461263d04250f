#!/usr/bin/python3
"""Runs one variant's test script inside its throwaway machine.

`nixproc test` starts this as a child of the machine's PID 1. The script's
steps come from testService (a JSON file: the first argument); each is either
Python text for the NixOS test driver's `machine` API, which the original
suites are written in, or shell lines. Commands run here, in the machine, as
root. The exit status is 0 when every step passed; on a failure the step and
the failing command's output go to stderr and to the second argument (a JSON
file nixproc reads back).
"""

import ast
import builtins
import contextlib
import json
import socket
import subprocess
import sys
import time


class TestFailure(Exception):
    def __init__(self, message, command=None, output=""):
        super().__init__(message)
        self.command = command
        self.output = output


def log(message):
    print(message, flush=True)


class Machine:
    """The NixOS test driver's machine API, for one machine that is already up."""

    def __init__(self, name, wait_timeout):
        self.name = name
        self.wait_timeout = wait_timeout

    def _timeout(self, timeout):
        return self.wait_timeout if timeout is None else timeout

    def log(self, message):
        log(f"{self.name}: {message}")

    def start(self):
        pass  # the machine is up before the script runs

    def execute(self, command, check_return=True, timeout=None, prologue=""):
        """Runs `command` in bash (set -euo pipefail); returns (status, stdout)."""
        log(f"{self.name}: {command}")
        try:
            done = subprocess.run(
                ["bash", "-c", "set -euo pipefail\n" + prologue + command],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=None,  # into the log
                cwd="/tmp",
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as expired:
            out = (expired.stdout or b"").decode(errors="replace")
            raise TestFailure(f"command timed out after {timeout} s", command, out)
        out = done.stdout.decode(errors="replace")
        if out:
            sys.stdout.write(out if out.endswith("\n") else out + "\n")
            sys.stdout.flush()
        return done.returncode, out

    def succeed(self, *commands, timeout=None):
        output = ""
        for command in commands:
            status, out = self.execute(command, timeout=timeout)
            if status != 0:
                raise TestFailure(f"command failed (exit status {status})", command, out)
            output += out
        return output

    def fail(self, *commands, timeout=None):
        output = ""
        for command in commands:
            status, out = self.execute(command, timeout=timeout)
            if status == 0:
                raise TestFailure("command succeeded unexpectedly", command, out)
            output += out
        return output

    def _retry(self, what, attempt, timeout):
        deadline = time.monotonic() + self._timeout(timeout)
        while True:
            result = attempt()
            if result is not None:
                return result
            if time.monotonic() >= deadline:
                raise TestFailure(f"timed out after {self._timeout(timeout)} s waiting for {what}")
            time.sleep(1)

    def wait_until_succeeds(self, command, timeout=None):
        last = [None]

        def attempt():
            status, out = self.execute(command)
            last[0] = out
            return out if status == 0 else None

        try:
            return self._retry(f"`{command}` to succeed", attempt, timeout)
        except TestFailure as failure:
            raise TestFailure(str(failure), command, last[0] or "")

    def wait_until_fails(self, command, timeout=None):
        def attempt():
            status, out = self.execute(command)
            return out if status != 0 else None

        return self._retry(f"`{command}` to fail", attempt, timeout)

    @staticmethod
    def _port_open(addr, port):
        try:
            with socket.create_connection((addr, int(port)), timeout=1):
                return True
        except OSError:
            return False

    def wait_for_open_port(self, port, addr="localhost", timeout=None):
        log(f"{self.name}: waiting for {addr}:{port} to open")
        self._retry(f"port {port} to open", lambda: True if self._port_open(addr, port) else None,
                    timeout)

    def wait_for_closed_port(self, port, addr="localhost", timeout=None):
        log(f"{self.name}: waiting for {addr}:{port} to close")
        self._retry(f"port {port} to close",
                    lambda: True if not self._port_open(addr, port) else None, timeout)

    def wait_for_file(self, filename, timeout=None):
        log(f"{self.name}: waiting for {filename}")
        self._retry(f"file {filename}",
                    lambda: True if subprocess.run(["test", "-e", filename]).returncode == 0
                    else None, timeout)

    def sleep(self, seconds):
        time.sleep(seconds)


def script_globals(machine):
    def start_all():
        machine.start()

    @contextlib.contextmanager
    def subtest(name):
        log(f"subtest: {name}")
        yield

    return {
        "machine": machine,
        "machines": [machine],
        "start_all": start_all,
        "subtest": subtest,
        "log": machine.log,
        "__name__": "nixproc_test_script",
    }


def is_python(text, known):
    """Whether `text` is Python for the driver: it parses, and every name it
    reads is a builtin, a driver name or one it binds itself. Anything else
    (`curl --fail ...`, `true`) is shell."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    bound = set(known) | set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    names = {node.id for node in ast.walk(tree)
             if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    return names <= bound


# A shell step names the command that failed.
SHELL_PROLOGUE = "trap 'echo \"nixproc-test: failed: $BASH_COMMAND\" >&2' ERR\n"


def run_step(step, machine, scope):
    text = step["text"]
    if is_python(text, scope):
        exec(compile(text, f"<{step['kind']} {step['phase']}>".replace("  ", " "), "exec"), scope)
    else:
        status, out = machine.execute(text, prologue=SHELL_PROLOGUE)
        if status != 0:
            raise TestFailure(f"shell lines failed (exit status {status})", text, out)


def main():
    with open(sys.argv[1]) as file:
        variant = json.load(file)
    failure_file = sys.argv[2]
    machine = Machine("machine", variant.get("waitTimeout", 60))
    scope = script_globals(machine)
    for step in variant["steps"]:
        title = step["kind"] + (f" {step['phase']}" if step["phase"] else "")
        log(f"== {title}")
        try:
            run_step(step, machine, scope)
        except Exception as error:  # the script's own errors fail the step too
            command = getattr(error, "command", None)
            output = getattr(error, "output", "")
            message = str(error) if isinstance(error, TestFailure) else \
                f"{type(error).__name__}: {error}"
            log(f"!! {title}: {message}" + (f"\n!! command: {command}" if command else ""))
            with open(failure_file, "w") as out:
                json.dump({"step": title, "message": message, "command": command,
                           "output": output}, out)
            return 1
    log("== passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
