package io.imagecustomizer.liveos;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grub.cfg as text, with edits of the kernel command lines of its {@code linux} commands. Every
 * edit is idempotent: applying it to its own output changes nothing, so runs over runs (ISO to ISO)
 * never pile arguments up.
 */
public final class GrubConfig {
  private static final Pattern LINUX =
      Pattern.compile("^(\\s*linux(?:efi|16)?\\s+)(\\S+)((?:\\s+\\S+)*)\\s*$");

  private final List<String> lines;

  private GrubConfig(List<String> lines) {
    this.lines = lines;
  }

  public static GrubConfig parse(String text) {
    return new GrubConfig(new ArrayList<>(List.of(text.split("\n", -1))));
  }

  public String text() {
    return String.join("\n", lines);
  }

  /** The arguments of every {@code linux} command, one list per command, in file order. */
  public List<List<String>> kernelArgs() {
    List<List<String>> all = new ArrayList<>();
    for (String line : lines) {
      Matcher linux = LINUX.matcher(line);
      if (linux.matches()) {
        all.add(split(linux.group(3)));
      }
    }
    return all;
  }

  public boolean hasLinuxCommand() {
    return !kernelArgs().isEmpty();
  }

  /** Appends each argument that a {@code linux} command does not already carry. */
  public GrubConfig appendArgs(List<String> extra) {
    return editArgs(
        args -> {
          List<String> result = new ArrayList<>(args);
          for (String arg : extra) {
            if (!result.contains(arg)) {
              result.add(arg);
            }
          }
          return result;
        });
  }

  /** Sets {@code key=value}, replacing every earlier value of {@code key}, or appends it. */
  public GrubConfig setArg(String key, String value) {
    return editArgs(
        args -> {
          List<String> result = new ArrayList<>();
          for (String arg : args) {
            if (!isKey(arg, key)) {
              result.add(arg);
            }
          }
          result.add(key + "=" + value);
          return result;
        });
  }

  /** Removes every {@code key} and {@code key=...} argument. */
  public GrubConfig removeArg(String key) {
    return editArgs(args -> args.stream().filter(a -> !isKey(a, key)).toList());
  }

  /** Removes these exact arguments ({@code security=selinux}), leaving other values alone. */
  public GrubConfig removeExactArgs(List<String> exact) {
    return editArgs(args -> args.stream().filter(a -> !exact.contains(a)).toList());
  }

  private GrubConfig editArgs(UnaryOperator<List<String>> edit) {
    List<String> edited = new ArrayList<>(lines.size());
    for (String line : lines) {
      Matcher linux = LINUX.matcher(line);
      if (linux.matches()) {
        List<String> args = edit.apply(split(linux.group(3)));
        StringBuilder rebuilt = new StringBuilder(linux.group(1)).append(linux.group(2));
        args.forEach(a -> rebuilt.append(' ').append(a));
        edited.add(rebuilt.toString());
      } else {
        edited.add(line);
      }
    }
    return new GrubConfig(edited);
  }

  private static boolean isKey(String arg, String key) {
    return arg.equals(key) || arg.startsWith(key + "=");
  }

  private static List<String> split(String args) {
    String trimmed = args.strip();
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
  }
}
