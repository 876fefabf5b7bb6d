"""The message log answers "why did this person not get it?": every reason not to send a message people
send (Worker Delivery off, detail level disallow, no channel chosen, logged in, no address, the channel
disabled, Client Delivery off, a place not allowed, no consent) is read back from GET /v1/decisions with
its reason in words, and a refused client message from GET /v1/client-messages/{id}."""
import os
import unittest

import harness

WORKER_DELIVERY = {"enabled": True, "detail_levels": {"workflow": "disallow"}}
CLIENT_DELIVERY = {"enabled": True, "contexts": ["profile"]}
SMS = {"enabled": True, "transport": "text"}


class WhyNotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        root = cls.folder.name
        cls.service = harness.Service.configured(
            root,
            [{"name": "mail", "plugin": "file", "settings": {"spool": os.path.join(root, "mail")}},
             {"name": "text", "plugin": "file", "settings": {"spool": os.path.join(root, "sms")}}],
            agency={"general": {"country_calling_code": "61"},
                    "email": {"enabled": True, "transport": "mail"}, "sms": SMS,
                    "worker_delivery": WORKER_DELIVERY, "client_delivery": CLIENT_DELIVERY})

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def worker(self, wid, channels, mobile="0491 570 156", **settings):
        self.service.ok("PUT", "/v1/workers/" + wid, {
            "first_name": wid.capitalize(), "email": wid + "@agency.example", "mobile": mobile,
            "message_settings": dict({"channels": channels}, **settings)})

    def send_to(self, wid, type="conversation"):
        status, answer = self.service.request("POST", "/v1/worker-messages", {
            "type": type, "subject": "Team meeting", "body": "Room 4.", "recipients": {"workers": [wid]}})
        self.assertEqual(status, 202, answer)
        return answer

    def logged(self, query):
        status, log = self.service.request("GET", "/v1/decisions?" + query)
        self.assertEqual(status, 200, log)
        return log["decisions"]

    def assert_why_not(self, person, answer, reason, channel=None, words=""):
        """The message log holds, for this person and this message, a skip with this reason said in words."""
        skipped = [d for d in self.logged(person + "&request=" + answer["id"]) if d["outcome"] == "skipped"]
        self.assertEqual(len(skipped), 1, skipped)
        self.assertEqual((skipped[0]["reason"], skipped[0]["channel"]), (reason, channel), skipped[0])
        self.assertIn(words, skipped[0]["reason_text"])
        self.assertTrue(skipped[0]["reason_text"])

    def test_every_reason_a_worker_did_not_get_it_is_in_the_log(self):
        self.worker("noa", {"conversation": "sms", "workflow": "email"}, mobile="")
        self.assert_why_not("worker=noa", self.send_to("noa"), "no-address", "sms", "no mobile number")
        self.assert_why_not("worker=noa", self.send_to("noa", type="workflow"), "detail-level-disallow", None,
                            "Workflow")

        self.worker("ned", {"conversation": "none"})
        self.assert_why_not("worker=ned", self.send_to("ned"), "not-chosen", None, "no channel")

        self.worker("oli", {"conversation": "email"}, only_when_offline=True)
        self.service.ok("PUT", "/v1/workers/oli/presence", {"online": True})
        self.assert_why_not("worker=oli", self.send_to("oli"), "online", None, "logged in")

        self.worker("pia", {"conversation": "both"})
        try:
            self.service.ok("PUT", "/v1/settings/sms", {"enabled": False, "transport": "text"})
            answer = self.send_to("pia")
            self.assertEqual([d["outcome"] for d in answer["decisions"]], ["sent", "skipped"])
            self.assert_why_not("worker=pia", answer, "channel-disabled", "sms", "not enabled")
            self.service.ok("PUT", "/v1/settings/worker_delivery", dict(WORKER_DELIVERY, enabled=False))
            self.assert_why_not("worker=pia", self.send_to("pia"), "worker-delivery-disabled", None,
                                "Worker Delivery")
        finally:
            self.service.ok("PUT", "/v1/settings/sms", SMS)
            self.service.ok("PUT", "/v1/settings/worker_delivery", WORKER_DELIVERY)
        # The same log read by message: GET /v1/worker-messages/{id}.
        answer = self.send_to("noa")
        status, again = self.service.request("GET", "/v1/worker-messages/" + answer["id"])
        self.assertEqual(status, 200)
        self.assertEqual([(d["reason"], d["reason_text"]) for d in again["decisions"]],
                         [(d["reason"], d["reason_text"]) for d in answer["decisions"]])

    def test_every_reason_a_client_did_not_get_it_is_in_the_log(self):
        self.service.ok("PUT", "/v1/clients/quin", {"name": "Quin", "contacts": [
            {"id": "home", "channel": "email", "address": "quin@example.org"},
            {"id": "mobile", "channel": "sms", "address": "0491 570 157"}], "email_via": "home"})

        def client_message(expect, **extra):
            status, answer = self.service.request("POST", "/v1/client-messages", dict(
                {"client": "quin", "context": "profile", "subject": "Hi", "body": "See you Tuesday."}, **extra))
            self.assertEqual(status, 403, answer)
            self.assertEqual(answer["error"]["code"], expect, answer)
            return answer

        self.assert_why_not("client=quin", client_message("no-consent", channel="sms"), "no-consent", "sms",
                            "SMS communication via is blank")
        self.assert_why_not("client=quin", client_message("context-not-allowed", context="group-event"),
                            "context-not-allowed", None, "group-event")
        try:
            self.service.ok("PUT", "/v1/settings/sms", {"enabled": False, "transport": "text"})
            self.assert_why_not("client=quin", client_message("channel-disabled", channel="sms"), "channel-disabled",
                                "sms", "not enabled")
            self.service.ok("PUT", "/v1/settings/client_delivery", dict(CLIENT_DELIVERY, enabled=False))
            refused = client_message("client-delivery-disabled")
            self.assert_why_not("client=quin", refused, "client-delivery-disabled", None, "Client Delivery")
        finally:
            self.service.ok("PUT", "/v1/settings/sms", SMS)
            self.service.ok("PUT", "/v1/settings/client_delivery", CLIENT_DELIVERY)
        reasons = {d["reason"] for d in self.logged("client=quin")}
        self.assertEqual(reasons, {"no-consent", "context-not-allowed", "channel-disabled", "client-delivery-disabled"})
        # A refused message is kept with its refusal.
        status, request = self.service.request("GET", "/v1/client-messages/" + refused["id"])
        self.assertEqual(status, 200, request)
        self.assertEqual(request["refused"]["code"], "client-delivery-disabled")
        self.assertEqual(request["sent"], 0)


if __name__ == "__main__":
    unittest.main()
