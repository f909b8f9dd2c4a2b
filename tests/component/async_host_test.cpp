// Asynchronous host functions (ComponentLinker::Instance::func_async, ComponentCompletion):
// the host ends a call later, from a timer on the thread's io_context, which the store's
// scheduler runs while the guest waits (tests/component/wat/async_host.wat).
#include <gtest/gtest.h>

#include "component_wasm.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "rill/component.h"
#include "rill/engine/reactor.h"

namespace {

using rill::Value;

using rill::test::wasm_path;

class AsyncHost : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
    auto c = rill::Component::compile_file(engine_, wasm_path("async_host"));
    ASSERT_TRUE(c) << c.error().to_string();
    component_ = std::move(*c);
    rill::ComponentLinker linker;
    // slow-add(a, b): a + b, 1 ms later.
    linker.root().func_async("slow-add", [this](std::span<const Value> a, rill::ComponentCompletion done) {
      ++calls_;
      ++in_flight_;
      max_in_flight_ = std::max(max_in_flight_, in_flight_);
      auto timer = std::make_shared<boost::asio::steady_timer>(rill::engine::thread_io_context());
      timer->expires_after(std::chrono::milliseconds(1));
      const uint32_t sum = a[0].as_u32() + a[1].as_u32();
      timer->async_wait([this, timer, sum, done = std::move(done)](const boost::system::error_code&) mutable {
        --in_flight_;
        done.resolve({Value::u32(sum)});
      });
    });
    // never(): ends only when cancelled.
    linker.root().func_async("never", [this](std::span<const Value>, rill::ComponentCompletion done) {
      auto held = std::make_shared<rill::ComponentCompletion>(std::move(done));
      held->on_cancel([this, held] {
        ++cancels_;
        held->cancelled();
      });
      never_ = held;
    });
    auto i = linker.instantiate(store_, component_);
    ASSERT_TRUE(i) << i.error().to_string();
    inst_ = *i;
  }
  rill::TrapOr<std::vector<Value>> call(const char* name, std::vector<Value> args) {
    auto f = inst_.func(name);
    EXPECT_TRUE(f) << name;
    return f->call(std::span<const Value>(args));
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::Component component_;
  rill::ComponentInstance inst_;
  int calls_ = 0, in_flight_ = 0, max_in_flight_ = 0, cancels_ = 0;
  std::shared_ptr<rill::ComponentCompletion> never_;
};

TEST_F(AsyncHost, ASyncCallWaitsForTheHostToEndIt) {
  auto r = call("chain", {Value::u32(20)});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ((*r)[0].as_u32(), 20u);
  EXPECT_EQ(calls_, 20);
  EXPECT_EQ(max_in_flight_, 1);
}

TEST_F(AsyncHost, AsyncCallsRunConcurrently) {
  auto r = call("fan-out", {Value::u32(50)});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ((*r)[0].as_u32(), 2u * (49 * 50 / 2));
  EXPECT_EQ(calls_, 50);
  EXPECT_EQ(max_in_flight_, 50);  // every call started before the first ended
  EXPECT_EQ(in_flight_, 0);
}

TEST_F(AsyncHost, CancellingACallReachesTheHost) {
  auto r = call("cancel-never", {});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ((*r)[0].as_u32(), 4u);  // CANCELLED_BEFORE_RETURNED
  EXPECT_EQ(cancels_, 1);
  ASSERT_TRUE(never_);
  EXPECT_FALSE(never_->pending());
}

}  // namespace
