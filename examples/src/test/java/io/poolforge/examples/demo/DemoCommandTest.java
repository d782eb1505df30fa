package io.poolforge.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
  @Test
  void smallDemoCompletesEveryTaskAndPrintsTheSummary(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status =
        new CommandLine(new DemoCommand(out))
            .execute(
                "--tasks",
                "40",
                "--pow",
                "2",
                "--rsa",
                "2",
                "--width",
                "32",
                "--height",
                "24",
                "--spp",
                "2",
                "--tile",
                "16",
                "--workers",
                "2",
                "--seed",
                "7",
                "--plain",
                "--output",
                dir.toString());
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(text).isZero();
    assertThat(text)
        .contains("PoolForge demo summary: 48 tasks on 3 workers")
        .contains("caught cheating: cheater-1 quarantined")
        .containsPattern("sha256\\s+40\\s+40\\s+0 ")
        .containsPattern("pow\\s+2\\s+2\\s+0 ")
        .containsPattern("modexp\\s+2\\s+2\\s+0 ")
        .containsPattern("render\\s+4\\s+4\\s+0 ")
        .contains("genesis nonce 2083236893 found")
        .contains("8 RSA signatures pass")
        .containsPattern("cpu-1\\s+cpu ")
        .containsPattern("cpu-2\\s+cpu ")
        .contains("frame: " + dir.resolve("frame.png"))
        .containsPattern("epoch Merkle root: 0x[0-9a-f]{64} \\(epoch 0, [23] payees")
        .doesNotContain("credits still pending");
    // plain progress lines, no carriage-return redraws, when --plain (or CI, or no console)
    assertThat(text).doesNotContain("\r");
    BufferedImage png = ImageIO.read(Files.newInputStream(dir.resolve("frame.png")));
    assertThat(png.getWidth()).isEqualTo(32);
    assertThat(png.getHeight()).isEqualTo(24);
  }

  @Test
  void aFastCheaterIsCutOffByItsFirstRefutedBatchNotAtTheNextTick(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status =
        new CommandLine(new DemoCommand(out))
            .execute(
                "--tasks",
                "2000",
                "--pow",
                "1",
                "--rsa",
                "1",
                "--width",
                "16",
                "--height",
                "16",
                "--spp",
                "1",
                "--tile",
                "16",
                "--workers",
                "2",
                "--seed",
                "42",
                "--plain",
                "--output",
                dir.toString());
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(text).isZero();
    Matcher m = Pattern.compile("verification: .*failed=([0-9,]+)").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    int failed = Integer.parseInt(m.group(1).replace(",", ""));
    // The forger answers instantly; before it was cut off on the batch that got it quarantined,
    // it kept taking batches until the next scheduler tick and ~1,000 of its answers failed.
    assertThat(failed).as(text).isPositive().isLessThanOrEqualTo(64);
  }

  @Test
  void badOptionsAreRefusedNamingTheOption(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status =
          new CommandLine(new DemoCommand(System.out))
              .execute("--width", "4", "--output", dir.toString());
      assertThat(status).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--width: is 4, must be in [8, 8192]");
  }
}
