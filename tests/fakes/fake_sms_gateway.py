#!/usr/bin/env python3
"""A fake HTTP SMS gateway (a county's 政务短信平台) for the integration tests.

POST /api/sms with Authorization: Bearer <--token> and a JSON body
{"mobile": ..., "content": ..., "outId": ...}. It answers {"code": 0,
"msgid": ...} when it takes the message, {"code": 17, "msg": "busy"} for the
first --busy-first ones, and {"code": 401} with HTTP 401 for a wrong token.
Each request is appended to --log as a JSON line: mobile, content, outId,
the content's length in characters, the code answered.

  fake_sms_gateway.py --token T --port-file F --log F [--busy-first N]
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler

from fake_http import answer_json, log_line, serve


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--token", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--busy-first", type=int, default=0)
    args = p.parse_args()
    lock = threading.Lock()
    state = {"busy": args.busy_first, "n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, code, record = 200, 0, {}
            if self.path != "/api/sms" or self.headers.get("Authorization") != f"Bearer {args.token}":
                status, code = 401, 401
            else:
                try:
                    record = json.loads(body.decode("utf-8"))
                    record["chars"] = len(record["content"])
                except (ValueError, KeyError, UnicodeDecodeError):
                    status, code = 400, 400
            with lock:
                if code == 0 and state["busy"] > 0:
                    state["busy"] -= 1
                    code = 17
                state["n"] += 1
                record["code"] = code
                log_line(args.log, record)
                answer = ({"code": code, "msgid": f"m{state['n']}"} if code == 0
                          else {"code": code, "msg": "busy" if code == 17 else "refused"})
            answer_json(self, status, answer)

        def log_message(self, *unused):
            pass

    serve(Handler, args.port_file)

if __name__ == "__main__":
    main()
