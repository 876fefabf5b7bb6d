"""What the fault tests share: simulators that can go down and come back on the same port, and small
readers of the service's API (GET /v1/transports, GET /v1/messages/{id}, GET /metrics).

Everything here observes the service through its API or the simulators' records only."""
import socket
import sys

import harness


class Down:
    """A provider that is not there: a port on 127.0.0.1 that nothing listens on (connect is refused)."""

    @staticmethod
    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def tracked(sim):
    """Starts `sim` (a simbase.Simulator) and keeps track of its client connections, so that
    - stop_hard can end the keep-alive connections too: ThreadingHTTPServer.shutdown() only stops
      accepting, and a client that keeps its connection open would go on being served by a 'stopped'
      provider;
    - quiet() can tell when every connection has been served to its end."""
    sim._connections = set()  # every connection accepted, for stop_hard
    sim._open = set()         # connections whose handler has not finished yet
    process_request, shutdown_request = sim.server.process_request, sim.server.shutdown_request

    def on_accept(request, client_address):
        with sim.lock:
            sim._connections.add(request)
            sim._open.add(request)
        process_request(request, client_address)

    def on_done(request):
        try:
            shutdown_request(request)
        finally:
            with sim.lock:
                sim._open.discard(request)

    def on_error(request, client_address):
        # A client that gives up (a timeout, a kill -9) leaves the handler writing to a closed socket:
        # expected here, and not worth a traceback. Anything else is still reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            handle_error(request, client_address)

    handle_error = sim.server.handle_error
    sim.server.process_request = on_accept
    sim.server.shutdown_request = on_done
    sim.server.handle_error = on_error
    # socketserver listens with a backlog of 5. A client opening dozens of connections at once overflows
    # it: Linux then drops handshakes and the client's data, and the kernel retransmits them seconds
    # later, even after the client process died, so a 'stopped' client could still be heard from.
    # A backlog above any client's connection count keeps loopback delivery immediate.
    sim.server.socket.listen(256)
    return sim.start()


def quiet(sim):
    """True when no connection is waiting to be accepted and every accepted one has been served to its
    end: once the client is dead, nothing more of what it sent can still arrive."""
    import select
    if select.select([sim.server.socket], [], [], 0)[0]:
        return False
    with sim.lock:
        return not sim._open


def stop_hard(sim):
    """The provider goes away: no listener, and every open connection closed."""
    sim.server.shutdown()
    sim.server.socket.close()
    with sim.lock:
        connections = list(sim._connections)
    for c in connections:
        try:
            c.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    sim.server.server_close()  # joins the handler threads, which end now that their sockets are shut


def transport(service, name):
    status, body = service.request("GET", "/v1/transports")
    assert status == 200, body
    for t in body["transports"]:
        if t.get("name") == name:
            return t
    raise AssertionError(f"no transport {name} in {body}")


def message(service, mid):
    status, body = service.request("GET", "/v1/messages/" + mid)
    assert status == 200, body
    return body


def post_messages(service, messages):
    """POST /v1/messages as one batch; returns the ids in order (asserts 202)."""
    status, body = service.request("POST", "/v1/messages", {"messages": messages})
    assert status == 202, body
    return [m["id"] for m in body["messages"]]


def wait_states(service, ids, states, timeout=60):
    """Bounded polling until every message in `ids` is in one of `states`; returns {id: message}."""
    pending = set(ids)
    done = {}

    def check():
        for mid in list(pending):
            m = message(service, mid)
            if m["state"] in states:
                done[mid] = m
                pending.discard(mid)
        return not pending
    harness.wait_until(check, timeout=timeout, what=f"{len(ids)} messages in {sorted(states)} ({len(pending)} left)")
    return done
