-- Webhook deliveries and cron schedules. Both start runs exactly once: a
-- delivery's (source, event id) and a schedule tick's (schedule, fire time)
-- are unique keys inserted in the same statement as the runs they start.

-- Every verified delivery, first time only. `runs` lists the runs it
-- started ([{id, workflow, version}]) so a repeated delivery can answer
-- what the first one did; `rejected` the workflows whose trigger input did
-- not pass.
CREATE TABLE webhook_events (
  source       text        NOT NULL,
  event_id     text        NOT NULL,
  event_type   text        NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  payload      jsonb       NOT NULL,
  runs         jsonb       NOT NULL DEFAULT '[]',
  rejected     jsonb       NOT NULL DEFAULT '[]',
  PRIMARY KEY (source, event_id)
);

CREATE INDEX webhook_events_received ON webhook_events (received_at);

-- One row per schedule trigger ("<workflow>:<n>"). Times are the
-- scheduler's clock. checked_through: every tick at or before it has been
-- handled (fired, skipped by the catch-up policy, or paused), which is
-- where catch-up starts after every process was down.
CREATE TABLE schedules (
  id               text        PRIMARY KEY,
  workflow         text        NOT NULL,
  cron             text        NOT NULL,
  timezone         text        NOT NULL,
  registered_at    timestamptz NOT NULL,
  checked_through  timestamptz NOT NULL,
  last_fire_at     timestamptz,
  last_run_id      uuid,
  last_error       text,
  paused           boolean     NOT NULL DEFAULT false,
  paused_at        timestamptz,
  paused_by        text,
  pause_reason     text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per tick that started a run: the key that makes a tick fire once
-- however many processes try.
CREATE TABLE schedule_ticks (
  schedule_id  text        NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  fire_at      timestamptz NOT NULL,
  run_id       uuid        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schedule_id, fire_at)
);
