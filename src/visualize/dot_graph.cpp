#include "visualize/dot_graph.h"

namespace nixproc::visualize {

std::string dot_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

static void render_cluster(const DotCluster& cluster, const std::string& name, int depth,
                           std::string& out) {
  std::string pad(2 * depth, ' ');
  out += pad + "subgraph " + name + " {\n";
  out += pad + "  label = " + dot_string(cluster.label) + ";\n";
  if (!cluster.fill_color.empty())
    out += pad + "  style = filled;\n" + pad + "  fillcolor = " + dot_string(cluster.fill_color) +
           ";\n";
  for (size_t i = 0; i < cluster.clusters.size(); ++i)
    render_cluster(cluster.clusters[i], name + "_" + std::to_string(i + 1), depth + 1, out);
  for (const auto& node : cluster.nodes)
    out += pad + "  " + dot_string(node.id) + " [label = " + dot_string(node.label) + "];\n";
  out += pad + "}\n";
}

std::string render_dot(const DotGraph& graph) {
  std::string out = "digraph deployment {\n";
  // Filled white nodes stay readable on a filled cluster.
  out += "  node [shape = ellipse, style = filled, fillcolor = white];\n";
  for (size_t i = 0; i < graph.clusters.size(); ++i)
    render_cluster(graph.clusters[i], "cluster_" + std::to_string(i + 1), 1, out);
  for (const auto& edge : graph.edges)
    out += "  " + dot_string(edge.from) + " -> " + dot_string(edge.to) +
           (edge.dashed ? " [style = dashed]" : "") + ";\n";
  return out + "}\n";
}

}  // namespace nixproc::visualize
