#!/usr/bin/python3
"""A fake Keystone v3 for test 3510: just the calls zone-api makes.

usage: fake-keystone.py PORTFILE

Listens on a free 127.0.0.1 port (written to PORTFILE once it listens).
Tokens "tok-<name>[-<secs>]" are valid for <secs> (default 3600)
seconds from the first time they are seen, in project p-<name> with
role member ("tok-admin..." has admin); anything else is unknown (404).
POST /v3/auth/tokens gives service tokens svc-1, svc-2 ...
Control: GET /ctl?mode=ok|slow|error, /ctl?revoke=1 (service tokens go
bad), /ctl?stats=1 (JSON: logins and validations per token).
"""
import json
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

lock = threading.Lock()
state = {"mode": "ok", "logins": 0, "valid_svc": set(), "checks": {},
         "born": {}}


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000000Z")


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def misbehave(self):
        mode = state["mode"]
        if mode == "slow":
            time.sleep(3)
        if mode == "error":
            self.send(500, {"error": {"code": 500}})
            return True
        return False

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        if self.misbehave():
            return
        with lock:
            state["logins"] += 1
            tok = "svc-%d" % state["logins"]
            state["valid_svc"].add(tok)
        self.send(201, {"token": {"expires_at": iso(time.time() + 3600)}},
                  [("X-Subject-Token", tok)])

    def do_GET(self):
        u = urlparse(self.path)
        if u.path == "/ctl":
            q = parse_qs(u.query)
            with lock:
                if "mode" in q:
                    state["mode"] = q["mode"][0]
                if "revoke" in q:
                    state["valid_svc"].clear()
                out = {"logins": state["logins"], "checks": state["checks"]}
            return self.send(200, out)
        if self.misbehave():
            return
        if self.headers.get("X-Auth-Token") not in state["valid_svc"]:
            return self.send(401, {"error": {"code": 401}})
        if u.path.startswith("/v3/projects/"):
            pid = u.path.rsplit("/", 1)[1]
            return self.send(200 if pid.startswith("p-") else 404, {})
        if u.path != "/v3/auth/tokens":
            return self.send(404, {})
        sub = self.headers.get("X-Subject-Token", "")
        with lock:
            state["checks"][sub] = state["checks"].get(sub, 0) + 1
            born = state["born"].setdefault(sub, time.time())
        if not sub.startswith("tok-"):
            return self.send(404, {"error": {"code": 404}})
        parts = sub.split("-")
        name = parts[1]
        life = int(parts[2]) if len(parts) > 2 else 3600
        roles = [{"id": "r1", "name": "member"}, {"id": "r2", "name": "reader"}]
        if name == "admin":
            roles.append({"id": "r0", "name": "admin"})
        # (the fake keeps saying yes after expires_at: zone-api must not ask)
        self.send(200, {"token": {
            "expires_at": iso(born + life),
            "user": {"id": "u-" + name, "name": name},
            "project": {"id": "p-" + name, "name": name},
            "roles": roles}})


srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % srv.server_address[1])
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
