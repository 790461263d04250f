// nixproc test's plain-data parts: the suite's variants as nix/eval-tests.nix
// gives them, and the JUnit report.
#include <gtest/gtest.h>
#include <tinyxml2.h>

#include "testdriver/runner.h"
#include "testdriver/suite.h"
#include "util/error.h"

namespace nixproc::testdriver {
namespace {

nlohmann::json variant_json() {
  return nlohmann::json::parse(R"([{
    "_type": "nixproc-test", "attrPath": "web.unprivileged.sysvinit", "name": "web",
    "profile": "unprivileged", "processManager": "sysvinit", "user": "unprivileged",
    "steps": [{"kind": "readiness", "phase": "nginx", "text": "machine.wait_for_open_port(80)\n"}],
    "systemPackages": ["/nix/store/abc-curl"], "context": ["/nix/store/def.drv"]
  }])");
}

TEST(TestdriverSuite, ReadsVariants) {
  auto variants = variants_from_json(variant_json());
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(variants[0].attr_path, "web.unprivileged.sysvinit");
  EXPECT_EQ(variants[0].process_manager, "sysvinit");
  EXPECT_EQ(variants[0].user, "unprivileged");
  EXPECT_EQ(variants[0].steps.size(), 1u);
  EXPECT_EQ(variants[0].system_packages, std::vector<std::string>{"/nix/store/abc-curl"});
  EXPECT_EQ(variants[0].context, std::vector<std::string>{"/nix/store/def.drv"});
}

TEST(TestdriverSuite, RootHasNoUser) {
  auto json = variant_json();
  json[0]["user"] = nullptr;
  EXPECT_EQ(variants_from_json(json)[0].user, "");
}

TEST(TestdriverSuite, RefusesMalformedSteps) {
  auto json = variant_json();
  json[0]["steps"][0]["text"] = 3;
  EXPECT_THROW(variants_from_json(json), Error);
  json = variant_json();
  json[0]["systemPackages"] = "curl";
  EXPECT_THROW(variants_from_json(json), Error);
  EXPECT_THROW(variants_from_json(nlohmann::json::object()), Error);
}

TEST(TestdriverSuite, SkipsManagersOfOtherSystems) {
  Variant variant;
  variant.process_manager = "launchd";
  EXPECT_NE(skip_reason(variant), "");
  variant.process_manager = "sysvinit";
  EXPECT_EQ(skip_reason(variant), "");
}

TEST(TestdriverJunit, CountsAndEscapes) {
  VariantResult passed, failed, skipped;
  passed.status = VariantResult::Passed;
  passed.attr_path = "a.privileged.sysvinit";
  failed.status = VariantResult::Failed;
  failed.attr_path = "a.unprivileged.sysvinit";
  failed.reason = "readiness <nginx> & \"more\"";
  failed.log = "output with \x1b[1mcolour\x1b[0m\n";
  skipped.status = VariantResult::Skipped;
  skipped.attr_path = "a.privileged.launchd";
  skipped.reason = "launchd runs on macOS";
  std::string xml = junit_report("suite.nix", {passed, failed, skipped});
  tinyxml2::XMLDocument document;
  ASSERT_EQ(document.Parse(xml.c_str()), tinyxml2::XML_SUCCESS) << xml;
  auto* suite = document.FirstChildElement("testsuites")->FirstChildElement("testsuite");
  EXPECT_STREQ(suite->Attribute("tests"), "3");
  EXPECT_STREQ(suite->Attribute("failures"), "1");
  EXPECT_STREQ(suite->Attribute("skipped"), "1");
  auto* second = suite->FirstChildElement("testcase")->NextSiblingElement("testcase");
  EXPECT_STREQ(second->FirstChildElement("failure")->Attribute("message"),
               "readiness <nginx> & \"more\"");
  EXPECT_EQ(std::string(second->FirstChildElement("system-out")->GetText()).find('\x1b'),
            std::string::npos);
}

}  // namespace
}  // namespace nixproc::testdriver
