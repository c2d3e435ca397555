package io.imagecustomizer.run;

import java.nio.file.Path;

/** A file a run wrote or read: where it is, its size in bytes and its SHA-256 (hex). */
public record Artifact(Path path, long size, String sha256) {}
