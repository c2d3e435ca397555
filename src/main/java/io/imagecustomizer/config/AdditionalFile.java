package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/**
 * A file to place in the image or on the Live OS media: copied from {@code source} (relative to the
 * config file's folder) or written from {@code content}; {@code permissions} is an octal string
 * such as {@code "644"}. {@code sha256hash} is upstream's hidden field: the image history records
 * the file's hash there (computed afresh on every run), and a config may carry one.
 */
public record AdditionalFile(
    @Nullable String destination,
    @Nullable String source,
    @Nullable String content,
    @Nullable String permissions,
    @Nullable String sha256hash) {}
