-- Credits: at most one per task.
CREATE TABLE credits (
  task_id        BIGINT        PRIMARY KEY,
  worker         TEXT          NOT NULL,
  payout_address TEXT          NOT NULL,
  epoch          BIGINT        NOT NULL,
  amount         NUMERIC(78,0) NOT NULL,
  credited_at    BIGINT        NOT NULL,
  forfeited      BOOLEAN       NOT NULL DEFAULT FALSE
);
CREATE INDEX credits_worker_epoch ON credits (worker, epoch);

-- Running totals of non-forfeited credits per epoch and payout address.
CREATE TABLE credit_totals (
  epoch          BIGINT        NOT NULL,
  payout_address TEXT          NOT NULL,
  amount         NUMERIC(78,0) NOT NULL,
  PRIMARY KEY (epoch, payout_address)
);

CREATE TABLE epoch_statements (
  epoch     BIGINT PRIMARY KEY,
  closed_at BIGINT NOT NULL,
  body      BYTEA  NOT NULL
);

-- Settlement records; seq orders them by age and survives replacement.
CREATE TABLE settlements (
  seq             BIGSERIAL PRIMARY KEY,
  idempotency_key BYTEA     NOT NULL UNIQUE,
  state           SMALLINT  NOT NULL,
  batch           BYTEA     NOT NULL,
  signed          BYTEA,
  sends           INTEGER   NOT NULL,
  updated_at      BIGINT    NOT NULL,
  detail          TEXT
);
CREATE INDEX settlements_state ON settlements (state, seq);

-- Content-addressed blobs (CIDv1 raw sha2-256).
CREATE TABLE blobs (
  cid     TEXT    PRIMARY KEY,
  size    INTEGER NOT NULL,
  content BYTEA   NOT NULL
);
