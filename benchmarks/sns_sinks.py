"""HTTP and SMTP sinks for sns_load.py: the subscribers an SNS benchmark delivers to.

One sink process (asyncio, one thread) listens on several HTTP ports of 127.0.0.1 and, if
asked, on one SMTP port (aiosmtpd on the same event loop). sns_load.py starts a few of them
with ``start_sinks`` and talks to each over a multiprocessing pipe.

HTTP: a minimal HTTP/1.1 server with keep-alive (Content-Length or chunked bodies), which
answers every request ``200`` with an empty body as soon as the request is complete. A POST
whose JSON ``Type`` is ``SubscriptionConfirmation`` is confirmed by a GET of its
``SubscribeURL`` (in a thread, after the answer), as a real subscriber does. A
``Notification`` is recorded: its ``Message`` is the JSON the publisher wrote
(``{"phase": …, "pub": …, "seq": …, "sent": time_ns}``), so that delivery latency is the
receive time minus ``sent`` (one machine, one wall clock). Each notification is also checked
for the fields AWS sends and for the ``x-amz-sns-message-type`` header; duplicates (the same
publisher, sequence number and port twice) are counted.

SMTP: every message is parsed (MIME, quoted-printable or base64 decoded). A confirmation
e-mail's ``Action=ConfirmSubscription`` link is followed; a notification's message JSON is
recorded like an HTTP one.

Each process counts the notifications it received in its own slot of a shared array, so that
publishers can keep the backlog of undelivered notifications bounded without locks.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import html
import json
import multiprocessing
import os
import re
import threading
import time
import urllib.request
from dataclasses import dataclass, field

OK_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
BAD_RESPONSE = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
NOTIFICATION_FIELDS = ("Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature",
                       "SigningCertURL", "UnsubscribeURL")
CONFIRM_LINK = re.compile(r"https?://[^\s\"'<>]*Action=ConfirmSubscription[^\s\"'<>]*")
MESSAGE_JSON = re.compile(r'\{"phase": "\w+", "pub": \d+, "seq": \d+, "sent": \d+\}')


@dataclass
class PhaseStats:
    """What arrived for one phase of the benchmark (HTTP or e-mail)."""

    count: int = 0
    latencies_ns: list[int] = field(default_factory=list)
    first_ns: int = 0
    last_ns: int = 0
    keys: set[tuple[int, int, int]] = field(default_factory=set)
    duplicates: int = 0

    def record(self, key: tuple[int, int, int], sent_ns: int, now_ns: int) -> None:
        self.count += 1
        if key in self.keys:
            self.duplicates += 1
        else:
            self.keys.add(key)
        self.latencies_ns.append(now_ns - sent_ns)
        self.first_ns = now_ns if self.first_ns == 0 else min(self.first_ns, now_ns)
        self.last_ns = max(self.last_ns, now_ns)

    def report(self) -> dict:
        return {"count": self.count, "unique": len(self.keys), "duplicates": self.duplicates,
                "latencies_ns": self.latencies_ns, "first_ns": self.first_ns, "last_ns": self.last_ns}


class Sink:
    """The state of one sink process."""

    def __init__(self, slot: int, counters) -> None:
        self.slot = slot
        self.counters = counters
        self.http: dict[str, PhaseStats] = {}
        self.mail: dict[str, PhaseStats] = {}
        self.confirmations = 0
        self.confirm_failures = 0
        self.mail_confirmations = 0
        self.missing_header = 0
        self.missing_fields = 0
        self.other_requests = 0
        self.mails = 0
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        if len(self.notes) < 20:
            self.notes.append(text)

    def confirm(self, url: str) -> None:
        """GETs a SubscribeURL in a thread (the event loop keeps answering deliveries)."""

        def get() -> None:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
            except Exception as error:  # noqa: BLE001 - reported, the run goes on
                self.confirm_failures += 1
                self.note(f"confirmation GET failed: {error!r}")

        threading.Thread(target=get, daemon=True).start()

    def http_request(self, port: int, method: str, headers: dict[str, str], body: bytes, now_ns: int) -> None:
        if method != "POST":
            self.other_requests += 1
            return
        try:
            document = json.loads(body)
            kind = document.get("Type")
        except (ValueError, AttributeError):
            self.other_requests += 1
            self.note(f"not JSON on port {port}: {body[:200]!r}")
            return
        if kind == "SubscriptionConfirmation":
            self.confirmations += 1
            if headers.get("x-amz-sns-message-type") != "SubscriptionConfirmation":
                self.missing_header += 1
            self.confirm(document["SubscribeURL"])
        elif kind == "Notification":
            if headers.get("x-amz-sns-message-type") != "Notification":
                self.missing_header += 1
            if any(name not in document for name in NOTIFICATION_FIELDS):
                self.missing_fields += 1
                self.note(f"fields missing: {sorted(set(NOTIFICATION_FIELDS) - set(document))}")
            try:
                message = json.loads(document["Message"])
            except (KeyError, ValueError):
                self.note(f"unexpected Message: {document.get('Message')!r:.200}")
                return
            stats = self.http.setdefault(message["phase"], PhaseStats())
            stats.record((port, message["pub"], message["seq"]), message["sent"], now_ns)
            self.counters[self.slot] += 1
        else:
            self.other_requests += 1
            self.note(f"Type {kind!r} on port {port}")

    def mail_message(self, content: bytes, now_ns: int) -> None:
        self.mails += 1
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        texts = []
        for part in parsed.walk():
            if part.get_content_maintype() == "text":
                texts.append(part.get_content())
        text = "\n".join(texts)
        link = CONFIRM_LINK.search(text)
        if link:
            self.mail_confirmations += 1
            self.confirm(html.unescape(link.group(0)))
            return
        found = MESSAGE_JSON.search(text)
        if not found:
            self.note(f"e-mail without a benchmark message: {text[:200]!r}")
            return
        message = json.loads(found.group(0))
        stats = self.mail.setdefault(message["phase"], PhaseStats())
        stats.record((0, message["pub"], message["seq"]), message["sent"], now_ns)

    def report(self, phase: str) -> dict:
        return {
            "http": self.http.get(phase, PhaseStats()).report(),
            "mail": self.mail.get(phase, PhaseStats()).report(),
            "confirmations": self.confirmations, "confirmFailures": self.confirm_failures,
            "mailConfirmations": self.mail_confirmations, "mails": self.mails,
            "missingHeader": self.missing_header, "missingFields": self.missing_fields,
            "otherRequests": self.other_requests, "notes": self.notes,
        }


class HTTPSinkProtocol(asyncio.Protocol):
    """One HTTP/1.1 connection: parses requests, answers 200 at once."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.port = 0
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.port = transport.get_extra_info("sockname")[1]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            method = lines[0].split(" ", 1)[0]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            start = end + 4
            if headers.get("transfer-encoding", "").lower() == "chunked":
                parsed = self.chunked(start)
                if parsed is None:
                    return
                body, consumed = parsed
            else:
                try:
                    length = int(headers.get("content-length", "0"))
                except ValueError:
                    self.transport.write(BAD_RESPONSE)
                    self.transport.close()
                    return
                if len(self.buffer) < start + length:
                    return
                body, consumed = bytes(self.buffer[start:start + length]), start + length
            del self.buffer[:consumed]
            now_ns = time.time_ns()
            self.transport.write(OK_RESPONSE)
            try:
                self.sink.http_request(self.port, method, headers, body, now_ns)
            except Exception as error:  # noqa: BLE001 - a bad request must not stop the sink
                self.sink.note(f"request handling failed: {error!r}")
            if headers.get("connection", "").lower() == "close":
                self.transport.close()
                return

    def chunked(self, start: int) -> tuple[bytes, int] | None:
        body = bytearray()
        position = start
        while True:
            line_end = self.buffer.find(b"\r\n", position)
            if line_end < 0:
                return None
            size = int(bytes(self.buffer[position:line_end]).split(b";")[0], 16)
            chunk_start = line_end + 2
            if size == 0:
                trailer_end = self.buffer.find(b"\r\n\r\n", line_end)
                if trailer_end < 0:
                    return None
                return bytes(body), trailer_end + 4
            if len(self.buffer) < chunk_start + size + 2:
                return None
            body += self.buffer[chunk_start:chunk_start + size]
            position = chunk_start + size + 2

    def connection_lost(self, exc) -> None:
        self.transport = None


class MailHandler:
    """aiosmtpd handler: every DATA is handed to the sink."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        now_ns = time.time_ns()
        try:
            self.sink.mail_message(envelope.original_content or envelope.content, now_ns)
        except Exception as error:  # noqa: BLE001
            self.sink.note(f"e-mail handling failed: {error!r}")
        return "250 OK"


async def serve(slot: int, port_count: int, smtp_port: int | None, connection, counters) -> None:
    loop = asyncio.get_running_loop()
    sink = Sink(slot, counters)
    servers = []
    ports = []
    for _ in range(port_count):
        server = await loop.create_server(lambda: HTTPSinkProtocol(sink), "127.0.0.1", 0, backlog=1024)
        servers.append(server)
        ports.append(server.sockets[0].getsockname()[1])
    if smtp_port:
        from aiosmtpd.smtp import SMTP

        handler = MailHandler(sink)
        servers.append(await loop.create_server(lambda: SMTP(handler, hostname="sink.local"), "127.0.0.1",
                                                smtp_port, reuse_address=True, backlog=1024))
    connection.send(ports)

    done = loop.create_future()

    def command() -> None:
        request = connection.recv()
        if request[0] == "report":
            connection.send(sink.report(request[1]))
        elif request[0] == "cpu":
            connection.send(time.process_time())
        elif request[0] == "stop":
            loop.remove_reader(connection.fileno())
            done.set_result(None)

    loop.add_reader(connection.fileno(), command)
    await done
    for server in servers:
        server.close()


def run_sink(slot: int, port_count: int, smtp_port: int | None, connection, counters) -> None:
    asyncio.run(serve(slot, port_count, smtp_port, connection, counters))


class Sinks:
    """The running sink processes, seen from sns_load.py."""

    def __init__(self, subscribers: int, processes: int, smtp_port: int | None) -> None:
        processes = max(1, min(processes, subscribers))
        self.counters = multiprocessing.Array("q", processes, lock=False)
        self.connections = []
        self.processes = []
        self.ports: list[int] = []
        for slot in range(processes):
            count = subscribers // processes + (1 if slot < subscribers % processes else 0)
            parent, child = multiprocessing.Pipe()
            process = multiprocessing.Process(
                target=run_sink, args=(slot, count, smtp_port if slot == 0 else None, child, self.counters),
                daemon=True)
            process.start()
            self.connections.append(parent)
            self.processes.append(process)
        for parent in self.connections:
            self.ports.extend(parent.recv())

    def delivered(self) -> int:
        """Notifications received over HTTP so far, all phases."""
        return sum(self.counters)

    def ask(self, *request) -> list:
        for connection in self.connections:
            connection.send(request)
        return [connection.recv() for connection in self.connections]

    def cpu_seconds(self) -> float:
        return sum(self.ask("cpu"))

    def report(self, phase: str) -> dict:
        """The merged report of all sink processes for one phase."""
        merged: dict = {}
        for part in self.ask("report", phase):
            for kind in ("http", "mail"):
                into = merged.setdefault(kind, {"count": 0, "unique": 0, "duplicates": 0, "latencies_ns": [],
                                                "first_ns": 0, "last_ns": 0})
                got = part[kind]
                for key in ("count", "unique", "duplicates"):
                    into[key] += got[key]
                into["latencies_ns"] += got["latencies_ns"]
                if got["first_ns"]:
                    into["first_ns"] = got["first_ns"] if not into["first_ns"] else min(into["first_ns"],
                                                                                          got["first_ns"])
                into["last_ns"] = max(into["last_ns"], got["last_ns"])
            for key in ("confirmations", "confirmFailures", "mailConfirmations", "mails", "missingHeader",
                        "missingFields", "otherRequests"):
                merged[key] = merged.get(key, 0) + part[key]
            merged.setdefault("notes", []).extend(part["notes"])
        return merged

    def stop(self) -> None:
        for connection in self.connections:
            try:
                connection.send(("stop",))
            except OSError:
                pass
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.kill()


if __name__ == "__main__":
    # Standalone: serve N ports until Enter is pressed (for trying a broker by hand).
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    sinks = Sinks(count, 1, int(sys.argv[2]) if len(sys.argv) > 2 else None)
    print("HTTP sinks on ports", sinks.ports, "pid", os.getpid(), flush=True)
    input()
    print(json.dumps({k: v for k, v in sinks.report("manual").items() if k != "notes"}, default=str)[:2000])
    sinks.stop()
