-- The scheduling lease shared by coordinators; expires_at is in the database's epoch milliseconds.
CREATE TABLE leader_lease (
  name       TEXT    PRIMARY KEY,
  holder     TEXT    NOT NULL,
  expires_at BIGINT NOT NULL,
  fencing    BIGINT NOT NULL
);
