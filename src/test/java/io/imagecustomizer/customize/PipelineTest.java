package io.imagecustomizer.customize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.ConfigLoader;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.customize.steps.StandardSteps;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  private static final String GRUB =
      "set timeout=0\nmenuentry \"Debian\" {\n"
          + "\tlinux /boot/vmlinuz-6.1.0 root=UUID=abcd ro console=ttyS0,115200n8\n"
          + "\tinitrd /boot/initramfs-6.1.0.img\n}\n";

  @TempDir Path dir;
  private ImageRoot root;
  private FakeShell shell;
  private Path hostResolv;
  private final List<String> hostCommands = new ArrayList<>();
  private RpmSources rpmSources;

  @BeforeEach
  void image() throws IOException {
    Path r = Files.createDirectories(dir.resolve("image"));
    Files.createDirectories(r.resolve("etc"));
    Files.createDirectories(r.resolve("boot/grub2"));
    Files.createDirectories(r.resolve("run/systemd/resolve"));
    Files.writeString(
        r.resolve("etc/os-release"), "PRETTY_NAME=\"Debian 12\"\nID=debian\nVERSION_ID=\"12\"\n");
    Files.writeString(r.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    Files.writeString(r.resolve("etc/group"), "root:x:0:\nsudo:x:27:\n");
    Files.writeString(r.resolve("boot/grub2/grub.cfg"), GRUB);
    Files.createSymbolicLink(
        r.resolve("etc/resolv.conf"), Path.of("../run/systemd/resolve/stub-resolv.conf"));
    hostResolv = Files.writeString(dir.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
    root = new ImageRoot(r);
    shell = new FakeShell(root);
    rpmSources = new RpmSources(recordingRunner(), List.of(), true, dir.resolve("build"));
  }

  private ProcessRunner recordingRunner() {
    return new ProcessRunner() {
      @Override
      public ProcessResult run(Command command) {
        hostCommands.add(command.shellText());
        return new ProcessResult(0, "", "");
      }

      @Override
      public ProcessResult runAllowingFailure(Command command) {
        return run(command);
      }
    };
  }

  private void azureLinux() throws IOException {
    Path r = root.hostPath();
    Files.writeString(
        r.resolve("etc/os-release"), "NAME=\"Microsoft Azure Linux\"\nID=azurelinux\n");
    Files.createDirectories(r.resolve("etc/yum.repos.d"));
    Files.writeString(
        r.resolve("etc/yum.repos.d/azurelinux-official-base.repo"),
        "[azurelinux-official-base]\nname=base\nbaseurl=https://packages.example/base\n"
            + "gpgcheck=1\n");
  }

  private CustomizeContext context(String yaml) throws IOException {
    Path config = Files.writeString(dir.resolve("config.yaml"), yaml);
    LoadedConfig loaded = ConfigLoader.load(config);
    assertThat(loaded.problems()).isEmpty();
    return new CustomizeContext(
        loaded,
        loaded,
        root,
        shell,
        "6f1c2b9a-0000-4000-8000-000000000001",
        Instant.parse("2026-11-22T10:00:00Z"),
        "0.1.0",
        rpmSources,
        null,
        null);
  }

  private void run(String yaml) throws IOException {
    CustomizeContext context = context(yaml);
    StandardSteps.pipeline().run(context, List.of(context.loaded()), hostResolv, new Progress());
  }

  @Test
  void writesHostnameReleaseFileAndKernelArgs() throws IOException {
    run("os:\n  hostname: box1\n  kernelCommandLine:\n    extraCommandLine: [quiet, ds=nocloud]\n");

    assertThat(root.resolve("/etc/hostname")).hasContent("box1");
    assertThat(root.readString("/etc/image-customizer-release"))
        .isEqualTo(
            "TOOL_VERSION=\"0.1.0\"\nBUILD_DATE=\"2026-11-22T10:00:00Z\"\n"
                + "IMAGE_UUID=\"6f1c2b9a-0000-4000-8000-000000000001\"\n\n");
    assertThat(root.readString("/boot/grub2/grub.cfg"))
        .contains("root=UUID=abcd ro console=ttyS0,115200n8 quiet ds=nocloud");
  }

  @Test
  void hardResetWithoutGrubMkconfigNamesThePackage() {
    assertThatThrownBy(() -> run("os:\n  bootloader:\n    resetType: hard-reset\n"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("needs grub2-mkconfig or grub-mkconfig in the image")
        .satisfies(
            e ->
                assertThat(((ImageCustomizerException) e).hint())
                    .contains("grub2-common", "grub2-tools-minimal"));
  }

  @Test
  void kernelArgsDoNotPileUpOverRuns() throws IOException {
    String yaml = "os:\n  kernelCommandLine:\n    extraCommandLine: [quiet]\n";
    run(yaml);
    String once = root.readString("/boot/grub2/grub.cfg");
    run(yaml);

    assertThat(root.readString("/boot/grub2/grub.cfg")).isEqualTo(once);
  }

  @Test
  void additionalFilesInBothFormsWithModes() throws IOException {
    Files.writeString(dir.resolve("motd"), "welcome\n");
    run(
        "os:\n  additionalFiles:\n    motd: /etc/motd\n"
            + "iso:\n  additionalFiles:\n    motd: /media-only\n");
    run(
        "os:\n  additionalFiles:\n  - destination: /usr/local/bin/hello\n"
            + "    content: \"#!/bin/sh\\necho hi\\n\"\n    permissions: \"750\"\n");

    assertThat(root.resolve("/etc/motd")).hasContent("welcome");
    assertThat(root.resolve("/media-only")).doesNotExist();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("/usr/local/bin/hello"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void symlinkInImageCannotRedirectAWriteToTheHost() throws IOException {
    Files.createDirectories(root.hostPath().resolve("opt"));
    Files.createSymbolicLink(root.hostPath().resolve("opt/escape"), Path.of("/etc"));

    run("os:\n  additionalFiles:\n  - destination: /opt/escape/marker\n    content: inside\n");

    assertThat(root.hostPath().resolve("etc/marker")).hasContent("inside");
    assertThat(Path.of("/etc/marker")).doesNotExist();
  }

  @Test
  void additionalDirsCopyATreeWithModes() throws IOException {
    Path tree = Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(tree.resolve("file.txt"), "data");
    run(
        "os:\n  additionalDirs:\n  - source: tree\n    destination: /opt/tree\n"
            + "    newDirPermissions: \"700\"\n    childFilePermissions: \"600\"\n");

    Path copied = root.resolve("/opt/tree/sub/file.txt");
    assertThat(copied).hasContent("data");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("/opt/tree/sub"))))
        .isEqualTo("rwx------");
  }

  @Test
  void usersAndGroupsUseTheImagesTools() throws IOException {
    Files.writeString(dir.resolve("alice.pub"), "ssh-ed25519 AAAAkey alice@example\n");
    run(
        "os:\n  groups:\n  - name: ops\n    gid: 2000\n  - name: sudo\n"
            + "  users:\n  - name: alice\n    uid: 2001\n    primaryGroup: ops\n"
            + "    secondaryGroups: [sudo]\n    startupCommand: /bin/bash\n"
            + "    password:\n      type: plain-text\n      value: s3cret\n"
            + "    passwordExpiresDays: 90\n    sshPublicKeyPaths: [alice.pub]\n");

    assertThat(shell.lines())
        .containsSubsequence(
            "groupadd --gid 2000 ops",
            "useradd --create-home --uid 2001 --gid ops --groups sudo --shell /bin/bash alice",
            "chpasswd",
            "chage --maxdays 90 alice",
            "chown -R alice: /home/alice/.ssh");
    assertThat(shell.lines()).noneMatch(l -> l.contains("groupadd") && l.endsWith(" sudo"));
    assertThat(shell.calls)
        .filteredOn(c -> c.line().equals("chpasswd"))
        .first()
        .extracting(FakeShell.Call::stdin)
        .isEqualTo("alice:s3cret\n");
    assertThat(root.resolve("/home/alice/.ssh/authorized_keys"))
        .hasContent("ssh-ed25519 AAAAkey alice@example");
  }

  @Test
  void servicesAndModules() throws IOException {
    Files.createDirectories(root.hostPath().resolve("etc/modprobe.d"));
    Files.writeString(
        root.hostPath().resolve("etc/modprobe.d/modules-disabled.conf"), "blacklist vfio\n");
    run(
        "os:\n  services:\n    enable: [ssh]\n    disable: [apt-daily.timer]\n"
            + "  modules:\n  - name: vfio\n    loadMode: always\n    options:\n      enable_unsafe: \"1\"\n"
            + "  - name: floppy\n    loadMode: disable\n");

    assertThat(shell.lines())
        .containsSubsequence("systemctl enable ssh", "systemctl disable apt-daily.timer");
    assertThat(root.readString("/etc/modules-load.d/modules-load.conf")).isEqualTo("vfio\n");
    assertThat(root.readString("/etc/modprobe.d/modules-disabled.conf"))
        .isEqualTo("blacklist floppy\n");
    assertThat(root.readString("/etc/modprobe.d/module-options.conf"))
        .isEqualTo("options vfio enable_unsafe=1\n");
  }

  @Test
  void aptInstallsWithServicesHeldBackAndHostDnsInPlace() throws IOException {
    run("os:\n  packages:\n    remove: [nano]\n    install: [vim-tiny]\n");

    assertThat(shell.lines())
        .containsSubsequence(
            "apt-get -y purge nano",
            "apt-get update",
            "apt-get -y --no-install-recommends install vim-tiny",
            "apt-get clean");
    assertThat(shell.calls.get(0).environment()).containsEntry("DEBIAN_FRONTEND", "noninteractive");
    assertThat(root.hostPath().resolve("usr/sbin/policy-rc.d")).doesNotExist();
    assertThat(Files.readSymbolicLink(root.hostPath().resolve("etc/resolv.conf")))
        .isEqualTo(Path.of("../run/systemd/resolve/stub-resolv.conf"));
  }

  @Test
  void packageManagerGoesAfterThePostScriptsWithItsDatabasesButDpkgStays() throws IOException {
    Files.createDirectories(root.hostPath().resolve("var/lib/apt/lists"));
    Files.createDirectories(root.hostPath().resolve("var/lib/dpkg"));
    shell.answers.put("list the package manager's packages", "apt\n");

    run(
        "previewFeatures: [remove-package-manager]\n"
            + "os:\n  packages:\n    removePackageManager: true\n"
            + "scripts:\n  postCustomization:\n  - content: apt-mark manual tree\n");

    assertThat(shell.lines())
        .containsSubsequence(
            "/bin/sh /tmp/imagecustomizer-postCustomization-0.sh",
            "apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"
                + " remove --auto-remove --allow-remove-essential -- apt");
    assertThat(root.exists("/var/lib/apt")).isFalse();
    assertThat(root.exists("/var/lib/dpkg")).isTrue();
    assertThat(root.hostPath().resolve("usr/sbin/policy-rc.d")).doesNotExist();
  }

  @Test
  void tdnfRemovesItselfAndRpmWithoutRepos() throws IOException {
    azureLinux();
    Files.createDirectories(root.hostPath().resolve("var/lib/rpm"));
    shell.answers.put("list the package manager's packages", "tdnf\nrpm\n");

    run(
        "previewFeatures: [remove-package-manager]\nos:\n  packages:\n    removePackageManager: true\n");

    assertThat(shell.lines())
        .contains("tdnf -y --disablerepo=* --setopt=protected_packages= remove tdnf rpm");
    assertThat(root.exists("/var/lib/rpm")).isFalse();
  }

  @Test
  void tdnfInstallsFromASnapshotThroughACopyOfItsConfig() throws IOException {
    azureLinux();
    Files.createDirectories(root.hostPath().resolve("etc/tdnf"));
    Files.writeString(root.hostPath().resolve("etc/tdnf/tdnf.conf"), "[main]\ngpgcheck=1\n");
    Files.createDirectories(root.hostPath().resolve("tmp"));
    shell.watched = "/tmp/imagecustomizer-tdnf-snapshot.conf";

    run(
        "previewFeatures: [package-snapshot-time]\n"
            + "os:\n  packages:\n    snapshotTime: 2025-05-20\n    remove: [nano]\n"
            + "    install: [vim]\n");

    assertThat(shell.lines())
        .containsExactly(
            "tdnf -y --disablerepo=* remove nano",
            "tdnf -y --config /tmp/imagecustomizer-tdnf-snapshot.conf install vim",
            "tdnf -y --config /tmp/imagecustomizer-tdnf-snapshot.conf clean all");
    assertThat(shell.seen).contains("[main]\nsnapshottime=1747699200\ngpgcheck=1\n");
    assertThat(root.exists("/tmp/imagecustomizer-tdnf-snapshot.conf")).isFalse();
  }

  @Test
  void aptBefore27CannotUseASnapshotAndSaysSoBeforeAnyChange() throws IOException {
    shell.answers.put("ask apt for its version", "apt 2.6.1 (amd64)\nSupported modules:\n");

    assertThatThrownBy(
            () ->
                run(
                    "previewFeatures: [package-snapshot-time]\n"
                        + "os:\n  packages:\n    snapshotTime: 2025-05-20T23:59:59Z\n"
                        + "    remove: [nano]\n    install: [vim]\n"))
        .hasMessageContaining(
            "os.packages.snapshotTime: the image's apt (apt 2.6.1 (amd64)) cannot install from a"
                + " snapshot");
    assertThat(shell.lines()).containsExactly("apt-get --version");
  }

  @Test
  void aptFrom27GetsTheSnapshotIdOnEveryFetch() throws IOException {
    shell.answers.put("ask apt for its version", "apt 3.0.3 (amd64)\n");

    run(
        "previewFeatures: [package-snapshot-time]\n"
            + "os:\n  packages:\n    snapshotTime: 2025-05-20T23:59:59+02:00\n"
            + "    install: [vim]\n");

    assertThat(shell.lines())
        .containsSubsequence(
            "apt-get -o APT::Snapshot=20250520T215959Z update",
            "apt-get -o APT::Snapshot=20250520T215959Z -y --no-install-recommends install vim");
  }

  @Test
  void rpmSourcesAreBoundReadOnlyAndListedForTdnfThenTakenAway() throws IOException {
    azureLinux();
    Path rpms = Files.createDirectories(dir.resolve("my-rpms/repodata"));
    Files.writeString(rpms.resolve("repomd.xml"), "<repomd/>");
    Path extra = Files.createDirectories(dir.resolve("repos/extra"));
    Path repoFile =
        Files.writeString(
            dir.resolve("repos/extra.repo"),
            "# a local mirror\n[extra]\nname=extra\nbaseurl=file+rel://extra\n"
                + "  https://mirror.example/extra\ngpgkey=file+chroot:///etc/pki/key\n");
    rpmSources =
        new RpmSources(
            recordingRunner(), List.of(rpms.getParent(), repoFile), true, dir.resolve("build"));
    shell.watched = "/_localrpms/allrepos.repo";

    run("os:\n  packages:\n    remove: [nano]\n    install: [vim]\n");

    assertThat(shell.lines())
        .containsExactly(
            "tdnf -y --disablerepo=* remove nano",
            "tdnf -y --setopt=reposdir=/_localrpms install vim",
            "tdnf -y --setopt=reposdir=/_localrpms clean all");
    assertThat(shell.binds)
        .containsExactly(
            rpms.getParent() + " -> /_localrpms/00-baseurl-my-rpms",
            extra + " -> /_localrpms/01-baseurl-extra",
            "unbound /_localrpms/01-baseurl-extra",
            "unbound /_localrpms/00-baseurl-my-rpms");
    assertThat(shell.seen.get(0))
        .contains(
            "[azurelinux-official-base]\nname=base\nbaseurl=https://packages.example/base\n",
            "[00-baseurl-my-rpms]\nname=00-baseurl-my-rpms\n"
                + "baseurl=file:///_localrpms/00-baseurl-my-rpms\nenabled=1\ngpgcheck=0\n",
            "[extra]\nname=extra\nbaseurl=file:///_localrpms/01-baseurl-extra"
                + " https://mirror.example/extra\ngpgkey=file:///etc/pki/key\n");
    assertThat(root.exists("/_localrpms")).as("taken away after the step").isFalse();
    assertThat(hostCommands).as("the folder has repodata: nothing to index").isEmpty();
  }

  @Test
  void rpmFolderWithoutRepodataIsIndexedInACopyAndImageReposCanBeLeftOut() throws IOException {
    azureLinux();
    Path rpms = Files.createDirectories(dir.resolve("rpms/sub"));
    Files.writeString(rpms.resolve("hello-1.0-1.noarch.rpm"), "rpm");
    rpmSources =
        new RpmSources(recordingRunner(), List.of(rpms.getParent()), false, dir.resolve("build"));
    shell.watched = "/_localrpms/allrepos.repo";

    run("os:\n  packages:\n    install: [hello]\n");

    assertThat(hostCommands).hasSize(1);
    assertThat(hostCommands.get(0)).startsWith("createrepo_c --quiet " + dir.resolve("build"));
    assertThat(shell.binds.get(0))
        .contains("/build/rpm-source-")
        .endsWith(" -> /_localrpms/00-baseurl-rpms");
    assertThat(shell.seen.get(0)).doesNotContain("azurelinux-official-base");
    try (Stream<Path> files = Files.walk(rpms.getParent())) {
      assertThat(files.map(p -> rpms.getParent().relativize(p).toString()))
          .as("the user's folder is not written")
          .containsExactlyInAnyOrder("", "sub", "sub/hello-1.0-1.noarch.rpm");
    }
    try (Stream<Path> build = Files.list(dir.resolve("build"))) {
      assertThat(build).as("the indexed copy is gone").isEmpty();
    }
  }

  @Test
  void repoFileWithoutBaseurlIsRefusedNamingTheRepo() throws IOException {
    azureLinux();
    Path repoFile =
        Files.writeString(dir.resolve("bad.repo"), "[mirrors]\nmetalink=https://x.example/\n");
    rpmSources = new RpmSources(recordingRunner(), List.of(repoFile), true, dir.resolve("build"));

    assertThatThrownBy(() -> run("os:\n  packages:\n    install: [vim]\n"))
        .hasMessageContaining(repoFile + ": repo [mirrors] has no baseurl");
    assertThat(root.exists("/_localrpms")).isFalse();
  }

  @Test
  void scriptsSeeTheConfigFolderAndTheirEnvironment() throws IOException {
    Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(dir.resolve("scripts/post.sh"), "echo post\n");
    run(
        "scripts:\n  postCustomization:\n  - path: scripts/post.sh\n    arguments: [a, b]\n"
            + "  finalizeCustomization:\n  - content: echo $X\n    interpreter: /bin/bash\n"
            + "    environmentVariables:\n      X: \"1\"\n");

    assertThat(shell.lines())
        .containsSubsequence(
            "/bin/sh /_imageconfigs/scripts/post.sh a b",
            "/bin/bash /tmp/imagecustomizer-finalizeCustomization-0.sh");
    assertThat(root.resolve("/tmp/imagecustomizer-finalizeCustomization-0.sh")).doesNotExist();
    assertThat(shell.binds).contains(dir + " -> /_imageconfigs", "unbound /_imageconfigs");
    assertThat(shell.calls)
        .filteredOn(c -> c.line().startsWith("/bin/bash"))
        .first()
        .extracting(FakeShell.Call::environment)
        .isEqualTo(java.util.Map.of("X", "1"));
  }

  @Test
  void selinuxDisabledOnAnImageWithoutSelinux() throws IOException {
    run("os:\n  selinux:\n    mode: disabled\n");

    assertThat(root.readString("/boot/grub2/grub.cfg"))
        .contains("console=ttyS0,115200n8 selinux=0");
  }

  @Test
  void selinuxEnforcingNeedsSelinuxInstalled() {
    assertThatThrownBy(() -> run("os:\n  selinux:\n    mode: enforcing\n"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("SELinux is not installed");
  }

  @Test
  void redirectGrubConfigIsRefusedWithAHint() throws IOException {
    Files.writeString(
        root.hostPath().resolve("boot/grub2/grub.cfg"), "configfile (hd0,gpt2)/grub.cfg\n");

    assertThatThrownBy(() -> run("os:\n  kernelCommandLine:\n    extraCommandLine: [quiet]\n"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("has no 'linux' command");
  }

  @Test
  void resolvConfIsRestoredWhenAStepFails() throws IOException {
    Files.writeString(root.hostPath().resolve("boot/grub2/grub.cfg"), "nothing\n");

    assertThatThrownBy(() -> run("os:\n  kernelCommandLine:\n    extraCommandLine: [quiet]\n"))
        .isInstanceOf(ImageCustomizerException.class);
    assertThat(Files.isSymbolicLink(root.hostPath().resolve("etc/resolv.conf"))).isTrue();
  }

  @Test
  void planListsOnlyNeededSteps() throws IOException {
    CustomizeContext context = context("os:\n  hostname: a\n");
    assertThat(StandardSteps.pipeline().plan(context, List.of(context.loaded())))
        .containsExactly("hostname", "release file", "image history");
  }

  @Test
  void eachRunAppendsToTheImageHistory() throws IOException {
    run("os:\n  hostname: first\n");
    run("os:\n  hostname: second\n");

    String history = root.readString("/usr/share/image-customizer/history.json");
    assertThat(history)
        .contains(
            "\"timestamp\" : \"2026-11-22T10:00:00Z\"",
            "\"toolVersion\" : \"0.1.0\"",
            "\"imageUuid\" : \"6f1c2b9a-0000-4000-8000-000000000001\"");
    assertThat(history.indexOf("\"first\"")).isPositive().isLessThan(history.indexOf("\"second\""));
  }

  @Test
  void imageHistoryNoneWritesNone() throws IOException {
    run("os:\n  hostname: a\n  imageHistory: none\n");

    assertThat(root.exists("/usr/share/image-customizer/history.json")).isFalse();
  }

  @Test
  void aHistoryThatIsNotAnArrayIsNamed() throws IOException {
    root.write("/usr/share/image-customizer/history.json", "{}".getBytes(UTF_8), null);

    assertThatThrownBy(() -> run("os:\n  hostname: a\n"))
        .hasMessageContaining("/usr/share/image-customizer/history.json is not a JSON array");
  }
}
