package io.sparkstaging.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A seekable channel that only reads, of a known size: what every store's channel shares but its reads. */
public abstract class ReadOnlyChannel implements SeekableByteChannel {
  private final long size;
  private long position;
  private boolean open = true;

  protected ReadOnlyChannel(long size) {
    this.size = size;
  }

  /** Called when the position changes, before it does, so that a channel can drop what it read ahead. */
  protected void moving() {}

  /** Called once, when the channel closes. */
  protected abstract void closing() throws IOException;

  protected void requireOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }

  /** Moves the position forward after a read of {@code bytes}. */
  protected void advance(long bytes) {
    position += bytes;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    if (newPosition != position) {
      moving();
      position = newPosition;
    }
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer source) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      closing();
    }
  }
}
