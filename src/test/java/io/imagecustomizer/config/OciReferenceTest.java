package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OciReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void readsRegistryRepositoryTagAndDigest() {
    assertThat(OciReference.parse("mcr.microsoft.com/azurelinux/3.0/image/minimal-os:latest"))
        .isEqualTo(
            new OciReference(
                "mcr.microsoft.com", "azurelinux/3.0/image/minimal-os", "latest", null));
    OciReference pinned = OciReference.parse("127.0.0.1:5000/images/base:v1@" + DIGEST);
    assertThat(pinned.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(pinned.reference()).as("the digest wins").isEqualTo(DIGEST);
    assertThat(pinned).hasToString("127.0.0.1:5000/images/base:v1@" + DIGEST);
  }

  @Test
  void refusesWhatTheGrammarDoesNotAllow() {
    assertThatThrownBy(() -> OciReference.parse("mcr.microsoft.com"))
        .hasMessageContaining("missing registry or repository");
    assertThatThrownBy(() -> OciReference.parse("localhost:5000/Images/base:v1"))
        .hasMessageContaining("invalid repository \"Images/base\"");
    assertThatThrownBy(() -> OciReference.parse("localhost:5000/images/base").reference())
        .hasMessageContaining("no tag or digest to pull");
    assertThatThrownBy(() -> OciReference.parse("localhost:5000/images/base@sha256:12"))
        .hasMessageContaining("invalid digest");
    assertThatThrownBy(() -> OciReference.parse("localhost:5000/images/base:-x"))
        .hasMessageContaining("invalid tag");
  }
}
