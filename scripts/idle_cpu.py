#!/usr/bin/env python3
"""Measure the wizard's CPU time while it waits for a key (issue 16).

Runs nhsauth in a pseudo-terminal (100x30), brings it to a screen, then
reads utime+stime from /proc/<pid>/stat before and after IDLE seconds of
no input. Prints seconds of CPU per screen; the target is <= 0.15 s over
30 s (0.5% of a core). A measurement, not a pass/fail test.

usage: scripts/idle_cpu.py [path/to/nhsauth] [idle seconds]
"""
import fcntl, os, pty, select, shutil, struct, subprocess, sys, tempfile, termios, time

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


def own_platform(home):
    """A local platform of the script's own on home/.auth, whatever
    listens on 127.0.0.1:8400; returns the process and its base URL."""
    os.makedirs(os.path.join(home, ".auth"), exist_ok=True)
    p = subprocess.Popen([BIN, "mock", "--addr", "127.0.0.1:0", "--keys", os.path.join(home, ".auth")],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = p.stdout.readline()  # "base URL: http://127.0.0.1:PORT"
    return p, first.split(": ", 1)[1].strip()


def run(name, args, keys, ready):
    home = tempfile.mkdtemp(prefix="nhsauth-idle-")
    platform, base = own_platform(home)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(home)
        env = dict(os.environ, HOME=home, TERM="xterm-256color", NHSAUTH_KEY_BITS="2048", NHSAUTH_LOCAL_URL=base)
        os.execve(BIN, [BIN] + args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out = drain(fd, time.time() + 20, b"Choose a flow" if not keys else b"Key")
    for k in keys:
        os.write(fd, k)
        time.sleep(0.2)
        out = b""
    if ready not in out and ready not in drain(fd, time.time() + 60, ready):
        print(f"{name}: the wizard never showed {ready!r}", file=sys.stderr)
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
    platform.kill()
    platform.wait()
    shutil.rmtree(home, ignore_errors=True)
    print(f"{name}: {used:.2f} s CPU over {IDLE:.0f} s idle ({100 * used / IDLE:.2f}% of a core)")


run("flow picker", [], [], b"Choose a flow")
run("finished summary", ["wizard", "--flow", "app-restricted", "--env", "local"], [b"a"], b"Hello Application")
