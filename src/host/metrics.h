// Server metrics, shared by every server thread (relaxed atomics), and their Prometheus text
// exposition (served on --metrics-addr by server.cpp).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace rill::host {

struct Metrics {
  /// Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   1.0,    10.0};
  std::atomic<uint64_t> requests{0};
  std::array<std::atomic<uint64_t>, 6> by_class{};  ///< 0: other, 1..5: 1xx..5xx
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> latency{};
  std::atomic<uint64_t> latency_ns_sum{0};
  std::atomic<int64_t> live_instances{0};
  std::atomic<int64_t> connections{0};
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> bytes_out{0};
  std::atomic<uint64_t> traps{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> rejected{0};  ///< 503s for connection or concurrency limits

  /// Counts one finished request with {status} after {ns}.
  void record(unsigned status, uint64_t ns);
  /// The Prometheus text format (version 0.0.4).
  std::string prometheus() const;
};

}  // namespace rill::host
