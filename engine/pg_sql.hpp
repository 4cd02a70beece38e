// Every SQL statement of the PostgreSQL store, named. The names double as
// prepared-statement names, so a statement is parsed once per connection.
#pragma once

namespace sagaflow::sql {

struct Statement {
  const char* name;
  const char* text;
};

inline constexpr Statement kSaveDefinition{"save_definition", R"(
INSERT INTO workflow_definitions (name, version, content_hash, source, file)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name, version) DO NOTHING)"};

inline constexpr Statement kFindDefinition{"find_definition", R"(
SELECT name, version, content_hash, source, file
FROM workflow_definitions WHERE name = $1 AND version = $2)"};

// A new run, leased to its creator when $8 is set. When the creator also
// gives the start transition ($10..$14: status, current step and phase, step
// rows, events), the run is created already in that state. An idempotency
// key seen before inserts nothing and returns the earlier run.
inline constexpr Statement kCreateRun{"create_run", R"(
WITH ins AS (
  INSERT INTO runs (id, workflow, version, status, current_step, current_phase, input, trigger,
                    idempotency_key, request_hash, lease_owner, lease_token, due_at)
  VALUES ($1, $2, $3, coalesce($10::text, 'pending'), $11, $12, $4::jsonb, $5::jsonb, $6, $7, $8,
          CASE WHEN $8::text IS NULL THEN 0 ELSE 1 END,
          CASE WHEN $8::text IS NULL THEN now() ELSE now() + $9::interval END)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id, lease_token, request_hash, status, created_at),
st AS (
  INSERT INTO run_steps (run_id, step_id, phase, status, attempts, params, output, error,
                         uncertain, started_at, finished_at, completed_seq)
  SELECT ins.id, x.s->>'step_id', x.s->>'phase', x.s->>'status', (x.s->>'attempts')::int,
         x.s->'params', x.s->'output', x.s->'error', (x.s->>'uncertain')::boolean,
         (x.s->>'started_at')::timestamptz, (x.s->>'finished_at')::timestamptz,
         (x.s->>'completed_seq')::int
  FROM ins, jsonb_array_elements($13::jsonb) AS x(s)),
ev AS (
  INSERT INTO run_events (run_id, type, step_id, phase, attempt, data)
  SELECT ins.id, x.type, x.step_id, x.phase, x.attempt, x.data
  FROM ins, (
    SELECT 0::bigint AS ord, 'run_created' AS type, NULL::text AS step_id, NULL::text AS phase,
           NULL::int AS attempt, jsonb_build_object('trigger', $5::jsonb) AS data
    UNION ALL
    SELECT e.ord, e.e->>'type', e.e->>'step_id', e.e->>'phase', (e.e->>'attempt')::int,
           coalesce(e.e->'data', '{}'::jsonb)
    FROM jsonb_array_elements($14::jsonb) WITH ORDINALITY AS e(e, ord)) AS x
  ORDER BY x.ord)
SELECT id, true AS created, lease_token, request_hash, status, created_at,
       CASE WHEN $8::text IS NULL THEN pg_notify('sagaflow_wake', '0') END
FROM ins
UNION ALL
SELECT id, false, lease_token, request_hash, status, created_at, NULL
FROM runs WHERE $6::text IS NOT NULL AND idempotency_key = $6 AND NOT EXISTS (SELECT 1 FROM ins))"};

inline constexpr Statement kGetRun{"get_run", R"(
SELECT id, workflow, version, status, input, output, error, trigger, current_step,
       current_phase, attention_reason, command, created_at, updated_at, finished_at,
       due_at, lease_owner, lease_token
FROM runs WHERE id = $1)"};

inline constexpr Statement kGetRunSteps{"get_run_steps", R"(
SELECT step_id, phase, status, attempts, params, output, error, uncertain, started_at,
       finished_at, completed_seq
FROM run_steps WHERE run_id = $1)"};

inline constexpr Statement kHistory{"history", R"(
SELECT id, at, type, step_id, phase, attempt, data
FROM run_events WHERE run_id = $1 ORDER BY id)"};

inline constexpr Statement kClaimDue{"claim_due", R"(
UPDATE runs r
SET lease_owner = $1, lease_token = r.lease_token + 1, due_at = now() + $3::interval
FROM (SELECT id, lease_owner AS previous_owner FROM runs
      WHERE due_at <= now() ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
WHERE r.id = due.id
RETURNING r.id, r.lease_token, due.previous_owner)"};

inline constexpr Statement kNextDueAt{"next_due_at", R"(
SELECT min(due_at) FROM runs WHERE due_at IS NOT NULL)"};

// One state transition in one statement, hence one commit: the run row (with
// the fencing check), the step rows and the history events. A run released
// to a timer wakes every listening process through NOTIFY, sent at commit;
// a finished run is announced on sagaflow_run_finished ("<id> <status>") for
// clients that wait for it.
inline constexpr Statement kCommitTransition{"commit_transition", R"(
WITH r AS (
  UPDATE runs SET
    status = $3,
    current_step = $4,
    current_phase = $5,
    attention_reason = $6,
    output = CASE WHEN $7::boolean THEN $8::jsonb ELSE output END,
    error = CASE WHEN $9::boolean THEN $10::jsonb ELSE error END,
    command = CASE WHEN $11::boolean THEN NULL ELSE command END,
    finished_at = CASE WHEN $12::boolean THEN now() ELSE finished_at END,
    updated_at = now(),
    lease_owner = CASE WHEN $13::boolean THEN NULL ELSE lease_owner END,
    due_at = CASE WHEN $13::boolean THEN $14::timestamptz ELSE due_at END
  WHERE id = $1 AND lease_token = $2
  RETURNING id, command),
s AS (
  INSERT INTO run_steps AS t (run_id, step_id, phase, status, attempts, params, output, error,
                              uncertain, started_at, finished_at, completed_seq)
  SELECT r.id, x.s->>'step_id', x.s->>'phase', x.s->>'status', (x.s->>'attempts')::int,
         x.s->'params', x.s->'output', x.s->'error', (x.s->>'uncertain')::boolean,
         CASE x.s->>'started_at' WHEN 'now' THEN now() ELSE (x.s->>'started_at')::timestamptz END,
         CASE x.s->>'finished_at' WHEN 'now' THEN now() ELSE (x.s->>'finished_at')::timestamptz END,
         (x.s->>'completed_seq')::int
  FROM r, jsonb_array_elements($15::jsonb) AS x(s)
  ON CONFLICT (run_id, step_id, phase) DO UPDATE SET
    status = EXCLUDED.status, attempts = EXCLUDED.attempts, params = EXCLUDED.params,
    output = EXCLUDED.output, error = EXCLUDED.error, uncertain = EXCLUDED.uncertain,
    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
    completed_seq = EXCLUDED.completed_seq),
e AS (
  INSERT INTO run_events (run_id, type, step_id, phase, attempt, data)
  SELECT r.id, x.e->>'type', x.e->>'step_id', x.e->>'phase', (x.e->>'attempt')::int,
         coalesce(x.e->'data', '{}'::jsonb)
  FROM r, jsonb_array_elements($16::jsonb) WITH ORDINALITY AS x(e, ord)
  ORDER BY x.ord)
SELECT (SELECT count(*) FROM r) AS updated, (SELECT command FROM r) AS command, now() AS now,
       CASE WHEN $17::text IS NOT NULL AND EXISTS (SELECT 1 FROM r)
            THEN pg_notify('sagaflow_wake', $17) END,
       CASE WHEN $12::boolean AND EXISTS (SELECT 1 FROM r)
            THEN pg_notify('sagaflow_run_finished', $1::text || ' ' || $3) END)"};

inline constexpr Statement kRenewLeases{"renew_leases", R"(
UPDATE runs SET due_at = now() + $3::interval
WHERE lease_owner = $1 AND id = ANY($2::uuid[]))"};

inline constexpr Statement kReleaseLeases{"release_leases", R"(
WITH released AS (
  UPDATE runs SET lease_owner = NULL, due_at = now()
  WHERE lease_owner = $1 AND id = ANY($2::uuid[]) RETURNING id)
SELECT count(*), CASE WHEN count(*) > 0 THEN pg_notify('sagaflow_wake', '0') END FROM released)"};

// An operator request: stored only if the run is in an allowed state and no
// other request is waiting; a run nobody holds becomes due now so a worker
// applies it. The audit entry commits with it, whatever the outcome.
inline constexpr Statement kRequestCommand{"request_command", R"(
WITH cur AS (SELECT id, status, command FROM runs WHERE id = $1 FOR UPDATE),
upd AS (
  UPDATE runs SET command = $3::jsonb,
                  due_at = CASE WHEN lease_owner IS NULL THEN now() ELSE due_at END
  WHERE id = $1 AND status = ANY($2::text[]) AND command IS NULL
  RETURNING id),
audit AS (
  INSERT INTO audit_log (actor, action, run_id, reason, request, outcome)
  SELECT $4, $5, $1, $6, $3::jsonb,
         CASE WHEN EXISTS (SELECT 1 FROM upd) THEN 'accepted' ELSE 'refused' END)
SELECT (SELECT count(*) FROM cur) AS found, (SELECT status FROM cur) AS status,
       (SELECT command IS NOT NULL FROM cur) AS busy, (SELECT count(*) FROM upd) AS accepted,
       CASE WHEN EXISTS (SELECT 1 FROM upd) THEN pg_notify('sagaflow_wake', '0') END)"};

// A verified webhook delivery and its runs, in one statement: the event row
// is the dedupe key, so the runs exist only if it was inserted here. A
// repeated event id inserts nothing and returns what the first delivery
// started. $5: [{id, workflow, version, input}]. The run_created event
// leaves out the payload, which the run's trigger already holds.
inline constexpr Statement kRecordWebhookEvent{"record_webhook_event", R"(
WITH ev AS (
  INSERT INTO webhook_events (source, event_id, event_type, payload, runs, rejected)
  VALUES ($1, $2, $3, $4::jsonb,
          coalesce((SELECT jsonb_agg(x - 'input') FROM jsonb_array_elements($5::jsonb) AS x),
                   '[]'::jsonb),
          $6::jsonb)
  ON CONFLICT (source, event_id) DO NOTHING
  RETURNING runs, rejected, received_at),
r AS (
  INSERT INTO runs (id, workflow, version, status, input, trigger, due_at)
  SELECT (x->>'id')::uuid, x->>'workflow', (x->>'version')::int, 'pending', x->'input',
         jsonb_build_object('kind', 'webhook', 'source', $1::text, 'event_id', $2::text,
                            'event_type', $3::text, 'event', $4::jsonb),
         now()
  FROM ev, jsonb_array_elements($5::jsonb) AS x
  RETURNING id, trigger),
e AS (
  INSERT INTO run_events (run_id, type, data)
  SELECT id, 'run_created', jsonb_build_object('trigger', trigger - 'event') FROM r)
SELECT true AS first, runs, rejected, received_at,
       CASE WHEN jsonb_array_length(runs) > 0 THEN pg_notify('sagaflow_wake', '0') END
FROM ev
UNION ALL
SELECT false, runs, rejected, received_at, NULL
FROM webhook_events
WHERE source = $1 AND event_id = $2 AND NOT EXISTS (SELECT 1 FROM ev))"};

inline constexpr Statement kRegisterSchedule{"register_schedule", R"(
INSERT INTO schedules AS s (id, workflow, cron, timezone, registered_at, checked_through)
VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz)
ON CONFLICT (id) DO UPDATE SET
  workflow = EXCLUDED.workflow, cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,
  updated_at = now()
RETURNING id, workflow, cron, timezone, registered_at, checked_through, last_fire_at,
          last_run_id, last_error, paused, paused_at, paused_by, pause_reason)"};

// One schedule tick in one statement. The schedule row is locked so a pause
// and a tick do not interleave; the tick row is the exactly-once key
// (ON CONFLICT DO NOTHING: another process fired it already), and the run
// exists only if the tick row was inserted here.
inline constexpr Statement kFireScheduleTick{"fire_schedule_tick", R"(
WITH s AS (SELECT paused FROM schedules WHERE id = $1 FOR UPDATE),
t AS (
  INSERT INTO schedule_ticks (schedule_id, fire_at, run_id)
  SELECT $1, $2::timestamptz, $3::uuid FROM s WHERE NOT s.paused
  ON CONFLICT (schedule_id, fire_at) DO NOTHING
  RETURNING run_id),
r AS (
  INSERT INTO runs (id, workflow, version, status, input, trigger, due_at)
  SELECT run_id, $4, $5, 'pending', $6::jsonb, $7::jsonb, now() FROM t
  RETURNING id),
e AS (
  INSERT INTO run_events (run_id, type, data)
  SELECT id, 'run_created', jsonb_build_object('trigger', $7::jsonb) FROM r),
u AS (
  UPDATE schedules SET
    checked_through = greatest(checked_through, $2::timestamptz),
    last_run_id = CASE WHEN EXISTS (SELECT 1 FROM r)
                        AND (last_fire_at IS NULL OR last_fire_at < $2::timestamptz)
                       THEN $3::uuid ELSE last_run_id END,
    last_fire_at = CASE WHEN EXISTS (SELECT 1 FROM r)
                         AND (last_fire_at IS NULL OR last_fire_at < $2::timestamptz)
                        THEN $2::timestamptz ELSE last_fire_at END,
    last_error = CASE WHEN EXISTS (SELECT 1 FROM r) THEN NULL ELSE last_error END,
    updated_at = now()
  WHERE id = $1)
SELECT (SELECT count(*) FROM s) AS found, coalesce((SELECT paused FROM s), false) AS paused,
       (SELECT count(*) FROM r) AS created,
       CASE WHEN EXISTS (SELECT 1 FROM r) THEN pg_notify('sagaflow_wake', '0') END)"};

inline constexpr Statement kSkipScheduleTicks{"skip_schedule_ticks", R"(
UPDATE schedules SET checked_through = greatest(checked_through, $2::timestamptz),
                     last_error = coalesce($3, last_error), updated_at = now()
WHERE id = $1)"};

inline constexpr Statement kListSchedules{"list_schedules", R"(
SELECT id, workflow, cron, timezone, registered_at, checked_through, last_fire_at, last_run_id,
       last_error, paused, paused_at, paused_by, pause_reason
FROM schedules ORDER BY id)"};

// Pause or resume a schedule, with the audit entry, whatever the outcome. A
// resume moves checked_through to the scheduler's now ($5), so the ticks of
// the pause are never caught up later.
inline constexpr Statement kSetSchedulePaused{"set_schedule_paused", R"(
WITH cur AS (SELECT id, paused FROM schedules WHERE id = $1 FOR UPDATE),
upd AS (
  UPDATE schedules SET
    paused = $2,
    paused_at = CASE WHEN $2 THEN now() END,
    paused_by = CASE WHEN $2 THEN $3 END,
    pause_reason = CASE WHEN $2 THEN $4 END,
    checked_through = CASE WHEN $2 THEN checked_through
                           ELSE greatest(checked_through, $5::timestamptz) END,
    updated_at = now()
  WHERE id = $1 AND paused <> $2
  RETURNING id),
audit AS (
  INSERT INTO audit_log (actor, action, run_id, reason, request, outcome)
  SELECT $3, $6, NULL, $4, $7::jsonb,
         CASE WHEN EXISTS (SELECT 1 FROM upd) THEN 'accepted' ELSE 'refused' END)
SELECT (SELECT count(*) FROM cur) AS found, coalesce((SELECT paused FROM cur), false) AS paused,
       (SELECT count(*) FROM upd) AS changed)"};

inline constexpr Statement kAll[] = {
    kSaveDefinition,    kFindDefinition, kCreateRun,          kGetRun,           kGetRunSteps,
    kHistory,           kClaimDue,       kNextDueAt,          kCommitTransition, kRenewLeases,
    kReleaseLeases,     kRequestCommand, kRecordWebhookEvent, kRegisterSchedule, kFireScheduleTick,
    kSkipScheduleTicks, kListSchedules,  kSetSchedulePaused,
};

}  // namespace sagaflow::sql
