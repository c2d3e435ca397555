package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerityKernelArgsTest {
  private static final String HASH = "ab".repeat(32);
  private static final VerityKernelArgs.Device ROOT =
      new VerityKernelArgs.Device(
          "root",
          HASH,
          "PARTUUID=11111111-2222-3333-4444-555555555555",
          "PARTLABEL=roothash",
          List.of("panic-on-corruption"));

  @Test
  void namesTheRootHashBothPartitionsAndTheCorruptionReaction() {
    assertThat(VerityKernelArgs.of(List.of(ROOT)))
        .containsExactly(
            "rd.systemd.verity=1",
            "roothash=" + HASH,
            "systemd.verity_root_data=PARTUUID=11111111-2222-3333-4444-555555555555",
            "systemd.verity_root_hash=PARTLABEL=roothash",
            "systemd.verity_root_options=panic-on-corruption");
  }

  @Test
  void io_errorIsTheDefaultAndNeedsNoOptions() {
    VerityKernelArgs.Device usr =
        new VerityKernelArgs.Device("usr", HASH, "UUID=a", "UUID=b", List.of());

    assertThat(VerityKernelArgs.of(List.of(usr)))
        .containsExactly(
            "rd.systemd.verity=1",
            "usrhash=" + HASH,
            "systemd.verity_usr_data=UUID=a",
            "systemd.verity_usr_hash=UUID=b");
  }

  @Test
  void replacesEarlierVerityArgumentsAndPointsRootAtTheVerityDevice() {
    GrubConfig grub =
        GrubConfig.parse(
            """
            menuentry "Debian" {
            \tlinux /vmlinuz-6.1 root=UUID=1234 ro console=ttyS0 roothash=00 systemd.verity_root_options=ignore-corruption
            \tinitrd /initramfs-6.1.img
            }
            """);

    GrubConfig once = VerityKernelArgs.apply(grub, List.of(ROOT));

    assertThat(once.kernelArgs())
        .containsExactly(
            List.of(
                "root=/dev/mapper/root",
                "ro",
                "console=ttyS0",
                "rd.systemd.verity=1",
                "roothash=" + HASH,
                "systemd.verity_root_data=PARTUUID=11111111-2222-3333-4444-555555555555",
                "systemd.verity_root_hash=PARTLABEL=roothash",
                "systemd.verity_root_options=panic-on-corruption"));
    assertThat(VerityKernelArgs.apply(once, List.of(ROOT)).text()).isEqualTo(once.text());
  }

  @Test
  void editsAUkiCommandLineAsItEditsGrubs() {
    String line = "root=UUID=1234 ro roothash=00 console=ttyS0";

    String once = VerityKernelArgs.apply(line, List.of(ROOT));

    assertThat(once)
        .isEqualTo(
            "root=/dev/mapper/root ro console=ttyS0 rd.systemd.verity=1 roothash="
                + HASH
                + " systemd.verity_root_data=PARTUUID=11111111-2222-3333-4444-555555555555"
                + " systemd.verity_root_hash=PARTLABEL=roothash"
                + " systemd.verity_root_options=panic-on-corruption");
    assertThat(VerityKernelArgs.apply(once, List.of(ROOT))).isEqualTo(once);
  }
}
