#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
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
  std::condition_variable both_running;
  std::vector<size_t> order;
  int running = 0, most = 0;
  ScheduleResult result = run_scheduled(after, 4, [&](size_t step) {
    std::unique_lock lock(mutex);
    most = std::max(most, ++running);
    // Steps 0 and 1 meet here when the scheduler runs them together, however
    // loaded the machine; a sequential scheduler makes the wait time out.
    if (step < 2)
      both_running.wait_for(lock, std::chrono::seconds(5), [&] { return running == 2; });
    both_running.notify_all();
    --running;
    order.push_back(step);
  });
  EXPECT_TRUE(result.error.empty());
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[2], 2u);
  EXPECT_EQ(order[3], 3u);
  EXPECT_EQ(most, 2);
  ASSERT_EQ(result.done.size(), 4u);
  EXPECT_EQ(std::set<size_t>(result.done.begin(), result.done.begin() + 2),
            (std::set<size_t>{0, 1}));
  EXPECT_EQ(result.done[2], 2u);
  EXPECT_EQ(result.done[3], 3u);
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
