package io.imagecustomizer.config;

/** Where the base image comes from ({@code input}). */
public record Input(InputImage image) {
  static final Input EMPTY = new Input(null);

  public Input {
    image = image == null ? InputImage.EMPTY : image;
  }
}
