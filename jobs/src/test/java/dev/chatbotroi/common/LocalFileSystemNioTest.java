package dev.chatbotroi.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatbotroi.testing.TestSpark;
import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system without processes: the same permissions and statuses as Hadoop's, and no Hadoop shell command during Delta writes. */
@org.junit.jupiter.api.Tag("pipeline")
class LocalFileSystemNioTest {

  @TempDir java.nio.file.Path dir;

  @Test
  void registeredForFileUnlessTheUserChoseAnImplementation() {
    String fs = "spark.hadoop.fs.file.impl";
    String context = "spark.hadoop.fs.AbstractFileSystem.file.impl";
    assertEquals(java.util.Map.of(fs, LocalFileSystemNio.class.getName(), context, LocalFileSystemNio.Fs.class.getName()),
        SparkSessions.localFileSystem(new org.apache.spark.SparkConf(false)));
    // as `--conf spark.hadoop.fs.file.impl=...` (or -D) gives it: the user's choice stays
    org.apache.spark.SparkConf chosen = new org.apache.spark.SparkConf(false).set(fs, RawLocalFileSystem.class.getName());
    assertEquals(java.util.Map.of(context, LocalFileSystemNio.Fs.class.getName()), SparkSessions.localFileSystem(chosen));
    assertEquals(java.util.Map.of(), SparkSessions.localFileSystem(chosen.clone().set(context, "x.Y")));
  }

  @Test
  void permissionsAndStatusesAreHadoops() throws Exception {
    RawLocalFileSystem hadoop = new RawLocalFileSystem();
    RawLocalFileSystem ours = new LocalFileSystemNio.Raw();
    for (RawLocalFileSystem fs : List.of(hadoop, ours)) {
      fs.initialize(URI.create("file:///"), TestSpark.hadoopConf());
    }
    for (String mode : List.of("640", "755", "700", "604")) {
      FsPermission p = new FsPermission(mode);
      Path a = new Path(dir.resolve("hadoop-" + mode).toUri());
      Path b = new Path(dir.resolve("ours-" + mode).toUri());
      hadoop.create(a, p, false, 4096, (short) 1, 1 << 20, null).close();
      ours.create(b, p, false, 4096, (short) 1, 1 << 20, null).close();
      assertEquals(Files.getPosixFilePermissions(java.nio.file.Path.of(a.toUri())),
          Files.getPosixFilePermissions(java.nio.file.Path.of(b.toUri())), mode);
      assertEquals(p, ours.getFileStatus(b).getPermission(), mode);
    }
    Path folder = new Path(dir.resolve("a/b").toUri());
    assertTrue(ours.mkdirs(folder, new FsPermission("750")));
    assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("a/b"))));

    java.nio.file.Path file = Files.writeString(dir.resolve("f.json"), "{}");
    java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
    for (java.nio.file.Path p : List.of(file, link, dir.resolve("a"))) {
      for (Path hp : List.of(new Path(p.toUri()), new Path(p.toString()))) {
        FileStatus expected = hadoop.getFileLinkStatus(hp);
        FileStatus actual = ours.getFileLinkStatus(hp);
        assertEquals(expected, actual, hp.toString());
        assertEquals(expected.isSymlink(), actual.isSymlink(), hp.toString());
        assertEquals(expected.getLen(), actual.getLen(), hp.toString());
      }
    }
    Path missing = new Path(dir.resolve("missing").toUri());
    assertThrows(FileNotFoundException.class, () -> hadoop.getFileLinkStatus(missing));
    assertThrows(FileNotFoundException.class, () -> ours.getFileLinkStatus(missing));
  }

  @Test
  void deltaWritesAndReadsStartNoHadoopShellCommand() throws Exception {
    SparkSession spark = TestSpark.session();
    String table = dir.resolve("t").toUri().toString();
    assertEquals(LocalFileSystemNio.class, FileSystem.get(URI.create(table),
        spark.sparkContext().hadoopConfiguration()).getClass(), "the JVM's file system for file: paths");
    List<String> commands = new ArrayList<>();
    java.nio.file.Path jfr = dir.resolve("processes.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ProcessStart").withStackTrace();
      r.start();
      spark.range(10).write().format("delta").save(table);
      spark.range(5).write().format("delta").mode("append").save(table);
      assertEquals(15, spark.read().format("delta").load(table).count());
      r.stop();
      r.dump(jfr);
    }
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      boolean hadoopShell = e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
          .anyMatch(f -> f.getMethod().getType().getName().equals("org.apache.hadoop.util.Shell"));
      if (hadoopShell) {
        commands.add(e.getString("command"));
      }
    }
    // with Hadoop's own local file system: a chmod per folder and file, a readlink per log file
    assertEquals(List.of(), commands);
  }
}
