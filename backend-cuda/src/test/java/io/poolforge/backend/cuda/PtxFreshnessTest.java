package io.poolforge.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PTX under src/main/resources is compiled from src/main/cuda by scripts/build-ptx.sh and
 * committed, so the build needs no nvcc. This test fails when a kernel source changed without the
 * PTX being rebuilt.
 */
class PtxFreshnessTest {
  private static final Path SOURCES = Path.of("src/main/cuda");

  private static String resource(String name) throws IOException {
    try (InputStream in = PtxFreshnessTest.class.getResourceAsStream("ptx/" + name)) {
      assertThat(in).as("resource ptx/%s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static List<Path> kernelSources() throws IOException {
    try (Stream<Path> s = Files.list(SOURCES)) {
      return s.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }

  @Test
  void recordedSourceHashMatchesTheSources() throws Exception {
    assumeTrue(Files.isDirectory(SOURCES), "kernel sources are not in the working directory");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path p : kernelSources()) {
      all.write((p.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
      all.write(Files.readAllBytes(p));
    }
    String actual =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()));
    assertThat(resource("sources.sha256"))
        .as("the PTX is stale: run backend-cuda/scripts/build-ptx.sh and commit the result")
        .isEqualTo(actual);
  }

  @Test
  void everyKernelSourceHasItsPtx() throws Exception {
    assumeTrue(Files.isDirectory(SOURCES));
    for (Path p : kernelSources()) {
      String name = p.getFileName().toString();
      if (name.endsWith(".cu")) {
        assertThat(resource(name.replace(".cu", ".ptx"))).contains(".entry pf_");
      }
    }
  }

  @Test
  void ptxRecompiledBySameNvccIsIdentical(@TempDir Path tmp) throws Exception {
    Optional<String> release = Nvcc.release();
    assumeTrue(release.isPresent(), "nvcc is not on the PATH");
    assumeTrue(
        release.get().equals(resource("nvcc.version")),
        "the PTX was made by " + resource("nvcc.version") + ", this nvcc is " + release.get());
    for (Path p : kernelSources()) {
      String name = p.getFileName().toString();
      if (!name.endsWith(".cu")) {
        continue;
      }
      Path out = tmp.resolve(name.replace(".cu", ".ptx"));
      Nvcc.run(
          SOURCES,
          List.of("-ptx", "-arch=compute_90", "-O3", "--fmad=false", "-o", out.toString(), name));
      assertThat(Files.readString(out).trim())
          .as("%s recompiled differs from the committed PTX: run scripts/build-ptx.sh", name)
          .isEqualTo(resource(name.replace(".cu", ".ptx")));
    }
  }
}
