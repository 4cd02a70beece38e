// The durable store behind the engine, speaking domain types (runs, steps,
// events, transitions). SQL lives only in the PostgreSQL implementation.
//
// Every method may be called from any thread; implementations hold their own
// connections. Faults are typed (engine/errors.hpp): StoreUnavailable when
// the database cannot be reached, LeaseLost when a fenced write finds the
// run claimed by someone else, Conflict for contradicting writes.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/definition.hpp"
#include "engine/run_model.hpp"

namespace sagaflow {

struct NewRun {
  std::string id;
  std::string workflow;
  int version = 0;
  Json input;
  Json trigger = Json::object();
  std::optional<std::string> idempotency_key;
  std::optional<std::string> request_hash;
  // When set, the run is created already leased to this owner, so the
  // creating process can execute it without a separate claim.
  std::optional<std::string> lease_owner;
  // With lease_owner only: the run is created already started, in the state
  // this transition (RunMachine::Start, still running, not released) leads
  // to, so starting costs no commit of its own.
  std::optional<Transition> start;
};

struct CreateRunResult {
  std::string id;
  bool created = false;  // false: an earlier run with the same idempotency key
  long long lease_token = 0;
  std::optional<std::string> request_hash;  // of the earlier run, to detect misuse
  std::string status;
  TimePoint created_at;
};

struct ClaimedRun {
  std::string id;
  long long lease_token = 0;
  // Who held the lease before: set when this claim took over from a process
  // whose lease expired (it may have died mid-step).
  std::optional<std::string> previous_owner;
};

struct CommitResult {
  TimePoint now;  // the database's clock at commit
  Json command;   // an operator request waiting for the executor, or null
};

struct StoredDefinition {
  std::string name;
  int version = 0;
  std::string content_hash;
  std::string source;
  std::string file;
};

// An operator's request, validated against the run's state when stored.
struct CommandRequest {
  std::string run_id;
  std::string action;  // pause, resume, retry-compensation, skip, cancel, mark-resolved
  std::vector<std::string> allowed_statuses;
  Json command;  // what the executor applies: {action, actor, reason, ...}
  std::string actor;
  std::string reason;
};

struct CommandResult {
  bool accepted = false;
  bool found = false;
  std::string status;  // the run's status when the request was checked
  bool busy = false;   // another request is still waiting to be applied
};

struct RunFilter {
  std::vector<std::string> workflows;
  std::vector<std::string> statuses;
  std::optional<TimePoint> created_after;
  std::optional<TimePoint> created_before;
  // Keyset cursor: runs strictly older than (created_at, id).
  std::optional<std::pair<TimePoint, std::string>> before;
  int limit = 50;
};

struct AuditEntry {
  long long id = 0;
  TimePoint at;
  std::string actor;
  std::string action;
  std::optional<std::string> run_id;
  std::string reason;
  Json request;
  std::string outcome;
};

// A verified webhook delivery and the runs it starts (engine/webhook_intake.hpp).
struct WebhookRun {
  std::string id;
  std::string workflow;
  int version = 0;
  Json input;
};

struct WebhookDelivery {
  std::string source;  // "stripe" or a configured generic source
  std::string event_id;
  std::string event_type;
  Json payload;
  std::vector<WebhookRun> runs;
  Json rejected = Json::array();  // triggers whose input did not pass: [{workflow, ...}]
};

struct WebhookDeliveryResult {
  bool first = false;         // false: the event id was seen before; nothing new started
  Json runs = Json::array();  // [{id, workflow, version}] the first delivery started
  Json rejected = Json::array();
  TimePoint received_at;  // of the first delivery
};

// A schedule trigger as the store keeps it; times are the scheduler's clock.
struct ScheduleRecord {
  std::string id;  // "<workflow>:<n>", n counting the workflow's schedule triggers
  std::string workflow;
  std::string cron;
  std::string timezone;
  TimePoint registered_at;
  TimePoint checked_through;  // every tick at or before this was handled
  std::optional<TimePoint> last_fire_at;
  std::optional<std::string> last_run_id;
  std::optional<std::string> last_error;
  bool paused = false;
  std::optional<TimePoint> paused_at;
  std::optional<std::string> paused_by;
  std::optional<std::string> pause_reason;
};

struct ScheduleTick {
  std::string schedule_id;
  TimePoint fire_at;
  NewRun run;  // id, workflow, version, input, trigger
};

struct ScheduleTickResult {
  bool found = false;    // the schedule is registered
  bool paused = false;   // nothing started: paused
  bool created = false;  // this call started the run (false: the tick was taken before)
};

struct SchedulePauseRequest {
  std::string schedule_id;
  bool pause = true;  // false: resume
  std::string actor;
  std::string reason;
  TimePoint now;  // the scheduler's clock: a resume skips the ticks until now
  Json request = Json::object();
};

struct SchedulePauseResult {
  bool found = false;
  bool changed = false;  // false: it already was in the asked state
  bool paused = false;   // the state before the request
};

class Store {
 public:
  virtual ~Store() = default;

  // Records a loaded definition. Throws Conflict when the same name and
  // version was stored before with different content.
  virtual void SaveDefinition(const WorkflowDefinition& definition) = 0;
  virtual std::optional<StoredDefinition> FindDefinition(const std::string& name, int version) = 0;

  virtual CreateRunResult CreateRun(const NewRun& run, std::chrono::milliseconds lease) = 0;
  virtual std::optional<RunRecord> GetRun(const std::string& id) = 0;
  virtual std::vector<HistoryEvent> History(const std::string& id) = 0;

  // Claims up to `limit` runs whose due time has passed (FOR UPDATE SKIP
  // LOCKED), leasing them to `owner` for `lease`.
  virtual std::vector<ClaimedRun> ClaimDue(const std::string& owner, int limit,
                                           std::chrono::milliseconds lease) = 0;
  // The earliest due time of any run (a timer, a retry or a lease expiry).
  virtual std::optional<TimePoint> NextDueAt() = 0;

  // Applies one transition in one commit, if `lease_token` still holds. The
  // lease's expiry is left alone unless the run is released: the scheduler's
  // heartbeat (RenewLeases) extends it, so a busy run's row can be updated
  // in place without touching the due-time index.
  virtual CommitResult Commit(const std::string& run_id, long long lease_token,
                              const Transition& transition) = 0;
  // Extends the leases `owner` holds on `run_ids`.
  virtual void RenewLeases(const std::string& owner, const std::vector<std::string>& run_ids,
                           std::chrono::milliseconds lease) = 0;
  // Gives runs back at once (graceful shutdown): due now, no owner.
  virtual void ReleaseLeases(const std::string& owner, const std::vector<std::string>& run_ids) = 0;

  // Stores an operator request for the executor to apply, and the audit
  // entry, if the run is in one of the allowed states.
  virtual CommandResult RequestCommand(const CommandRequest& request) = 0;

  // Newest first. Steps are not loaded.
  virtual std::vector<RunRecord> ListRuns(const RunFilter& filter) = 0;
  // Newest first, entries older than `before_id` when set.
  virtual std::vector<AuditEntry> ListAudit(int limit, std::optional<long long> before_id) = 0;
  // Runs per status, for the non-terminal statuses (cheap at any size),
  // plus "due": runs whose due time has passed that no worker holds.
  virtual std::map<std::string, long long> CountActiveRuns() = 0;
  // Throws StoreUnavailable when the database cannot be reached.
  virtual void Ping() = 0;

  // Webhooks and schedules (engine/pg_store_triggers.cpp).
  // Records a delivery and creates its runs in one commit, unless the
  // (source, event id) was recorded before: then nothing is written and the
  // first delivery's runs are returned.
  virtual WebhookDeliveryResult RecordWebhookEvent(const WebhookDelivery& delivery) = 0;
  // Creates or updates a schedule; a new one counts as checked through `now`.
  virtual ScheduleRecord RegisterSchedule(const ScheduleRecord& schedule, TimePoint now) = 0;
  // Starts the tick's run in one commit, exactly once per (schedule, fire
  // time) however many processes try, unless the schedule is paused.
  virtual ScheduleTickResult FireScheduleTick(const ScheduleTick& tick) = 0;
  // Marks ticks up to `through` handled without a run (catch-up policy, or
  // an input that does not pass: `error` is kept for the listing).
  virtual void SkipScheduleTicks(const std::string& schedule_id, TimePoint through,
                                 const std::optional<std::string>& error) = 0;
  virtual std::vector<ScheduleRecord> ListSchedules() = 0;
  // Pauses or resumes, with its audit entry, in one commit.
  virtual SchedulePauseResult SetSchedulePaused(const SchedulePauseRequest& request) = 0;
};

}  // namespace sagaflow
