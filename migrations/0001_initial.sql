-- sagaflow's first schema: definitions, runs, their steps and history, and
-- the audit log of operator actions.

CREATE TABLE workflow_definitions (
  name          text        NOT NULL,
  version       integer     NOT NULL,
  content_hash  text        NOT NULL,
  source        text        NOT NULL,
  file          text        NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, version)
);

CREATE TABLE runs (
  id               uuid        PRIMARY KEY,
  workflow         text        NOT NULL,
  version          integer     NOT NULL,
  status           text        NOT NULL,
  input            jsonb       NOT NULL,
  output           jsonb,
  error            jsonb,
  trigger          jsonb       NOT NULL DEFAULT '{}',
  -- The step in progress (forward or compensate phase); NULL when none.
  current_step     text,
  current_phase    text,
  -- Why the run needs a person (stuck or paused), for the admin listing.
  attention_reason text,
  idempotency_key  text        UNIQUE,
  request_hash     text,
  -- An operator's request (pause, resume, cancel, ...) waiting for the
  -- executor that holds or next claims the run to apply it.
  command          jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  -- When the run next needs a worker: a retry or timer that is due, or the
  -- expiry of the lease a worker holds. NULL: nothing to do (terminal,
  -- paused, stuck). One column so a single index answers "what is due".
  due_at           timestamptz,
  lease_owner      text,
  -- Incremented on every claim; a transition commits only with the token it
  -- claimed under (fencing).
  lease_token      bigint      NOT NULL DEFAULT 0
);

CREATE INDEX runs_due ON runs (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX runs_workflow_created ON runs (workflow, created_at DESC, id DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC, id DESC);

CREATE TABLE run_steps (
  run_id        uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step_id       text        NOT NULL,
  phase         text        NOT NULL,  -- forward | compensate
  status        text        NOT NULL,  -- running | waiting | completed | failed | skipped
  attempts      integer     NOT NULL DEFAULT 0,
  params        jsonb,
  output        jsonb,
  error         jsonb,
  uncertain     boolean     NOT NULL DEFAULT false,
  started_at    timestamptz,
  finished_at   timestamptz,
  -- Order in which forward steps completed; rollback runs in reverse.
  completed_seq integer,
  PRIMARY KEY (run_id, step_id, phase)
);

CREATE TABLE run_events (
  id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id   uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  at       timestamptz NOT NULL DEFAULT now(),
  type     text        NOT NULL,
  step_id  text,
  phase    text,
  attempt  integer,
  data     jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX run_events_run ON run_events (run_id, id);

CREATE TABLE audit_log (
  id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text        NOT NULL,
  action   text        NOT NULL,
  run_id   uuid,
  reason   text,
  request  jsonb       NOT NULL DEFAULT '{}',
  outcome  text        NOT NULL
);

CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
