#!/usr/bin/env python3
"""Measure the wizard's CPU time while it waits for a key (issue 16).

Runs nhsauth in a pseudo-terminal (100x30), brings it to a screen, then
reads utime+stime from /proc/<pid>/stat before and after IDLE seconds of
no input. Prints seconds of CPU per screen; the target is <= 0.15 s over
30 s (0.5% of a core). A measurement, not a pass/fail test.

usage: scripts/idle_cpu.py [path/to/nhsauth] [idle seconds]
"""
import fcntl, os, pty, select, shutil, struct, sys, tempfile, termios, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "./nhsauth"
IDLE = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
TICKS = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def drain(fd, until, want=b""):
    """Read the pty until `want` was seen (or the deadline); return all."""
    out = b""
    while time.time() < until:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                break
            if want and want in out:
                break
    return out


def run(name, args, keys, ready):
    home = tempfile.mkdtemp(prefix="nhsauth-idle-")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(home)
        env = dict(os.environ, HOME=home, TERM="xterm-256color", NHSAUTH_KEY_BITS="2048")
        os.execve(BIN, [BIN] + args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    drain(fd, time.time() + 20, b"Choose a flow" if not keys else b"Key")
    for k in keys:
        os.write(fd, k)
        time.sleep(0.2)
    drain(fd, time.time() + 60, ready)
    drain(fd, time.time() + 2)  # let the last frame and formatting finish
    before = cpu(pid)
    # Keep reading what it writes, or a full pty would block it.
    end = time.time() + IDLE
    drain(fd, end)
    used = cpu(pid) - before
    os.write(fd, b"q")
    drain(fd, time.time() + 3)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    shutil.rmtree(home, ignore_errors=True)
    print(f"{name}: {used:.2f} s CPU over {IDLE:.0f} s idle ({100 * used / IDLE:.2f}% of a core)")


run("flow picker", [], [], b"Choose a flow")
run("finished summary", ["wizard", "--flow", "app-restricted", "--env", "local"], [b"a"], b"Hello Application")
