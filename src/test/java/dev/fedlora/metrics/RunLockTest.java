package dev.fedlora.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunLock} on the local file system: exclusion, heartbeat, the stale rules and takeover. */
class RunLockTest {
    /** Our side's threshold; locks written by hand below carry their own. */
    private static final RunLock.Settings FAST = new RunLock.Settings(Duration.ofMillis(100), Duration.ofSeconds(60));

    @TempDir
    Path tmp;
    Path run;
    Path lockFile;
    final Configuration conf = new Configuration();
    final List<RunLock> open = new ArrayList<>();
    LogCapture log;

    @BeforeEach
    void setUp() {
        run = tmp.resolve("runs/exp");
        lockFile = run.resolve(RunLock.FILE);
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RunLock l : open) l.close();
        log.close();
    }

    private RunLock acquire() throws Exception {
        return acquire(FAST);
    }

    private RunLock acquire(RunLock.Settings settings) throws Exception {
        RunLock l = RunLock.acquire(run.toString(), "exp", settings, conf);
        open.add(l);
        return l;
    }

    /** Writes a lock as another run would have, with the given heartbeat age. */
    private byte[] writeLock(String host, long pid, Instant processStarted, long staleAfterMs, Duration age)
            throws Exception {
        RunLock.Holder h = new RunLock.Holder("old-run-id", host, pid, Instant.parse("2026-01-02T03:04:05Z"),
                processStarted, "exp", 10_000, staleAfterMs);
        return writeRaw(h.render().getBytes(StandardCharsets.UTF_8), age);
    }

    private byte[] writeRaw(byte[] bytes, Duration age) throws Exception {
        Files.createDirectories(run);
        Files.write(lockFile, bytes);
        Files.setLastModifiedTime(lockFile, FileTime.fromMillis(System.currentTimeMillis() - age.toMillis()));
        return bytes;
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private RunLock.Holder holderOnDisk() throws Exception {
        return RunLock.Holder.parse(Files.readAllBytes(lockFile));
    }

    @Test
    void acquireWritesTheHolderAndCloseRemovesTheLockAndTheFolderItMade() throws Exception {
        RunLock l = acquire();

        RunLock.Holder h = holderOnDisk();
        assertEquals(RunLock.HOST, h.host());
        assertEquals(ProcessHandle.current().pid(), h.pid());
        assertEquals(l.holder().runId(), h.runId());
        assertTrue(Duration.between(h.started(), Instant.now()).abs().toSeconds() < 60, "start time " + h.started());
        assertEquals(60_000, h.staleAfterMs());
        String text = Files.readString(lockFile);
        for (String key : List.of("run-id=", "host=", "pid=", "started=", "experiment=exp", "stale-after-ms=")) {
            assertTrue(text.contains(key), key + " missing from\n" + text);
        }
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of(RunLock.FILE), files.map(p -> p.getFileName().toString()).toList(), "no .crc files");
        }
        assertTrue(l.tookOverFrom().isEmpty());

        l.close();
        assertFalse(Files.exists(lockFile));
        assertFalse(Files.exists(run), "the folder the lock created is removed again when empty");
    }

    @Test
    void closeKeepsAFolderThatExistedOrIsNoLongerEmpty() throws Exception {
        Files.createDirectories(run);
        acquire().close();
        assertTrue(Files.isDirectory(run));

        Files.delete(run);
        RunLock l = acquire();
        Files.writeString(run.resolve("manifest.json"), "{}");
        l.close();
        assertTrue(Files.exists(run.resolve("manifest.json")));
        assertFalse(Files.exists(lockFile));
    }

    @Test
    void aSecondAcquireIsRefusedNamingTheHolderAndChangesNothing() throws Exception {
        RunLock first = acquire();
        byte[] before = Files.readAllBytes(lockFile);

        RunLockedException e = assertThrows(RunLockedException.class, this::acquire);

        String m = e.getMessage();
        assertTrue(m.contains(lockFile.toString()), m);
        assertTrue(m.contains("host " + RunLock.HOST), m);
        assertTrue(m.contains("pid " + ProcessHandle.current().pid()), m);
        assertTrue(m.contains("started " + first.holder().started()), m);
        assertTrue(m.contains(first.holder().runId()), m);
        assertEquals(first.holder().runId(), e.holder().runId());
        assertEquals(lockFile.toString(), e.lockPath());
        assertArrayEquals(before, Files.readAllBytes(lockFile));
        assertFalse(Files.exists(run.resolve(RunLock.TAKEOVER)));

        first.close();
        RunLock second = acquire();
        assertEquals(second.holder().runId(), holderOnDisk().runId());
    }

    @Test
    void theHeartbeatRefreshesTheModificationTime() throws Exception {
        acquire();
        long old = System.currentTimeMillis() - 30_000;
        Files.setLastModifiedTime(lockFile, FileTime.fromMillis(old));

        long deadline = System.currentTimeMillis() + 5_000;
        while (Files.getLastModifiedTime(lockFile).toMillis() == old && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }

        long age = System.currentTimeMillis() - Files.getLastModifiedTime(lockFile).toMillis();
        assertTrue(age < 2_000, "heartbeat " + age + " ms old");
    }

    @Test
    void aLockWhoseHeartbeatIsOlderThanItsThresholdIsTakenOverWithALogLine() throws Exception {
        writeLock("other-host.example", 4711, null, 60_000, Duration.ofSeconds(90));

        RunLock l = acquire();

        assertEquals("old-run-id", l.tookOverFrom().orElseThrow().runId());
        assertEquals(l.holder().runId(), holderOnDisk().runId());
        String warn = log.line("taking over the stale run lock");
        assertTrue(warn.startsWith("WARN"), warn);
        for (String s : List.of(lockFile.toString(), "host other-host.example", "pid 4711",
                "started 2026-01-02T03:04:05Z", "old-run-id", "last heartbeat was 9" /* 90 s and a bit */, "stale after 60 s")) {
            assertTrue(warn.contains(s), "'" + s + "' missing from: " + warn);
        }
        assertFalse(Files.exists(run.resolve(RunLock.TAKEOVER)));
    }

    @Test
    void aFreshLockFromAnotherHostIsLiveEvenIfItsPidIsDeadHere() throws Exception {
        byte[] bytes = writeLock("other-host.example", deadPid(), null, 60_000, Duration.ofSeconds(5));

        RunLockedException e = assertThrows(RunLockedException.class, this::acquire);

        assertTrue(e.getMessage().contains("host other-host.example"), e.getMessage());
        assertTrue(e.getMessage().contains("last heartbeat 5"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(lockFile));
    }

    @Test
    void theHoldersOwnStaleThresholdDecides() throws Exception {
        // 90 s without a heartbeat is stale for us (60 s) but not for a holder that beats slowly (300 s).
        writeLock("other-host.example", 4711, null, 300_000, Duration.ofSeconds(90));

        RunLockedException e = assertThrows(RunLockedException.class, this::acquire);

        assertTrue(e.getMessage().contains("once its heartbeat is 300 s old"), e.getMessage());
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        long dead = deadPid();
        writeLock(RunLock.HOST, dead, null, 60_000, Duration.ZERO);

        RunLock l = acquire();

        assertEquals(dead, l.tookOverFrom().orElseThrow().pid());
        String warn = log.line("taking over the stale run lock");
        assertTrue(warn.contains("its process (pid " + dead + ") no longer exists on this host"), warn);
        assertTrue(warn.contains("host " + RunLock.HOST), warn);
    }

    @Test
    void aPidReusedByAnotherProcessOnThisHostIsStale() throws Exception {
        // Our own (live) pid, but recorded with a process start an hour before this JVM's.
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        writeLock(RunLock.HOST, ProcessHandle.current().pid(), started.minusSeconds(3600), 60_000, Duration.ZERO);

        RunLock l = acquire();

        assertTrue(l.tookOverFrom().isPresent());
        assertTrue(log.line("taking over the stale run lock").contains("now belongs to a process started at"),
                log.text());
    }

    @Test
    void aLiveProcessOnThisHostHoldsItsLock() throws Exception {
        // This JVM, with its true start time: alive and the same process.
        writeLock(RunLock.HOST, ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant().orElseThrow(),
                60_000, Duration.ofSeconds(1));

        assertThrows(RunLockedException.class, this::acquire);
    }

    @Test
    void anUnreadableLockIsLiveWhileFreshAndTakenOverWhenOld() throws Exception {
        writeRaw(new byte[0], Duration.ofSeconds(1)); // e.g. created but not yet written

        RunLockedException e = assertThrows(RunLockedException.class, this::acquire);
        assertTrue(e.getMessage().contains("an unknown run"), e.getMessage());
        assertNull(e.holder());

        Files.setLastModifiedTime(lockFile, FileTime.fromMillis(System.currentTimeMillis() - 61_000));
        RunLock l = acquire();
        assertTrue(l.tookOverFrom().isEmpty(), "no holder to name");
        assertTrue(log.line("taking over the stale run lock").contains("an unknown run"), log.text());
        assertEquals(l.holder().runId(), holderOnDisk().runId());
    }

    @Test
    void aTakeoverMarkerLeftByADeadRunIsRemovedAndTheTakeoverGoesAhead() throws Exception {
        writeLock("other-host.example", 4711, null, 60_000, Duration.ofSeconds(120));
        Path marker = run.resolve(RunLock.TAKEOVER);
        Files.writeString(marker, "left behind");
        Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis() - 120_000));

        RunLock l = acquire();

        assertTrue(l.tookOverFrom().isPresent());
        assertTrue(log.text().contains("removing " + marker), log.text());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aFreshTakeoverMarkerMeansAnotherRunIsTakingOver() throws Exception {
        byte[] bytes = writeLock("other-host.example", 4711, null, 60_000, Duration.ofSeconds(120));
        Files.writeString(run.resolve(RunLock.TAKEOVER), "another run, right now");

        RunLockedException e = assertThrows(RunLockedException.class, this::acquire);

        assertTrue(e.getMessage().contains("is being taken over by another run"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(lockFile));
        assertTrue(Files.exists(run.resolve(RunLock.TAKEOVER)), "not ours to remove");
    }

    @Test
    void ofManyRunsRacingForAFreeOrAStaleLockExactlyOneWins() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                boolean stale = round % 2 == 1;
                if (stale) writeLock("other-host.example", 4711, null, 60_000, Duration.ofMinutes(5));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<RunLock>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return RunLock.acquire(run.toString(), "exp", FAST, conf);
                        } catch (RunLockedException e) {
                            return null;
                        }
                    }));
                }
                List<RunLock> winners = new ArrayList<>();
                for (Future<RunLock> f : results) if (f.get() != null) winners.add(f.get());
                open.addAll(winners);
                assertEquals(1, winners.size(), "round " + round + (stale ? " (stale lock)" : " (no lock)"));
                assertEquals(winners.get(0).holder().runId(), holderOnDisk().runId());
                // With a stale lock the winner is the run that took it over, or a plain acquirer that
                // created the lock in the instant between the takeover's delete and create: either
                // way exactly one run holds it. Without one, nobody took anything over.
                if (!stale) assertFalse(winners.get(0).tookOverFrom().isPresent());
                winners.get(0).close();
                assertFalse(Files.exists(run.resolve(RunLock.TAKEOVER)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHolderWhoseLockWasTakenOverNoticesAndLeavesTheNewLockAlone() throws Exception {
        RunLock l = acquire();
        l.checkHeld();
        byte[] theirs = writeLock("other-host.example", 4711, null, 60_000, Duration.ZERO);

        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline && !log.text().contains("lost the run lock")) Thread.sleep(20);

        RunLockedException e = assertThrows(RunLockedException.class, l::checkHeld);
        assertTrue(e.getMessage().contains("to host other-host.example, pid 4711"), e.getMessage());
        l.close();
        assertArrayEquals(theirs, Files.readAllBytes(lockFile));
        assertTrue(log.text().contains("left the run lock " + lockFile + " in place"), log.text());
    }

    @Test
    void runOutputKeepsTheLockWhenItClearsTheFolder() throws Exception {
        Path conf = tmp.resolve("c.conf");
        Files.writeString(conf, "experiment.name = exp\noutput.dir = \"" + tmp.resolve("runs") + "\"\n");
        RunFolderWriter output = new RunFolderWriter(dev.fedlora.config.ConfigLoader.load(conf.toString(), List.of()), this.conf);
        acquire();

        assertEquals(RunFolderWriter.State.FRESH, output.inspect(false), "a folder holding only the lock is fresh");
        Files.writeString(run.resolve("stale-part.csv"), "x");
        output.startFresh();

        assertTrue(Files.exists(lockFile));
        assertFalse(Files.exists(run.resolve("stale-part.csv")));
        assertTrue(Files.exists(run.resolve("manifest.json")));
    }

    /** Collects what {@link RunLock} logs, at INFO and above. */
    static final class LogCapture implements AutoCloseable {
        private final StringWriter out = new StringWriter();
        private final org.apache.logging.log4j.core.Logger logger =
                (org.apache.logging.log4j.core.Logger) LogManager.getLogger(RunLock.class);
        private final Level before = logger.getLevel();
        private final WriterAppender appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime())
                .setTarget(out).setLayout(PatternLayout.newBuilder().withPattern("%p %m%n").build()).build();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.INFO);
        }

        String text() {
            synchronized (out) {
                return out.toString();
            }
        }

        String line(String containing) {
            return text().lines().filter(l -> l.contains(containing)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log line with '" + containing + "' in:\n" + text()));
        }

        @Override
        public void close() {
            logger.removeAppender(appender);
            logger.setLevel(before);
            appender.stop();
        }
    }
}
