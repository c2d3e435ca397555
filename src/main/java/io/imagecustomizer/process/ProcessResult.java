package io.imagecustomizer.process;

/** How a program ended and what it printed. */
public record ProcessResult(int exitCode, String stdout, String stderr) {}
