package dev.chatbotroi.common;

/** An error caused by the user's input or arguments: Main prints its message as one line, no stack trace. */
public class UserException extends RuntimeException {
  public UserException(String message) {
    super(message);
  }

  public UserException(String message, Throwable cause) {
    super(message, cause);
  }
}
