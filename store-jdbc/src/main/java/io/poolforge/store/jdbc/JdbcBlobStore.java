package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.store.ContentId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Content-addressed {@link BlobStore} in a table keyed by CIDv1 (raw, sha2-256). The id is computed
 * before the transaction; storing the same content again is a no-op.
 *
 * <p>Thread-safe; every method blocks on the database.
 */
final class JdbcBlobStore implements BlobStore {
  private final Database db;
  private final long maxBlobBytes;

  JdbcBlobStore(Database db, long maxBlobBytes) {
    this.db = db;
    this.maxBlobBytes = maxBlobBytes;
  }

  @Override
  public long maxBlobBytes() {
    return maxBlobBytes;
  }

  @Override
  public ContentId put(Bytes content) {
    Checks.notNull("content", content);
    if (content.size() > maxBlobBytes) {
      throw PoolException.invalidArgument(
          "content", "is " + content.size() + " bytes, the limit is " + maxBlobBytes);
    }
    ContentId id = ContentId.of(content);
    byte[] data = content.toByteArray();
    db.transaction(
        "put blob",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO blobs (cid, size, content) VALUES (?, ?, ?)"
                      + " ON CONFLICT (cid) DO NOTHING")) {
            ps.setString(1, id.value());
            ps.setInt(2, data.length);
            ps.setBytes(3, data);
            ps.executeUpdate();
          }
          return null;
        });
    return id;
  }

  @Override
  public Optional<Bytes> get(ContentId id) {
    Checks.notNull("id", id);
    return db.transaction(
        "get blob",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT content FROM blobs WHERE cid = ?")) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(Bytes.wrap(rs.getBytes(1))) : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean delete(ContentId id) {
    Checks.notNull("id", id);
    return db.transaction(
        "delete blob",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM blobs WHERE cid = ?")) {
            ps.setString(1, id.value());
            return ps.executeUpdate() > 0;
          }
        });
  }

  @Override
  public void close() {
    // the owning JdbcStores closes the database
  }
}
