// The JSON every request body and the configuration are read with: what boost::json::parse would keep
// silently wrong is refused, naming where.
#include <common/strict_json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace extcomm {
namespace {

std::string refused_at(std::string_view text, std::string* reason = nullptr) {
    StrictJson parsed = parse_strict_json(text);
    EXPECT_FALSE(parsed.syntax) << text;
    if (!parsed.refused) return "(accepted)";
    if (reason) *reason = parsed.refused->reason;
    return parsed.refused->field;
}

TEST(StrictJsonTest, ReadsWhatBoostJsonReads) {
    const std::string text = R"({"a": [1, -2, 18446744073709551615, 1.5, true, null, "x\u00e9"], "b": {"c": {}}, "d": []})";
    StrictJson parsed = parse_strict_json(text);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value, boost::json::parse(text));
}

TEST(StrictJsonTest, SyntaxErrorsAreSyntaxErrors) {
    for (std::string_view text : {"", "{", "{\"a\": 1,}", "[1] 2", "{\"a\": 1} x", "// no\n{}"}) {
        StrictJson parsed = parse_strict_json(text);
        EXPECT_TRUE(parsed.syntax) << text;
        EXPECT_FALSE(parsed.refused) << text;
    }
}

TEST(StrictJsonTest, RefusesAMemberNamedTwiceNamingIt) {
    std::string reason;
    EXPECT_EQ(refused_at(R"({"to": "a", "body": "b", "to": "c"})", &reason), "to");
    EXPECT_NE(reason.find("twice"), std::string::npos) << reason;
    EXPECT_EQ(refused_at(R"({"messages": [{"to": "a"}, {"to": "b", "body": 1, "body": 2}]})"), "messages[1].body");
    EXPECT_EQ(refused_at(R"({"a": {"b": [[], {"c": 1, "c": 1}]}})"), "a.b[1].c");
    // The same name in different objects is no repeat.
    EXPECT_EQ(refused_at(R"({"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 2}]})"), "(accepted)");
}

TEST(StrictJsonTest, RefusesNulInAnyStringNamingIt) {
    std::string reason;
    EXPECT_EQ(refused_at(R"({"body": "Hello\u0000 there"})", &reason), "body");
    EXPECT_NE(reason.find("NUL"), std::string::npos) << reason;
    EXPECT_EQ(refused_at(R"({"messages": [{"body": "ok"}, {"subject": "\u0000"}]})"), "messages[1].subject");
    EXPECT_EQ(refused_at(R"({"metadata": {"tags": ["a", "b\u0000"]}})"), "metadata.tags[1]");
    EXPECT_EQ(refused_at(R"("\u0000")"), "");
    // A long string is handed over in parts: a NUL in any of them counts.
    EXPECT_EQ(refused_at("{\"body\": \"" + std::string(100000, 'x') + "\\u0000\"}"), "body");
    // In a name, the object holding it is named (the name itself is not repeated).
    EXPECT_EQ(refused_at(R"({"metadata": {"a\u0000b": 1}})", &reason), "metadata");
    EXPECT_NE(reason.find("member name"), std::string::npos) << reason;
}

} // namespace
} // namespace extcomm
