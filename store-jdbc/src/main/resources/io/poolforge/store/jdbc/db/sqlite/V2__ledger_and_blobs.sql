-- Credits: at most one per task. Amounts are decimal strings (they exceed 64 bits).
CREATE TABLE credits (
  task_id        INTEGER PRIMARY KEY,
  worker         TEXT    NOT NULL,
  payout_address TEXT    NOT NULL,
  epoch          INTEGER NOT NULL,
  amount         TEXT    NOT NULL,
  credited_at    INTEGER NOT NULL,
  forfeited      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credits_worker_epoch ON credits (worker, epoch);

-- Running totals of non-forfeited credits per epoch and payout address.
CREATE TABLE credit_totals (
  epoch          INTEGER NOT NULL,
  payout_address TEXT    NOT NULL,
  amount         TEXT    NOT NULL,
  PRIMARY KEY (epoch, payout_address)
);

CREATE TABLE epoch_statements (
  epoch     INTEGER PRIMARY KEY,
  closed_at INTEGER NOT NULL,
  body      BLOB    NOT NULL
);

-- Settlement records; seq orders them by age and survives replacement.
CREATE TABLE settlements (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key BLOB    NOT NULL UNIQUE,
  state           INTEGER NOT NULL,
  batch           BLOB    NOT NULL,
  signed          BLOB,
  sends           INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  detail          TEXT
);
CREATE INDEX settlements_state ON settlements (state, seq);

-- Content-addressed blobs (CIDv1 raw sha2-256).
CREATE TABLE blobs (
  cid     TEXT    PRIMARY KEY,
  size    INTEGER NOT NULL,
  content BLOB    NOT NULL
);
