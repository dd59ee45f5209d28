package io.sparkstaging.init.extract;

import io.sparkstaging.init.fetch.FetchFailure;
import io.sparkstaging.init.verify.ContentRejected;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A failure to decode an archive (corrupt gzip or zip, a tar cut inside an entry) is the
 * archive's fault, exit 4, not local I/O; a download that fails, or content already refused,
 * stays what it is.
 */
final class DecodeErrors extends FilterInputStream {
  DecodeErrors(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (ContentRejected | FetchFailure e) {
      throw e;
    } catch (IOException malformed) {
      throw new ContentRejected("the archive cannot be decoded: " + malformed.getMessage(), malformed);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      return super.read(buffer, offset, length);
    } catch (ContentRejected | FetchFailure e) {
      throw e;
    } catch (IOException malformed) {
      throw new ContentRejected("the archive cannot be decoded: " + malformed.getMessage(), malformed);
    }
  }
}
