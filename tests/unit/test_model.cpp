#include "model/managed_process.h"
#include "test_support.h"
#include "util/error.h"

namespace nixproc {
namespace {

using testing::parse;
using json = nlohmann::json;

json webapp_model() {
  return {{"webapp",
           {{"pkg", {{"name", "webapp"}, {"process", "/bin/webapp"}, {"args", {"-D", 5}}}},
            {"port", 5000}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx"},
              {"process", "/usr/sbin/nginx"},
              {"dependencies", {"webapp"}}}}}}};
}

TEST(Model, ParsesInstancesWithMetadataAndDependencies) {
  model::Model model = parse(webapp_model());
  ASSERT_EQ(model.instances.size(), 2u);
  const auto* nginx = model.find("nginx");
  ASSERT_NE(nginx, nullptr);
  EXPECT_EQ(nginx->name, "nginx");
  EXPECT_EQ(nginx->type, "managed-process");
  EXPECT_EQ(nginx->dependencies, (std::vector<std::string>{"webapp"}));
  EXPECT_EQ(model.find("webapp")->meta["port"], 5000);
  auto order = model::start_order(model);
  EXPECT_EQ(model.instances[order[0]].key, "webapp");
  EXPECT_EQ(model.instances[order[1]].key, "nginx");
}

TEST(Model, DependencyByProcessNameOrKey) {
  json document = {
      {"a", {{"pkg", {{"name", "proc-a"}, {"process", "/bin/true"}}}}},
      {"b", {{"pkg", {{"name", "b"}, {"process", "/bin/true"}, {"dependencies", {"proc-a"}}}}}},
      {"c", {{"pkg", {{"name", "c"}, {"process", "/bin/true"}, {"dependencies", {"a"}}}}}}};
  model::Model model = parse(document);
  EXPECT_EQ(model.find("b")->dependencies, (std::vector<std::string>{"a"}));
  EXPECT_EQ(model.find("c")->dependencies, (std::vector<std::string>{"a"}));
}

TEST(Model, UnknownDependencyNamesInstanceAndField) {
  json document = webapp_model();
  document["nginx"]["pkg"]["dependencies"] = {"webapp2"};
  EXPECT_ERROR_CONTAINS(parse(document),
                        "instance nginx: field dependencies[0]: no instance is named \"webapp2\"");
}

TEST(Model, CycleIsPrinted) {
  json document = webapp_model();
  document["webapp"]["pkg"]["dependencies"] = {"nginx"};
  EXPECT_ERROR_CONTAINS(parse(document), "dependency cycle: nginx -> webapp -> nginx");
}

TEST(Model, SelfDependencyIsRejected) {
  json document = webapp_model();
  document["webapp"]["pkg"]["dependencies"] = {"webapp"};
  EXPECT_ERROR_CONTAINS(parse(document), "cannot depend on itself");
}

TEST(Model, DuplicateProcessNames) {
  json document = webapp_model();
  document["nginx"]["pkg"]["name"] = "webapp";
  document["nginx"]["pkg"].erase("dependencies");
  EXPECT_ERROR_CONTAINS(parse(document), "both have the process name \"webapp\"");
}

TEST(Model, MissingPkgAndProcess) {
  EXPECT_ERROR_CONTAINS(parse(json{{"x", {{"port", 1}}}}), "instance x: missing field pkg");
  EXPECT_ERROR_CONTAINS(parse(json{{"x", {{"pkg", {{"name", "x"}}}}}}),
                        "instance x: no process to run");
  EXPECT_ERROR_CONTAINS(parse(json{{"x", {{"pkg", {{"process", "/bin/true"}}}}}}),
                        "no process name was specified or can be inferred");
}

TEST(Model, InvalidNames) {
  EXPECT_ERROR_CONTAINS(
      parse(json{{"bad/name", {{"pkg", {{"name", "x"}, {"process", "/bin/true"}}}}}}),
      "invalid instance name \"bad/name\"");
  EXPECT_ERROR_CONTAINS(
      parse(json{{"x", {{"pkg", {{"name", "../etc"}, {"process", "/bin/true"}}}}}}),
      "field name: invalid process name \"../etc\"");
  EXPECT_ERROR_CONTAINS(
      parse(json{
          {"x",
           {{"pkg", {{"name", "x"}, {"process", "/bin/true"}, {"environment", {{"A-B", "1"}}}}}}}}),
      "field environment.A-B: not a valid environment variable name");
}

TEST(Model, WrongTypesNameTheField) {
  EXPECT_ERROR_CONTAINS(
      parse(json{
          {"x",
           {{"pkg", {{"name", "x"}, {"process", "/bin/true"}, {"args", {"a", json::object()}}}}}}}),
      "instance x: field args[1]: expected a string or an integer, got attribute set");
  EXPECT_ERROR_CONTAINS(parse(json{{"x", {{"pkg", {{"name", "x"}, {"process", 3}}}}}}),
                        "instance x: field process: expected a string, got integer");
  EXPECT_ERROR_CONTAINS(
      parse(json{{"x", {{"pkg", {{"name", "x"}, {"process", "/bin/true"}, {"argz", {}}}}}}}),
      "instance x: field argz: unknown field");
  EXPECT_ERROR_CONTAINS(
      parse(json{{"x", {{"pkg", {{"name", "x"}, {"process", "/bin/true"}, {"umask", "99"}}}}}}),
      "field umask: expected an octal mode");
  EXPECT_ERROR_CONTAINS(parse(json{{"x", {{"pkg", {{"name", "x"}, {"type", "upstart-job"}}}}}}),
                        "field type: unknown config type \"upstart-job\"");
  EXPECT_ERROR_CONTAINS(
      parse(json{{"x",
                  {{"pkg",
                    {{"name", "x"},
                     {"process", "/bin/true"},
                     {"overrides", {{"sysvinit", {{"__nixprocFunction", true}}}}}}}}}}),
      "function overrides cannot be carried as data");
  EXPECT_ERROR_CONTAINS(parse(json::array()), "must evaluate to an attribute set of instances");
}

TEST(ManagedProcess, ValidatesUmaskNiceAndAccountNames) {
  for (const char* good : {"022", "0022", "7", "777", "0777"})
    EXPECT_NO_THROW(model::check_umask(good, "i")) << good;
  for (const char* bad : {"", "8", "0888", "00022", "1022", "22a", "-22"})
    EXPECT_THROW(model::check_umask(bad, "i"), Error) << bad;
  for (const char* good : {"0", "19", "-20", "-5"}) EXPECT_NO_THROW(model::check_nice(good, "i"));
  for (const char* bad : {"", "-", "20", "-21", "100", "1.5", "+1"})
    EXPECT_THROW(model::check_nice(bad, "i"), Error) << bad;
  auto with_user = [](const std::string& user) {
    return json{{"users", {{user, {{"uid", 1000}}}}}};
  };
  for (const char* good : {"webapp", "_svc", "a.b-c_1", "A"})
    EXPECT_NO_THROW(model::check_credentials(with_user(good), "i")) << good;
  for (const std::string& bad :
       std::vector<std::string>{"", "1abc", "-x", ".x", "a b", "a$b", std::string(33, 'a')})
    EXPECT_THROW(model::check_credentials(with_user(bad), "i"), Error) << bad;
}

TEST(ManagedProcess, DefaultsFollowTheOriginal) {
  model::Model model = parse(json{{"w",
                                   {{"pkg",
                                     {{"instanceName", "w"},
                                      {"process", "/bin/w"},
                                      {"args", {"-a"}},
                                      {"daemonExtraArgs", {"-D"}},
                                      {"foregroundProcessExtraArgs", {"-f"}}}}}}});
  auto process = model::parse_managed_process(model.instances[0]);
  EXPECT_EQ(process.name, "w");
  EXPECT_EQ(process.description, "w");
  EXPECT_EQ(*process.daemon, "/bin/w");
  EXPECT_EQ(process.daemon_args, (std::vector<std::string>{"-a", "-D"}));
  EXPECT_EQ(*process.foreground_process, "/bin/w");
  EXPECT_EQ(process.foreground_process_args, (std::vector<std::string>{"-a", "-f"}));
}

TEST(ManagedProcess, OnlyOneModeWhenOnlyOneIsGiven) {
  model::Model model =
      parse(json{{"w", {{"pkg", {{"name", "w"}, {"foregroundProcess", "/bin/w"}}}}}});
  auto process = model::parse_managed_process(model.instances[0]);
  EXPECT_FALSE(process.daemon);
  EXPECT_TRUE(process.foreground_process);
}

}  // namespace
}  // namespace nixproc
