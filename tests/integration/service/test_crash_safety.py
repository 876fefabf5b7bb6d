"""Nothing acknowledged is lost: kill -9 the service while it works, start it again, and every
message that got a 202 reaches the spool (at least once; resends carry the same idempotency key)."""
import json
import os
import threading
import unittest

import harness


class CrashSafetyTest(unittest.TestCase):
    def test_every_acknowledged_message_is_delivered_after_kill_9(self):
        with harness.scratch() as root:
            spool = os.path.join(root, "spool")
            config = harness.write_config(root, [{"name": "mail", "plugin": "file", "settings": {"spool": spool}}])
            service = harness.Service(config)
            acknowledged = []
            stop = threading.Event()

            def post_until_killed():
                n = 0
                while not stop.is_set():
                    batch = [{"channel": "sms", "to": "+61491570156", "body": f"message {n + i}"} for i in range(20)]
                    n += 20
                    try:
                        status, body = service.request("POST", "/v1/messages", {"messages": batch})
                    except OSError:
                        return  # the service died mid-request: that batch was never acknowledged
                    if status == 202:
                        acknowledged.extend(m["id"] for m in body["messages"])

            poster = threading.Thread(target=post_until_killed)
            poster.start()
            # Kill while messages are being accepted and delivered: some acknowledged, some in flight.
            harness.wait_until(lambda: len(acknowledged) >= 2000, what="2000 acknowledged messages")
            service.kill()
            stop.set()
            poster.join()
            self.assertGreaterEqual(len(acknowledged), 2000)

            restarted = harness.Service(config)
            try:
                def delivered():
                    names = set(os.listdir(spool)) if os.path.isdir(spool) else set()
                    return all(f"{mid}.json" in names for mid in acknowledged)
                harness.wait_until(delivered, timeout=120, what="every acknowledged message in the spool")
                for mid in acknowledged[:50]:
                    with open(os.path.join(spool, f"{mid}.json")) as f:
                        self.assertEqual(json.load(f)["idempotency_key"], mid)
            finally:
                restarted.stop()


if __name__ == "__main__":
    unittest.main()
