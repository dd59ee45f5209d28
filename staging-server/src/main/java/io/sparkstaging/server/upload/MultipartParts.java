package io.sparkstaging.server.upload;

import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * The parts of a {@code multipart/form-data} body, one at a time, each as a stream that reads
 * straight from the request: Jetty's multipart parser, which is push-based, driven by pulls.
 *
 * <p>Commons FileUpload's streaming parser did the same job but searched for the boundary a byte at
 * a time, which was most of a v0 upload's time (docs/benchmarks.md).
 *
 * <p>A malformed body raises a {@link StagingException} (400), not an {@link IOException}, which
 * stays for an interrupted one.
 */
final class MultipartParts {
  private static final int READ_BYTES = 64 * 1024;

  private final InputStream body;
  private final int maxPartHeaderBytes;
  private final MultiPart.Parser parser;
  /** Parts whose headers the parser has begun but that have not been handed out yet. */
  private final Deque<PartState> begun = new ArrayDeque<>();
  private PartState current;
  private boolean complete;
  private boolean bodyEnded;
  private Throwable failure;

  MultipartParts(InputStream body, String boundary, int maxPartHeaderBytes) {
    this.body = body;
    this.maxPartHeaderBytes = maxPartHeaderBytes;
    this.parser = new MultiPart.Parser(boundary, new Listener());
    parser.setPartHeadersMaxLength(maxPartHeaderBytes);
  }

  /** The boundary of a multipart content type, or a 400 if it names none. */
  static String boundaryOf(String contentType) {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw malformed("the content type names no boundary");
    }
    return boundary;
  }

  /** A part: its form field name (null if it has none) and its content. */
  record Part(String name, InputStream content) {}

  /** The next part, or empty after the last; what the caller left unread of the previous one is skipped. */
  Optional<Part> next() throws IOException {
    if (current != null) {
      while (!current.ended) {
        current.content.clear();
        pump();
      }
      current = null;
    }
    while ((begun.isEmpty() || !begun.peekFirst().headersComplete) && !complete) {
      pump();
    }
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    current = begun.pollFirst();
    return Optional.of(new Part(current.name, new PartStream(current)));
  }

  /** Feeds the parser one more read of the body; its callbacks fill in the parts. */
  private void pump() throws IOException {
    if (bodyEnded) {
      throw malformed("the body ended before the closing boundary");
    }
    // A fresh buffer each time: chunks handed to parts are slices of it, kept until read.
    byte[] buffer = new byte[READ_BYTES];
    int read = body.read(buffer);
    bodyEnded = read < 0;
    parser.parse(bodyEnded ? Content.Chunk.EOF : Content.Chunk.from(ByteBuffer.wrap(buffer, 0, read), false));
    if (failure != null) {
      throw malformed(describe(failure));
    }
  }

  /** Jetty's failures, in this API's words where it has them. */
  private String describe(Throwable failure) {
    if (failure instanceof EOFException) {
      return "the body ended before the closing boundary";
    }
    PartState last = begun.peekLast();
    // Jetty says "headers max length exceeded"; the API names the limit in its own words.
    if (last != null && !last.headersComplete && String.valueOf(failure.getMessage()).startsWith("headers max length")) {
      return "a part's headers exceed " + maxPartHeaderBytes + " bytes";
    }
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
  }

  private static StagingException malformed(String why) {
    return new StagingException(Problem.BAD_REQUEST, "malformed multipart body: " + why);
  }

  private static final class PartState {
    private final Deque<ByteBuffer> content = new ArrayDeque<>();
    private String name;
    private boolean headersComplete;
    private boolean ended;
  }

  private final class Listener implements MultiPart.Parser.Listener {
    @Override
    public void onPartBegin() {
      begun.addLast(new PartState());
    }

    @Override
    public void onPartHeader(String name, String value) {
      if (HttpHeader.CONTENT_DISPOSITION.is(name)) {
        Map<String, String> parameters = new HashMap<>();
        HttpField.getValueParameters(value, parameters);
        begun.peekLast().name = parameters.get("name");
      }
    }

    @Override
    public void onPartHeaders() {
      begun.peekLast().headersComplete = true;
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      PartState part = receiving();
      if (chunk.hasRemaining()) {
        part.content.addLast(chunk.getByteBuffer());
      }
      if (chunk.isLast()) {
        part.ended = true;
      }
    }

    @Override
    public void onPartEnd() {
      receiving().ended = true;
    }

    @Override
    public void onComplete() {
      complete = true;
    }

    @Override
    public void onFailure(Throwable cause) {
      failure = cause;
    }

    /** Content belongs to the newest part begun, or to the one being read if none is queued. */
    private PartState receiving() {
      return begun.isEmpty() ? current : begun.peekLast();
    }
  }

  /** One part's content, read as the parser delivers it. */
  private final class PartStream extends InputStream {
    private final PartState part;

    PartStream(PartState part) {
      this.part = part;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (part.content.isEmpty() && !part.ended) {
        pump();
      }
      ByteBuffer head = part.content.peekFirst();
      if (head == null) {
        return -1;
      }
      int count = Math.min(length, head.remaining());
      head.get(target, offset, count);
      if (!head.hasRemaining()) {
        part.content.pollFirst();
      }
      return count;
    }
  }
}
