// Bad models and input files are refused with one clear error naming the
// instance and field, before anything runs (docs/model-format.md, "What
// nixproc refuses").
#include <sys/stat.h>

#include "build_support.h"
#include "deploy/preflight.h"
#include "model/graph.h"
#include "model/load.h"
#include "util/error.h"
#include "util/json_input.h"
#include "util/quote.h"

namespace nixproc {
namespace {

using testing::parse;
using json = nlohmann::json;

json one_instance(json pkg) {
  if (!pkg.contains("name")) pkg["name"] = "a";
  if (!pkg.contains("process") && !pkg.contains("daemon") && !pkg.contains("foregroundProcess"))
    pkg["process"] = "/bin/sleep";
  return {{"a", {{"pkg", pkg}}}};
}

TEST(JsonInput, DeepNestingIsRefusedNotACrash) {
  // Nested in an instance's metadata, this crashed the copies that follow.
  std::string deep = R"({"a": {"pkg": {}, "deep": )" + std::string(1000000, '[') +
                     std::string(1000000, ']') + "}}";
  EXPECT_ERROR_CONTAINS(parse_json_text(deep, "m.json"),
                        "m.json: objects and lists nest deeper than 512 levels at a.deep[0][0]");
  std::string fine = std::string(500, '[') + std::string(500, ']');
  EXPECT_NO_THROW(parse_json_text(fine, "m.json"));
}

TEST(JsonInput, BuildsWhatNlohmannBuilds) {
  std::string text =
      R"({"s": "\u00fc\n", "i": -3, "u": 18446744073709551615, "f": 1.5e3, "b": [true, false, null],
          "o": {"x": [[], {}, [1, [2, {"y": "z"}]]]}, "e": {}})";
  EXPECT_EQ(parse_json_text(text, "m.json"), json::parse(text));
  EXPECT_EQ(parse_json_text("3", "m.json"), json(3));
  EXPECT_ERROR_CONTAINS(parse_json_text("{} x", "m.json"), "m.json: not valid JSON: ");
}

TEST(JsonInput, NumbersTooLargeNameTheirPlace) {
  EXPECT_ERROR_CONTAINS(parse_json_text(R"({"a": {"pkg": {"nice": 1e99999}}})", "m.json"),
                        "m.json: not valid JSON at a.pkg.nice: number overflow parsing '1e99999'");
  json big =
      parse_json_text(R"({"n": 123456789012345678901234567890123456789012345678})", "m.json");
  EXPECT_TRUE(big["n"].is_number_float());  // refused where an integer is needed, by type
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"nice", big["n"]}})),
                        "instance a: field nice: expected a string or an integer, got float");
}

TEST(JsonInput, DuplicateKeysAreRefused) {
  EXPECT_ERROR_CONTAINS(
      parse_json_text(R"({"a": {"pkg": {"process": "/bin/x", "process": "/bin/y"}}})", "m.json"),
      "m.json: the key \"process\" appears twice in the object at a.pkg");
  EXPECT_ERROR_CONTAINS(parse_json_text(R"({"a": 1, "a": 2})", "m.json"),
                        "appears twice in the top-level object");
  EXPECT_ERROR_CONTAINS(parse_json_text(R"({"l": [{}, {"k": 1, "k": 1}]})", "m.json"),
                        "the object at l[1]");
  EXPECT_NO_THROW(parse_json_text(R"({"a": {"k": 1}, "b": {"k": 1}})", "m.json"));
}

TEST(JsonInput, SyntaxErrorsStayOneShortLine) {
  std::string text = "{\"a\": \"" + std::string(1 << 20, 'x') + "\n";
  try {
    parse_json_text(text, "m.json");
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("m.json: not valid JSON: "), std::string::npos) << message;
    EXPECT_LT(message.size(), 600u);
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Quote, EscapesControlCharactersAndShortens) {
  EXPECT_EQ(quote("a\nb\tc\x01\"\\"), "\"a\\nb\\tc\\x01\\\"\\\\\"");
  EXPECT_EQ(quote(std::string("nul\0x", 5)), "\"nul\\0x\"");
  EXPECT_EQ(quote("ünïcödé"), "\"ünïcödé\"");
  EXPECT_EQ(quote("\xff\xc3"), "\"\\xff\\xc3\"");
  EXPECT_EQ(quote(std::string(1000, 'x'), 10), "\"xxxxxxxxxx...\" (and 990 more bytes)");
  EXPECT_EQ(printable("environment.A\nB"), "environment.A\\nB");
}

TEST(RefusedModel, NulBytesAnywhere) {
  std::string nul("x\0y", 3);
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"args", {"ok", nul}}})),
                        "instance a: field args[1]: holds a NUL byte");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"environment", {{"V", nul}}}})),
                        "instance a: field environment.V: holds a NUL byte");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"description", nul}})),
                        "instance a: field description: holds a NUL byte");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"path", {nul}}})),
                        "instance a: field path[0]: holds a NUL byte");
  json with_meta = one_instance({});
  with_meta["a"]["dnsName"] = nul;
  EXPECT_ERROR_CONTAINS(parse(with_meta), "instance a: field dnsName: holds a NUL byte");
  json key = one_instance({{"environment", {{nul, "v"}}}});
  EXPECT_ERROR_CONTAINS(parse(key), "instance a: field environment.x\\0y (a key): holds a NUL");
}

TEST(RefusedModel, InstanceNameIsCheckedEvenWithName) {
  for (const char* bad : {"../../elsewhere/x", "x/y", "new\nline"})
    EXPECT_ERROR_CONTAINS(parse(one_instance({{"instanceName", bad}})),
                          "instance a: field instanceName: invalid instance name");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"instanceName", "new\nline"}})),
                        "\"new\\nline\": character \"\\n\" at position 4");
}

TEST(RefusedModel, SharedInstanceName) {
  json document = one_instance({{"instanceName", "same"}});
  document["b"] = {{"pkg", {{"name", "b"}, {"process", "/bin/sleep"}, {"instanceName", "same"}}}};
  EXPECT_ERROR_CONTAINS(parse(document), "instances a and b both have the instanceName \"same\"");
  document["b"]["pkg"].erase("instanceName");
  document["a"]["pkg"]["pidFile"] = document["b"]["pkg"]["pidFile"] = "/run/x.pid";
  EXPECT_ERROR_CONTAINS(parse(document), "instances a and b both have the pidFile \"/run/x.pid\"");
}

TEST(RefusedModel, EmptyExecutablesAndBadPidFiles) {
  for (const char* field : {"process", "daemon", "foregroundProcess"}) {
    json document = one_instance({});
    document["a"]["pkg"][field] = "";
    EXPECT_ERROR_CONTAINS(parse(document), std::string("instance a: field ") + field + ": empty");
  }
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"pidFile", ""}})), "instance a: field pidFile: empty");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"pidFile", "run/a.pid"}})),
                        "instance a: field pidFile: \"run/a.pid\" is not an absolute path");
}

TEST(RefusedModel, ArgumentsBeyondTheKernelsLimits) {
  std::string huge(200000, 'x');
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"args", {"ok", huge}}})),
                        "instance a: field args[1]: 200000 bytes, more than the 131071");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"foregroundProcessExtraArgs", {huge}}})),
                        "field foregroundProcessExtraArgs[0]: 200000 bytes");
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"environment", {{"BIG", huge}}}})),
                        "instance a: field environment.BIG: 200004 bytes");
  std::vector<std::string> many(40, std::string(100000, 'y'));  // 4 MB in strings of 100 KB
  EXPECT_ERROR_CONTAINS(parse(one_instance({{"args", many}})),
                        "instance a: daemonArgs and environment take");
  EXPECT_NO_THROW(parse(one_instance({{"args", {std::string(100000, 'z')}}})));
}

TEST(RefusedModel, LongCyclesAreShortened) {
  json document;
  for (int i = 0; i < 2000; ++i)
    document["n" + std::to_string(i)] = {{"pkg",
                                          {{"process", "/bin/sleep"},
                                           {"dependencies", {"n" + std::to_string((i + 1) % 2000)}},
                                           {"name", "n" + std::to_string(i)}}}};
  try {
    parse(document);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("dependency cycle: n0 -> n1 -> n2 -> n3"), std::string::npos) << message;
    EXPECT_NE(message.find("(1992 more) -> n0"), std::string::npos) << message;
    EXPECT_LT(message.size(), 300u);
  }
}

TEST(RefusedModel, AMillionLongCycleIsFoundWithoutRecursion) {
  std::vector<std::vector<size_t>> dependencies(1000000);
  for (size_t i = 0; i < dependencies.size(); ++i)
    dependencies[i] = {(i + 1) % dependencies.size()};
  auto result = model::topological_order(dependencies);
  EXPECT_EQ(result.cycle.size(), dependencies.size() + 1);
}

TEST(RefusedBuild, OverridesKeepNameAndDependencies) {
  testing::TempDir dir;
  json document = one_instance({{"overrides", {{"sysvinit", {{"name", "../x"}}}}}});
  EXPECT_ERROR_CONTAINS(testing::build_with(dir, document, "sysvinit"),
                        "instance a: field overrides.sysvinit.name: an override cannot change");
  document = one_instance({{"overrides", {{"supervisord", {{"dependencies", {"b"}}}}}}});
  EXPECT_ERROR_CONTAINS(testing::build_with(dir, document, "supervisord"),
                        "field overrides.supervisord.dependencies: an override cannot change");
  document = one_instance({{"overrides", {{"sysvinit", {{"instanceName", "../x"}}}}}});
  EXPECT_ERROR_CONTAINS(testing::build_with(dir, document, "sysvinit"),
                        "field overrides.sysvinit.instanceName: character \".\" at position 1");
}

TEST(RefusedBuild, SharedPidFile) {
  testing::TempDir dir;
  // An explicit pidFile that is another instance's implicit one.
  json document = one_instance({});
  document["b"] = {{"pkg", {{"name", "b"}, {"process", "/bin/sleep"}, {"instanceName", "b"}}}};
  document["a"]["pkg"]["pidFile"] = dir / "var/run/b.pid";
  EXPECT_ERROR_CONTAINS(testing::build_with(dir, document, "sysvinit"), "both use the PID file");
}

TEST(RefusedBuild, OverridesCannotEmptyTheExecutableOrPidFile) {
  testing::TempDir dir;
  json document = one_instance({{"overrides", {{"sysvinit", {{"pidFile", "a.pid"}}}}}});
  EXPECT_ERROR_CONTAINS(testing::build_with(dir, document, "sysvinit"),
                        "instance a (sysvinit): field pidFile: \"a.pid\" is not an absolute path");
}

TEST(InputFiles, OnlyRegularFilesOfBoundedSize) {
  testing::TempDir dir;
  EXPECT_ERROR_CONTAINS(fs::read_input_file("/dev/zero", "processes model"),
                        "processes model /dev/zero is a device, not a regular file");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_ERROR_CONTAINS(fs::read_input_file(dir / "fifo", "processes model"),
                        "is a FIFO, not a regular file");
  EXPECT_ERROR_CONTAINS(fs::read_input_file(dir.path(), "processes model"), "is a directory");
  EXPECT_ERROR_CONTAINS(fs::read_input_file(dir / "none", "processes model"), "does not exist");
  fs::write_file_atomic(dir / "big", std::string(2000, 'x'));
  EXPECT_ERROR_CONTAINS(fs::read_input_file(dir / "big", "processes model", 1000),
                        "is larger than");
  EXPECT_EQ(fs::read_input_file(dir / "big", "processes model").size(), 2000u);
}

TEST(InputFiles, ModelsThatAreNoFilesAreRefused) {
  model::EvalInputs inputs;
  EXPECT_ERROR_CONTAINS(model::load_model("/dev/zero", inputs),
                        "processes model /dev/zero is a device");
}

// Instances whose launch needs are `needs` (as build records them).
struct Needs {
  std::vector<ManifestInstance> instances;
  std::vector<std::string> problems(const StateDirs& dirs) {
    std::vector<const ManifestInstance*> pointers;
    for (const auto& instance : instances) pointers.push_back(&instance);
    return preflight_problems(pointers, dirs);
  }
};

std::string only_problem(const json& config, const StateDirs& dirs) {
  Needs needs;
  needs.instances.push_back({});
  needs.instances[0].key = "a";
  needs.instances[0].launch = launch_needs(config, "instance a (sysvinit)");
  auto problems = needs.problems(dirs);
  return problems.empty() ? "" : problems.size() == 1 ? problems[0] : "several problems";
}

TEST(Preflight, TheExecutableMustExistAndBeExecutable) {
  testing::TempDir dir;
  StateDirs dirs = testing::test_context(dir.path()).dirs;
  EXPECT_EQ(only_problem({{"process", "/bin/sleep"}}, dirs), "");
  EXPECT_EQ(only_problem({{"process", "sleep"}}, dirs), "");
  EXPECT_EQ(only_problem({{"process", dir / "missing"}}, dirs),
            "instance a (sysvinit): field process: \"" + dir / "missing" + "\" does not exist");
  fs::write_file_atomic(dir / "plain", "data", 0644);
  EXPECT_NE(only_problem({{"process", dir / "plain"}}, dirs).find("is not executable"),
            std::string::npos);
  EXPECT_NE(only_problem({{"process", dir.path()}}, dirs).find("is not a regular file"),
            std::string::npos);
  EXPECT_NE(
      only_problem({{"process", "no-such-program-here"}}, dirs)
          .find("field process: \"no-such-program-here\" is not found on the instance's PATH"),
      std::string::npos);
  fs::make_directories(dir / "pkg/bin");
  fs::write_file_atomic(dir / "pkg/bin/tool", "#!/bin/sh\n", 0755);
  EXPECT_EQ(only_problem({{"process", "tool"}, {"path", {dir / "pkg"}}}, dirs), "");
  EXPECT_THROW(launch_needs({{"process", ""}}, "instance a (sysvinit)"), Error);
}

TEST(Preflight, ThePidFilesDirectoryMustExistUnlessInitializeMakesIt) {
  testing::TempDir dir;
  StateDirs dirs = testing::test_context(dir.path()).dirs;
  std::string missing = dir / "missing/a.pid";
  EXPECT_NE(only_problem({{"process", "/bin/sleep"}, {"pidFile", missing}}, dirs)
                .find("field pidFile: the directory \"" + dir / "missing" + "\" does not exist"),
            std::string::npos);
  EXPECT_EQ(only_problem({{"process", "/bin/sleep"},
                          {"pidFile", missing},
                          {"initialize", "mkdir -p " + dir / "missing"}},
                         dirs),
            "");
  // The state directories are created by the switch itself.
  EXPECT_EQ(
      only_problem({{"process", "/bin/sleep"}, {"pidFile", dirs.runtime_dir + "/a.pid"}}, dirs),
      "");
}

TEST(Preflight, APidFileThatIsSomeonesDataIsNotOverwritten) {
  testing::TempDir dir;
  StateDirs dirs = testing::test_context(dir.path()).dirs;
  std::string pid_file = dir / "a.pid";
  json config = {{"process", "/bin/sleep"}, {"pidFile", pid_file}};
  for (const char* content : {"", "\n", "1234\n", "  42  "}) {
    fs::write_file_atomic(pid_file, content);
    EXPECT_EQ(only_problem(config, dirs), "") << content;
  }
  for (const std::string& content : {std::string("my thesis\n"), std::string(100, '1')}) {
    fs::write_file_atomic(pid_file, content);
    EXPECT_NE(only_problem(config, dirs).find("exists and is not a PID file"), std::string::npos)
        << content;
  }
}

}  // namespace
}  // namespace nixproc
