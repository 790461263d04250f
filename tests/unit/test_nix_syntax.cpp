// The Nix writer: every value must read back through nix-instantiate exactly.
#include <gtest/gtest.h>

#include "test_support.h"
#include "util/nix_syntax.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using json = nlohmann::json;

// Evaluates a Nix expression to JSON with the real evaluator.
json evaluate(const std::string& expression) {
  RunResult result = run({"nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json",
                          "--expr", expression},
                         capturing());
  EXPECT_TRUE(result.ok()) << result.err << "\nexpression:\n" << expression;
  return json::parse(result.out);
}

bool have_nix() {
  return !find_executable("nix-instantiate").empty();
}

TEST(NixSyntax, StringsAndNamesAsWritten) {
  EXPECT_EQ(nix_string("plain"), "\"plain\"");
  EXPECT_EQ(nix_string("a\"b\\c${d}$e\n"), "\"a\\\"b\\\\c\\${d}$e\\n\"");
  EXPECT_EQ(nix_attr_name("webapp1"), "webapp1");
  EXPECT_EQ(nix_attr_name("s6-svscan"), "s6-svscan");
  EXPECT_EQ(nix_attr_name("1st"), "\"1st\"");
  EXPECT_EQ(nix_attr_name("in"), "\"in\"");
  EXPECT_EQ(nix_attr_name("a.b"), "\"a.b\"");
  EXPECT_EQ(nix_value(json::object()), "{ }");
  EXPECT_EQ(nix_value(json::array()), "[ ]");
  EXPECT_EQ(nix_value({{"ids", {{"uids", {{"webapp1", 2000}}}}}}),
            "{\n  ids = {\n    uids = {\n      webapp1 = 2000;\n    };\n  };\n}");
}

TEST(NixSyntax, HostileValuesRoundTripThroughNix) {
  if (!have_nix()) GTEST_SKIP() << "nix-instantiate (nix-bin) is not installed";
  json document = json::object();
  json list = json::array();
  for (const std::string& text : testing::hostile_strings()) {
    document[text.empty() ? std::string("empty") : text] = text;
    list.push_back(text);
  }
  document["list"] = list;
  document["numbers"] = {0, -1, 42, 4294967295LL, 1.5, -0.25, true, false, nullptr};
  document["nested"] = {{"in", {{"or", json::array()}}}, {"${x}", json::object()}};
  EXPECT_EQ(evaluate(nix_value(document)), document);
}

}  // namespace
}  // namespace nixproc
