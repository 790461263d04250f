#include "test_support.h"
#include "util/shell.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::hostile_strings;

TEST(ShellQuote, EveryHostileStringSurvivesTheShell) {
  for (const auto& value : hostile_strings()) {
    RunResult result = run({"/bin/sh", "-c", "printf %s " + shell_quote(value)}, capturing());
    ASSERT_TRUE(result.ok()) << result.err;
    EXPECT_EQ(result.out, value);
  }
}

TEST(ShellQuote, ArgumentsStaySeparate) {
  std::vector<std::string> args = hostile_strings();
  RunResult result = run(
      {"/bin/sh", "-c", "for a in " + shell_quote_args(args) + "; do printf '%s\\0' \"$a\"; done"},
      capturing());
  ASSERT_TRUE(result.ok()) << result.err;
  std::string expected;
  for (const auto& arg : args) expected += arg + std::string(1, '\0');
  EXPECT_EQ(result.out, expected);
}

TEST(ShellQuote, EmptyListIsEmptyString) {
  EXPECT_EQ(shell_quote_args({}), "");
}

TEST(ShellVariableName, AcceptsOnlyIdentifiers) {
  EXPECT_TRUE(is_shell_variable_name("PORT"));
  EXPECT_TRUE(is_shell_variable_name("_x1"));
  EXPECT_FALSE(is_shell_variable_name("1X"));
  EXPECT_FALSE(is_shell_variable_name("A-B"));
  EXPECT_FALSE(is_shell_variable_name(""));
  EXPECT_FALSE(is_shell_variable_name("A=B"));
}

}  // namespace
}  // namespace nixproc
