package io.imagecustomizer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A user to create or update ({@code os.users[]}). */
public record User(
    @Nullable String name,
    @Nullable Integer uid,
    @Nullable Password password,
    @Nullable Long passwordExpiresDays,
    List<String> sshPublicKeyPaths,
    List<String> sshPublicKeys,
    @Nullable String primaryGroup,
    List<String> secondaryGroups,
    @Nullable String startupCommand,
    @Nullable String homeDirectory) {
  public User {
    sshPublicKeyPaths = Lists.of(sshPublicKeyPaths);
    sshPublicKeys = Lists.of(sshPublicKeys);
    secondaryGroups = Lists.of(secondaryGroups);
  }

  /** A password: {@code value} is the password, its hash, or a file holding either. */
  public record Password(@Nullable PasswordType type, @Nullable String value) {}

  /** How {@link Password#value()} is to be read. */
  public enum PasswordType {
    @JsonProperty("locked")
    LOCKED,
    @JsonProperty("plain-text")
    PLAIN_TEXT,
    @JsonProperty("hashed")
    HASHED,
    @JsonProperty("plain-text-file")
    PLAIN_TEXT_FILE,
    @JsonProperty("hashed-file")
    HASHED_FILE;

    public boolean isFile() {
      return this == PLAIN_TEXT_FILE || this == HASHED_FILE;
    }
  }
}
