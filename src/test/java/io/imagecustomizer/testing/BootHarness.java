package io.imagecustomizer.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Boots an image in QEMU (OVMF by default, or SeaBIOS; TCG: KVM does not work on this host) and
 * watches the serial console until the test image's marker line, a known failure, or the timeout.
 * QEMU is stopped by its own PID in every case; the serial log stays under target/boot-logs.
 */
public final class BootHarness {
  private static final Path OVMF = Path.of("/usr/share/OVMF");
  private static final Path LOGS = Path.of("target/boot-logs");

  static {
    // QEMU's guestfwd connects to the HTTP server once, when QEMU starts, and the guest's download
    // rides on that connection a minute or more later. The JDK server closes a connection idle for
    // 30 s by default, and a slow boot then hangs in the download; keep it open for the boot.
    System.setProperty("sun.net.httpserver.idleInterval", "3600");
  }

  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?=]*[A-Za-z]|\r");
  // Whole lines only: the log is read while QEMU still writes it.
  private static final Pattern MARKER = Pattern.compile("IMAGECUSTOMIZER-BOOT-OK [^\\n]*(?=\\n)");
  private static final Pattern CHECK = Pattern.compile("IMAGECUSTOMIZER-CHECK [^\\n]*(?=\\n)");
  // Each of these ends a boot that would otherwise sit at a prompt until the timeout.
  private static final Pattern FAILURE =
      Pattern.compile(
          "Kernel panic[^\\n]*|You are in emergency mode[^\\n]*|Entering emergency mode[^\\n]*"
              + "|Could not boot[^\\n]*|Press \\[Enter\\] to continue[^\\n]*"
              + "|error: file [^\\n]* not found|grub rescue>"
              + "|No bootable option or device was found|Boot Failed[^\\n]*");

  /**
   * The private key (encrypted with the passphrase {@code snakeoil}) and certificate that {@link
   * Firmware#UEFI_SECURE_BOOT_TEST_KEY} trusts, shipped by Debian's ovmf package for testing.
   */
  public static final Path TEST_KEY = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.key");

  public static final Path TEST_CERT = Path.of("/usr/share/ovmf/PkKek-1-snakeoil.pem");

  /** The machine's firmware. */
  public enum Firmware {
    /** OVMF without Secure Boot. */
    UEFI("OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd"),
    /**
     * OVMF with Secure Boot enforced and Microsoft's keys enrolled, as on most machines sold: only
     * a chain signed by them (shim, then what shim trusts) boots. Needs SMM.
     */
    UEFI_SECURE_BOOT("OVMF_CODE_4M.ms.fd", "OVMF_VARS_4M.ms.fd"),
    /**
     * OVMF with Secure Boot enforced and only Debian's test ("snakeoil") key in PK, KEK and db:
     * only what is signed with {@link #TEST_KEY} boots, as on a fleet that enrolled its own key.
     */
    UEFI_SECURE_BOOT_TEST_KEY("OVMF_CODE_4M.snakeoil.fd", "OVMF_VARS_4M.snakeoil.fd"),
    /** SeaBIOS, QEMU's own: no EFI at all. */
    BIOS(null, null);

    private final @Nullable String code;
    private final @Nullable String vars;

    Firmware(@Nullable String code, @Nullable String vars) {
      this.code = code;
      this.vars = vars;
    }

    /** Secure Boot variables live in flash only SMM code may write. */
    boolean secure() {
      return this == UEFI_SECURE_BOOT || this == UEFI_SECURE_BOOT_TEST_KEY;
    }
  }

  /** How the machine gets its OS. */
  public sealed interface Media {}

  /** A disk image on virtio, booted with {@code -snapshot} so the file is never changed. */
  public record Disk(Path image, String format) implements Media {}

  /** An ISO as a CD-ROM. */
  public record Cdrom(Path iso) implements Media {}

  /** An ISO written to a USB stick (the hybrid layout). */
  public record UsbStick(Path iso) implements Media {}

  /**
   * A kernel and initrd loaded by QEMU, as a PXE boot loader would; with {@code served} set, the
   * guest reaches that folder at http://10.0.2.100:8080/ (and nothing else).
   */
  public record KernelBoot(Path kernel, Path initrd, String append, @Nullable Path served)
      implements Media {}

  private BootHarness() {}

  public static BootResult boot(String name, Media media, Duration timeout) {
    return boot(name, media, timeout, 2048);
  }

  /** Boots with {@code memoryMiB} of RAM (a full-OS initrd unpacks the whole OS into it). */
  public static BootResult boot(String name, Media media, Duration timeout, int memoryMiB) {
    return boot(name, media, timeout, memoryMiB, Firmware.UEFI);
  }

  public static BootResult boot(
      String name, Media media, Duration timeout, int memoryMiB, Firmware firmware) {
    try {
      Files.createDirectories(LOGS);
      Path log = LOGS.resolve(name + ".serial.log");
      Files.deleteIfExists(log);
      Path vars = Files.createTempFile("ovmf-vars-", ".fd");
      if (firmware.vars != null) {
        Files.copy(OVMF.resolve(firmware.vars), vars, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "qemu-system-x86_64",
                  "-machine",
                  firmware.secure() ? "q35,smm=on" : "q35",
                  "-accel",
                  "tcg",
                  "-m",
                  Integer.toString(memoryMiB),
                  "-smp",
                  "1",
                  "-display",
                  "none",
                  "-vga",
                  "std",
                  "-monitor",
                  "none",
                  "-parallel",
                  "none",
                  "-no-reboot",
                  "-nic",
                  "none",
                  "-serial",
                  "file:" + log));
      if (firmware.code != null) {
        if (firmware.secure()) {
          argv.addAll(List.of("-global", "driver=cfi.pflash01,property=secure,value=on"));
        }
        argv.addAll(
            List.of(
                "-drive",
                "if=pflash,format=raw,readonly=on,file=" + OVMF.resolve(firmware.code),
                "-drive",
                "if=pflash,format=raw,file=" + vars));
      }
      argv.addAll(mediaArgs(media));
      HttpServer http = null;
      if (media instanceof KernelBoot boot && boot.served() != null) {
        http = serve(boot.served());
        argv.addAll(
            List.of(
                "-netdev",
                "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:8080-tcp:127.0.0.1:"
                    + http.getAddress().getPort(),
                "-device",
                "virtio-net-pci,netdev=n0"));
      }
      Process qemu =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(LOGS.resolve(name + ".qemu.log").toFile())
              .start();
      try {
        return watch(qemu, log, timeout);
      } finally {
        qemu.destroy();
        if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
          qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(vars);
        if (http != null) {
          http.stop(0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while booting " + name, e);
    }
  }

  /** A read-only HTTP server of one folder, on the loopback address only. */
  private static HttpServer serve(Path root) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
              Files.copy(file, body);
            }
          }
          exchange.close();
        });
    server.start();
    return server;
  }

  private static List<String> mediaArgs(Media media) {
    if (media instanceof KernelBoot boot) {
      return List.of(
          "-kernel",
          boot.kernel().toString(),
          "-initrd",
          boot.initrd().toString(),
          "-append",
          boot.append());
    }
    if (media instanceof Disk disk) {
      return List.of(
          "-snapshot",
          "-drive",
          "if=none,id=disk0,format=" + disk.format() + ",file=" + disk.image(),
          "-device",
          "virtio-blk-pci,drive=disk0,bootindex=1");
    }
    if (media instanceof Cdrom cdrom) {
      return List.of(
          "-drive",
          "if=none,id=cd0,media=cdrom,readonly=on,format=raw,file=" + cdrom.iso(),
          "-device",
          "ide-cd,drive=cd0,bootindex=1");
    }
    UsbStick usb = (UsbStick) media;
    return List.of(
        "-snapshot",
        "-device",
        "qemu-xhci",
        "-drive",
        "if=none,id=usb0,format=raw,file=" + usb.iso(),
        "-device",
        "usb-storage,drive=usb0,bootindex=1");
  }

  private static BootResult watch(Process qemu, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    while (true) {
      String serial = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
      Duration elapsed = Duration.between(start, Instant.now());
      BootResult result = read(serial, elapsed, log);
      if (result.booted() || result.failure() != null) {
        return result;
      }
      if (!qemu.isAlive()) {
        return new BootResult(
            null, "qemu exited with " + qemu.exitValue(), result.checkLines(), elapsed, log);
      }
      if (Instant.now().isAfter(deadline)) {
        return result;
      }
      Thread.sleep(1000);
    }
  }

  /**
   * What a serial log shows so far: the marker, else the first failure, else neither (still
   * booting). ANSI escapes and CRs from OVMF and systemd are removed first.
   */
  static BootResult read(String serial, Duration elapsed, Path log) {
    String text = ANSI.matcher(serial).replaceAll("");
    Matcher marker = MARKER.matcher(text);
    if (marker.find()) {
      return new BootResult(marker.group().strip(), null, checks(text), elapsed, log);
    }
    Matcher failure = FAILURE.matcher(text);
    String failed = failure.find() ? failure.group().strip() : null;
    return new BootResult(null, failed, checks(text), elapsed, log);
  }

  private static List<String> checks(String text) {
    List<String> lines = new ArrayList<>();
    Matcher check = CHECK.matcher(text);
    while (check.find()) {
      lines.add(check.group().strip());
    }
    return lines;
  }
}
