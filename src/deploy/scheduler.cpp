#include "deploy/scheduler.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "util/error.h"

namespace nixproc {

ScheduleResult run_scheduled(const std::vector<std::vector<size_t>>& after, int jobs,
                             const std::function<void(size_t)>& work) {
  size_t count = after.size();
  std::vector<size_t> waiting(count);
  std::vector<std::vector<size_t>> unblocks(count);
  std::deque<size_t> ready;
  for (size_t step = 0; step < count; ++step) {
    waiting[step] = after[step].size();
    for (size_t first : after[step]) unblocks[first].push_back(step);
    if (waiting[step] == 0) ready.push_back(step);
  }

  ScheduleResult result;
  std::mutex mutex;
  std::condition_variable changed;
  size_t running = 0, finished = 0;
  bool failed = false;

  auto worker = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock,
                   [&] { return !ready.empty() || failed || finished == count || running == 0; });
      if (failed || ready.empty()) {
        // Nothing can become ready once nothing runs; with a failure we stop.
        if (failed || running == 0 || finished == count) return;
        continue;
      }
      size_t step = ready.front();
      ready.pop_front();
      ++running;
      lock.unlock();
      std::string error;
      try {
        work(step);
      } catch (const std::exception& failure) {  // an escape would end the whole program
        error = failure.what();
        if (error.empty()) error = "unknown error";
      }
      lock.lock();
      --running;
      ++finished;
      if (!error.empty()) {
        if (!failed) result.error = error;
        failed = true;
      } else {
        result.done.push_back(step);
        for (size_t next : unblocks[step])
          if (--waiting[next] == 0) ready.push_back(next);
      }
      changed.notify_all();
    }
  };

  int threads = std::max(1, std::min<int>(jobs, static_cast<int>(count)));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
    for (auto& thread : pool) thread.join();
  }
  return result;
}

}  // namespace nixproc
