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

QuerySendDetails (the receipts), signed and checked the same way, must
name a BizId it gave, that message's phone and the day it took it
(yyyyMMdd, China time). The first query of a message answers SendStatus 1
(waiting for the carrier); later ones SendStatus 3 with a ReceiveDate, or
SendStatus 2 with ErrCode MOBILE_NOT_ON_SERVICE for a phone of
--fail-phones. Each query is one JSON line of --query-log: bizId, phone,
sendDate, status.

  fake_aliyun_sms.py --key-id K --secret S --port-file F --log F [--throttle-first N]
                     [--query-log F] [--fail-phones P,P]
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

COMMON = {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce",
          "SignatureVersion", "Timestamp", "Version", "Signature"}
REQUIRED = COMMON | {"PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"}
QUERY_REQUIRED = COMMON | {"PhoneNumber", "SendDate", "PageSize", "CurrentPage", "BizId"}
CHINA = datetime.timezone(datetime.timedelta(hours=8))


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
    p.add_argument("--query-log", default="")
    p.add_argument("--fail-phones", default="")
    args = p.parse_args()
    fail_phones = set(filter(None, args.fail_phones.split(",")))
    args.query_log = args.query_log or args.log + ".queries"
    lock = threading.Lock()
    # messages: BizId -> {phone, day, queries}
    state = {"throttle": args.throttle_first, "nonces": set(), "n": 0, "messages": {}}

    class Handler(BaseHTTPRequestHandler):
        def refuse(self, status, code, record):
            record["code"] = code
            log_line(args.log, record)
            answer_json(self, status, {"Code": code, "Message": "refused", "RequestId": "r"})

        def signed(self, params):
            """Whether the common parameters and the signature are right."""
            if params["Version"] != "2017-05-25" or params["SignatureVersion"] != "1.0" or \
                    params["SignatureMethod"] != "HMAC-SHA1":
                return False
            given = params.pop("Signature")
            return params["AccessKeyId"] == args.key_id and \
                hmac.compare_digest(given, signature(args.secret, "POST", params))

        def query(self, params):
            record = {"bizId": params.get("BizId"), "phone": params.get("PhoneNumber"),
                      "sendDate": params.get("SendDate")}
            if not QUERY_REQUIRED.issubset(params) or not self.signed(params):
                record["status"] = "refused"
                log_line(args.query_log, record)
                return answer_json(self, 400, {"Code": "SignatureDoesNotMatch", "RequestId": "r"})
            with lock:
                message = state["messages"].get(params["BizId"])
                if message is None or message["phone"] != params["PhoneNumber"] or \
                        message["day"] != params["SendDate"]:
                    record["status"] = "none"
                    log_line(args.query_log, record)
                    return answer_json(self, 200, {"Code": "OK", "TotalCount": 0,
                                                   "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}})
                message["queries"] += 1
                if message["queries"] == 1:
                    status, err = 1, ""
                elif message["phone"] in fail_phones:
                    status, err = 2, "MOBILE_NOT_ON_SERVICE"
                else:
                    status, err = 3, "DELIVERED"
                record["status"] = status
                log_line(args.query_log, record)
            detail = {"PhoneNum": params["PhoneNumber"], "SendStatus": status, "ErrCode": err,
                      "TemplateCode": "SMS", "Content": "…", "OutId": message["outId"],
                      "SendDate": message["sent"]}
            if status == 3:
                detail["ReceiveDate"] = datetime.datetime.now(CHINA).strftime("%Y-%m-%d %H:%M:%S")
            answer_json(self, 200, {"Code": "OK", "Message": "OK", "RequestId": "r", "TotalCount": 1,
                                    "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]}})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
            params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
            if params.get("Action") == "QuerySendDetails":
                return self.query(params)
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
                biz_id = f"b{state['n']}"
                now = datetime.datetime.now(CHINA)
                state["messages"][biz_id] = {"phone": params["PhoneNumbers"], "queries": 0,
                                             "day": now.strftime("%Y%m%d"),
                                             "sent": now.strftime("%Y-%m-%d %H:%M:%S"),
                                             "outId": params.get("OutId", "")}
                record["code"] = "OK"
                log_line(args.log, record)
            answer_json(self, 200, {"Code": "OK", "Message": "OK", "BizId": biz_id,
                                    "RequestId": "r"})

        def log_message(self, *unused):
            pass

    serve(Handler, args.port_file)


if __name__ == "__main__":
    main()
