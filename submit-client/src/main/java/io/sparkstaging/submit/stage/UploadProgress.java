package io.sparkstaging.submit.stage;

/** Told how many bytes an upload will send, once that is known, then of each block sent. */
public interface UploadProgress {
  UploadProgress NONE = new UploadProgress() {
    @Override
    public void willSend(long bytes) {}

    @Override
    public void sent(long bytes) {}
  };

  void willSend(long bytes);

  void sent(long bytes);
}
