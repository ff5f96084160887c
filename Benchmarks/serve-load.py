#!/usr/bin/env python3
"""A bounded load test of `dossier serve` on loopback (nothing leaves this machine).

Starts `dossier serve --port 0` on a copy of the sample, then for DURATION seconds runs
CONNECTIONS client threads that each send keep-alive GET requests for a mix of pages, while
hostile clients run alongside: one that sends its request head one byte a second (slowloris),
one with a 200 KB header, one with a 50 KB path. Prints requests/s, errors, the hostile
clients' answers and the server's memory before and after.

Usage: serve-load.py DOSSIER_BINARY [CONNECTIONS] [DURATION]"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

binary = os.path.abspath(sys.argv[1])
connections = int(sys.argv[2]) if len(sys.argv) > 2 else 32
duration = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
here = os.path.dirname(os.path.abspath(__file__))
project = tempfile.mkdtemp(prefix="dossier-load-")
for folder in ("Content", "Data", "Templates"):
    shutil.copytree(os.path.join(here, "..", folder), os.path.join(project, folder))

server = subprocess.Popen([binary, "serve", "--root", project, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
port = None
deadline = time.time() + 60
while time.time() < deadline:
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if match:
        port = int(match.group(1))
        break
if port is None:
    server.kill()
    sys.exit("the server did not start")
threading.Thread(target=lambda: server.stdout.read(), daemon=True).start()


def rss_kb():
    with open(f"/proc/{server.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read_response(sock, buffer):
    """Reads one response (head and Content-Length body); returns (status, rest of buffer)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return status, rest[length:]


pages = ["/", "/tenders/", "/programme-budget/", "/data/", "/tags/", "/missing-page", "/?q=a..b"]
stop_at = time.time() + duration
counts = {"requests": 0, "errors": 0, "statuses": {}}
lock = threading.Lock()


def client(n):
    done, errors, statuses = 0, 0, {}
    sock, buffer = None, b""
    i = n
    while time.time() < stop_at:
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                buffer = b""
            page = pages[i % len(pages)]
            i += 1
            sock.sendall(f"GET {page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status, buffer = read_response(sock, buffer)
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
        except Exception:
            errors += 1
            if sock:
                sock.close()
            sock = None
    if sock:
        sock.close()
    with lock:
        counts["requests"] += done
        counts["errors"] += errors
        for k, v in statuses.items():
            counts["statuses"][k] = counts["statuses"].get(k, 0) + v


hostile = {}


def slowloris():
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    start = time.time()
    try:
        for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            sock.send(bytes([byte]))
            time.sleep(1)
            if time.time() > stop_at + 15:
                break
    except OSError:
        pass
    try:
        answer = sock.recv(100).split(b"\r\n")[0].decode()
    except OSError as error:
        answer = f"closed ({error})"
    hostile["slow client (1 byte/s)"] = f"{answer} after {time.time() - start:.1f} s"
    sock.close()


def oversized(name, request):
    start = time.time()
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(request)
    except OSError:
        pass
    answer = sock.recv(100).split(b"\r\n")[0].decode()
    hostile[name] = f"{answer} in {(time.time() - start) * 1000:.0f} ms"
    sock.close()


before = rss_kb()
threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
threads.append(threading.Thread(target=slowloris))
start = time.time()
for t in threads:
    t.start()
time.sleep(1)
oversized("200 KB header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n")
oversized("50 KB path", b"GET /" + b"a" * 50_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
for t in threads[:-1]:
    t.join()
elapsed = time.time() - start
during = rss_kb()
threads[-1].join()
time.sleep(1)
after = rss_kb()
server.terminate()
server.wait(timeout=10)
shutil.rmtree(project, ignore_errors=True)

print(f"connections: {connections} keep-alive clients for {duration:.0f} s, plus hostile clients")
print(f"requests: {counts['requests']} ({counts['requests'] / elapsed:.0f}/s), errors: {counts['errors']}, "
      f"statuses: {dict(sorted(counts['statuses'].items()))}")
for name, answer in hostile.items():
    print(f"{name}: {answer}")
print(f"server memory (RSS): {before / 1024:.1f} MB before, {during / 1024:.1f} MB at the end of the load, "
      f"{after / 1024:.1f} MB after")
sys.exit(1 if counts["errors"] else 0)
