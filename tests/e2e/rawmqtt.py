"""A tiny MQTT 3.1.1 client that writes and reads packets byte by byte.

It exists for what a real client library refuses to do: send malformed packets, send the
same QoS 2 PUBLISH twice, withhold acknowledgements, or look at the exact bytes of a
CONNACK. Encoders return ``bytes``; anything that must be invalid can be passed as raw
bytes (topics, client ids) or built with :func:`packet`.
"""

from __future__ import annotations

import select
import socket
import ssl
import struct
import time
from dataclasses import dataclass, field

# Packet types (upper nibble of the first byte).
CONNECT = 1
CONNACK = 2
PUBLISH = 3
PUBACK = 4
PUBREC = 5
PUBREL = 6
PUBCOMP = 7
SUBSCRIBE = 8
SUBACK = 9
UNSUBSCRIBE = 10
UNSUBACK = 11
PINGREQ = 12
PINGRESP = 13
DISCONNECT = 14

TYPE_NAMES = {
    CONNECT: "CONNECT",
    CONNACK: "CONNACK",
    PUBLISH: "PUBLISH",
    PUBACK: "PUBACK",
    PUBREC: "PUBREC",
    PUBREL: "PUBREL",
    PUBCOMP: "PUBCOMP",
    SUBSCRIBE: "SUBSCRIBE",
    SUBACK: "SUBACK",
    UNSUBSCRIBE: "UNSUBSCRIBE",
    UNSUBACK: "UNSUBACK",
    PINGREQ: "PINGREQ",
    PINGRESP: "PINGRESP",
    DISCONNECT: "DISCONNECT",
}


# --------------------------------------------------------------------------- encoding


def varint(n: int) -> bytes:
    """The MQTT variable byte integer (remaining length) encoding of ``n``."""
    if n < 0 or n > 268_435_455:
        raise ValueError(f"remaining length out of range: {n}")
    out = bytearray()
    while True:
        byte = n % 128
        n //= 128
        if n:
            byte |= 0x80
        out.append(byte)
        if not n:
            return bytes(out)


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def string(value: str | bytes) -> bytes:
    """A length-prefixed MQTT string (``value`` may be raw, possibly invalid, bytes)."""
    data = _bytes(value)
    return struct.pack("!H", len(data)) + data


def packet(first_byte: int, body: bytes = b"") -> bytes:
    """A whole packet: fixed header byte, remaining length, body."""
    return bytes([first_byte]) + varint(len(body)) + body


@dataclass
class Will:
    topic: str | bytes
    payload: bytes
    qos: int = 0
    retain: bool = False


def connect(
    client_id: str | bytes,
    *,
    clean: bool = True,
    keepalive: int = 60,
    will: Will | None = None,
    username: str | bytes | None = None,
    password: bytes | None = None,
    protocol_name: str | bytes = "MQTT",
    level: int = 4,
    flags: int | None = None,
    first_byte: int = 0x10,
) -> bytes:
    """A CONNECT packet. ``flags`` overrides the computed connect-flags byte."""
    computed = 0
    if clean:
        computed |= 0x02
    if will is not None:
        computed |= 0x04 | (will.qos << 3) | (0x20 if will.retain else 0)
    if password is not None:
        computed |= 0x40
    if username is not None:
        computed |= 0x80
    body = string(protocol_name) + bytes([level, computed if flags is None else flags])
    body += struct.pack("!H", keepalive) + string(client_id)
    if will is not None:
        body += string(will.topic) + struct.pack("!H", len(will.payload)) + will.payload
    if username is not None:
        body += string(username)
    if password is not None:
        body += struct.pack("!H", len(password)) + password
    return packet(first_byte, body)


def publish(
    topic: str | bytes,
    payload: bytes = b"",
    *,
    qos: int = 0,
    retain: bool = False,
    dup: bool = False,
    packet_id: int | None = None,
) -> bytes:
    """A PUBLISH packet; ``packet_id`` is required for QoS > 0 (pass 0 to send an invalid 0)."""
    first = 0x30 | (0x08 if dup else 0) | (qos << 1) | (0x01 if retain else 0)
    body = string(topic)
    if qos > 0:
        if packet_id is None:
            raise ValueError("QoS > 0 needs a packet id")
        body += struct.pack("!H", packet_id)
    return packet(first, body + payload)


def _ack(first_byte: int, packet_id: int) -> bytes:
    return packet(first_byte, struct.pack("!H", packet_id))


def puback(packet_id: int) -> bytes:
    return _ack(0x40, packet_id)


def pubrec(packet_id: int) -> bytes:
    return _ack(0x50, packet_id)


def pubrel(packet_id: int, flags: int = 0x02) -> bytes:
    return _ack(0x60 | flags, packet_id)


def pubcomp(packet_id: int) -> bytes:
    return _ack(0x70, packet_id)


def subscribe(packet_id: int, filters: list[tuple[str | bytes, int]], flags: int = 0x02) -> bytes:
    body = struct.pack("!H", packet_id)
    for topic_filter, qos in filters:
        body += string(topic_filter) + bytes([qos])
    return packet(0x80 | flags, body)


def unsubscribe(packet_id: int, filters: list[str | bytes], flags: int = 0x02) -> bytes:
    body = struct.pack("!H", packet_id)
    for topic_filter in filters:
        body += string(topic_filter)
    return packet(0xA0 | flags, body)


def pingreq() -> bytes:
    return packet(0xC0)


def disconnect() -> bytes:
    return packet(0xE0)


# --------------------------------------------------------------------------- decoding


class Closed(Exception):
    """The peer closed the connection (EOF or reset)."""


class ProtocolMismatch(AssertionError):
    """A packet other than the expected one arrived."""


@dataclass
class Packet:
    type: int
    flags: int
    body: bytes
    raw: bytes = field(repr=False, default=b"")

    @property
    def name(self) -> str:
        return TYPE_NAMES.get(self.type, f"type{self.type}")

    # CONNACK
    @property
    def session_present(self) -> bool:
        assert self.type == CONNACK
        return bool(self.body[0] & 0x01)

    @property
    def return_code(self) -> int:
        assert self.type == CONNACK
        return self.body[1]

    # PUBLISH
    @property
    def qos(self) -> int:
        assert self.type == PUBLISH
        return (self.flags >> 1) & 0x03

    @property
    def dup(self) -> bool:
        assert self.type == PUBLISH
        return bool(self.flags & 0x08)

    @property
    def retain(self) -> bool:
        assert self.type == PUBLISH
        return bool(self.flags & 0x01)

    @property
    def topic(self) -> str:
        assert self.type == PUBLISH
        (n,) = struct.unpack_from("!H", self.body, 0)
        return self.body[2 : 2 + n].decode("utf-8")

    @property
    def payload(self) -> bytes:
        assert self.type == PUBLISH
        (n,) = struct.unpack_from("!H", self.body, 0)
        start = 2 + n + (2 if self.qos > 0 else 0)
        return self.body[start:]

    # PUBLISH (QoS > 0), PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK
    @property
    def packet_id(self) -> int:
        if self.type == PUBLISH:
            assert self.qos > 0, "QoS 0 PUBLISH has no packet id"
            (n,) = struct.unpack_from("!H", self.body, 0)
            return struct.unpack_from("!H", self.body, 2 + n)[0]
        return struct.unpack_from("!H", self.body, 0)[0]

    # SUBACK
    @property
    def return_codes(self) -> list[int]:
        assert self.type == SUBACK
        return list(self.body[2:])

    def __str__(self) -> str:
        if self.type == PUBLISH:
            pid = f" id={self.packet_id}" if self.qos else ""
            return (
                f"PUBLISH(topic={self.topic!r} qos={self.qos} retain={int(self.retain)} "
                f"dup={int(self.dup)}{pid} payload={self.payload[:40]!r})"
            )
        return f"{self.name}(flags={self.flags:#x} body={self.body.hex()})"


def decode_remaining_length(data: bytes, offset: int) -> tuple[int, int] | None:
    """(value, bytes used) of the varint at ``offset``, or None when ``data`` is too short."""
    value = 0
    multiplier = 1
    for i in range(4):
        if offset + i >= len(data):
            return None
        byte = data[offset + i]
        value += (byte & 0x7F) * multiplier
        multiplier *= 128
        if not byte & 0x80:
            return value, i + 1
    raise ValueError("remaining length longer than 4 bytes")


# --------------------------------------------------------------------------- the client


class RawClient:
    """One MQTT connection over a plain (or TLS) socket, driven packet by packet."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        server_hostname: str | None = None,
        rcvbuf: int | None = None,
    ) -> None:
        self.timeout = timeout
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.settimeout(timeout)
        sock.connect((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ssl_context is not None:
            sock = ssl_context.wrap_socket(sock, server_hostname=server_hostname or host)
        self.sock = sock
        self._buffer = b""
        self.closed = False
        self._next_id = 0
        self.held: list[Packet] = []
        """PUBLISH packets that arrived while waiting for another packet, oldest first."""

    # ---- plumbing

    def next_packet_id(self) -> int:
        self._next_id = self._next_id % 65535 + 1
        return self._next_id

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_quietly(self, data: bytes) -> None:
        """Send, ignoring a peer that already closed (for packets the server may reject early)."""
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass

    def _fill(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no packet before the deadline")
        pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
        if not pending:
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                raise TimeoutError("no packet before the deadline")
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError) as exc:
            self.closed = True
            raise Closed(str(exc)) from exc
        except ssl.SSLWantReadError:
            return
        except ssl.SSLError as exc:
            self.closed = True
            raise Closed(f"TLS: {exc}") from exc
        except TimeoutError as exc:
            raise TimeoutError("no packet before the deadline") from exc
        if not chunk:
            self.closed = True
            raise Closed("EOF")
        self._buffer += chunk

    def recv(self, timeout: float | None = None) -> Packet:
        """The next packet; raises TimeoutError when none comes, Closed when the peer hangs up."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            if len(self._buffer) >= 2:
                decoded = decode_remaining_length(self._buffer, 1)
                if decoded is not None:
                    length, used = decoded
                    total = 1 + used + length
                    if len(self._buffer) >= total:
                        raw = self._buffer[:total]
                        self._buffer = self._buffer[total:]
                        return Packet(raw[0] >> 4, raw[0] & 0x0F, raw[1 + used :], raw)
            self._fill(deadline)

    def expect(self, packet_type: int, timeout: float | None = None) -> Packet:
        pkt = self.recv(timeout)
        if pkt.type != packet_type:
            raise ProtocolMismatch(f"expected {TYPE_NAMES[packet_type]}, got {pkt}")
        return pkt

    def recv_or_none(self, timeout: float) -> Packet | None:
        """The next packet, or None when nothing arrives within ``timeout``."""
        try:
            return self.recv(timeout)
        except TimeoutError:
            return None

    def wait_closed(self, timeout: float) -> list[Packet]:
        """Read until the peer closes; returns the packets seen before. TimeoutError if it stays open."""
        seen: list[Packet] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"connection still open after {timeout}s (saw {[str(p) for p in seen]})")
            try:
                seen.append(self.recv(remaining))
            except Closed:
                return seen
            except TimeoutError:
                raise TimeoutError(
                    f"connection still open after {timeout}s (saw {[str(p) for p in seen]})"
                ) from None

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True

    def abort(self) -> None:
        """Drop the connection with a TCP RST, as a crashed device would."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close()

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- conversations

    def connect(self, client_id: str | bytes, **kwargs: object) -> Packet:
        """Send CONNECT and return the CONNACK (whatever its return code)."""
        self.send(connect(client_id, **kwargs))  # type: ignore[arg-type]
        return self.expect(CONNACK)

    def connect_ok(self, client_id: str | bytes, **kwargs: object) -> Packet:
        connack = self.connect(client_id, **kwargs)
        assert connack.return_code == 0, f"CONNACK {connack.return_code:#04x}"
        return connack

    def subscribe(self, filters: list[tuple[str | bytes, int]], timeout: float | None = None) -> list[int]:
        """SUBSCRIBE and return the SUBACK return codes (PUBLISHes arriving first are kept)."""
        pid = self.next_packet_id()
        self.send(subscribe(pid, filters))
        suback = self.expect_skipping_publishes(SUBACK, timeout)
        assert suback.packet_id == pid
        return suback.return_codes

    def unsubscribe(self, filters: list[str | bytes]) -> None:
        pid = self.next_packet_id()
        self.send(unsubscribe(pid, filters))
        unsuback = self.expect_skipping_publishes(UNSUBACK)
        assert unsuback.packet_id == pid

    def expect_skipping_publishes(self, packet_type: int, timeout: float | None = None) -> Packet:
        """Wait for ``packet_type``; PUBLISH packets met on the way are kept in ``self.held``."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            pkt = self.recv(max(0.0, deadline - time.monotonic()))
            if pkt.type == packet_type:
                return pkt
            if pkt.type != PUBLISH:
                raise ProtocolMismatch(f"expected {TYPE_NAMES[packet_type]}, got {pkt}")
            self.held.append(pkt)

    def next_publish(self, timeout: float | None = None) -> Packet:
        if self.held:
            return self.held.pop(0)
        return self.expect(PUBLISH, timeout)

    def publish_qos0(self, topic: str | bytes, payload: bytes, retain: bool = False) -> None:
        self.send(publish(topic, payload, retain=retain))

    def publish_qos1(self, topic: str | bytes, payload: bytes, retain: bool = False) -> int:
        pid = self.next_packet_id()
        self.send(publish(topic, payload, qos=1, retain=retain, packet_id=pid))
        ack = self.expect_skipping_publishes(PUBACK)
        assert ack.packet_id == pid
        return pid

    def publish_qos2(self, topic: str | bytes, payload: bytes, retain: bool = False) -> int:
        pid = self.next_packet_id()
        self.send(publish(topic, payload, qos=2, retain=retain, packet_id=pid))
        rec = self.expect_skipping_publishes(PUBREC)
        assert rec.packet_id == pid
        self.send(pubrel(pid))
        comp = self.expect_skipping_publishes(PUBCOMP)
        assert comp.packet_id == pid
        return pid

    def ping(self, timeout: float | None = None) -> Packet:
        self.send(pingreq())
        return self.expect_skipping_publishes(PINGRESP, timeout)
