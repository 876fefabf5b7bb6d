#include "message_composer.hpp"

#include <gtest/gtest.h>

using namespace extcomm::smtp;

namespace {
// 2026-03-03 09:05:00 UTC, a Tuesday.
const auto kDate = std::chrono::system_clock::time_point(std::chrono::seconds(1772528700));
const Sender kSender{"noreply@agency.example", "Family Services", ""};
} // namespace

TEST(MessageComposer, DateIsRfc5322InUtc) { EXPECT_EQ(rfc5322_date(kDate), "Tue, 03 Mar 2026 09:05:00 +0000"); }

TEST(MessageComposer, MessageIdComesFromTheIdempotencyKey) {
    EXPECT_EQ(message_id_for("msg-42_a", "m1", "agency.example"), "<extcomm.msg-42_a@agency.example>");
    EXPECT_EQ(message_id_for("msg-42_a", "other", "agency.example"), message_id_for("msg-42_a", "m1", "agency.example"));
    EXPECT_EQ(message_id_for("a b/c", "", "x.example"), "<extcomm.a=20b=2Fc@x.example>");
    EXPECT_EQ(message_id_for("", "m1", "x.example"), "<extcomm.m1@x.example>");
    std::string long_key(100, 'k');
    EXPECT_EQ(message_id_for(long_key, "", "x.example"), message_id_for(long_key, "", "x.example"));
    EXPECT_LT(message_id_for(long_key, "", "x.example").size(), 100u);
    EXPECT_NE(message_id_for("", "", "x.example"), message_id_for("", "", "x.example"));
}

TEST(MessageComposer, LineEndingsBecomeCrlf) {
    EXPECT_EQ(with_crlf_lines("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd\r\n");
    EXPECT_EQ(with_crlf_lines("a\r\n"), "a\r\n");
    EXPECT_EQ(with_crlf_lines(""), "\r\n");
}

TEST(MessageComposer, TextMessageExactBytes) {
    Letter letter{"m1", "jane@example.org", "Your appointment", "Hello Jane,\nsee you at 10:00.\n", ""};
    EXPECT_EQ(compose_message(kSender, letter, "<extcomm.k1@agency.example>", kDate, BodyEncoding::quoted_printable),
              "Date: Tue, 03 Mar 2026 09:05:00 +0000\r\n"
              "From: Family Services <noreply@agency.example>\r\n"
              "To: jane@example.org\r\n"
              "Subject: Your appointment\r\n"
              "Message-ID: <extcomm.k1@agency.example>\r\n"
              "X-Extcomm-Message-ID: m1\r\n"
              "MIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n"
              "Content-Transfer-Encoding: quoted-printable\r\n"
              "\r\n"
              "Hello Jane,\r\n"
              "see you at 10:00.\r\n");
}

TEST(MessageComposer, UnicodeBodyIsQuotedPrintableUtf8) {
    Letter letter{"", "jane@example.org", "", "Café ✓ = ok", ""};
    std::string message = compose_message(kSender, letter, "<i@x>", kDate, BodyEncoding::quoted_printable);
    EXPECT_NE(message.find("\r\n\r\nCaf=C3=A9 =E2=9C=93 =3D ok\r\n"), std::string::npos) << message;
    EXPECT_EQ(message.find("Subject:"), std::string::npos); // no subject, no empty header
    for (char c : message) EXPECT_LT(static_cast<unsigned char>(c), 0x80); // 7-bit: no 8BITMIME needed
}

TEST(MessageComposer, Base64BodyWhenConfigured) {
    Letter letter{"", "jane@example.org", "Hi", "Café", ""};
    std::string message = compose_message(kSender, letter, "<i@x>", kDate, BodyEncoding::base64);
    EXPECT_NE(message.find("Content-Transfer-Encoding: base64\r\n\r\nQ2Fmw6kNCg==\r\n"), std::string::npos) << message;
}

TEST(MessageComposer, HtmlAlternativeIsMultipartWithTextFirst) {
    Letter letter{"", "jane@example.org", "Hi", "Plain", "<p>Rich</p>"};
    Sender sender{"noreply@agency.example", "", "office@agency.example"};
    std::string message = compose_message(sender, letter, "<i@x>", kDate, BodyEncoding::quoted_printable);
    EXPECT_NE(message.find("From: noreply@agency.example\r\nReply-To: office@agency.example\r\n"), std::string::npos);
    size_t at = message.find("Content-Type: multipart/alternative; boundary=\"=_extcomm_");
    ASSERT_NE(at, std::string::npos) << message;
    size_t start = message.find("boundary=\"", at) + 10;
    std::string boundary = message.substr(start, message.find('"', start) - start);
    EXPECT_EQ(message.substr(message.find("\r\n\r\n") + 4),
              "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
              "Plain\r\n\r\n--" + boundary +
              "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
              "<p>Rich</p>\r\n\r\n--" + boundary + "--\r\n");
}

TEST(MessageComposer, UnsafeExtcommIdIsLeftOut) {
    Letter letter{"m 1", "jane@example.org", "Hi", "x", ""};
    EXPECT_EQ(compose_message(kSender, letter, "<i@x>", kDate, BodyEncoding::quoted_printable).find("X-Extcomm"),
              std::string::npos);
}
