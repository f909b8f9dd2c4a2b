// Metrics::record and the Prometheus text exposition.
#include "rill/host/metrics.h"

#include <fmt/format.h>

namespace rill::host {

void Metrics::record(unsigned status, uint64_t ns) {
  requests.fetch_add(1, std::memory_order_relaxed);
  const unsigned cls = status >= 100 && status < 600 ? status / 100 : 0;
  by_class[cls].fetch_add(1, std::memory_order_relaxed);
  const double s = static_cast<double>(ns) / 1e9;
  size_t b = 0;
  while (b < kBuckets.size() && s > kBuckets[b])
    ++b;
  latency[b].fetch_add(1, std::memory_order_relaxed);
  latency_ns_sum.fetch_add(ns, std::memory_order_relaxed);
}

std::string Metrics::prometheus() const {
  auto get = [](const auto& a) { return a.load(std::memory_order_relaxed); };
  std::string out;
  out += "# HELP rill_requests_total Requests answered.\n# TYPE rill_requests_total counter\n";
  static const char* const kClass[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (size_t i = 0; i < by_class.size(); ++i)
    out += fmt::format("rill_requests_total{{code=\"{}\"}} {}\n", kClass[i], get(by_class[i]));
  out += "# HELP rill_request_duration_seconds Time from request head to response end.\n"
         "# TYPE rill_request_duration_seconds histogram\n";
  uint64_t cum = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cum += get(latency[i]);
    out += fmt::format("rill_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i], cum);
  }
  cum += get(latency[kBuckets.size()]);
  out += fmt::format("rill_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cum);
  out += fmt::format("rill_request_duration_seconds_sum {}\n", static_cast<double>(get(latency_ns_sum)) / 1e9);
  out += fmt::format("rill_request_duration_seconds_count {}\n", cum);
  auto gauge = [&](const char* name, const char* help, const char* type, auto v) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, v);
  };
  gauge("rill_live_instances", "Component instances alive now.", "gauge", get(live_instances));
  gauge("rill_pooled_instances", "Instances kept for reuse (none: a fresh store per request).", "gauge", 0);
  gauge("rill_open_connections", "Client connections open now.", "gauge", get(connections));
  gauge("rill_bytes_in_total", "Request body bytes received.", "counter", get(bytes_in));
  gauge("rill_bytes_out_total", "Response bytes sent.", "counter", get(bytes_out));
  gauge("rill_guest_traps_total", "Requests whose guest trapped.", "counter", get(traps));
  gauge("rill_request_timeouts_total", "Requests past --request-timeout.", "counter", get(timeouts));
  gauge("rill_rejected_total", "Requests or connections refused by a limit (503).", "counter", get(rejected));
  return out;
}

}  // namespace rill::host
