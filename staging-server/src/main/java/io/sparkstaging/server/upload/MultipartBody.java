package io.sparkstaging.server.upload;

import java.io.InputStream;
import org.apache.commons.fileupload2.core.RequestContext;

/** A request body as Commons FileUpload's streaming parser wants to see it, without the servlet API. */
record MultipartBody(String contentType, long contentLength, InputStream body) implements RequestContext {
  @Override
  public String getCharacterEncoding() {
    return null;
  }

  @Override
  public long getContentLength() {
    return contentLength;
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public InputStream getInputStream() {
    return body;
  }

  @Override
  public boolean isMultipartRelated() {
    return false;
  }
}
