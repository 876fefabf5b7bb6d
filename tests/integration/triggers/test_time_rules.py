"""Time-based action triggers through `extcomm serve`: a participant turning a rule's age is a row in the
store that the scheduler fires once. The store stands in for the clock: a test moves a row's due time into
the past while the service is stopped, as downtime across a birthday would leave it. Shown: only future
crossings get a row (an adult on file does not), DELETE /v1/records/{kind}/{id} removes the record's rows,
after a restart a crossing within the catch-up window fires late and an older one is logged missed,
another restart fires nothing twice; a new agency time zone moves a planned birthday to that zone's midnight;
two hosts on one PostgreSQL fire each of 200 crossings once."""
import datetime
import os
import sqlite3
import time
import unittest
import zoneinfo

import harness
import postgres

ADMIN = "admin-token-0123456789"
TOKENS = [{"name": "penelope", "token": harness.API_TOKEN, "role": "integration"},
          {"name": "ops", "token": ADMIN, "role": "admin"}]
AGENCY = {"general": {"time_zone": "Australia/Sydney"}, "email": {"enabled": True, "transport": "mail"},
          "worker_delivery": {"enabled": True}}
HOUR_MS = 3_600_000


def eighteen_in(days):
    """The birth date of someone who turns 18 in `days` days (29 February avoided)."""
    day = datetime.date.today() + datetime.timedelta(days=days)
    return day.replace(year=day.year - 18, day=min(day.day, 28) if day.month == 2 else day.day).isoformat()


def now_ms():
    return int(time.time() * 1000)


def set_up_rule(service):
    """Ana in the leads gets Alerts by email; the rule alerts the leads when a participant turns 18."""
    service.ok("PUT", "/v1/worker-categories/leads", {"name": "Team leads"})
    service.ok("PUT", "/v1/workers/ana", {"first_name": "Ana", "categories": ["leads"], "email": "ana@agency.example",
                                          "message_settings": {"channels": {"alert": "email"}}})
    status, rule = service.request("POST", "/v1/action-triggers", {
        "name": "Turning 18", "trigger": "participant-turns-age", "parameters": {"age": 18},
        "action": {"type": "alert", "title": "A participant turns 18", "message": "Plan the move to adult services."},
        "recipients": {"category": "leads"}}, token=ADMIN)
    assert status == 201, rule
    return rule["id"]


def planning_done(store):
    """Whether no rule's rows are still being planned (the scheduler plans them after the rule's transaction;
    a test that moves rows by hand waits for it, or the planning would put them back)."""
    with sqlite3.connect(store) as db:
        return db.execute("SELECT count(*) FROM trigger_planning").fetchone()[0] == 0


def firings(service, rule):
    return service.ok("GET", "/v1/trigger-firings?limit=500&rule=" + rule)["firings"]


class RestartTest(unittest.TestCase):
    def test_rows_follow_records_and_after_downtime_fire_late_or_are_logged_missed_and_never_twice(self):
        with harness.scratch() as root:
            mail = os.path.join(root, "mail")
            config = harness.write_config(root, [{"name": "mail", "plugin": "file", "settings": {"spool": mail}}],
                                          api_tokens=TOKENS, agency=AGENCY)
            store = os.path.join(root, "extcomm.db")
            with harness.Service(config) as s:
                rule = set_up_rule(s)
                for cid, birth in (("jo", eighteen_in(40)), ("kim", eighteen_in(50)), ("ned", eighteen_in(60)),
                                   ("lou", "2000-01-01"), ("max", eighteen_in(40))):
                    s.ok("PUT", "/v1/clients/" + cid, {"name": cid.title(), "birth_date": birth})
                s.ok("PUT", "/v1/records/service-file/sf-1", {"primary_member": "jo", "members": ["kim", "ned", "lou"]})
                s.ok("PUT", "/v1/records/service-file/sf-2", {"primary_member": "max"})
                harness.wait_until(lambda: planning_done(store), what="the rule's planning")
                self.assertEqual(s.request("DELETE", "/v1/records/service-file/sf-2")[0], 204)
                self.assertEqual(s.request("DELETE", "/v1/records/service-file/sf-2")[0], 404)
                self.assertEqual(s.request("GET", "/v1/records/service-file/sf-2")[0], 404)

            with sqlite3.connect(store) as db:
                rows = db.execute("SELECT record, individual FROM trigger_due WHERE due_at IS NOT NULL").fetchall()
                self.assertEqual(sorted(rows), [("service-file/sf-1", "jo"), ("service-file/sf-1", "kim"),
                                                ("service-file/sf-1", "ned")])  # not the adult, not the closed file
                # Down across two crossings: jo's 2 hours ago, kim's 30 hours ago (the window is 24 h).
                db.execute("UPDATE trigger_due SET due_at = ? WHERE individual = 'jo'", (now_ms() - 2 * HOUR_MS,))
                db.execute("UPDATE trigger_due SET due_at = ? WHERE individual = 'kim'", (now_ms() - 30 * HOUR_MS,))

            with harness.Service(config) as s:
                log = harness.wait_until(lambda: len(firings(s, rule)) == 2 and firings(s, rule), what="two firings")
                by = {e["individual"]: e for e in log}
                self.assertTrue(by["jo"]["fired"])
                self.assertFalse(by["kim"]["fired"])
                self.assertTrue(by["kim"]["reason"].startswith("missed: due 30 h"), by["kim"]["reason"])
                sent = harness.wait_until(lambda: harness.spooled(mail), what="the alert in the spool")
                self.assertEqual([m["subject"] for m in sent], ["Alert: A participant turns 18"])

            with sqlite3.connect(store) as db:
                db.execute("UPDATE trigger_due SET due_at = ? WHERE individual = 'ned'", (now_ms() - HOUR_MS,))
            with harness.Service(config) as s:  # restarted again: ned fires, jo not a second time
                harness.wait_until(lambda: len(firings(s, rule)) == 3, what="ned's firing")
                self.assertEqual(sorted(e["individual"] for e in firings(s, rule)), ["jo", "kim", "ned"])
                self.assertEqual(len(harness.wait_until(lambda: len(harness.spooled(mail)) == 2 and harness.spooled(mail),
                                                        what="ned's alert")), 2)


class TimeZoneTest(unittest.TestCase):
    def test_a_new_agency_time_zone_moves_a_planned_birthday_to_that_zones_midnight(self):
        birth = datetime.date.fromisoformat(eighteen_in(40))

        def midnight_ms(zone):
            start = datetime.datetime(birth.year + 18, birth.month, birth.day, tzinfo=zoneinfo.ZoneInfo(zone))
            return int(start.timestamp() * 1000)

        with harness.scratch() as root:
            config = harness.write_config(root, [{"name": "mail", "plugin": "file",
                                                  "settings": {"spool": os.path.join(root, "mail")}}],
                                          api_tokens=TOKENS, agency=AGENCY)
            with harness.Service(config) as s:
                set_up_rule(s)
                s.ok("PUT", "/v1/clients/jo", {"name": "Jo", "birth_date": birth.isoformat()})
                s.ok("PUT", "/v1/records/service-file/sf-1", {"primary_member": "jo"})
                with sqlite3.connect(os.path.join(root, "extcomm.db")) as db:  # WAL: read beside the service
                    def due():
                        return db.execute("SELECT due_at FROM trigger_due WHERE individual = 'jo'").fetchall()
                    self.assertEqual(due(), [(midnight_ms("Australia/Sydney"),)])
                    status, body = s.request("PUT", "/v1/settings/general", {"time_zone": "America/Toronto"}, token=ADMIN)
                    self.assertEqual(status, 200, body)
                    # Planned again after the settings' transaction, on the scheduler's tick.
                    harness.wait_until(lambda: due() == [(midnight_ms("America/Toronto"),)], what="the row moved")


class TwoHostsTest(unittest.TestCase):
    CROSSINGS = 200

    def test_two_hosts_on_one_postgresql_fire_each_crossing_once(self):
        with harness.scratch() as root, postgres.Server() as pg:
            pg.create_database("extcomm")
            hosts = []
            try:
                for i in range(2):
                    folder = os.path.join(root, f"host-{i}")
                    os.makedirs(folder)
                    config = harness.write_config(
                        folder, [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(folder, "mail")}}],
                        store={"driver": "postgresql", "connection": pg.connection("extcomm")}, api_tokens=TOKENS,
                        agency=AGENCY, events={"tick_ms": 20, "batch": 10})
                    hosts.append(harness.Service(config))
                self.run_scenario(pg, hosts)
            finally:
                for h in hosts:
                    if h.process.poll() is None:
                        h.stop()

    def run_scenario(self, pg, hosts):
        def count(sql):
            return int(pg.query("extcomm", sql)[0][0])

        rule = set_up_rule(hosts[0])
        for i in range(self.CROSSINGS):
            host = hosts[i % 2]
            host.ok("PUT", f"/v1/clients/c{i}", {"name": f"Client {i}", "birth_date": eighteen_in(30)})
            host.ok("PUT", f"/v1/records/service-file/sf-{i}", {"primary_member": f"c{i}"})
        harness.wait_until(lambda: count("SELECT count(*) FROM trigger_planning") == 0, what="the rule's planning")
        self.assertEqual(count("SELECT count(*) FROM trigger_due WHERE due_at IS NOT NULL"), self.CROSSINGS)
        pg.query("extcomm", f"UPDATE trigger_due SET due_at = {now_ms() - HOUR_MS}")  # all due at once, on both
        harness.wait_until(lambda: count("SELECT count(*) FROM trigger_due") == 0, timeout=120, what="every row fired")
        log = firings(hosts[1], rule)
        self.assertEqual(sorted(e["individual"] for e in log), sorted(f"c{i}" for i in range(self.CROSSINGS)))
        self.assertTrue(all(e["fired"] for e in log))
        self.assertEqual(count("SELECT count(*) FROM messages WHERE kind = 'trigger-alert'"), self.CROSSINGS)


if __name__ == "__main__":
    unittest.main()
