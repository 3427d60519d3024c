#!/usr/bin/env python3
"""A fake 阿里云短信 SendSms endpoint (dysmsapi 2017-05-25) for the tests.

It checks each POST as the provider documents it, with its own code (not
ours): the form's parameters, the signature (HMAC-SHA1 of the sorted,
percent-encoded parameters under the AccessKey secret + "&"), a timestamp
within 15 minutes, a nonce never seen before, and a TemplateParam that is a
JSON object. Answers {"Code": "OK"} when it takes the message,
isv.BUSINESS_LIMIT_CONTROL for the first --throttle-first ones, and
SignatureDoesNotMatch (HTTP 400) for a bad signature. Each request is one
JSON line of --log: phone, text, outId, chars, code.

  fake_aliyun_sms.py --key-id K --secret S --port-file F --log F [--throttle-first N]
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler

from fake_http import answer_json, log_line, serve

REQUIRED = {"AccessKeyId", "Action", "Format", "PhoneNumbers", "SignName", "SignatureMethod",
            "SignatureNonce", "SignatureVersion", "TemplateCode", "TemplateParam", "Timestamp",
            "Version", "Signature"}


def encode(text):
    return urllib.parse.quote(text, safe="-_.~")


def signature(secret, method, params):
    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{encode('/')}&{encode(query)}"
    mac = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--key-id", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--throttle-first", type=int, default=0)
    args = p.parse_args()
    lock = threading.Lock()
    state = {"throttle": args.throttle_first, "nonces": set(), "n": 0}

    class Handler(BaseHTTPRequestHandler):
        def refuse(self, status, code, record):
            record["code"] = code
            log_line(args.log, record)
            answer_json(self, status, {"Code": code, "Message": "refused", "RequestId": "r"})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
            params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
            record = {"phone": params.get("PhoneNumbers"), "outId": params.get("OutId")}
            if not REQUIRED.issubset(params) or params["Action"] != "SendSms" or \
                    params["Version"] != "2017-05-25" or params["SignatureVersion"] != "1.0" or \
                    params["SignatureMethod"] != "HMAC-SHA1":
                return self.refuse(400, "MissingParameter", record)
            given = params.pop("Signature")
            if params["AccessKeyId"] != args.key_id or \
                    not hmac.compare_digest(given, signature(args.secret, "POST", params)):
                return self.refuse(400, "SignatureDoesNotMatch", record)
            sent = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
            if abs((datetime.datetime.utcnow() - sent).total_seconds()) > 900:
                return self.refuse(400, "InvalidTimeStamp.Expired", record)
            try:
                template = json.loads(params["TemplateParam"])
                record["text"] = template["text"]
                record["chars"] = len(template["text"])
            except (ValueError, KeyError, TypeError):
                return self.refuse(200, "isv.TEMPLATE_MISSING_PARAMETERS", record)
            with lock:
                if params["SignatureNonce"] in state["nonces"]:
                    return self.refuse(400, "SignatureNonceUsed", record)
                state["nonces"].add(params["SignatureNonce"])
                if state["throttle"] > 0:
                    state["throttle"] -= 1
                    return self.refuse(200, "isv.BUSINESS_LIMIT_CONTROL", record)
                state["n"] += 1
                record["code"] = "OK"
                log_line(args.log, record)
            answer_json(self, 200, {"Code": "OK", "Message": "OK", "BizId": f"b{state['n']}",
                                    "RequestId": "r"})

        def log_message(self, *unused):
            pass

    serve(Handler, args.port_file)


if __name__ == "__main__":
    main()
