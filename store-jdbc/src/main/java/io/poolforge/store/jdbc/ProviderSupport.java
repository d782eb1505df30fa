package io.poolforge.store.jdbc;

/** Helpers of the store providers. */
final class ProviderSupport {
  private ProviderSupport() {}

  /** Whether a class can be loaded; never throws. */
  static boolean present(String className) {
    try {
      Class.forName(className, false, ProviderSupport.class.getClassLoader());
      return true;
    } catch (Throwable t) {
      return false;
    }
  }
}
