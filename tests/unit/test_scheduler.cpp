#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "deploy/scheduler.h"
#include "test_support.h"
#include "util/error.h"

namespace nixproc {
namespace {

TEST(Scheduler, RespectsOrderAndRunsIndependentStepsTogether) {
  // 0 and 1 are independent; 2 waits for both; 3 waits for 2.
  std::vector<std::vector<size_t>> after = {{}, {}, {0, 1}, {2}};
  std::mutex mutex;
  std::vector<size_t> order;
  std::atomic<int> running{0}, most{0};
  ScheduleResult result = run_scheduled(after, 4, [&](size_t step) {
    int now = ++running;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    --running;
    std::lock_guard lock(mutex);
    order.push_back(step);
  });
  EXPECT_TRUE(result.error.empty());
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[2], 2u);
  EXPECT_EQ(order[3], 3u);
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(result.done, order);
}

TEST(Scheduler, NeverRunsMoreThanTheLimit) {
  std::vector<std::vector<size_t>> after(10);
  std::atomic<int> running{0}, most{0};
  run_scheduled(after, 3, [&](size_t) {
    int now = ++running;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --running;
  });
  EXPECT_LE(most.load(), 3);
}

TEST(Scheduler, StopsAtTheFirstFailure) {
  std::vector<std::vector<size_t>> after = {{}, {0}, {1}};
  std::vector<size_t> ran;
  ScheduleResult result = run_scheduled(after, 1, [&](size_t step) {
    ran.push_back(step);
    if (step == 1) throw Error("step 1 broke");
  });
  EXPECT_EQ(result.error, "step 1 broke");
  EXPECT_EQ(result.done, std::vector<size_t>{0});
  EXPECT_EQ(ran, (std::vector<size_t>{0, 1}));
}

TEST(Scheduler, NothingToDo) {
  EXPECT_TRUE(run_scheduled({}, 4, [](size_t) { FAIL(); }).done.empty());
}

}  // namespace
}  // namespace nixproc
