"""A loopback HTTP server with real news pages and every kind of bad reply, for the link tests."""
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def page(prefix: str) -> bytes:
    return gzip.decompress(next(PAGES.glob(prefix + "*.html.gz")).read_bytes())


class Site(BaseHTTPRequestHandler):
    """Routes for the tests; `self.server.base` is the server's own URL."""

    def log_message(self, *args):
        pass

    def send(self, status=200, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k.lower() == "content-length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:       # the client gave up (a timeout, a size limit): what the test wants
            pass

    def do_GET(self):
        base, path = self.server.base, self.path.split("?")[0]
        self.server.hits.append(self.path)
        self.server.hosts.append(self.headers.get("Host"))
        if path == "/europa":
            self.send(body=page("686bb170"))
        elif path == "/tories":
            self.send(body=page("e7994d55"))
        elif path == "/story":
            self.send(body=(f'<html><head><title>Bridge</title><link rel="canonical" href="{base}/story/bridge">'
                            '<meta name="author" content="Ann Lee"></head><body><article><h1>Bridge reopens</h1>'
                            "<p>The old bridge over the river reopened on Monday after two years of repairs, "
                            "the city said.</p><p>About 12,000 cars are expected to cross it every day.</p>"
                            "</article></body></html>").encode())
        elif path == "/elsewhere":
            self.send(body=('<html><head><link rel="canonical" href="https://news.example.org/taken"></head>'
                            "<body><article><p>A page that claims another site's address as its own, to take "
                            "the place of that site's article.</p></article></body></html>").encode())
        elif path == "/plain":
            self.send(body="Ferry strike ends\n\nThe ferry strike ended on Friday.\n".encode(),
                      ctype="text/plain; charset=utf-8")
        elif path == "/latin1":
            self.send(body="<html><body><p>Café owners in Zürich raised prices on Monday.</p></body></html>"
                      .encode("latin-1"), ctype="text/html; charset=iso-8859-1")
        elif path == "/go":
            self.send(302, headers=[("Location", "/europa")])
        elif path == "/loop":
            self.send(302, headers=[("Location", "/loop")])
        elif path == "/to-loopback":
            self.send(302, headers=[("Location", self.server.loopback + "/europa")])
        elif path == "/slow":
            time.sleep(3)
            self.send(body=page("686bb170"))
        elif path == "/big":
            self.send(body=b"<html><body>" + b"<p>word word word.</p>" * 1_000_000 + b"</body></html>")
        elif path == "/big-unsized":           # no Content-Length: counted as it arrives
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(20):
                    self.wfile.write(b"<p>" + b"x" * 1_000_000 + b"</p>")
            except OSError:
                pass
            self.close_connection = True
        elif path == "/report.pdf":
            self.send(body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ctype="application/pdf")
        elif path == "/empty":
            self.send(body=b"   ")
        else:
            self.send(404, b"not here", ctype="text/plain")


def serve(host: str, loopback: str = "") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), Site)
    server.daemon_threads = True
    server.base = f"http://{host}:{server.server_address[1]}"
    server.loopback, server.hits, server.hosts = loopback, [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
