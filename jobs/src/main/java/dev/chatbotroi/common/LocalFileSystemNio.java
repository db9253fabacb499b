package dev.chatbotroi.common;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.local.LocalConfigKeys;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:} paths) without a child process per call; grain: one
 * file system instance of the driver or an executor.
 *
 * <p>Without Hadoop's native library (never there in a Maven or pip install of Spark), the local
 * file system runs {@code chmod} for every file and folder it creates and {@code readlink} for every
 * rename made through FileContext, which is how Delta writes its log and checksum files. A small
 * `run` starts about 630 such processes of about 8 ms each, one after the other on the driver
 * (docs/benchmarks.md, "Processes per run"). Here permissions are set through java.nio and a path
 * that is not a symbolic link gets its status without asking {@code readlink}; anything else (a
 * sticky bit, a file system without POSIX attributes, a real link) is left to Hadoop. Registered for
 * the {@code file} scheme by {@link SparkSessions}; other schemes (HDFS, S3, ABFS) are untouched.
 */
public class LocalFileSystemNio extends LocalFileSystem {

  /**
   * The Hadoop settings that make {@code file:} paths use this file system. Hadoop caches one file
   * system per scheme and JVM, so whatever asks first for a {@code file:} path decides for the JVM.
   */
  public static final java.util.Map<String, String> HADOOP_SETTINGS = java.util.Map.of(
      "fs.file.impl", LocalFileSystemNio.class.getName(),
      "fs.AbstractFileSystem.file.impl", Fs.class.getName());

  public LocalFileSystemNio() {
    super(new Raw());
  }

  /** The raw (checksum-less) local file system with the two calls replaced. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      java.nio.file.Path file = pathToFile(p).toPath();
      if (permission.getStickyBit() || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        super.setPermission(p, permission);
        return;
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permission.getUserAction().SYMBOL
          + permission.getGroupAction().SYMBOL + permission.getOtherAction().SYMBOL));
    }

    /**
     * Hadoop asks {@code readlink} (on the path's URI text, which names no file, so it always
     * answers "not a link") and then returns {@link #getFileStatus}; this returns the same without
     * the process.
     */
    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      if (!Files.isSymbolicLink(pathToFile(f).toPath())) {
        return getFileStatus(f);
      }
      return super.getFileLinkStatus(f);
    }
  }

  /** The same for FileContext users (Delta's log store), registered as {@code fs.AbstractFileSystem.file.impl}. */
  public static class Fs extends ChecksumFs {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new RawFs(uri, conf));
    }
  }

  /** What Hadoop's RawLocalFs is, around {@link Raw}. */
  static class RawFs extends DelegateToFileSystem {
    RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new Raw(), conf, uri.getScheme(), false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    public FsServerDefaults getServerDefaults(Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    @Deprecated
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true;
    }
  }
}
