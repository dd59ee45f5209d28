package io.sparkstaging.common.text;

/**
 * Text from an archive, a server or a client, made fit for one line of output or of a message
 * (the init-container's first line is what {@code kubectl logs} shows): control and format
 * characters escaped, so that a name cannot forge a second line or reorder one, and cut short, so
 * that a megabyte-long name stays a line.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(String text, int maxChars) {
    var out = new StringBuilder(Math.min(text.length(), maxChars) + 16);
    int shown = 0;
    for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1), shown++) {
      if (shown == maxChars) {
        return out.append("… (").append(text.codePointCount(i, text.length())).append(" more characters)").toString();
      }
      int c = text.codePointAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0 -> out.append("\\0");
        default -> {
          int type = Character.getType(c);
          if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.SURROGATE) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.toString();
  }
}
