#!/usr/bin/env python3
"""The Python side of interop/bench/run.sh: MDM pushes through one
httpx.AsyncClient(http2=True) (one connection: max_connections=1), at most
CONCURRENCY in flight (a semaphore), then one line of JSON like the Rust
bench example's.

    python3 httpx_client.py URL CA CERT KEY TOKENS TOTAL CONCURRENCY
    python3 httpx_client.py URL CA CERT KEY TOKENS idle N

The topic is read from the file "topic" beside CERT. The idle form opens N
clients (one connection each, one push each) and reports the RSS with one
and with N open.
"""

import asyncio
import json
import os
import resource
import ssl
import sys
import time

import httpx

BODY = b'{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}'


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def new_client(ca, cert, key, connections=1):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.load_cert_chain(cert, key)
    return httpx.AsyncClient(
        http2=True, verify=ctx, timeout=30.0,
        limits=httpx.Limits(max_connections=connections,
                            max_keepalive_connections=connections))


async def push(client, url, token, topic):
    headers = {
        "apns-topic": topic,
        "apns-push-type": "mdm",
        "apns-priority": "10",
        "apns-expiration": str(int(time.time()) + 3600),
    }
    r = await client.post(f"{url}/3/device/{token}", content=BODY, headers=headers)
    return r.status_code == 200 and r.http_version == "HTTP/2"


async def main():
    if len(sys.argv) != 8:
        sys.exit("usage: httpx_client.py URL CA CERT KEY TOKENS TOTAL|idle CONCURRENCY|N")
    url, ca, cert, key, tokens_file, total, concurrency = sys.argv[1:]
    with open(os.path.join(os.path.dirname(cert), "topic")) as f:
        topic = f.read().strip()
    with open(tokens_file) as f:
        tokens = f.read().split()

    if total == "idle":
        n = int(concurrency)
        clients, rss = [], []
        for _ in range(n):
            c = new_client(ca, cert, key)
            if not await push(c, url, tokens[0], topic):
                sys.exit("idle setup push not delivered")
            clients.append(c)
            rss.append(status_kb("VmRSS:"))
        print(json.dumps({
            "client": "httpx", "mode": "idle", "connections": n,
            "rss_kb_1": rss[0], "rss_kb_n": rss[-1],
            "kb_per_connection": round((rss[-1] - rss[0]) / (max(n, 2) - 1), 1)}))
        for c in clients:
            await c.aclose()
        return

    total, concurrency = int(total), int(concurrency)
    client = new_client(ca, cert, key)
    sem = asyncio.Semaphore(concurrency)
    delivered = errors = 0

    async def one(i):
        nonlocal delivered, errors
        async with sem:
            try:
                if await push(client, url, tokens[i % len(tokens)], topic):
                    delivered += 1
            except httpx.HTTPError:
                errors += 1

    # One push first, untimed: the connection is open before the clock starts.
    if not await push(client, url, tokens[0], topic):
        sys.exit("warm-up push not delivered")
    cpu0, start = cpu_seconds(), time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(total)))
    wall = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    await client.aclose()
    print(json.dumps({
        "client": "httpx", "pushes": total, "concurrency": concurrency,
        "delivered": delivered, "errors": errors, "wall_s": round(wall, 3),
        "pushes_per_s": round(total / wall), "cpu_s": round(cpu, 3),
        "cpu_us_per_push": round(cpu * 1e6 / total, 1),
        "peak_rss_kb": status_kb("VmHWM:"), "connections": 1}))


asyncio.run(main())
