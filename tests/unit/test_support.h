#pragma once
// Shared fixtures for the core unit tests: temporary directories and models.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "core/context.h"
#include "model/model.h"
#include "util/fs.h"

namespace nixproc::testing {

using json = nlohmann::json;

// A fresh directory removed (with everything in it) when the object dies.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/nixproc-unit-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    if (!made) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    try {
      fs::remove_tree(path_);
    } catch (...) {
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Strings that break naive quoting in every format we write.
inline const std::vector<std::string>& hostile_strings() {
  static const std::vector<std::string> strings = {"it's",
                                                   "say \"hi\"",
                                                   "$HOME and ${PATH}",
                                                   "back\\slash",
                                                   "two  spaces",
                                                   "new\nline",
                                                   "100% %s %(x)s",
                                                   "`uname`",
                                                   "semi;colon && || |",
                                                   "*?[a]",
                                                   "",
                                                   "tab\there",
                                                   "ünïcödé"};
  return strings;
}

// A context for rendering into `dir` (state dirs below it, runtime path fake).
inline Context test_context(const std::string& dir, bool force_disable_user_change = true) {
  Context context;
  json params = {{"stateDir", dir + "/var"}, {"forceDisableUserChange", force_disable_user_change}};
  context.dirs = StateDirs::from_params(params);
  context.process_manager = "sysvinit";
  context.runtime = dir + "/store/00000000000000000000000000000000-nixproc-runtime";
  return context;
}

inline model::Model parse(const json& document) {
  return model::parse_model(document, "test model", config_types());
}

// Expects `statement` to throw nixproc::Error whose message contains `part`.
#define EXPECT_ERROR_CONTAINS(statement, part)                                            \
  do {                                                                                    \
    try {                                                                                 \
      statement;                                                                          \
      ADD_FAILURE() << "expected an error containing: " << (part);                        \
    } catch (const nixproc::Error& error) {                                               \
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what(); \
    }                                                                                     \
  } while (0)

}  // namespace nixproc::testing
