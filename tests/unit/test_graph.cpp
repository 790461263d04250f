#include "model/graph.h"
#include "test_support.h"

namespace nixproc::model {
namespace {

TEST(TopologicalOrder, DependenciesFirstTiesByIndex) {
  // 0 depends on 2; 1 has none; 2 has none; 3 depends on 0 and 1.
  auto result = topological_order({{2}, {}, {}, {0, 1}});
  EXPECT_TRUE(result.cycle.empty());
  EXPECT_EQ(result.order, (std::vector<size_t>{1, 2, 0, 3}));
}

TEST(TopologicalOrder, ReportsTheCycle) {
  auto result = topological_order({{1}, {2}, {0}, {}});
  ASSERT_FALSE(result.cycle.empty());
  EXPECT_EQ(result.cycle.front(), result.cycle.back());
  EXPECT_EQ(result.cycle.size(), 4u);
  EXPECT_EQ(result.order, (std::vector<size_t>{3}));
}

TEST(DependencyDepths, LongestChain) {
  auto depths = dependency_depths({{}, {0}, {0, 1}, {}});
  EXPECT_EQ(depths, (std::vector<size_t>{0, 1, 2, 0}));
}

}  // namespace
}  // namespace nixproc::model
