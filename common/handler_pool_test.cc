// Tests of HandlerPool: posted work runs on its threads side by side (a
// waiting handler holds no other), and everything posted runs before the
// pool is gone; past its bound a post is refused and never runs.
#include "common/handler_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace uplift {
namespace {

TEST(HandlerPool, WorkThatWaitsHoldsNoOtherWork) {
  HandlerPool pool(4);
  // Four handlers each waiting for all four to have started: with fewer
  // threads than waiting handlers this would never finish.
  std::atomic<int> started{0};
  std::promise<void> all_started;
  std::shared_future<void> go = all_started.get_future().share();
  std::vector<std::future<void>> done;
  for (int i = 0; i < 4; ++i) {
    auto finished = std::make_shared<std::promise<void>>();
    done.push_back(finished->get_future());
    ASSERT_TRUE(pool.Post([&, finished] {
      if (++started == 4) all_started.set_value();
      go.wait();
      finished->set_value();
    }));
  }
  for (auto& d : done) {
    ASSERT_EQ(d.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  }
}

TEST(HandlerPool, RunsEverythingPostedBeforeItStops) {
  std::atomic<int> ran{0};
  {
    HandlerPool pool(2);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(pool.Post([&] { ++ran; }));
  }
  EXPECT_EQ(ran, 1000);
}

TEST(HandlerPool, RefusesWorkPastItsBoundAndNeverRunsIt) {
  std::atomic<int> ran{0};
  std::promise<void> release;
  std::shared_future<void> go = release.get_future().share();
  {
    HandlerPool pool(1, 3);
    std::promise<void> busy;
    ASSERT_TRUE(pool.Post([&] {
      busy.set_value();
      go.wait();
    }));
    busy.get_future().wait();  // the one thread holds the first work
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(pool.Post([&] { ++ran; }));
    EXPECT_FALSE(pool.Post([&] { ran += 100; }));  // three already wait
    release.set_value();
  }
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace uplift
