#include <extcomm/sms_text.hpp>
#include <extcomm/phone.hpp>
#include <extcomm_sms/wire.hpp>

#include <gtest/gtest.h>

#include <string>

using namespace extcomm::sms;
using namespace extcomm::phone;

TEST(Gsm7, PlainAsciiAndGsmAccentsAreGsm7) {
    EXPECT_TRUE(is_gsm7("Hello World! 10:30 @home"));
    EXPECT_TRUE(is_gsm7("Rendez-vous à 10h, café? £5 ¥ Ñ ü ß Δ"));
    EXPECT_TRUE(is_gsm7("braces {} and € cost two"));
}

TEST(Gsm7, NonGsmCharactersNeedUcs2) {
    EXPECT_FALSE(is_gsm7("Backtick ` is not GSM"));
    EXPECT_FALSE(is_gsm7("Привет"));
    EXPECT_FALSE(is_gsm7("ç lower-case c cedilla is not GSM"));
    EXPECT_FALSE(is_gsm7("emoji 😀"));
}

TEST(Gsm7, InvalidUtf8IsNotAnalysed) {
    EXPECT_FALSE(analyse("\xC3").has_value());
    EXPECT_FALSE(analyse("\xC0\xAF").has_value()); // overlong '/'
    EXPECT_FALSE(analyse("\xED\xA0\x80").has_value()); // surrogate
}

TEST(Gsm7, PartsFollowSinglePartAndConcatenatedLimits) {
    EXPECT_EQ(analyse(std::string(160, 'a'))->parts, 1u);
    EXPECT_EQ(analyse(std::string(161, 'a'))->parts, 2u);
    EXPECT_EQ(analyse(std::string(306, 'a'))->parts, 2u);
    EXPECT_EQ(analyse(std::string(307, 'a'))->parts, 3u);
    EXPECT_EQ(analyse(std::string(80, '{'))->units, 160u); // extension characters take two septets
    std::string cyr;
    for (int i = 0; i < 70; ++i) cyr += "ж";
    EXPECT_EQ(analyse(cyr)->encoding, Encoding::ucs2);
    EXPECT_EQ(analyse(cyr)->parts, 1u);
    EXPECT_EQ(analyse(cyr + "ж")->parts, 2u);
    EXPECT_EQ(analyse("😀")->units, 2u); // outside the BMP: a surrogate pair
    EXPECT_EQ(analyse("")->parts, 0u);
}

TEST(Gsm7, CapacityAndPartsAgree) {
    EXPECT_EQ(capacity(Encoding::gsm7, 1), 160u);
    EXPECT_EQ(capacity(Encoding::gsm7, 2), 306u);
    EXPECT_EQ(capacity(Encoding::ucs2, 1), 70u);
    EXPECT_EQ(capacity(Encoding::ucs2, 3), 201u);
    for (Encoding e : {Encoding::gsm7, Encoding::ucs2})
        for (size_t parts = 1; parts <= 4; ++parts) {
            EXPECT_EQ(parts_for(e, capacity(e, parts)), parts);
            EXPECT_EQ(parts_for(e, capacity(e, parts) + 1), parts + 1);
        }
}

TEST(Gsm7, CutKeepsEscapesAndSurrogatePairsWhole) {
    EXPECT_EQ(cut_to_units("abc", Encoding::gsm7, 10).value(), "abc");
    EXPECT_EQ(cut_to_units("ab€", Encoding::gsm7, 3).value(), "ab"); // '€' needs two septets
    EXPECT_EQ(cut_to_units("ab€", Encoding::gsm7, 4).value(), "ab€");
    EXPECT_EQ(cut_to_units("a😀", Encoding::ucs2, 2).value(), "a"); // a surrogate pair is not split
    EXPECT_EQ(cut_to_units("a😀", Encoding::ucs2, 3).value(), "a😀");
    EXPECT_FALSE(cut_to_units("\xC3", Encoding::gsm7, 5).has_value());
}

TEST(Phone, NormalisesInternationalForms) {
    for (const char* in : {"+61491570156", "+61 491 570 156", "+61-491-570-156", "(+61) 491.570.156", "0061491570156"}) {
        auto r = normalise_number(in);
        ASSERT_TRUE(std::holds_alternative<E164>(r)) << in;
        EXPECT_EQ(std::get<E164>(r).digits, "61491570156") << in;
        EXPECT_EQ(std::get<E164>(r).with_plus(), "+61491570156");
    }
}

TEST(Phone, NationalNumbersNeedADefaultCountry) {
    auto refused = normalise_number("0491 570 156");
    ASSERT_TRUE(std::holds_alternative<NumberError>(refused));
    EXPECT_NE(std::get<NumberError>(refused).text.find("international format"), std::string::npos);
    NumberOptions au;
    au.default_country_code = "61";
    auto ok = normalise_number("0491 570 156", au);
    ASSERT_TRUE(std::holds_alternative<E164>(ok));
    EXPECT_EQ(std::get<E164>(ok).digits, "61491570156");
}

TEST(Phone, RefusesWhatCannotBeANumber) {
    for (const char* in : {"", "+", "+61abc", "+6149+1570156", "+0491570156", "+12345", "+1234567890123456", "call me"}) {
        auto r = normalise_number(in);
        ASSERT_TRUE(std::holds_alternative<NumberError>(r)) << in;
        EXPECT_EQ(std::get<NumberError>(r).code, "invalid-number");
        EXPECT_FALSE(std::get<NumberError>(r).text.empty());
    }
}

TEST(Wire, BasicAuthIsRfc7617) {
    EXPECT_EQ(basic_auth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    EXPECT_EQ(base64("a"), "YQ==");
    EXPECT_EQ(base64("ab"), "YWI=");
    EXPECT_EQ(base64("abc"), "YWJj");
}

TEST(Wire, RetryAfterSecondsOnly) {
    EXPECT_EQ(retry_after_ms("120"), 120000u);
    EXPECT_EQ(retry_after_ms(" 5 "), 5000u);
    EXPECT_EQ(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT"), 0u);
    EXPECT_EQ(retry_after_ms(""), 0u);
}

TEST(Wire, QueryParamsAreDecoded) {
    EXPECT_EQ(query_param("a=1&token=s%2Bx+y&b", "token").value(), "s+x y");
    EXPECT_EQ(query_param("b", "b").value(), "");
    EXPECT_FALSE(query_param("a=1", "token").has_value());
    EXPECT_EQ(percent_encode("a b+c/é"), "a%20b%2Bc%2F%C3%A9");
}

TEST(Wire, Iso8601WithOffsets) {
    EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z").value(), 0);
    EXPECT_EQ(parse_iso8601_ms("2016-11-03T11:49:02.807Z").value(), 1478173742807);
    EXPECT_EQ(parse_iso8601_ms("2024-01-01T10:00:00+00:00").value(), 1704103200000);
    EXPECT_EQ(parse_iso8601_ms("2024-01-01T12:00:00+02:00").value(), 1704103200000);
    EXPECT_EQ(parse_iso8601_ms("2024-01-01T10:00:00").value(), 1704103200000);
    EXPECT_FALSE(parse_iso8601_ms("11/3/2016 11:49:02 AM").has_value());
}

TEST(Wire, SameSecret) {
    EXPECT_TRUE(same_secret("abc", "abc"));
    EXPECT_FALSE(same_secret("abc", "abd"));
    EXPECT_FALSE(same_secret("abc", "abcd"));
}
