#include "header_encoding.hpp"

#include <gtest/gtest.h>

#include <Poco/Base64Decoder.h>

#include <sstream>

using namespace extcomm::smtp;

namespace {

// Decodes the encoded-words of a field body the way a mail reader does (B encoding only).
std::string decode_words(std::string body) {
    std::string out;
    size_t pos = 0;
    while ((pos = body.find("=?UTF-8?B?", pos)) != std::string::npos) {
        size_t start = pos + 10, end = body.find("?=", start);
        std::istringstream in(body.substr(start, end - start));
        Poco::Base64Decoder decoder(in);
        out += std::string(std::istreambuf_iterator<char>(decoder), {});
        pos = end + 2;
    }
    return out;
}

} // namespace

TEST(HeaderEncoding, PlainAsciiSubjectIsWrittenAsIs) {
    EXPECT_EQ(unstructured_field("Subject", "Appointment on Monday"), "Subject: Appointment on Monday\r\n");
}

TEST(HeaderEncoding, NonAsciiSubjectBecomesUtf8EncodedWords) {
    EXPECT_EQ(unstructured_field("Subject", "Réunion"), "Subject: =?UTF-8?B?UsOpdW5pb24=?=\r\n");
}

TEST(HeaderEncoding, TextThatLooksLikeAnEncodedWordIsEncoded) {
    std::string field = unstructured_field("Subject", "=?UTF-8?B?SGk=?=");
    EXPECT_EQ(decode_words(field), "=?UTF-8?B?SGk=?=");
}

TEST(HeaderEncoding, LongSubjectIsFoldedBetweenWholeCharacters) {
    std::string subject;
    for (int i = 0; i < 40; ++i) subject += "é✓"; // 2- and 3-byte characters
    std::string field = unstructured_field("Subject", subject);
    EXPECT_EQ(decode_words(field), subject);
    size_t start = 0;
    while (start < field.size()) {
        size_t end = field.find("\r\n", start);
        EXPECT_LE(end - start, 78u) << field.substr(start, end - start);
        start = end + 2;
    }
    // Every word decodes to valid UTF-8 on its own: no sequence is cut.
    size_t pos = 0;
    while ((pos = field.find("=?UTF-8?B?", pos)) != std::string::npos) {
        size_t end = field.find("?=", pos + 10);
        std::string word = decode_words(field.substr(pos, end + 2 - pos));
        EXPECT_NE(static_cast<unsigned char>(word.front()) & 0xC0, 0x80);
        pos = end;
    }
}

TEST(HeaderEncoding, LongAsciiSubjectIsEncodedRatherThanOverlong) {
    std::string subject(120, 'x');
    std::string field = unstructured_field("Subject", subject);
    EXPECT_EQ(decode_words(field), subject);
}

TEST(HeaderEncoding, MailboxWithAtomQuotedAndEncodedNames) {
    EXPECT_EQ(mailbox_field("From", "", "a@b.example"), "From: a@b.example\r\n");
    EXPECT_EQ(mailbox_field("From", "Family Services", "a@b.example"), "From: Family Services <a@b.example>\r\n");
    EXPECT_EQ(mailbox_field("From", "Services, Inc. \"East\"", "a@b.example"),
              "From: \"Services, Inc. \\\"East\\\"\" <a@b.example>\r\n");
    EXPECT_EQ(mailbox_field("From", "Équipe", "a@b.example"), "From: =?UTF-8?B?w4lxdWlwZQ==?= <a@b.example>\r\n");
}
