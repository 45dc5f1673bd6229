#!/usr/bin/env python3
"""An APNs-like HTTP/2 TLS server written with the `h2` package, for the
interop test of our client (interop/run.sh). Not our code path at all:
Python's ssl (OpenSSL) does TLS and requires a client certificate chained to
--client-ca; h2 does HTTP/2.

It checks each push as APNs does (POST /3/device/<64 hex>, apns-topic equal
to --topic, apns-push-type mdm, apns-priority 10, apns-expiration a non-zero
number, body exactly {"mdm":"..."}) and answers:

  --ok TOKEN       200 with an apns-id
  --gone TOKEN     410 {"reason":"Unregistered","timestamp":<ms>}
  --wrong-env TOKEN  a GOAWAY (last stream 0) whose debug data is
                   {"reason":"BadCertificateEnvironment"}, then closes
  any other token  400 {"reason":"BadDeviceToken"}

It listens on 127.0.0.1, an ephemeral port, and writes the port to
--port-file once listening. Each request is logged as one line on stderr.
"""

import argparse
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import uuid

import h2.config
import h2.connection
import h2.events

GONE_AT_MS = 1_700_000_000_123


def log(*parts):
    print("h2_server:", *parts, file=sys.stderr, flush=True)


def check_push(headers, body, topic):
    """The reason APNs would refuse the request with, or None."""
    if headers.get(":method") != "POST":
        return 405, "MethodNotAllowed"
    m = re.fullmatch(r"/3/device/([0-9a-fA-F]+)", headers.get(":path", ""))
    if not m:
        return 404, "BadPath"
    if len(m.group(1)) != 64:
        return 400, "BadDeviceToken"
    if "apns-topic" not in headers:
        return 400, "MissingTopic"
    if headers["apns-topic"] != topic:
        return 400, "TopicDisallowed"
    if headers.get("apns-push-type") != "mdm":
        return 400, "InvalidPushType"
    if headers.get("apns-priority") != "10":
        return 400, "BadPriority"
    exp = headers.get("apns-expiration", "")
    if not exp.isdigit() or int(exp) == 0:
        return 400, "BadExpirationDate"
    try:
        payload = json.loads(body)
    except ValueError:
        return 400, "PayloadEmpty"
    if not (isinstance(payload, dict) and list(payload) == ["mdm"]
            and isinstance(payload["mdm"], str)):
        return 400, "BadPayload"
    if body != json.dumps({"mdm": payload["mdm"]}, separators=(",", ":")).encode():
        return 400, "BadPayload"
    return None


class Connection:
    def __init__(self, sock, args):
        self.sock = sock
        self.args = args
        self.conn = h2.connection.H2Connection(
            config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        self.headers = {}
        self.bodies = {}

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def respond(self, stream_id, status, body=None):
        headers = [(":status", str(status)), ("apns-id", str(uuid.uuid4()).upper())]
        if body is None:
            self.conn.send_headers(stream_id, headers, end_stream=True)
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers.append(("content-type", "application/json"))
            headers.append(("content-length", str(len(data))))
            self.conn.send_headers(stream_id, headers)
            self.conn.send_data(stream_id, data, end_stream=True)

    def request_done(self, stream_id):
        headers = self.headers.pop(stream_id)
        body = b"".join(self.bodies.pop(stream_id, []))
        token = headers.get(":path", "").rsplit("/", 1)[-1].lower()
        log(json.dumps({"headers": headers, "body": body.decode("utf-8", "replace")}))
        refused = check_push(headers, body, self.args.topic)
        if refused:
            status, reason = refused
            log("answer", status, reason)
            self.respond(stream_id, status, {"reason": reason})
        elif token == self.args.ok:
            self.respond(stream_id, 200)
        elif token == self.args.gone:
            self.respond(stream_id, 410, {"reason": "Unregistered", "timestamp": GONE_AT_MS})
        else:
            self.respond(stream_id, 400, {"reason": "BadDeviceToken"})

    def serve(self):
        self.conn.initiate_connection()
        self.flush()
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            for event in self.conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    headers = dict(event.headers)
                    token = headers.get(":path", "").rsplit("/", 1)[-1].lower()
                    if token == self.args.wrong_env:
                        # As APNs for a certificate of the other environment:
                        # the connection ends, nothing processed.
                        log("GOAWAY BadCertificateEnvironment on stream", event.stream_id)
                        self.conn.close_connection(
                            error_code=0,
                            additional_data=b'{"reason":"BadCertificateEnvironment"}',
                            last_stream_id=0)
                        self.flush()
                        time.sleep(0.2)
                        return
                    self.headers[event.stream_id] = headers
                elif isinstance(event, h2.events.DataReceived):
                    self.bodies.setdefault(event.stream_id, []).append(event.data)
                    self.conn.acknowledge_received_data(
                        event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    if event.stream_id in self.headers:
                        self.request_done(event.stream_id)
                elif isinstance(event, h2.events.ConnectionTerminated):
                    self.flush()
                    return
            self.flush()


def handle(raw, ctx, args):
    try:
        with ctx.wrap_socket(raw, server_side=True) as sock:
            peer = sock.getpeercert()
            subject = dict(x[0] for x in peer.get("subject", ())) if peer else {}
            log("TLS", sock.version(), "ALPN", sock.selected_alpn_protocol(),
                "client", subject.get("userId") or subject.get("commonName"))
            if sock.selected_alpn_protocol() != "h2":
                log("client did not negotiate h2")
                return
            Connection(sock, args).serve()
    except (ssl.SSLError, OSError) as e:
        log("connection ended:", e)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--client-ca", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--ok", required=True, type=str.lower)
    p.add_argument("--gone", required=True, type=str.lower)
    p.add_argument("--wrong-env", required=True, type=str.lower)
    p.add_argument("--port-file", required=True)
    args = p.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(args.client_ca)
    ctx.set_alpn_protocols(["h2"])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    log("listening on 127.0.0.1:%d" % listener.getsockname()[1])
    while True:
        raw, _ = listener.accept()
        threading.Thread(target=handle, args=(raw, ctx, args), daemon=True).start()


if __name__ == "__main__":
    main()
