package io.sparkstaging.server.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** A bundle's real channel with its reads changed: a test overrides {@link #read} and the rest passes through. */
public abstract class ForwardingChannel implements SeekableByteChannel {
  protected final SeekableByteChannel channel;

  protected ForwardingChannel(SeekableByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    return channel.read(destination);
  }

  @Override
  public int write(ByteBuffer source) throws IOException {
    return channel.write(source);
  }

  @Override
  public long position() throws IOException {
    return channel.position();
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    channel.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public SeekableByteChannel truncate(long size) throws IOException {
    channel.truncate(size);
    return this;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
