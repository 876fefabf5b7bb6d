"""A local HTTP server standing in for extcomm's webhook endpoint: it records the callbacks a provider
simulator makes (method, path, query, headers, body) so a test can hand them to the plugin's parse_webhook."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class WebhookCatcher:
    def __init__(self):
        self.calls = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                catcher.calls.append({"method": self.command, "path": parts.path, "query": parts.query,
                                      "headers": list(self.headers.items()), "body": self.rfile.read(n) if n else b""})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1/webhooks/sms" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
