-- Tasks. Times are nanoseconds since the epoch; state codes: 0 QUEUED, 1 RUNNING, 2 VERIFYING,
-- 3 COMPLETED, 4 FAILED, 5 CANCELLED. spec is the binary TaskSpec (see Codec).
CREATE TABLE tasks (
  id              INTEGER PRIMARY KEY,
  state           INTEGER NOT NULL,
  priority        INTEGER NOT NULL,
  submitter       TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  attempts        INTEGER NOT NULL,
  submitted_at    INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  worker          TEXT,
  spec            BLOB    NOT NULL,
  result          BLOB,
  failure_code    TEXT,
  failure_message TEXT,
  checkpoint      BLOB
);
-- paging by state
CREATE INDEX tasks_state_id ON tasks (state, id);
-- reloading unfinished work after a restart
CREATE INDEX tasks_unfinished ON tasks (id) WHERE state IN (0, 1, 2);
-- the queue: priority, then creation time
CREATE INDEX tasks_queue ON tasks (priority DESC, submitted_at) WHERE state = 0;
-- the retention job
CREATE INDEX tasks_finished ON tasks (updated_at) WHERE state IN (3, 4, 5);

-- Id reservation: one counter row, advanced inside an IMMEDIATE transaction.
CREATE TABLE id_counters (
  name    TEXT    PRIMARY KEY,
  next_id INTEGER NOT NULL
);
INSERT INTO id_counters (name, next_id) VALUES ('task', 1);
