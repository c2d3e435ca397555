package io.imagecustomizer.customize.steps;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.config.User;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code os.users}: creates users (or updates existing ones) with the image's own useradd, usermod,
 * chpasswd and chage, and installs their SSH public keys.
 */
public final class UsersStep implements Step {
  @Override
  public String name() {
    return "users";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.users");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.users().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    for (User user : context.os().orElseThrow().users()) {
      addOrUpdate(context, user);
      password(context, user);
      if (user.passwordExpiresDays() != null) {
        context
            .shell()
            .run(
                "set the password expiry of " + user.name(),
                "chage",
                "--maxdays",
                user.passwordExpiresDays().toString(),
                user.name());
      }
      sshKeys(context, user);
    }
  }

  private static void addOrUpdate(CustomizeContext context, User user) {
    ImageShell shell = context.shell();
    boolean exists = Accounts.userId(context.root(), user.name()).isPresent();
    if (exists && user.uid() != null) {
      int current = Accounts.userId(context.root(), user.name()).orElseThrow();
      if (current != user.uid()) {
        throw new ImageCustomizerException(
            "os.users: user " + user.name() + " already exists with uid " + current,
            "drop the uid for an existing user");
      }
    }
    List<String> argv = new ArrayList<>(List.of(exists ? "usermod" : "useradd"));
    if (!exists) {
      argv.add("--create-home");
      if (user.uid() != null) {
        argv.addAll(List.of("--uid", user.uid().toString()));
      }
      if (user.homeDirectory() != null) {
        argv.addAll(List.of("--home-dir", user.homeDirectory()));
      }
    }
    if (user.primaryGroup() != null) {
      argv.addAll(List.of("--gid", user.primaryGroup()));
    }
    if (!user.secondaryGroups().isEmpty()) {
      if (exists) {
        argv.add("--append");
      }
      argv.addAll(List.of("--groups", String.join(",", user.secondaryGroups())));
    }
    if (user.startupCommand() != null) {
      argv.addAll(List.of("--shell", user.startupCommand()));
    }
    if (exists && argv.size() == 1) {
      return;
    }
    argv.add(user.name());
    shell.run((exists ? "update user " : "add user ") + user.name(), argv, Map.of(), null);
  }

  private static void password(CustomizeContext context, User user) {
    User.Password password = user.password();
    if (password == null) {
      return;
    }
    String value = password.value();
    if (password.type().isFile()) {
      try {
        value = Files.readString(context.configPath(value), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw ImageCustomizerException.io(
            "cannot read the password file of user " + user.name(), e);
      }
    }
    String what = "set the password of " + user.name();
    switch (password.type()) {
      case LOCKED ->
          context
              .shell()
              .run("lock the password of " + user.name(), "usermod", "--lock", user.name());
      case PLAIN_TEXT, PLAIN_TEXT_FILE ->
          context
              .shell()
              .run(what, List.of("chpasswd"), Map.of(), user.name() + ":" + value + "\n");
      case HASHED, HASHED_FILE ->
          context
              .shell()
              .run(
                  what,
                  List.of("chpasswd", "--encrypted"),
                  Map.of(),
                  user.name() + ":" + value + "\n");
    }
  }

  private static void sshKeys(CustomizeContext context, User user) {
    List<String> keys = new ArrayList<>(user.sshPublicKeys());
    for (String path : user.sshPublicKeyPaths()) {
      try {
        keys.add(Files.readString(context.configPath(path), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw ImageCustomizerException.io(
            "cannot read SSH key file " + path + " of user " + user.name(), e);
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    ImageRoot root = context.root();
    String home =
        Accounts.home(root, user.name())
            .orElseThrow(
                () -> new ImageCustomizerException("user " + user.name() + " has no home"));
    String file = home + "/.ssh/authorized_keys";
    String existing = root.exists(file) ? root.readString(file) : "";
    StringBuilder text = new StringBuilder(existing);
    for (String key : keys) {
      if (!existing.lines().toList().contains(key)) {
        text.append(key).append('\n');
      }
    }
    root.createDirectories(home + "/.ssh", PosixFilePermissions.fromString("rwx------"));
    root.write(
        file,
        text.toString().getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-------"));
    context
        .shell()
        .run(
            "give " + user.name() + " their .ssh folder",
            "chown",
            "-R",
            user.name() + ":",
            home + "/.ssh");
  }
}
