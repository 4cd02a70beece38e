-- Step rows and history events are written only in the same statement as
-- their run's row (creation, or a transition fenced by the lease token), and
-- the engine never deletes runs, so the foreign keys to runs checked nothing
-- the writers do not already guarantee. They cost one key-share lock of the
-- run row per inserted row: about a third of a five-step commit's execution time.
-- Anything that deletes runs later must delete their steps and events too.
ALTER TABLE run_steps DROP CONSTRAINT IF EXISTS run_steps_run_id_fkey;
ALTER TABLE run_events DROP CONSTRAINT IF EXISTS run_events_run_id_fkey;
