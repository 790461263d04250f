// disnix-export: the Disnix models written for a processes model, as text and
// as Nix reads them back.
#include <gtest/gtest.h>

#include "export/disnix_models.h"
#include "test_support.h"
#include "util/error.h"
#include "util/nix_syntax.h"
#include "util/subprocess.h"

namespace nixproc {
namespace {

using testing::parse;
using json = nlohmann::json;

json small_model() {
  return {{"webapp", {{"port", 5000}, {"pkg", {{"name", "webapp"}, {"process", "/bin/webapp"}}}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx"},
              {"process", "/usr/sbin/nginx"},
              {"dependencies", {"webapp"}}}}}}};
}

disnix_export::ExportInput small_input() {
  disnix_export::ExportInput input;
  input.model_path = "/srv/processes.nix";
  input.params.params = {{"stateDir", "/var"}, {"processManager", "sysvinit"}};
  input.process_manager = "sysvinit";
  return input;
}

TEST(DisnixExport, ServicesModelOfASmallModel) {
  auto models = disnix_export::disnix_models(parse(small_model()), small_input());
  EXPECT_EQ(models.services,
            "# The Disnix services model of the processes model \"/srv/processes.nix\",\n"
            "# written by `nixproc disnix-export`.\n"
            "#\n"
            "# Its pkg values come from nixproc's Nix library: evaluate it with\n"
            "#   -I nixproc=$(nixproc data-dir)\n"
            "#\n"
            "# Dependencies are activatesAfter: in a processes model they only order the\n"
            "# activation on this machine, and every pkg is already a complete config, so\n"
            "# no service needs its dependencies passed in.\n"
            "{ system ? builtins.currentSystem, pkgs ? null, distribution ? null, "
            "invDistribution ? null }:\n"
            "\n"
            "let\n"
            "  # The parameters nixproc passes the model when it evaluates it; the model\n"
            "  # gets the ones it declares.\n"
            "  params = { inherit system; }\n"
            "    // {\n"
            "      processManager = \"sysvinit\";\n"
            "      stateDir = \"/var\";\n"
            "    }\n"
            "    // (if pkgs == null then { } else { inherit pkgs; });\n"
            "  model = import (/. + \"/srv/processes.nix\");\n"
            "  processes =\n"
            "    if builtins.isFunction model\n"
            "    then model (builtins.intersectAttrs (builtins.functionArgs model) params)\n"
            "    else model;\n"
            "\n"
            "  # One service per instance; `self` lets services refer to each other.\n"
            "  self = {\n"
            "    nginx = processes.nginx // {\n"
            "      name = \"nginx\";\n"
            "      type = \"sysvinit-script\";\n"
            "      activatesAfter = { inherit (self) webapp; };\n"
            "    };\n"
            "    webapp = processes.webapp // {\n"
            "      name = \"webapp\";\n"
            "      type = \"sysvinit-script\";\n"
            "      activatesAfter = { };\n"
            "    };\n"
            "  };\n"
            "in\n"
            "self\n");
}

TEST(DisnixExport, InfrastructureAndDistribution) {
  auto models = disnix_export::disnix_models(parse(small_model()), small_input());
  EXPECT_EQ(models.infrastructure,
            "# The Disnix infrastructure model of the processes model \"/srv/processes.nix\",\n"
            "# written by `nixproc disnix-export`.\n"
            "# A processes model deploys to one machine: this one.\n"
            "{\n  localhost = {\n    properties = {\n      hostname = \"localhost\";\n    };\n  "
            "};\n}\n");
  EXPECT_EQ(models.distribution,
            "# The Disnix distribution model of the processes model \"/srv/processes.nix\",\n"
            "# written by `nixproc disnix-export`.\n"
            "# Every service runs on the one machine.\n"
            "{ infrastructure }:\n\n"
            "{\n"
            "  nginx = [ infrastructure.localhost ];\n"
            "  webapp = [ infrastructure.localhost ];\n"
            "}\n");
}

TEST(DisnixExport, DependsOnMakesPkgAFunctionOfTheInterDependencies) {
  auto input = small_input();
  input.depends_on = true;
  std::string services = disnix_export::disnix_models(parse(small_model()), input).services;
  EXPECT_NE(services.find("    nginx = processes.nginx // {\n"
                          "      name = \"nginx\";\n"
                          "      type = \"sysvinit-script\";\n"
                          "      pkg = interDependencies: processes.nginx.pkg;\n"
                          "      dependsOn = { inherit (self) webapp; };\n"
                          "    };\n"),
            std::string::npos)
      << services;
  EXPECT_EQ(services.find("activatesAfter"), std::string::npos) << services;
}

TEST(DisnixExport, TypesFollowTheProcessManagerUnlessTheConfigHasItsOwn) {
  json document = small_model();
  document["legacy"] = {
      {"pkg", {{"type", "sysvinit-script"}, {"name", "legacy"}, {"process", "/bin/legacy"}}}};
  auto input = small_input();
  input.process_manager = "none";
  std::string services = disnix_export::disnix_models(parse(document), input).services;
  EXPECT_NE(services.find("      name = \"legacy\";\n      type = \"sysvinit-script\";\n"),
            std::string::npos);
  EXPECT_NE(services.find("      name = \"webapp\";\n      type = \"managed-process\";\n"),
            std::string::npos);
  input.process_manager = "s6";
  services = disnix_export::disnix_models(parse(document), input).services;
  EXPECT_NE(services.find("      name = \"webapp\";\n      type = \"s6-service\";\n"),
            std::string::npos);
}

TEST(DisnixExport, NixExtraParamsArePastedAndJsonModelsRead) {
  auto input = small_input();
  input.params.nix_extra_params = "{ ids = import ./ids.nix; }";
  std::string services = disnix_export::disnix_models(parse(small_model()), input).services;
  EXPECT_NE(services.find("    }\n    // ({ ids = import ./ids.nix; })\n    // (if pkgs == null"),
            std::string::npos)
      << services;
  input.model_path = "/srv/processes.json";
  services = disnix_export::disnix_models(parse(small_model()), input).services;
  EXPECT_NE(services.find("  processes = builtins.fromJSON (builtins.readFile (/. + "
                          "\"/srv/processes.json\"));\n"),
            std::string::npos)
      << services;
  EXPECT_EQ(services.find("params"), std::string::npos) << services;
}

// Evaluates `expression` to JSON, with `dir` bound to the directory of the
// exported files.
json evaluate_in(const std::string& dir, const std::string& expression) {
  RunResult result = run({"nix-instantiate", "--store", "dummy://", "--eval", "--strict", "--json",
                          "--expr", "let dir = /. + " + nix_string(dir) + "; in " + expression},
                         capturing());
  EXPECT_TRUE(result.ok()) << result.err;
  return result.ok() ? json::parse(result.out) : json();
}

void write_models(const std::string& dir, const disnix_export::DisnixModels& models) {
  fs::write_file_atomic(dir + "/services.nix", models.services);
  fs::write_file_atomic(dir + "/infrastructure.nix", models.infrastructure);
  fs::write_file_atomic(dir + "/distribution.nix", models.distribution);
}

const char* kSummary =
    "builtins.mapAttrs (n: s: { inherit (s) name type; after = builtins.attrNames "
    "s.activatesAfter; dir = s.dir or null; }) (import (dir + \"/services.nix\") { })";

// Keys that Nix must quote, hostile parameter values and a hostile model
// path all read back as written.
TEST(DisnixExport, HostileNamesPathsAndParamsEvaluateAsWritten) {
  if (find_executable("nix-instantiate").empty()) GTEST_SKIP() << "no nix-instantiate";
  testing::TempDir dir;
  std::string model_dir = dir / "it's \"a\" ${x} $y dir";
  fs::make_directories(model_dir);
  std::string model_path = model_dir + "/processes.nix";
  fs::write_file_atomic(model_path,
                        "{ stateDir, processManager ? \"unset\" }: {\n"
                        "  \"web.app\" = { dir = stateDir; pkg = { name = \"web.app\"; }; };\n"
                        "  \"in\" = { dir = processManager; pkg = { name = \"in\"; }; };\n"
                        "  a-1 = { pkg = { name = \"a-1\"; }; };\n"
                        "}\n");
  json document = {
      {"web.app", {{"pkg", {{"name", "web.app"}, {"process", "/bin/true"}}}}},
      {"in", {{"pkg", {{"name", "in"}, {"process", "/bin/true"}, {"dependencies", {"web.app"}}}}}},
      {"a-1",
       {{"pkg",
         {{"name", "a-1"}, {"process", "/bin/true"}, {"dependencies", {"in", "web.app"}}}}}}};
  for (const auto& hostile : testing::hostile_strings()) {
    disnix_export::ExportInput input;
    input.model_path = model_path;
    input.params.params = {{"stateDir", hostile}, {"processManager", nullptr}};
    input.process_manager = "none";
    write_models(dir.path(), disnix_export::disnix_models(parse(document), input));
    json expected = {
        {"web.app",
         {{"name", "web.app"},
          {"type", "managed-process"},
          {"after", json::array()},
          {"dir", hostile}}},
        {"in",
         {{"name", "in"}, {"type", "managed-process"}, {"after", {"web.app"}}, {"dir", nullptr}}},
        {"a-1",
         {{"name", "a-1"},
          {"type", "managed-process"},
          {"after", {"in", "web.app"}},
          {"dir", nullptr}}}};
    EXPECT_EQ(evaluate_in(dir.path(), kSummary), expected) << hostile;
  }
  EXPECT_EQ(
      evaluate_in(dir.path(),
                  "builtins.mapAttrs (n: ms: map (m: m.properties.hostname) ms) (import (dir + "
                  "\"/distribution.nix\") { infrastructure = import (dir + "
                  "\"/infrastructure.nix\"); })"),
      (json{{"web.app", {"localhost"}}, {"in", {"localhost"}}, {"a-1", {"localhost"}}}));
}

}  // namespace
}  // namespace nixproc
