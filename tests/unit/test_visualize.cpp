// visualize: a model's deployment as DOT text, and DOT string escaping.
#include <gtest/gtest.h>

#include "backends/placement.h"
#include "test_support.h"
#include "util/error.h"
#include "visualize/deployment_graph.h"
#include "visualize/dot_graph.h"

namespace nixproc {
namespace {

using testing::parse;
using json = nlohmann::json;

// webapp and nginx are managed processes (nginx's process name differs from
// its key); legacy is a supervisord program written as such.
json mixed_model() {
  return {{"webapp", {{"pkg", {{"name", "webapp"}, {"process", "/bin/webapp"}}}}},
          {"nginx",
           {{"pkg",
             {{"instanceName", "nginx-proxy"},
              {"process", "/usr/sbin/nginx"},
              {"dependencies", {"webapp"}}}}}},
          {"legacy",
           {{"pkg",
             {{"type", "supervisord-program"},
              {"name", "legacy"},
              {"command", "/bin/legacy"},
              {"dependencies", {"webapp", "nginx-proxy"}}}}}}};
}

TEST(Visualize, DeploymentGraphOfAMixedModel) {
  std::string dot =
      visualize::render_dot(visualize::deployment_graph(parse(mixed_model()), "sysvinit"));
  EXPECT_EQ(dot,
            "digraph deployment {\n"
            "  node [shape = ellipse, style = filled, fillcolor = white];\n"
            "  subgraph cluster_1 {\n"
            "    label = \"localhost\";\n"
            "    style = filled;\n"
            "    fillcolor = \"grey\";\n"
            "    subgraph cluster_1_1 {\n"
            "      label = \"supervisord (supervisord-program)\";\n"
            "      style = filled;\n"
            "      fillcolor = \"lightgrey\";\n"
            "      \"legacy\" [label = \"legacy\"];\n"
            "    }\n"
            "    subgraph cluster_1_2 {\n"
            "      label = \"sysvinit (sysvinit-script)\";\n"
            "      style = filled;\n"
            "      fillcolor = \"lightgrey\";\n"
            "      \"nginx\" [label = \"nginx\\nnginx-proxy\"];\n"
            "      \"webapp\" [label = \"webapp\"];\n"
            "    }\n"
            "  }\n"
            "  \"legacy\" -> \"webapp\";\n"
            "  \"legacy\" -> \"nginx\";\n"
            "  \"nginx\" -> \"webapp\";\n"
            "}\n");
}

TEST(Visualize, DisnixModelsPerTargetAndType) {
  json evaluated = json::parse(R"({
    "services": {
      "db": {"name": "db", "type": "postgresql-database", "property": null, "dependsOn": [], "activatesAfter": []},
      "web": {"name": "web", "type": "process", "property": null, "dependsOn": ["db"], "activatesAfter": ["log"]},
      "log": {"name": "log", "type": "process", "property": null, "dependsOn": [], "activatesAfter": []},
      "idle": {"name": "idle", "type": "process", "property": null, "dependsOn": [], "activatesAfter": []}
    },
    "targets": {"test1": {"hostname": "test1"}, "test2": {"hostname": "test2.example"}},
    "distribution": {"db": ["test1"], "web": ["test1", "test2"], "log": ["test2"]}
  })");
  std::string dot = visualize::render_dot(
      visualize::deployment_graph(model::parse_disnix_models(evaluated, "services.nix")));
  EXPECT_EQ(dot,
            "digraph deployment {\n"
            "  node [shape = ellipse, style = filled, fillcolor = white];\n"
            "  subgraph cluster_1 {\n"
            "    label = \"test1\";\n"
            "    style = filled;\n"
            "    fillcolor = \"grey\";\n"
            "    subgraph cluster_1_1 {\n"
            "      label = \"postgresql-database\";\n"
            "      style = filled;\n"
            "      fillcolor = \"lightgrey\";\n"
            "      \"test1:db\" [label = \"db\"];\n"
            "    }\n"
            "    subgraph cluster_1_2 {\n"
            "      label = \"process\";\n"
            "      style = filled;\n"
            "      fillcolor = \"lightgrey\";\n"
            "      \"test1:web\" [label = \"web\"];\n"
            "    }\n"
            "  }\n"
            "  subgraph cluster_2 {\n"
            "    label = \"test2\\ntest2.example\";\n"
            "    style = filled;\n"
            "    fillcolor = \"grey\";\n"
            "    subgraph cluster_2_1 {\n"
            "      label = \"process\";\n"
            "      style = filled;\n"
            "      fillcolor = \"lightgrey\";\n"
            "      \"test2:log\" [label = \"log\"];\n"
            "      \"test2:web\" [label = \"web\"];\n"
            "    }\n"
            "  }\n"
            "  \"test1:web\" -> \"test1:db\";\n"
            "  \"test1:web\" -> \"test2:log\" [style = dashed];\n"
            "  \"test2:web\" -> \"test1:db\";\n"
            "  \"test2:web\" -> \"test2:log\" [style = dashed];\n"
            "}\n");
}

TEST(Visualize, NoneKeepsManagedProcessesAgnostic) {
  auto graph = visualize::deployment_graph(parse(mixed_model()), "none");
  ASSERT_EQ(graph.clusters.size(), 1u);
  const auto& managers = graph.clusters[0].clusters;
  ASSERT_EQ(managers.size(), 2u);
  EXPECT_EQ(managers[0].label, "managed-process");
  EXPECT_EQ(managers[0].nodes.size(), 2u);
  EXPECT_EQ(managers[1].label, "supervisord (supervisord-program)");
}

TEST(Visualize, TheChosenProcessManagerNamesTheCluster) {
  auto graph = visualize::deployment_graph(parse(mixed_model()), "disnix");
  EXPECT_EQ(graph.clusters[0].clusters[0].label, "disnix (process)");
  EXPECT_EQ(graph.clusters[0].label, "localhost");
}

TEST(Visualize, DysnomiaTypesOfTheProcessManagers) {
  // The original's mapping, plus nixproc's own s6 and runit.
  const std::pair<const char*, const char*> expected[] = {
      {"none", "managed-process"},    {"sysvinit", "sysvinit-script"},
      {"systemd", "systemd-unit"},    {"supervisord", "supervisord-program"},
      {"bsdrc", "bsdrc-script"},      {"cygrunsrv", "cygrunsrv-service"},
      {"launchd", "launchd-daemon"},  {"disnix", "process"},
      {"docker", "docker-container"}, {"s6-rc", "s6-rc-service"},
      {"s6", "s6-service"},           {"runit", "runit-service"}};
  for (const auto& [pm, type] : expected) EXPECT_EQ(dysnomia_type(pm), type) << pm;
  EXPECT_ERROR_CONTAINS(dysnomia_type("upstart"), "unknown process manager \"upstart\"");
}

TEST(Visualize, DotStringEscapesQuotesBackslashesAndNewlines) {
  EXPECT_EQ(visualize::dot_string("plain"), "\"plain\"");
  EXPECT_EQ(visualize::dot_string("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(visualize::dot_string("back\\slash\\"), "\"back\\\\slash\\\\\"");
  EXPECT_EQ(visualize::dot_string("new\nline"), "\"new\\nline\"");
  EXPECT_EQ(visualize::dot_string("bell\a cr\r"), "\"bell  cr \"");
  EXPECT_EQ(visualize::dot_string(""), "\"\"");
}

// Reads a DOT string literal back as Graphviz reads a label: \" is a quote,
// \\ a backslash, \n a line break. Fails on a raw quote or newline inside.
std::string read_dot_label(const std::string& literal) {
  EXPECT_GE(literal.size(), 2u);
  EXPECT_EQ(literal.front(), '"');
  EXPECT_EQ(literal.back(), '"');
  std::string out;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    char c = literal[i];
    EXPECT_NE(c, '"') << "unescaped quote in " << literal;
    EXPECT_NE(c, '\n') << "raw newline in " << literal;
    if (c != '\\') {
      out += c;
      continue;
    }
    EXPECT_LT(i + 2, literal.size()) << "the closing quote is escaped in " << literal;
    char next = literal[++i];
    out += next == 'n' ? '\n' : next;
  }
  return out;
}

TEST(Visualize, HostileLabelsReadBack) {
  for (const auto& text : testing::hostile_strings()) {
    std::string expected = text;
    for (char& c : expected)
      if (c == '\a' || c == '\r') c = ' ';
    EXPECT_EQ(read_dot_label(visualize::dot_string(text)), expected) << text;
  }
}

TEST(Visualize, HostileLabelsStayInsideTheirStatements) {
  visualize::DotGraph graph;
  graph.clusters.push_back({"machine\"; evil = \"1", "", {}, {{"a\\", "x\"\n]; b [label=\"y"}}});
  graph.edges.push_back({"a\\", "b\"c"});
  std::string dot = visualize::render_dot(graph);
  EXPECT_NE(dot.find("    label = \"machine\\\"; evil = \\\"1\";\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("    \"a\\\\\" [label = \"x\\\"\\n]; b [label=\\\"y\"];\n"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("  \"a\\\\\" -> \"b\\\"c\";\n"), std::string::npos) << dot;
}

}  // namespace
}  // namespace nixproc
