package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Group;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code os.groups}: created with groupadd; an existing group is kept if its gid matches. */
public final class GroupsStep implements Step {
  @Override
  public String name() {
    return "groups";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.groups");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.groups().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    for (Group group : context.os().orElseThrow().groups()) {
      Optional<Integer> existing = Accounts.groupId(context.root(), group.name());
      if (existing.isPresent()) {
        if (group.gid() != null && !group.gid().equals(existing.get())) {
          throw new ImageCustomizerException(
              "os.groups: group "
                  + group.name()
                  + " already exists in the image with gid "
                  + existing.get()
                  + ", not "
                  + group.gid(),
              "drop the gid, or pick a group name the image does not have");
        }
        continue;
      }
      List<String> argv = new ArrayList<>(List.of("groupadd"));
      if (group.gid() != null) {
        argv.addAll(List.of("--gid", group.gid().toString()));
      }
      argv.add(group.name());
      context.shell().run("add group " + group.name(), argv, java.util.Map.of(), null);
    }
  }
}
