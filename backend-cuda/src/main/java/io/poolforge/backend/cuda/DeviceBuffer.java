package io.poolforge.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A device allocation with a pinned host twin, reused across batches and grown (doubling) only when
 * a batch needs more. Pinned host memory is what lets copies run at full PCIe speed and overlap
 * with kernels.
 *
 * <p>Not thread-safe: used only on its device's thread, with that device's context current.
 */
final class DeviceBuffer implements AutoCloseable {
  private CUdeviceptr device;
  private Pointer host;
  private ByteBuffer hostView;
  private long capacity;

  /**
   * Ensures room for {@code bytes} and returns the pinned host view, cleared and little-endian.
   *
   * @param bytes the size needed
   * @return the host view, position 0, limit {@code bytes}
   */
  ByteBuffer reserve(long bytes) {
    if (bytes > capacity) {
      close();
      long size = Math.max(bytes, Math.max(1 << 16, capacity * 2));
      device = new CUdeviceptr();
      cuMemAlloc(device, size);
      host = new Pointer();
      cuMemAllocHost(host, size);
      hostView = host.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
      capacity = size;
    }
    hostView.clear();
    hostView.limit((int) Math.min(Integer.MAX_VALUE, bytes));
    return hostView;
  }

  CUdeviceptr device() {
    return device;
  }

  Pointer host() {
    return host;
  }

  @Override
  public void close() {
    if (device != null) {
      cuMemFree(device);
      device = null;
    }
    if (host != null) {
      cuMemFreeHost(host);
      host = null;
    }
    capacity = 0;
  }
}
