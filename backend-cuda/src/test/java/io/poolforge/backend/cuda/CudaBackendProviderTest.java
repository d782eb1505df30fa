package io.poolforge.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CudaBackendProviderTest {
  @Test
  void isFoundByServiceLoaderAndProbingNeverThrows() {
    ComputeBackendProvider cuda =
        ServiceLoader.load(ComputeBackendProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.id().equals("cuda"))
            .findFirst()
            .orElseThrow();
    assertThat(cuda).isInstanceOf(CudaBackendProvider.class);
    boolean first = cuda.isAvailable();
    assertThat(cuda.isAvailable()).isEqualTo(first);
    assertThat(cuda.priority()).isGreaterThan(0);
  }

  @Test
  void createWithoutAGpuSaysWhy() {
    CudaBackendProvider cuda = new CudaBackendProvider();
    assumeFalse(cuda.isAvailable(), "this machine has a GPU");
    PoolException e = catchThrowableOfType(PoolException.class, cuda::create);
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.getMessage()).contains("cuda");
  }
}
