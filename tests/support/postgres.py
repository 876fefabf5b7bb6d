"""A private PostgreSQL server for integration tests (the C++ twin is tests/unit/core/postgres_server.*).

    with postgres.Server() as pg:
        pg.create_database("extcomm")
        connection = pg.connection("extcomm")      # a libpq connection string for store.connection
        rows = pg.query("extcomm", "SELECT ...")   # psql, tab-separated rows

initdb into a temporary folder, started on 127.0.0.1 with a free port and its unix socket in that folder,
fsync off (a test server need not survive a power cut; `Server(durable=True)` keeps PostgreSQL's defaults,
for benchmarks). Uses Debian's `postgresql` package
(/usr/lib/postgresql/<version>/bin, or $EXTCOMM_PG_BIN). PostgreSQL refuses to run as root: as root the
folder is given to the `postgres` user and the server runs as that user (runuser).
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _bin_dir():
    env = os.environ.get("EXTCOMM_PG_BIN")
    if env:
        return env
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
                           "(install Debian's `postgresql` package, or set EXTCOMM_PG_BIN)")
    return os.path.dirname(found[-1])


def _free_port():
    """A port nobody listens on right now (bind 0, read, release). Someone could take it before the
    server binds it: start() retries with another port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    USER = "extcomm"

    def __init__(self, durable=False):
        self.bin = _bin_dir()
        self.folder = tempfile.mkdtemp(prefix="extcomm-pg-")
        self.data = os.path.join(self.folder, "data")
        self.log = os.path.join(self.folder, "server.log")
        self.port = None
        self._running = False
        self._as_root = os.geteuid() == 0
        try:
            if self._as_root:
                shutil.chown(self.folder, "postgres", "postgres")
            self._run(os.path.join(self.bin, "initdb"), "-D", self.data, "-U", self.USER, "-A", "trust",
                      "-E", "UTF8", "--no-sync")
            for attempt in range(3):
                self.port = _free_port()
                self._options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c max_connections=200"
                                 + ("" if durable else " -c fsync=off -c full_page_writes=off"))
                try:
                    self._start()
                    break
                except RuntimeError:
                    if attempt == 2:
                        raise
            self._running = True
        except Exception as e:
            log = ""
            if os.path.exists(self.log):
                with open(self.log) as f:
                    log = f.read()
            shutil.rmtree(self.folder, ignore_errors=True)
            raise RuntimeError(f"cannot start a test PostgreSQL server: {e}\nserver log:\n{log}") from e

    def _start(self):
        self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "60",
                  "-o", self._options, "start")

    def pause(self):
        """An outage: the server stops at once (connections cut), its data kept for resume()."""
        self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        self._running = False

    def resume(self):
        """The server back on the same port with the same data."""
        self._start()
        self._running = True

    def _run(self, *command):
        if self._as_root:
            command = ("runuser", "-u", "postgres", "--") + command
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    def connection(self, database):
        """A libpq connection string (what store.connection takes)."""
        return f"host=127.0.0.1 port={self.port} user={self.USER} dbname={database}"

    def create_database(self, name):
        self.query("postgres", f"CREATE DATABASE {name}")
        return name

    def query(self, database, sql):
        """Runs `sql` with psql and returns the rows as lists of strings (tab-separated, no header)."""
        done = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-F", "\t",
                               "-v", "ON_ERROR_STOP=1", "-d", self.connection(database), "-c", sql],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr}")
        return [line.split("\t") for line in done.stdout.splitlines() if line]

    def stop(self):
        if self._running:
            self._running = False
            try:
                self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
