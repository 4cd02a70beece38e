#include "bench/driver/load.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include "bench/driver/http_client.hpp"

namespace bench {

LoadResult RunLoad(const LoadSpec& spec, FinishListener* listener) {
  LoadResult total;
  std::mutex mutex;
  std::atomic<long long> next{0};
  const std::string target = "/v1/workflows/" + spec.workflow + "/runs";
  const std::string body = "{\"input\":" + spec.input + "}";
  const auto start = Clock::now();
  const auto stop_starting = start + spec.max_time;
  Clock::time_point last_end = start;

  auto client = [&](int index) {
    HttpClient http(spec.ports[index % spec.ports.size()], spec.token);
    LoadResult mine;
    Clock::time_point my_last = start;
    while (Clock::now() < stop_starting && next.fetch_add(1) < spec.runs) {
      const auto sent = Clock::now();
      const HttpResult response = http.PostJson(target, body);
      const std::string id = JsonStringField(response.body, "id");
      if (response.status != 202 || id.empty()) {
        ++mine.http_errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      ++mine.started;
      if (!spec.wait_finish) {
        my_last = Clock::now();
        mine.latency_ms.push_back(
            std::chrono::duration<double, std::milli>(my_last - sent).count());
        continue;
      }
      const auto finish = listener->Wait(id, std::chrono::seconds(60));
      if (!finish) {
        ++mine.timeouts;
        continue;
      }
      ++mine.finished;
      ++mine.statuses[finish->status];
      my_last = std::max(my_last, finish->at);
      mine.latency_ms.push_back(
          std::chrono::duration<double, std::milli>(finish->at - sent).count());
    }
    std::lock_guard lock(mutex);
    total.started += mine.started;
    total.finished += mine.finished;
    total.http_errors += mine.http_errors;
    total.timeouts += mine.timeouts;
    for (const auto& [status, n] : mine.statuses) total.statuses[status] += n;
    total.latency_ms.insert(total.latency_ms.end(), mine.latency_ms.begin(), mine.latency_ms.end());
    last_end = std::max(last_end, my_last);
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < spec.concurrency; ++i) threads.emplace_back(client, i);
  for (auto& thread : threads) thread.join();
  total.seconds = std::chrono::duration<double>(last_end - start).count();
  return total;
}

}  // namespace bench
