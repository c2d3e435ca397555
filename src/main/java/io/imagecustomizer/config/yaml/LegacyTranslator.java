package io.imagecustomizer.config.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites older config schemas into the current one, keeping every node's position so problems
 * still point into the user's file:
 *
 * <ul>
 *   <li>the Mariner Image Customizer's PascalCase schema ({@code Iso:}, {@code SystemConfig:}, with
 *       {@code KernelCommandLine} as a string and plain-text {@code Password});
 *   <li>the flat package fields of early {@code os} sections ({@code packagesInstall}, ...).
 * </ul>
 */
public final class LegacyTranslator {
  private static final Map<String, String> FLAT_PACKAGE_FIELDS =
      Map.of(
          "packagesInstall", "install",
          "packagesRemove", "remove",
          "packagesUpdate", "update",
          "packageListsInstall", "installLists",
          "packageListsRemove", "removeLists",
          "packageListsUpdate", "updateLists",
          "updateBaseImagePackages", "updateExistingPackages");
  private static final Map<String, String> RENAMED_KEYS =
      Map.of(
          "SSHPubKeyPaths", "sshPublicKeyPaths",
          "SSHPubKeys", "sshPublicKeys",
          "UID", "uid",
          "GID", "gid",
          "PostInstallScripts", "postCustomization",
          "FinalizeImageScripts", "finalizeCustomization",
          "Args", "arguments");

  private final List<String> warnings = new ArrayList<>();

  /** What was translated, one line each, for the user to migrate their file. */
  public List<String> warnings() {
    return warnings;
  }

  public YNode translate(YNode root) {
    if (!(root instanceof YNode.Mapping mapping)) {
      return root;
    }
    YNode.Mapping current = isPascalCase(mapping) ? fromMariner(mapping) : mapping;
    return current.entry("os").map(os -> withEntry(current, flatPackages(os))).orElse(current);
  }

  private static boolean isPascalCase(YNode.Mapping mapping) {
    return mapping.entries().stream()
        .anyMatch(e -> e.key().equals("Iso") || e.key().equals("SystemConfig"));
  }

  private YNode.Mapping fromMariner(YNode.Mapping root) {
    warnings.add(
        "the config uses the Mariner Image Customizer schema (Iso:, SystemConfig:); it was"
            + " translated to the current one (iso:, os:, scripts:). Please migrate the file.");
    Map<String, YNode.Entry> out = new LinkedHashMap<>();
    List<YNode.Entry> systemConfig = new ArrayList<>();
    for (YNode.Entry entry : root.entries()) {
      switch (entry.key()) {
        case "Iso" -> {
          YNode.Mapping iso = asMapping(entry.value());
          if (iso == null) {
            out.put("iso", renamed(entry, "iso"));
            continue;
          }
          List<YNode.Entry> isoEntries = new ArrayList<>();
          for (YNode.Entry field : iso.entries()) {
            if (field.key().equals("SystemConfig") && field.value() instanceof YNode.Mapping m) {
              systemConfig.addAll(m.entries());
            } else if (field.key().equals("KernelCommandLine")) {
              isoEntries.add(kernelCommandLine(field));
            } else {
              isoEntries.add(camelCase(field));
            }
          }
          out.put("iso", entryOf("iso", entry, new YNode.Mapping(isoEntries, iso.position())));
        }
        case "SystemConfig" -> {
          YNode.Mapping system = asMapping(entry.value());
          if (system != null) {
            systemConfig.addAll(system.entries());
          } else {
            out.put("os", renamed(entry, "os"));
          }
        }
        default -> out.put(entry.key(), camelCase(entry));
      }
    }
    if (!systemConfig.isEmpty()) {
      List<YNode.Entry> os = new ArrayList<>();
      List<YNode.Entry> scripts = new ArrayList<>();
      for (YNode.Entry field : systemConfig) {
        switch (field.key()) {
          case "KernelCommandLine" -> os.add(kernelCommandLine(field));
          case "Users" -> os.add(new YNode.Entry("users", field.keyPosition(), users(field)));
          case "PostInstallScripts", "FinalizeImageScripts" -> scripts.add(camelCase(field));
          default -> os.add(camelCase(field));
        }
      }
      Position at = systemConfig.get(0).keyPosition();
      out.put("os", new YNode.Entry("os", at, new YNode.Mapping(os, at)));
      if (!scripts.isEmpty()) {
        out.put(
            "scripts",
            new YNode.Entry(
                "scripts", scripts.get(0).keyPosition(), new YNode.Mapping(scripts, at)));
      }
    }
    return new YNode.Mapping(new ArrayList<>(out.values()), root.position());
  }

  /** {@code KernelCommandLine: "args"} or {@code KernelCommandLine: {ExtraCommandLine: "args"}}. */
  private YNode.Entry kernelCommandLine(YNode.Entry field) {
    YNode value = field.value();
    if (value instanceof YNode.Scalar) {
      value =
          new YNode.Mapping(
              List.of(new YNode.Entry("extraCommandLine", value.position(), value)),
              value.position());
      return new YNode.Entry("kernelCommandLine", field.keyPosition(), value);
    }
    return camelCase(field);
  }

  /** Users whose {@code Password} is a plain string: the old schema meant a plain-text password. */
  private YNode users(YNode.Entry field) {
    if (!(field.value() instanceof YNode.Sequence list)) {
      return camelCase(field).value();
    }
    List<YNode> users = new ArrayList<>();
    for (YNode item : list.items()) {
      YNode.Mapping user = asMapping(item);
      if (user == null) {
        users.add(item);
        continue;
      }
      List<YNode.Entry> fields = new ArrayList<>();
      for (YNode.Entry userField : user.entries()) {
        if (userField.key().equals("Password") && userField.value() instanceof YNode.Scalar s) {
          Position at = s.position();
          YNode password =
              new YNode.Mapping(
                  List.of(
                      new YNode.Entry("type", at, new YNode.Scalar("plain-text", false, at)),
                      new YNode.Entry("value", at, s)),
                  at);
          fields.add(new YNode.Entry("password", userField.keyPosition(), password));
        } else {
          fields.add(camelCase(userField));
        }
      }
      users.add(new YNode.Mapping(fields, user.position()));
    }
    return new YNode.Sequence(users, list.position());
  }

  /** Renames PascalCase keys, recursively; the source-to-destination maps keep their keys. */
  private YNode.Entry camelCase(YNode.Entry entry) {
    String key = RENAMED_KEYS.getOrDefault(entry.key(), lowerFirst(entry.key()));
    YNode value = entry.value();
    if (!key.equals("additionalFiles")) {
      value = camelCaseNode(value);
    }
    return new YNode.Entry(key, entry.keyPosition(), value);
  }

  private YNode camelCaseNode(YNode node) {
    if (node instanceof YNode.Mapping mapping) {
      return new YNode.Mapping(
          mapping.entries().stream().map(this::camelCase).toList(), mapping.position());
    }
    if (node instanceof YNode.Sequence sequence) {
      return new YNode.Sequence(
          sequence.items().stream().map(this::camelCaseNode).toList(), sequence.position());
    }
    return node;
  }

  /** Moves {@code os.packagesInstall} and friends under {@code os.packages}. */
  private YNode.Entry flatPackages(YNode.Entry osEntry) {
    YNode.Mapping os = asMapping(osEntry.value());
    if (os == null
        || os.entries().stream().noneMatch(e -> FLAT_PACKAGE_FIELDS.containsKey(e.key()))) {
      return osEntry;
    }
    List<YNode.Entry> kept = new ArrayList<>();
    List<YNode.Entry> packages = new ArrayList<>();
    Position at = null;
    for (YNode.Entry field : os.entries()) {
      String renamed = FLAT_PACKAGE_FIELDS.get(field.key());
      if (renamed == null) {
        kept.add(field);
        continue;
      }
      warnings.add(
          "os."
              + field.key()
              + " is the older spelling of os.packages."
              + renamed
              + "; it was read as that.");
      at = at == null ? field.keyPosition() : at;
      packages.add(new YNode.Entry(renamed, field.keyPosition(), field.value()));
    }
    Optional<YNode.Entry> existing = os.entry("packages");
    if (existing.isPresent() && existing.get().value() instanceof YNode.Mapping current) {
      kept.remove(existing.get());
      List<YNode.Entry> merged = new ArrayList<>(current.entries());
      merged.addAll(packages);
      packages = merged;
      at = existing.get().keyPosition();
    }
    kept.add(new YNode.Entry("packages", at, new YNode.Mapping(packages, at)));
    return new YNode.Entry(
        osEntry.key(), osEntry.keyPosition(), new YNode.Mapping(kept, os.position()));
  }

  private static YNode.Mapping withEntry(YNode.Mapping mapping, YNode.Entry replacement) {
    List<YNode.Entry> entries = new ArrayList<>();
    for (YNode.Entry entry : mapping.entries()) {
      entries.add(entry.key().equals(replacement.key()) ? replacement : entry);
    }
    return new YNode.Mapping(entries, mapping.position());
  }

  private static YNode.Entry renamed(YNode.Entry entry, String key) {
    return new YNode.Entry(key, entry.keyPosition(), entry.value());
  }

  private static YNode.Entry entryOf(String key, YNode.Entry original, YNode value) {
    return new YNode.Entry(key, original.keyPosition(), value);
  }

  private static YNode.@Nullable Mapping asMapping(YNode node) {
    return node instanceof YNode.Mapping mapping ? mapping : null;
  }

  private static String lowerFirst(String key) {
    if (key.isEmpty() || !Character.isUpperCase(key.charAt(0))) {
      return key;
    }
    return key.substring(0, 1).toLowerCase(Locale.ROOT) + key.substring(1);
  }
}
