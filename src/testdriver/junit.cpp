#include <tinyxml2.h>

#include <cstdio>

#include "testdriver/runner.h"

namespace nixproc::testdriver {

// XML 1.0 has no place for control characters (a log's colour codes).
static std::string xml_text(const std::string& text) {
  std::string clean = text;
  for (char& c : clean)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') c = '?';
  return clean;
}

std::string junit_report(const std::string& suite, const std::vector<VariantResult>& results) {
  tinyxml2::XMLDocument document;
  document.InsertEndChild(document.NewDeclaration());
  auto* suites = document.NewElement("testsuites");
  document.InsertEndChild(suites);
  auto* element = document.NewElement("testsuite");
  suites->InsertEndChild(element);
  int failures = 0, skipped = 0;
  double total = 0;
  for (const auto& result : results) {
    auto* testcase = document.NewElement("testcase");
    testcase->SetAttribute("classname", suite.c_str());
    testcase->SetAttribute("name", result.attr_path.c_str());
    testcase->SetAttribute("time", result.seconds);
    total += result.seconds;
    if (result.status == VariantResult::Failed) {
      ++failures;
      auto* failure = testcase->InsertNewChildElement("failure");
      failure->SetAttribute("message", xml_text(result.reason).c_str());
      if (!result.kept_dir.empty())
        failure->SetText(("log and state kept in " + result.kept_dir).c_str());
    } else if (result.status == VariantResult::Skipped) {
      ++skipped;
      testcase->InsertNewChildElement("skipped")->SetAttribute("message",
                                                               xml_text(result.reason).c_str());
    }
    if (!result.log.empty())
      testcase->InsertNewChildElement("system-out")->SetText(xml_text(result.log).c_str());
    element->InsertEndChild(testcase);
  }
  element->SetAttribute("name", suite.c_str());
  element->SetAttribute("tests", static_cast<int>(results.size()));
  element->SetAttribute("failures", failures);
  element->SetAttribute("skipped", skipped);
  element->SetAttribute("time", total);
  tinyxml2::XMLPrinter printer;
  document.Print(&printer);
  return printer.CStr();
}

}  // namespace nixproc::testdriver
