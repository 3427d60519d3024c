#!/usr/bin/env python3
"""A fake 企业微信 or 钉钉 group robot for the integration tests.

It checks each request as the real robot documents it, with Python's own
hmac, base64 and urllib (independently of uplift-notify's signing code):
the key or access_token in the URL, 钉钉's timestamp (within an hour) and
sign (base64 of HMAC-SHA256(secret, "<ms>\\n<secret>")), a markdown message
of the robot's shape. It answers HTTP 200 with {"errcode": ..., "errmsg": ...}
as the robots do: 0 when accepted; -1 (system busy) for the first
--busy-first valid requests; the robot's rate-limit errcode beyond --limit
accepted messages per --window seconds; 93000 / 310000 for a wrong key or
signature; 40008 for a message of the wrong shape. Every request is
appended to --log as one JSON line: {"time", "errcode", "text"}.

  fake_robot.py --kind wecom|dingtalk --key K [--secret S] --port-file F --log F
"""
import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

from fake_http import answer_json, log_line, serve

RATE_LIMITED = {"wecom": 45009, "dingtalk": 130101}
WRONG_KEY = {"wecom": 93000, "dingtalk": 300001}
WRONG_SIGN = 310000
WRONG_SHAPE = 40008


def dingtalk_sign(secret, timestamp):
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class Robot:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.busy_left = args.busy_first
        self.accepted = []  # times of accepted messages

    def check(self, path, body):
        """The errcode and the message's text (for the log)."""
        a = self.args
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        key_name = "key" if a.kind == "wecom" else "access_token"
        if query.get(key_name) != [a.key]:
            return WRONG_KEY[a.kind], ""
        if a.kind == "dingtalk":
            ts = query.get("timestamp", [""])[0]
            sign = query.get("sign", [""])[0]
            if not ts.isdigit() or abs(time.time() * 1000 - int(ts)) > 3600_000:
                return WRONG_SIGN, ""
            if not hmac.compare_digest(sign, dingtalk_sign(a.secret, ts)):
                return WRONG_SIGN, ""
        try:
            message = json.loads(body.decode("utf-8"))
            markdown = message["markdown"]
            if message["msgtype"] != "markdown":
                raise ValueError("msgtype")
            if a.kind == "wecom":
                text = markdown["content"]
                if not text or len(text.encode("utf-8")) > 4096:
                    raise ValueError("content")
            else:
                text = markdown["text"]
                if not text or not markdown["title"]:
                    raise ValueError("title")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return WRONG_SHAPE, ""
        with self.lock:
            if self.busy_left > 0:
                self.busy_left -= 1
                return -1, text
            now = time.monotonic()
            self.accepted = [t for t in self.accepted if t > now - a.window]
            if a.limit and len(self.accepted) >= a.limit:
                return RATE_LIMITED[a.kind], text
            self.accepted.append(now)
        return 0, text


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kind", choices=["wecom", "dingtalk"], required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--secret", default="")
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--busy-first", type=int, default=0)
    p.add_argument("--limit", type=int, default=0, help="accepted messages per window; 0: no limit")
    p.add_argument("--window", type=float, default=60.0)
    args = p.parse_args()
    robot = Robot(args)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            code, text = robot.check(self.path, body)
            log_line(args.log, {"time": time.time(), "errcode": code, "text": text})
            answer_json(self, 200, {"errcode": code, "errmsg": "ok" if code == 0 else "refused"})

        def log_message(self, *unused):
            pass

    serve(Handler, args.port_file)

if __name__ == "__main__":
    main()
