package io.poolforge.examples.demo;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.core.kinds.RenderOutput;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes a rendered frame as an 8-bit sRGB-ish PNG. Stateless; blocks on file I/O. */
final class FrameImage {
  private FrameImage() {}

  /**
   * Writes {@code frame} to {@code file}, creating its directory.
   *
   * @param frame the merged frame
   * @param file the PNG file
   */
  static void writePng(RenderOutput frame, Path file) {
    BufferedImage img =
        new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        int i = (y * frame.width() + x) * 3;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double v = frame.displayValue(i + c);
          int b = Double.isNaN(v) ? 0 : (int) Math.round(Math.min(1, Math.max(0, v)) * 255);
          rgb = (rgb << 8) | b;
        }
        img.setRGB(x, y, rgb);
      }
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new PoolException(ErrorCode.INTERNAL, "no PNG writer in this JDK");
      }
    } catch (IOException e) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "cannot write " + file + ": " + e, e);
    }
  }
}
