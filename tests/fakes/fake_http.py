"""What the fake HTTP receivers of the tests share: answering JSON, one
JSON line a request in their log, and serving on a free port of 127.0.0.1
whose number goes to a file (written whole, then renamed)."""
import json
import os
import threading
from http.server import ThreadingHTTPServer

_log_lock = threading.Lock()


def answer_json(handler, status, obj):
    data = json.dumps(obj).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def log_line(path, record):
    with _log_lock, open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(record, ensure_ascii=False) + "\n")


def serve(handler_class, port_file):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()
