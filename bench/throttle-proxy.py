#!/usr/bin/env python3
"""A TCP proxy that holds each direction to a rate (bytes per second), shared by all connections, like one link.

Usage: throttle-proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT BYTES_PER_SECOND
For bench/submit.sh: the server on loopback is reached through it as if over a 100 Mbit/s line.
"""
import asyncio
import sys
import time


class Link:
    """A token bucket per direction: sends wait until the link has had time to carry the bytes before them."""

    def __init__(self, rate):
        self.rate = rate
        self.free_at = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self, n):
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.free_at)
            self.free_at = start + n / self.rate
            wait = self.free_at - now
        if wait > 0:
            await asyncio.sleep(wait)


async def pipe(reader, writer, link):
    try:
        while True:
            data = await reader.read(64 * 1024)
            if not data:
                break
            await link.take(len(data))
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    listen, host, port, rate = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    up, down = Link(rate), Link(rate)

    async def handle(client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection(host, port)
        await asyncio.gather(pipe(client_reader, server_writer, up), pipe(server_reader, client_writer, down))

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


asyncio.run(main())
