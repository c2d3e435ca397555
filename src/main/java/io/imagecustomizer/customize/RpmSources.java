package io.imagecustomizer.customize;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.resource.CleanupStack;
import io.imagecustomizer.resource.TempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tdnf and dnf take packages from during a run ({@code --rpm-source}, {@code
 * --disable-base-image-rpm-repos}), as upstream: each folder of RPMs and each local path a {@code
 * .repo} file names is made visible read-only inside the image under {@code /_localrpms}, and one
 * {@code /_localrpms/allrepos.repo} (the given repos, plus the image's own unless disabled) is what
 * the package manager reads. A folder without repo metadata is indexed with createrepo_c in a copy
 * in the build folder: the user's folder is never written.
 */
public final class RpmSources {
  private static final Logger LOG = LoggerFactory.getLogger(RpmSources.class);
  static final String DIR = "/_localrpms";
  private static final String ALL_REPOS = DIR + "/allrepos.repo";

  private final ProcessRunner runner;
  private final List<Path> sources;
  private final boolean useImageRepos;
  private final Path buildDir;

  public RpmSources(
      ProcessRunner runner, List<Path> sources, boolean useImageRepos, Path buildDir) {
    this.runner = runner;
    this.sources = List.copyOf(sources);
    this.useImageRepos = useImageRepos;
    this.buildDir = buildDir;
  }

  public boolean isEmpty() {
    return sources.isEmpty();
  }

  /** The repos set up in the image for one packages step; closing takes them away again. */
  public static final class Opened implements AutoCloseable {
    private final List<String> options;
    private final CleanupStack undo;

    private Opened(List<String> options, CleanupStack undo) {
      this.options = List.copyOf(options);
      this.undo = undo;
    }

    /** What tdnf or dnf must be given to read these repos. */
    public List<String> options() {
      return options;
    }

    @Override
    public void close() {
      undo.close();
    }
  }

  public Opened open(ImageRoot root, ImageShell shell) {
    CleanupStack undo = new CleanupStack();
    if (sources.isEmpty() && useImageRepos) {
      return new Opened(List.of(), undo);
    }
    try {
      if (!root.exists(DIR)) {
        root.createDirectories(DIR, ImageRoot.DEFAULT_DIR);
        undo.push(DIR, () -> root.delete(DIR));
      }
      StringBuilder all = new StringBuilder("# imagecustomizer: the repos of this run\n\n");
      if (useImageRepos) {
        all.append(imageRepos(root));
      }
      Binder binder = new Binder(root, shell, undo);
      for (Path source : sources) {
        all.append(
            Files.isDirectory(source) ? folderRepo(source, binder) : repoFile(source, binder));
      }
      undo.push(ALL_REPOS, () -> root.delete(ALL_REPOS));
      root.write(ALL_REPOS, all.toString().getBytes(StandardCharsets.UTF_8), null);
      return new Opened(List.of("--setopt=reposdir=" + DIR), undo);
    } catch (RuntimeException e) {
      undo.close();
      throw e;
    }
  }

  private String folderRepo(Path folder, Binder binder) {
    Path indexed = indexed(folder, binder.undo);
    String target = binder.bind("baseurl", folder.getFileName().toString(), indexed);
    String id = target.substring(DIR.length() + 1);
    // Local folders hold the user's own builds, which are rarely signed; a signed repo comes as a
    // .repo file with its gpgkey.
    return "["
        + id
        + "]\nname="
        + id
        + "\nbaseurl=file://"
        + target
        + "\nenabled=1\ngpgcheck=0\n\n";
  }

  private String repoFile(Path file, Binder binder) {
    RepoFile repos = RepoFile.parse(read(file), file.toString());
    repos
        .sections()
        .forEach(
            (id, keys) -> {
              if (!keys.containsKey("baseurl")) {
                throw new ImageCustomizerException(
                    "--rpm-source " + file + ": repo [" + id + "] has no baseurl",
                    "give each repo a baseurl (file://, file+rel://, file+chroot:// or http(s)://)");
              }
              if (!"1".equals(keys.getOrDefault("gpgcheck", "1"))) {
                LOG.info("GPG signature checking is off for RPM repo [{}]", id);
              }
            });
    Path folder = file.toAbsolutePath().getParent();
    RepoFile redirected = repos;
    for (String key : List.of("baseurl", "gpgkey")) {
      redirected = redirected.rewrite(key, (id, value) -> redirect(folder, key, value, binder));
    }
    return redirected.text();
  }

  /** A local URL of a host .repo file, turned into where the file or folder is in the image. */
  private static String redirect(Path repoFolder, String key, String value, Binder binder) {
    Path local;
    if (value.startsWith("file+chroot://")) {
      return "file://" + value.substring("file+chroot://".length());
    } else if (value.startsWith("file+rel://")) {
      local = repoFolder.resolve(value.substring("file+rel://".length())).normalize();
    } else if (value.startsWith("file://")) {
      local = Path.of(value.substring("file://".length()));
    } else {
      return value;
    }
    if (!Files.exists(local)) {
      throw new ImageCustomizerException(
          key + " " + value + " names " + local + ", which does not exist",
          "file+rel:// paths are relative to the .repo file's folder");
    }
    return "file://" + binder.bind(key, local.getFileName().toString(), local);
  }

  /** The folder itself if it has repo metadata, else an indexed copy of its RPMs. */
  private Path indexed(Path folder, CleanupStack undo) {
    if (Files.isRegularFile(folder.resolve("repodata/repomd.xml"))) {
      return folder;
    }
    List<Path> rpms;
    try (Stream<Path> walk = Files.walk(folder)) {
      rpms =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".rpm"))
              .toList();
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read --rpm-source " + folder, e);
    }
    if (rpms.isEmpty()) {
      throw new ImageCustomizerException(
          "--rpm-source " + folder + " holds no .rpm files and no repodata",
          "give a folder of RPM packages, or a .repo file");
    }
    TempDir copy = undo.push("indexed copy of " + folder, TempDir.create(buildDir, "rpm-source"));
    try {
      for (Path rpm : rpms) {
        Path target = copy.path().resolve(folder.relativize(rpm).toString());
        Files.createDirectories(target.getParent());
        linkOrCopy(rpm, target);
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot copy the RPMs of " + folder, e);
    }
    LOG.info(
        "Indexing the {} RPMs of {} (in a copy; the folder is not written)", rpms.size(), folder);
    runner.run(Command.of("createrepo_c", "--quiet", copy.path().toString()));
    return copy.path();
  }

  private static void linkOrCopy(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(from, to);
    }
  }

  private static String imageRepos(ImageRoot root) {
    Path folder = root.resolve("/etc/yum.repos.d");
    if (!Files.isDirectory(folder)) {
      return "";
    }
    StringBuilder repos = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".repo")).sorted().toList()) {
        repos
            .append("# from the image's /etc/yum.repos.d/")
            .append(file.getFileName())
            .append('\n');
        repos.append(RepoFile.parse(read(file), "/etc/yum.repos.d/" + file.getFileName()).text());
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot list the image's /etc/yum.repos.d", e);
    }
    return repos.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file, e);
    }
  }

  /** Makes host files and folders visible read-only under /_localrpms, numbered as upstream. */
  private static final class Binder {
    private final ImageRoot root;
    private final ImageShell shell;
    private final CleanupStack undo;
    private int count;

    Binder(ImageRoot root, ImageShell shell, CleanupStack undo) {
      this.root = root;
      this.shell = shell;
      this.undo = undo;
    }

    /** Returns the path inside the image. */
    String bind(String key, String name, Path host) {
      String target = String.format("%s/%02d-%s-%s", DIR, count++, key, name);
      if (Files.isDirectory(host)) {
        undo.push(target, shell.bindReadOnly(host, target));
      } else {
        undo.push(target, () -> root.delete(target));
        root.copyFile(host, target, null);
      }
      return target;
    }
  }
}
