package io.imagecustomizer.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private static final Pattern INITRD =
      Pattern.compile("^(\\s*initrd(?:efi|16)?\\s+)(\\S+)((?:\\s+\\S+)*)\\s*$");
  private static final Pattern SEARCH = Pattern.compile("^(\\s*)search\\s.*$");
  private static final Pattern SET_VARIABLE = Pattern.compile("--set(?:=|\\s+)(\\w+)");

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

  /**
   * The arguments of the first {@code linux} command of each kernel path, in file order: grub's
   * generators write a kernel's normal entry before its recovery one.
   */
  public Map<String, List<String>> kernelArgsByKernel() {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher linux = LINUX.matcher(line);
      if (linux.matches()) {
        all.putIfAbsent(linux.group(2), split(linux.group(3)));
      }
    }
    return all;
  }

  public boolean hasLinuxCommand() {
    return !kernelArgs().isEmpty();
  }

  /**
   * Points every {@code search} command at the volume labelled {@code label}, keeping the variable
   * it sets, so the config finds its files on the Live OS media.
   */
  public GrubConfig searchLabel(String label) {
    List<String> edited = new ArrayList<>(lines.size());
    for (String line : lines) {
      Matcher search = SEARCH.matcher(line);
      if (search.matches()) {
        Matcher variable = SET_VARIABLE.matcher(line);
        String name = variable.find() ? variable.group(1) : "root";
        edited.add(search.group(1) + "search --no-floppy --label " + label + " --set " + name);
      } else {
        edited.add(line);
      }
    }
    return new GrubConfig(edited);
  }

  /** Drops every {@code search} command (PXE: grub's root is the network). */
  public GrubConfig removeSearch() {
    return new GrubConfig(lines.stream().filter(l -> !SEARCH.matcher(l).matches()).toList());
  }

  public boolean hasSearch() {
    return lines.stream().anyMatch(l -> SEARCH.matcher(l).matches());
  }

  /** Rewrites the kernel path of every {@code linux} command. */
  public GrubConfig kernelPaths(UnaryOperator<String> edit) {
    return paths(LINUX, edit);
  }

  /** Rewrites the first path of every {@code initrd} command, dropping any further ones. */
  public GrubConfig initrdPaths(UnaryOperator<String> edit) {
    List<String> edited = new ArrayList<>(lines.size());
    for (String line : lines) {
      Matcher command = INITRD.matcher(line);
      edited.add(command.matches() ? command.group(1) + edit.apply(command.group(2)) : line);
    }
    return new GrubConfig(edited);
  }

  private GrubConfig paths(Pattern command, UnaryOperator<String> edit) {
    List<String> edited = new ArrayList<>(lines.size());
    for (String line : lines) {
      Matcher match = command.matcher(line);
      edited.add(
          match.matches() ? match.group(1) + edit.apply(match.group(2)) + match.group(3) : line);
    }
    return new GrubConfig(edited);
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

  /**
   * Sets {@code key=value}: the first {@code key} argument takes the value in place, later ones go;
   * with none, it is appended.
   */
  public GrubConfig setArg(String key, String value) {
    String wanted = key + "=" + value;
    return editArgs(
        args -> {
          List<String> result = new ArrayList<>();
          boolean set = false;
          for (String arg : args) {
            if (!isKey(arg, key)) {
              result.add(arg);
            } else if (!set) {
              result.add(wanted);
              set = true;
            }
          }
          if (!set) {
            result.add(wanted);
          }
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
