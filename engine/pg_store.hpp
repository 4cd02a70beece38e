// The PostgreSQL implementation of Store. All SQL is in engine/pg_sql.hpp.
#pragma once

#include <memory>

#include "engine/pg_pool.hpp"
#include "engine/store.hpp"

namespace sagaflow {

class PgStore : public Store {
 public:
  PgStore(std::string url, int pool_size);

  void SaveDefinition(const WorkflowDefinition& definition) override;
  std::optional<StoredDefinition> FindDefinition(const std::string& name, int version) override;
  CreateRunResult CreateRun(const NewRun& run, std::chrono::milliseconds lease) override;
  std::optional<RunRecord> GetRun(const std::string& id) override;
  std::vector<HistoryEvent> History(const std::string& id) override;
  std::vector<ClaimedRun> ClaimDue(const std::string& owner, int limit,
                                   std::chrono::milliseconds lease) override;
  std::optional<TimePoint> NextDueAt() override;
  CommitResult Commit(const std::string& run_id, long long lease_token,
                              const Transition& transition) override;
  void RenewLeases(const std::string& owner, const std::vector<std::string>& run_ids,
                   std::chrono::milliseconds lease) override;
  void ReleaseLeases(const std::string& owner, const std::vector<std::string>& run_ids) override;
  CommandResult RequestCommand(const CommandRequest& request) override;
  std::vector<RunRecord> ListRuns(const RunFilter& filter) override;
  std::vector<AuditEntry> ListAudit(int limit, std::optional<long long> before_id) override;
  std::map<std::string, long long> CountActiveRuns() override;
  void Ping() override;
  WebhookDeliveryResult RecordWebhookEvent(const WebhookDelivery& delivery) override;
  ScheduleRecord RegisterSchedule(const ScheduleRecord& schedule, TimePoint now) override;
  ScheduleTickResult FireScheduleTick(const ScheduleTick& tick) override;
  void SkipScheduleTicks(const std::string& schedule_id, TimePoint through,
                         const std::optional<std::string>& error) override;
  std::vector<ScheduleRecord> ListSchedules() override;
  SchedulePauseResult SetSchedulePaused(const SchedulePauseRequest& request) override;

  PgPool& pool() { return pool_; }

 private:
  PgPool pool_;
};

}  // namespace sagaflow
