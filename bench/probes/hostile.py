#!/usr/bin/env python3
"""Re-runs two hostile probes of issue 16 against the built server and prints what it saw.

  stalled downloads: N clients send GET for a 32 MiB bundle and never read; then ordinary
    downloads and the health check are tried, and the server's RSS and download gauges read.
  connection burst: B uploads of 1 MiB, each on a new connection, all at once, to a fresh server.

  bench/probes/hostile.py [--jar staging-server/target/staging-server.jar] [--heap 128m]
                          [--stalled 3000] [--burst 200] [--accept-queue N]

Loopback only; the server it starts is stopped on exit.
"""
import argparse, collections, concurrent.futures, http.client, json, os, socket, subprocess, sys, tempfile, time, urllib.request

OWNER = json.dumps({"ownerNamespace": "probe", "ownerLabels": {"spark-app-selector": "probe"}, "ownerType": "Pod"})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(jar, heap, extra):
    port = free_port()
    data = tempfile.mkdtemp(prefix="hostile-")
    cmd = ["java", f"-Xmx{heap}", "-jar", jar, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data, "--kubernetes", "off"] + extra
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(data, "server.log"), "w"))
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc, port, " ".join(cmd)
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the server did not start: " + os.path.join(data, "server.log"))


def upload(port, size):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/v1/bundles", body=os.urandom(size), headers={"Bundle-Owner": OWNER, "Connection": "close"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def download_status(port, receipt):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/api/v1/bundles/" + receipt["resourceId"], headers={"Authorization": "Bearer " + receipt["resourceSecret"]})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body), response.getheader("Retry-After")
    finally:
        conn.close()


def metric(port, name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stalled_downloads(args):
    proc, port, cmd = start(args.jar, args.heap, [])
    try:
        print(f"server: {cmd}")
        status, body = upload(port, 32 << 20)
        assert status == 201, (status, body)
        receipt = json.loads(body)
        request = (f"GET /api/v1/bundles/{receipt['resourceId']} HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {receipt['resourceSecret']}\r\n\r\n").encode()
        sockets = []
        for _ in range(args.stalled):
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(request)
            sockets.append(s)
        time.sleep(3)
        statuses = collections.Counter()
        retry_after = set()
        for _ in range(20):
            code, _, retry = download_status(port, receipt)
            statuses[code] += 1
            retry_after.add(retry)
        started = time.monotonic()
        health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status
        health_ms = (time.monotonic() - started) * 1000
        print(f"stalled downloads: {len(sockets)} clients that never read, server -Xmx{args.heap}")
        print(f"  streaming {metric(port, 'staging_downloads_in_flight'):.0f} of at most {metric(port, 'staging_downloads_max'):.0f}; "
              f"server RSS {rss_mib(proc.pid):.0f} MiB")
        print(f"  20 new downloads meanwhile: {dict(statuses)} (Retry-After {sorted(r for r in retry_after if r)})")
        print(f"  /healthz: {health} in {health_ms:.0f} ms")
        for s in sockets:
            s.close()
        deadline = time.time() + 30
        while time.time() < deadline and metric(port, "staging_downloads_in_flight") > 0:
            time.sleep(0.5)
        code, length, _ = download_status(port, receipt)
        print(f"  after they hung up: a download answers {code} with {length} bytes")
    finally:
        proc.terminate()
        proc.wait()


def burst(args):
    extra = ["--accept-queue", str(args.accept_queue)] if args.accept_queue else []
    proc, port, cmd = start(args.jar, args.heap, extra)
    try:
        print(f"server: {cmd}")
        outcomes = collections.Counter()

        def one(_):
            try:
                status, _ = upload(port, 1 << 20)
                return str(status)
            except OSError as e:
                return type(e).__name__

        with concurrent.futures.ThreadPoolExecutor(args.burst) as pool:
            for outcome in pool.map(one, range(args.burst)):
                outcomes[outcome] += 1
        print(f"connection burst: {args.burst} uploads of 1 MiB on new connections at once: {dict(outcomes)}")
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", default="staging-server/target/staging-server.jar")
    parser.add_argument("--heap", default="128m")
    parser.add_argument("--stalled", type=int, default=3000)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--accept-queue", type=int, default=0, help="pass --accept-queue N to the server (default: its own default)")
    args = parser.parse_args()
    stalled_downloads(args)
    burst(args)


if __name__ == "__main__":
    main()
