package dev.fedlora.metrics;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One writer per run folder. A run holds {@code <run folder>/_LOCK} from before it looks at the
 * folder until it is done; a second run that finds a live lock fails with
 * {@link RunLockedException} (exit code 3) having read and changed nothing else in the folder.
 *
 * <p><b>The file</b> is key=value text: {@code run-id}, {@code host}, {@code pid}, {@code started}
 * (when the lock was taken), {@code process-started}, {@code experiment}, {@code heartbeat-ms} and
 * {@code stale-after-ms}. It is created only if absent: through Hadoop's {@code fs.create(path, false)}
 * (one atomic NameNode operation on HDFS), except on the local file system, where Hadoop checks and
 * creates in two steps, so there it is java.nio's {@code CREATE_NEW} ({@code O_CREAT | O_EXCL}). The
 * heartbeat is the file's modification time: a daemon thread checks that the lock is still this
 * run's and sets its modification time every heartbeat interval.
 *
 * <p><b>Stale</b> means: its modification time is older than the {@code stale-after-ms} its holder
 * wrote into it (this run's own threshold if the file cannot be parsed); or its holder's host is
 * this host and its pid no longer exists, or belongs to a process that started at another time than
 * the one recorded (the pid was reused). Hosts are compared by name, and clocks must agree across
 * hosts to well within the stale threshold.
 *
 * <p><b>Taking over</b> a stale lock: create {@code _LOCK.takeover} (only if absent), so that one run
 * at a time takes over; re-read {@code _LOCK} and, only if it is still the very file judged stale
 * (same bytes, same modification time), delete it and create this run's lock, again only if absent.
 * Losing any step means another run got there first: this run looks again, finds that run's live
 * lock and refuses. The marker lives for the milliseconds of a takeover; one left behind by a run
 * killed in between is removed once it is older than the stale threshold. The takeover is logged
 * at WARN with the old holder.
 *
 * <p><b>Losing the lock:</b> a holder that stopped heartbeating past the threshold (a frozen process)
 * may have been taken over; its next heartbeat sees another run id, after which {@link #checkHeld()}
 * throws, so the run stops at its next round, and {@link #close()} leaves the new holder's lock alone.
 *
 * <p>{@link #close()} (also run by a JVM shutdown hook, e.g. on SIGTERM, before Hadoop closes its file
 * systems) deletes the lock, and the run folder too if the lock created it and it is still empty.
 * Object stores such as S3A offer no atomic create-if-absent through Hadoop; there the lock is best
 * effort.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RunLock.class);
    public static final String FILE = "_LOCK";
    static final String TAKEOVER = FILE + ".takeover";
    /** Tries of create / judge / take over before giving up on a lock that keeps changing hands. */
    private static final int ATTEMPTS = 40;
    private static final long RETRY_MS = 50;
    private static final int MAX_LOCK_BYTES = 64 * 1024;
    /** How far two readings of one process's start time may differ (Linux derives it from whole-second boot time). */
    private static final long PROCESS_START_TOLERANCE_MS = 1500;

    static final String HOST = localHost();
    static final long PID = ProcessHandle.current().pid();
    private static final Instant PROCESS_STARTED = ProcessHandle.current().info().startInstant().orElse(null);

    /** Heartbeat interval and the age after which a lock without a heartbeat is stale. */
    public record Settings(Duration heartbeat, Duration staleAfter) {
        public Settings {
            if (heartbeat.toMillis() <= 0 || staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("need heartbeat > 0 and stale-after >= 2 heartbeats, got "
                        + heartbeat + " and " + staleAfter);
            }
        }

        public static Settings ofSeconds(int heartbeatSeconds, int staleAfterSeconds) {
            return new Settings(Duration.ofSeconds(heartbeatSeconds), Duration.ofSeconds(staleAfterSeconds));
        }
    }

    /** The run named in a lock file. {@code processStarted} and {@code staleAfterMs} (0) may be absent. */
    public record Holder(String runId, String host, long pid, Instant started, Instant processStarted,
                         String experiment, long heartbeatMs, long staleAfterMs) {
        /** e.g. "host node1, pid 4711, started 2026-01-02T03:04:05Z (run id 1c0f..., experiment quickstart)" */
        public String describe() {
            return "host " + host + ", pid " + pid + ", started " + started + " (run id " + runId
                    + (experiment.isEmpty() ? "" : ", experiment " + experiment) + ")";
        }

        String render() {
            return "# fedlora-spark run lock: this run is writing the folder; the file's modification time is its"
                    + " heartbeat\n"
                    + "run-id=" + runId + "\nhost=" + host + "\npid=" + pid + "\nstarted=" + started
                    + "\nprocess-started=" + (processStarted == null ? "" : processStarted)
                    + "\nexperiment=" + experiment + "\nheartbeat-ms=" + heartbeatMs
                    + "\nstale-after-ms=" + staleAfterMs + "\n";
        }

        /** @return null unless run-id, host, pid and started are all there and well formed */
        static Holder parse(byte[] bytes) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
                String runId = p.getProperty("run-id", ""), host = p.getProperty("host", "");
                if (runId.isBlank() || host.isBlank()) return null;
                String processStarted = p.getProperty("process-started", "");
                return new Holder(runId, host, Long.parseLong(p.getProperty("pid", "")),
                        Instant.parse(p.getProperty("started", "")),
                        processStarted.isBlank() ? null : Instant.parse(processStarted),
                        p.getProperty("experiment", ""),
                        Long.parseLong(p.getProperty("heartbeat-ms", "0")),
                        Long.parseLong(p.getProperty("stale-after-ms", "0")));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** One reading of a lock file; {@code holder} is null when it cannot be parsed (e.g. still being written). */
    record Seen(byte[] bytes, long modifiedMs, Holder holder) {
        boolean sameFileAs(Seen other) {
            return modifiedMs == other.modifiedMs && Arrays.equals(bytes, other.bytes);
        }

        long ageMs() {
            return Math.max(0, System.currentTimeMillis() - modifiedMs);
        }

        String holderText() {
            return holder == null ? "an unknown run (the lock file cannot be parsed; it may be being written)"
                    : holder.describe();
        }
    }

    private final Path dir;
    private final Path lock;
    private final FileSystem fs;
    /** Set on the local file system, where create-if-absent goes through java.nio. */
    private final LocalFileSystem local;
    private final String experiment;
    private final Settings settings;
    private final Holder me;
    private final byte[] content;
    private boolean createdDir;
    private Holder tookOverFrom;
    /** Who held the takeover marker when this run last found one, for the message if it gives up. */
    private String takeoverBy;
    private ScheduledExecutorService heartbeat;
    private final Runnable shutdownHook = this::releaseAtShutdown;
    private volatile String lost;
    private boolean closed;

    private RunLock(String runDir, String experiment, Settings settings, Configuration conf) throws IOException {
        this.dir = new Path(runDir);
        this.lock = new Path(dir, FILE);
        FileSystem any = dir.getFileSystem(conf);
        this.local = any instanceof LocalFileSystem l ? l : null;
        // The raw local file system: no .crc side files next to the lock.
        this.fs = local != null ? local.getRaw() : any;
        this.experiment = experiment;
        this.settings = settings;
        this.me = new Holder(UUID.randomUUID().toString(), HOST, PID, Instant.now(), PROCESS_STARTED, experiment,
                settings.heartbeat().toMillis(), settings.staleAfter().toMillis());
        this.content = me.render().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Takes the lock of {@code runDir} (creating the folder if needed) and starts its heartbeat.
     * @throws RunLockedException if a live run holds it
     */
    public static RunLock acquire(String runDir, String experiment, Settings settings, Configuration conf)
            throws IOException {
        RunLock l = new RunLock(runDir, experiment, settings, conf);
        l.take();
        l.startHeartbeat();
        return l;
    }

    /** Whether a file name in a run folder belongs to the lock (and must survive clearing the folder). */
    public static boolean isLockFile(String name) {
        return name.equals(FILE) || name.equals(TAKEOVER);
    }

    public String path() {
        return lock.toString();
    }

    public Holder holder() {
        return me;
    }

    /** The stale lock's holder this run took over from, if it did. */
    public Optional<Holder> tookOverFrom() {
        return Optional.ofNullable(tookOverFrom);
    }

    /** @throws RunLockedException if the heartbeat found that another run has taken this lock over */
    public void checkHeld() {
        String l = lost;
        if (l != null) throw new RunLockedException(l, lock.toString(), null);
    }

    private void take() throws IOException {
        createdDir = !fs.exists(dir);
        Seen last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) pause();
            if (createNew(lock, content)) {
                LOG.info("[{}] took the run lock {} ({})", experiment, lock, me.describe());
                return;
            }
            Optional<Seen> seen = read(lock);
            if (seen.isEmpty()) continue; // released in between
            last = seen.get();
            String stale = staleReason(last);
            if (stale == null) throw locked(last);
            if (takeOver(last, stale)) return;
        }
        if (takeoverBy != null) {
            throw new RunLockedException("output folder " + dir + " is being taken over by another run: its lock "
                    + lock + " of " + last.holderText() + " is stale, and " + new Path(dir, TAKEOVER) + " shows "
                    + takeoverBy + " replacing it. Nothing in the folder was read or changed", lock.toString(),
                    last == null ? null : last.holder());
        }
        throw locked(last);
    }

    private RunLockedException locked(Seen seen) {
        String holder = seen == null ? "another run (the lock kept changing hands)" : seen.holderText();
        String heartbeat = seen == null ? "" : ", last heartbeat " + seconds(seen.ageMs()) + " ago";
        return new RunLockedException("output folder " + dir + " is in use by another run: its lock " + lock
                + " is held by " + holder + heartbeat + ". Nothing in the folder was read or changed; run again"
                + " once that run has ended (the lock of a run that died is taken over: at once on the same host,"
                + " otherwise once its heartbeat is " + seconds(staleAfterMs(seen)) + " old)",
                lock.toString(), seen == null ? null : seen.holder());
    }

    private long staleAfterMs(Seen seen) {
        Holder h = seen == null ? null : seen.holder();
        return h != null && h.staleAfterMs() > 0 ? h.staleAfterMs() : settings.staleAfter().toMillis();
    }

    /** Why the lock in {@code seen} is stale, or null if its holder is alive. */
    String staleReason(Seen seen) {
        Holder h = seen.holder();
        if (h != null && h.host().equals(HOST)) {
            Optional<ProcessHandle> process = ProcessHandle.of(h.pid());
            if (process.isEmpty() || !process.get().isAlive()) {
                return "its process (pid " + h.pid() + ") no longer exists on this host";
            }
            Optional<Instant> began = process.get().info().startInstant();
            if (h.processStarted() != null && began.isPresent()
                    && Math.abs(began.get().toEpochMilli() - h.processStarted().toEpochMilli()) > PROCESS_START_TOLERANCE_MS) {
                return "its process ended: pid " + h.pid() + " now belongs to a process started at " + began.get()
                        + ", not " + h.processStarted();
            }
        }
        long staleAfter = staleAfterMs(seen);
        long age = seen.ageMs();
        if (age > staleAfter) {
            return "its last heartbeat was " + seconds(age) + " ago (stale after " + seconds(staleAfter) + ")";
        }
        return null;
    }

    private boolean takeOver(Seen stale, String reason) throws IOException {
        Path marker = new Path(dir, TAKEOVER);
        if (!createNew(marker, content)) {
            Optional<Seen> m = read(marker);
            takeoverBy = m.map(Seen::holderText).orElse(null);
            if (m.isPresent() && m.get().ageMs() > settings.staleAfter().toMillis()) {
                LOG.warn("[{}] removing {}, left {} ago by a run that died while taking over the lock ({})", experiment,
                        marker, seconds(m.get().ageMs()), m.get().holderText());
                fs.delete(marker, false);
            }
            return false; // another run is taking over right now: look again
        }
        takeoverBy = null;
        try {
            Optional<Seen> again = read(lock);
            if (again.isEmpty() || !again.get().sameFileAs(stale)) return false; // changed since judged
            LOG.warn("[{}] taking over the stale run lock {} of {}: {}", experiment, lock, stale.holderText(), reason);
            fs.delete(lock, false);
            if (!createNew(lock, content)) return false; // a plain acquirer got there first
            tookOverFrom = stale.holder();
            LOG.info("[{}] took the run lock {} ({})", experiment, lock, me.describe());
            return true;
        } finally {
            fs.delete(marker, false);
        }
    }

    private void startHeartbeat() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fedlora-run-lock-heartbeat " + experiment);
            t.setDaemon(true);
            return t;
        });
        long every = settings.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        ShutdownHookManager.get().addShutdownHook(shutdownHook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 1);
    }

    /** One heartbeat: still ours? then touch it. A failed beat is logged and retried at the next one. */
    void beat() {
        try {
            Optional<Seen> seen = read(lock);
            if (seen.isEmpty() || !ours(seen.get())) {
                lost = "lost the run lock " + lock + " of output folder " + dir + (seen.isEmpty() ? ": it was deleted"
                        : " to " + seen.get().holderText()) + " (this run's heartbeat had stopped for longer than the"
                        + " stale threshold, so another run took the folder over); this run stopped writing";
                LOG.error("[{}] {}", experiment, lost);
                heartbeat.shutdown();
                return;
            }
            fs.setTimes(lock, System.currentTimeMillis(), -1);
        } catch (IOException | RuntimeException e) {
            LOG.warn("[{}] cannot refresh the run lock {} (will retry): {}", experiment, lock, e.toString());
        }
    }

    private boolean ours(Seen seen) {
        return seen.holder() != null && seen.holder().runId().equals(me.runId());
    }

    /** Stops the heartbeat and deletes the lock if it is still this run's (and the folder, if the lock made it and it is empty). */
    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                ShutdownHookManager.get().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is what called us, or will find us closed
            }
        }
        Optional<Seen> seen = read(lock);
        if (seen.isPresent() && ours(seen.get())) {
            fs.delete(lock, false);
        } else {
            LOG.warn("[{}] left the run lock {} in place: it is no longer this run's (held by {})", experiment, lock,
                    seen.map(Seen::holderText).orElse("nobody"));
        }
        if (createdDir) {
            try {
                // Non-recursive: fails, harmlessly, if anything else is there by now.
                if (fs.listStatus(dir).length == 0) fs.delete(dir, false);
            } catch (IOException e) {
                LOG.debug("left {}: {}", dir, e.toString());
            }
        }
    }

    private void releaseAtShutdown() {
        try {
            synchronized (this) {
                if (closed) return;
            }
            LOG.warn("[{}] the JVM is shutting down mid-run: releasing the run lock {}", experiment, lock);
            close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("[{}] cannot release the run lock {} at shutdown: {}", experiment, lock, e.toString());
        }
    }

    /** Creates {@code p} holding {@code bytes} if it does not exist; false if it does. */
    private boolean createNew(Path p, byte[] bytes) throws IOException {
        if (local == null) {
            try (FSDataOutputStream out = fs.create(p, false)) {
                out.write(bytes);
            } catch (IOException e) {
                if (fs.exists(p)) return false; // FileAlreadyExistsException, or another client mid-create
                throw e;
            }
            return true;
        }
        java.nio.file.Path file = local.pathToFile(p).toPath();
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(file.getParent());
            OutputStream out;
            try {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (NoSuchFileException e) {
                if (attempt < 3) continue; // the empty folder was just removed by a run releasing its lock
                throw e;
            }
            try (out) {
                out.write(bytes);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return true;
        }
    }

    private Optional<Seen> read(Path p) throws IOException {
        try {
            FileStatus status = fs.getFileStatus(p);
            byte[] bytes;
            try (InputStream in = fs.open(p)) {
                bytes = in.readNBytes(MAX_LOCK_BYTES);
            }
            return Optional.of(new Seen(bytes, status.getModificationTime(), Holder.parse(bytes)));
        } catch (FileNotFoundException | NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String seconds(long ms) {
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
