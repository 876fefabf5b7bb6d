// Outside text quoted in a log line cannot start a line of its own.
#include <common/log_text.hpp>

#include <gtest/gtest.h>

namespace extcomm {
namespace {

TEST(LogTextTest, ALineBreakCannotForgeALogLine) {
    const std::string forged = "abc\n[2026-03-03 14:30:00.000] [info] message 5f0c is delivered";
    const std::string quoted = loggable(forged);
    EXPECT_EQ(quoted.find('\n'), std::string::npos);
    EXPECT_EQ(quoted, "abc\\n[2026-03-03 14:30:00.000] [info] message 5f0c is delivered");
    EXPECT_EQ(loggable("a\r\tb\x1b[31m\x7f"), "a\\r\\tb\\x1b[31m\\x7f");
    EXPECT_EQ(loggable(std::string("nul\0", 4)), "nul\\x00");
}

TEST(LogTextTest, ReadsBackExactly) {
    // A backslash is escaped too, so "\n" written by the provider differs from a line break.
    EXPECT_EQ(loggable("C:\\new"), "C:\\\\new");
    EXPECT_EQ(loggable("Привет 😀 +61491570156"), "Привет 😀 +61491570156");
}

} // namespace
} // namespace extcomm
