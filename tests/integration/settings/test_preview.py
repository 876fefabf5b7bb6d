"""POST /v1/preview: the seed's texts, SMS length and encoding edge cases (exactly 160 GSM-7 characters, a
euro sign, an emoji, the 20-character prefix), each privacy switch, the detail levels, and bad input."""
import copy
import unittest

import harness
import settings_testing
from settings_testing import ADMIN_TOKEN, EVENT


class PreviewTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = harness.scratch()
        cls.service = settings_testing.service(cls.folder.name)

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()
        cls.folder.cleanup()

    def setUp(self):
        for section in ("general", "privacy", "worker_delivery", "client_delivery"):
            self.put(section, {})

    def put(self, section, body):
        status, answer = self.service.request("PUT", "/v1/settings/" + section, body, token=ADMIN_TOKEN)
        self.assertEqual(status, 200, answer)

    def preview(self, kind, channel, facts, status=200):
        got, answer = self.service.request("POST", "/v1/preview", {"kind": kind, "channel": channel, "facts": facts},
                                           token=ADMIN_TOKEN)
        self.assertEqual(got, status, answer)
        return answer

    def sms(self, kind, facts):
        return self.preview(kind, "sms", facts)

    # The seed's three texts.
    def test_booking_notice_is_the_seeds_appointment_reminder(self):
        out = self.sms("booking-notice", EVENT)
        self.assertEqual(out["body"], "Appointment reminder: Tue 3 Mar at 2:30pm with Jo Bloggs at Northside. "
                                      "Call 02 9999 0000 to reschedule.")
        self.assertEqual(out["sms"], {"encoding": "gsm7", "characters": len(out["body"]), "units": len(out["body"]),
                                      "segments": 1})
        self.assertEqual((out["dropped"], out["truncated"], out["subject"]), ([], False, ""))

    def test_reschedule_notice_is_the_seeds_appointment_rescheduled(self):
        facts = dict(EVENT, original_start="2026-03-02T09:00:00+11:00")
        self.assertEqual(self.sms("reschedule-notice", facts)["body"],
                         "Appointment rescheduled: Your Mon 2 Mar appt. has been rescheduled to Tue 3 Mar at 2:30pm. "
                         "Call 02 9999 0000 to reschedule.")

    def test_confirmation_with_link_is_the_seeds_confirm_appt_without_worker_or_site(self):
        facts = dict(EVENT, confirm_link="https://c.example.org/a1")
        self.assertEqual(self.sms("confirmation-with-link", facts)["body"],
                         "Confirm Appt: Click https://c.example.org/a1 to confirm your appt. on Tue 3 Mar at 2:30pm.")

    def test_email_has_subject_body_and_the_agency_footer(self):
        self.put("client_delivery", {"email_footer": "Northside Counselling"})
        out = self.preview("booking-notice", "email", EVENT)
        self.assertEqual(out["subject"], "Appointment reminder: Tue 3 Mar at 2:30pm")
        self.assertIn("Location: Room 4", out["body"])
        self.assertTrue(out["body"].rstrip().endswith("Northside Counselling"))
        self.assertIsNone(out["sms"])

    # SMS length and encoding.
    def test_exactly_160_gsm7_characters_is_one_sms_and_161_is_two(self):
        out = self.sms("client-message", {"body": "a" * 160})
        self.assertEqual(out["sms"], {"encoding": "gsm7", "characters": 160, "units": 160, "segments": 1})
        out = self.sms("client-message", {"body": "a" * 161})
        self.assertEqual(out["sms"]["segments"], 2)
        self.assertFalse(out["truncated"])

    def test_a_euro_sign_counts_two_gsm7_units(self):
        out = self.sms("client-message", {"body": "€" + "a" * 158})
        self.assertEqual(out["sms"], {"encoding": "gsm7", "characters": 159, "units": 160, "segments": 1})
        out = self.sms("client-message", {"body": "€" + "a" * 159})
        self.assertEqual((out["sms"]["units"], out["sms"]["segments"]), (161, 2))

    def test_an_emoji_makes_it_ucs2(self):
        out = self.sms("client-message", {"body": "See you soon 😀"})
        self.assertEqual(out["sms"], {"encoding": "ucs2", "characters": 14, "units": 15, "segments": 1})
        out = self.sms("client-message", {"body": "😀" + "a" * 68})
        self.assertEqual((out["sms"]["units"], out["sms"]["segments"]), (70, 1))
        out = self.sms("client-message", {"body": "😀" + "a" * 69})
        self.assertEqual(out["sms"]["segments"], 2)

    def test_the_20_character_prefix_goes_first_and_an_automated_event_sms_stays_one_part(self):
        prefix = "Northside Counsel 01"
        self.assertEqual(len(prefix), 20)
        self.put("general", {"sms_prefix": prefix})
        out = self.sms("booking-notice", EVENT)
        self.assertTrue(out["body"].startswith(prefix + " Appointment reminder: Tue 3 Mar at 2:30pm"))
        # Long names: the site goes first; that is enough, so the worker's name stays; still one SMS.
        long_event = copy.deepcopy(EVENT)
        long_event["worker"] = {"first_name": "Maximiliana", "last_name": "Featherstonehaugh-Worthington"}
        long_event["site"]["name"] = "Northside Family and Community Counselling Centre, Upper Level"
        out = self.sms("booking-notice", long_event)
        self.assertTrue(out["body"].startswith(prefix + " "))
        self.assertEqual(out["sms"]["segments"], 1)
        self.assertLessEqual(out["sms"]["units"], 160)
        self.assertEqual(out["dropped"], ["site"])
        self.assertIn("with Maximiliana Featherstonehaugh-Worthington.", out["body"])
        self.assertNotIn("Counselling Centre", out["body"])
        # The prefix is only for automated event messages to clients.
        self.assertFalse(self.sms("client-message", {"body": "Hello"})["body"].startswith(prefix))

    def test_a_dropped_site_comes_back_when_dropping_the_worker_made_room(self):
        self.put("general", {"sms_prefix": "Northside Counsel 01"})
        event = copy.deepcopy(EVENT)
        event["worker"] = {"first_name": "Maximiliana Alexandra Josephine",
                           "last_name": "Featherstonehaugh-Worthington-Cholmondeley-Marjoribanks"}
        out = self.sms("booking-notice", event)
        # Without the site still too long; without the worker it fits, and then so does the site again.
        self.assertEqual(out["dropped"], ["worker"])
        self.assertEqual(out["body"], "Northside Counsel 01 Appointment reminder: Tue 3 Mar at 2:30pm at Northside. "
                                      "Call 02 9999 0000 to reschedule.")
        self.assertFalse(out["truncated"])
        # Both too long: both go, the site first.
        event["site"]["name"] = "Northside Family and Community Counselling Centre, Upper Level, Building C"
        self.assertEqual(self.sms("booking-notice", event)["dropped"], ["site", "worker"])

    # Privacy switches.
    def test_each_privacy_switch_hides_its_part(self):
        base = self.preview("booking-notice", "email", EVENT)["body"]
        for needle in ("Jo Bloggs", "Northside", "Room 4"):
            self.assertIn(needle, base)
        self.put("privacy", {"hide_worker_last_name": True})
        body = self.preview("booking-notice", "email", EVENT)["body"]
        self.assertIn("with Jo ", body)
        self.assertNotIn("Bloggs", body)
        self.assertIn("Northside", body)
        self.put("privacy", {"hide_site_name": True})
        body = self.preview("booking-notice", "email", EVENT)["body"]
        self.assertNotIn("Northside", body)
        self.assertIn("Jo Bloggs", body)
        self.assertIn("02 9999 0000", body)  # the site phone stays: it is how a client reschedules
        self.put("privacy", {"hide_event_location": True})
        body = self.preview("booking-notice", "email", EVENT)["body"]
        self.assertNotIn("Room 4", body)
        self.assertIn("Northside", body)

    # Detail levels.
    def test_detail_levels_shape_collaboration_messages(self):
        facts = {"type": "alert", "subject": "Safety concern flagged", "body": "Client X flagged."}
        self.assertIn("Client X flagged.", self.preview("collaboration-message", "email", facts)["body"])
        self.put("worker_delivery", {"detail_levels": {"alert": "subject-only"}})
        self.assertNotIn("Client X flagged.", self.preview("collaboration-message", "email", facts)["body"])
        self.put("worker_delivery", {"detail_levels": {"alert": "disallow"}})
        answer = self.preview("collaboration-message", "email", facts, status=422)
        self.assertEqual(answer["error"]["field"], "worker_delivery.detail_levels.alert")
        self.assertEqual(self.sms("collaboration-message", dict(facts, type="reminder"))["body"],
                         "Reminder: Safety concern flagged")

    def test_the_agency_time_zone_is_used_when_the_site_has_none(self):
        event = copy.deepcopy(EVENT)
        event["site"].pop("time_zone")
        self.assertIn("3:30am", self.sms("booking-notice", event)["body"])  # UTC
        self.put("general", {"time_zone": "Australia/Perth"})
        self.assertIn("11:30am", self.sms("booking-notice", event)["body"])

    def test_bad_input_names_the_field(self):
        cases = [
            ({"kind": "memo", "channel": "sms", "facts": {}}, "kind"),
            ({"kind": "booking-notice", "channel": "fax", "facts": {}}, "channel"),
            ({"kind": "booking-notice", "channel": "sms"}, "facts"),
            ({"kind": "booking-notice", "channel": "sms", "facts": {}}, "facts.start"),
            ({"kind": "booking-notice", "channel": "sms", "facts": {"start": "3 March 2026"}}, "facts.start"),
            ({"kind": "booking-notice", "channel": "sms", "facts": {"start": "2026-03-03T14:30:00"}}, "facts.start"),
            ({"kind": "reschedule-notice", "channel": "sms", "facts": EVENT}, "facts.original_start"),
            ({"kind": "booking-notice", "channel": "sms", "facts": dict(EVENT, site={"time_zone": "Mars/Base"})},
             "facts.site.time_zone"),
            ({"kind": "booking-notice", "channel": "sms", "facts": dict(EVENT, wrker={})}, "facts.wrker"),
            ({"kind": "collaboration-message", "channel": "sms", "facts": {"type": "memo"}}, "facts.type"),
            ({"kind": "verification-code", "channel": "sms", "facts": {}}, "facts.code"),
        ]
        for body, field in cases:
            status, answer = self.service.request("POST", "/v1/preview", body, token=ADMIN_TOKEN)
            self.assertEqual(status, 400, body)
            self.assertEqual(answer["error"]["field"], field, body)


if __name__ == "__main__":
    unittest.main()
