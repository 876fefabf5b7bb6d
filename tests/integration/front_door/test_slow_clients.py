"""The front door under slow and idle clients: others are still served, and the slow ones are cut at their
deadlines (http.header_timeout_ms, body_timeout_ms, idle_timeout_ms, set short here); bodies a route does not
take are refused before they are read; connections over http.max_connections are refused at once.

The service inherits this process's open-file limit, which the test raises (a fresh Debian's soft limit is
1024, fewer than the connections opened here)."""
import os
import resource
import select
import socket
import time
import unittest

import harness

SLOW_HEADERS, SLOW_BODIES, IDLE = 500, 50, 500
CLOSE_WAIT = 90  # seconds any of them may take to be closed, well past every deadline below


def raise_open_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def connect(port, first=b""):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    if first:
        s.sendall(first)
    return s


def read_until_closed(sockets, timeout=CLOSE_WAIT):
    """Polls the sockets until the server has closed every one (EOF or reset); returns what each received.
    Fails naming how many are still open when `timeout` passes."""
    poller = select.poll()
    by_fd = {s.fileno(): s for s in sockets}
    received = {fd: b"" for fd in by_fd}
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    deadline = time.monotonic() + timeout
    while by_fd:
        left_ms = (deadline - time.monotonic()) * 1000
        if left_ms <= 0:
            raise AssertionError(f"{len(by_fd)} of {len(sockets)} connections still open")
        for fd, _ in poller.poll(min(left_ms, 1000)):
            try:
                data = by_fd[fd].recv(65536)
            except (ConnectionResetError, TimeoutError):
                data = b""
            if data:
                received[fd] += data
                continue
            poller.unregister(fd)
            by_fd.pop(fd).close()
    return list(received.values())


def status_of(answer):
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


class SlowClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise_open_file_limit()
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.service = harness.Service.configured(
            root, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(root, "spool")}}],
            http={"listen": "127.0.0.1", "port": 0, "header_timeout_ms": 2000, "body_timeout_ms": 3000,
                  "idle_timeout_ms": 6000, "max_connections": 1500})

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def test_slow_and_idle_clients_starve_no_one_and_are_cut_at_their_deadlines(self):
        port = self.service.port
        slow_headers = [connect(port, b"GET /healthz HT") for _ in range(SLOW_HEADERS)]
        slow_bodies = [connect(port, b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 1000\r\n\r\n{\"to\"") for _ in range(SLOW_BODIES)]
        idle = [connect(port) for _ in range(IDLE)]
        self.assertEqual(self.service.request("GET", "/healthz", token=None), (200, {"status": "ok"}))
        status, transports = self.service.request("GET", "/v1/transports")
        self.assertEqual(status, 200)
        self.assertIn("mail", str(transports))
        # Every one is closed by the service, none answered: a deadline closes without an answer.
        self.assertEqual(set(read_until_closed(slow_headers + slow_bodies + idle)), {b""})
        self.assertEqual(self.service.request("GET", "/healthz", token=None)[0], 200)

    def test_a_body_larger_than_the_route_takes_is_refused_before_it_is_sent(self):
        # Headers only: the answer comes while the 16 MiB have not been sent, so none were read.
        s = connect(self.service.port, b"POST /c/anything HTTP/1.1\r\nHost: x\r\n"
                                       b"Content-Type: application/x-www-form-urlencoded\r\n"
                                       b"Content-Length: 16777216\r\n\r\n")
        [answer] = read_until_closed([s])
        self.assertEqual(status_of(answer), 413, answer)
        self.assertIn(b'"too_large"', answer)

    def test_a_body_shorter_than_its_content_length_is_cut_at_the_body_deadline(self):
        s = connect(self.service.port, b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    harness.API_TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n{\"to\": \"a\"}")
        self.assertEqual(read_until_closed([s]), [b""])


class ConnectionCapTest(unittest.TestCase):
    def test_a_connection_over_the_cap_is_answered_503_and_closed(self):
        with harness.scratch() as root:
            with harness.Service.configured(
                    root, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(root, "spool")}}],
                    http={"listen": "127.0.0.1", "port": 0, "max_connections": 3}) as service:
                held = [connect(service.port) for _ in range(3)]
                [answer] = read_until_closed([connect(service.port)])
                self.assertEqual(status_of(answer), 503, answer)
                self.assertIn(b"Connection: close", answer)
                for s in held:
                    s.close()
                harness.wait_until(lambda: service.request("GET", "/healthz", token=None)[0] == 200,
                                   what="a connection once the held ones closed")


if __name__ == "__main__":
    unittest.main()
