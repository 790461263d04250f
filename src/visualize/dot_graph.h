#pragma once
// A Graphviz DOT graph as plain data, and its text. Nodes sit in nested
// clusters (machine, then process manager, as disnix-visualize draws a
// deployment); edges may cross clusters.
#include <string>
#include <string_view>
#include <vector>

namespace nixproc::visualize {

struct DotNode {
  std::string id;     // unique in the graph
  std::string label;  // may span lines ('\n')
};

struct DotCluster {
  std::string label;
  std::string fill_color;  // empty: not filled
  std::vector<DotCluster> clusters;
  std::vector<DotNode> nodes;
};

struct DotEdge {
  std::string from, to;  // node ids
  bool dashed = false;   // ordering only (Disnix activatesAfter)
};

struct DotGraph {
  std::vector<DotCluster> clusters;
  std::vector<DotEdge> edges;
};

// `text` as a double-quoted DOT string that reads back as `text`: quotes and
// backslashes escaped, newlines as \n (a line break in a label); other control
// characters become spaces, since DOT has no escape for them.
std::string dot_string(std::string_view text);

// The graph as a DOT digraph. Clusters are named cluster_1, cluster_1_2, ...
// by position, so only labels carry user text.
std::string render_dot(const DotGraph& graph);

}  // namespace nixproc::visualize
