// Scalekit's metadata merge: what is written and what a compensation needs.
#include <catch2/catch.hpp>

#include "engine/time_format.hpp"
#include "steps/scalekit_internal.hpp"

namespace {
using namespace sagaflow;
using namespace sagaflow::steps::scalekit;
}  // namespace

TEST_CASE("metadata merge: set, change, remove, unchanged", "[steps][scalekit]") {
  const Json current{{"plan_type", "pro"}, {"region", "eu"}, {"old_key", "x"}};
  const auto merge = MergeMetadata(current, {{"plan_type", "enterprise"},
                                             {"region", "eu"},
                                             {"old_key", nullptr},
                                             {"seats", 12},
                                             {"flag", true},
                                             {"gone_already", ""}});
  CHECK(merge.merged ==
        Json{{"plan_type", "enterprise"}, {"region", "eu"}, {"seats", "12"}, {"flag", "true"}});
  CHECK(merge.previous ==
        Json{{"plan_type", "pro"}, {"old_key", "x"}, {"seats", nullptr}, {"flag", nullptr}});
  // Applying `previous` undoes it.
  const auto undo = MergeMetadata(merge.merged, merge.previous);
  CHECK(undo.merged == current);
  CHECK_FALSE(MergeMetadata(current, {{"region", "eu"}}).changed());
}

TEST_CASE("create metadata, roles, adoption time", "[steps][scalekit]") {
  CHECK(CleanMetadata({{"a_key", "v"}, {"empty", ""}, {"none", nullptr}, {"num", 3.0}}) ==
        Json{{"a_key", "v"}, {"num", "3"}});
  CHECK(Roles({"admin", {{"name", "member"}}, 7}) ==
        Json::array({{{"name", "admin"}}, {{"name", "member"}}}));
  const TimePoint started = *ParseTimestamp("2026-12-04T10:00:00Z");
  CHECK(CreatedSince({{"create_time", "2026-12-04T10:00:05.120Z"}}, started));
  CHECK(CreatedSince({{"create_time", "2026-12-04T09:59:30Z"}}, started));  // clock skew
  CHECK_FALSE(CreatedSince({{"create_time", "2026-12-01T09:00:00Z"}}, started));
  CHECK_FALSE(CreatedSince(Json::object(), started));
}
