package dev.fedlora.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The client states of a run, under {@code <run>/state/}, through the Hadoop FileSystem API (on a
 * cluster the run folder must be on a file system every executor reaches, as for
 * {@code output.save-client-updates}). Each task of a round writes the states its clients produced
 * to one file, {@code state/round-RRRR/task-TTTT.state}, first under a temporary name and then
 * renamed, so a file that exists is whole; its bytes depend only on the round's inputs, so a retried
 * task or a rerun writes the same file again. Format, big-endian:
 * <pre>
 *   bytes 0-3  magic "FLST"   int32 format version (1)   int32 round   int32 task   int32 records
 *   per record: int32 client id   int32 state length   the state ({@link ClientState#encode})
 * </pre>
 * A task reads only its own clients' records, each by one seek to its {@link StateLocation}; the
 * driver learns the locations from the tasks and keeps them in a {@link StateIndex}, which
 * {@link #index} rebuilds from the files on resume.
 */
public final class ClientStateStore implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte[] MAGIC = "FLST".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER = 20;
    private static final String ROUND_DIR = "round-\\d+";
    private static final String TASK_FILE = "task-\\d+\\.state";

    private final String runDir;
    private transient FileSystem fs;

    /** The store of the run folder {@code runDir} (any Hadoop path). */
    public ClientStateStore(String runDir) {
        if (runDir == null) throw new IllegalArgumentException("a client state store needs a run folder, found null");
        this.runDir = runDir;
    }

    private Path dir() {
        return new Path(runDir, "state");
    }

    private FileSystem fs() throws IOException {
        if (fs == null) fs = dir().getFileSystem(new Configuration());
        return fs;
    }

    Path fileOf(int round, int task) {
        return new Path(new Path(dir(), String.format("round-%04d", round)), String.format("task-%04d.state", task));
    }

    /**
     * Client {@code client}'s state at {@code at}.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalStateException if the record there is not that client's
     */
    public ClientState read(int client, StateLocation at) {
        Path file = fileOf(at.round(), at.task());
        byte[] record = new byte[at.length()];
        try (FSDataInputStream in = fs().open(file)) {
            in.readFully(at.offset(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of client " + client + " from " + file + " at "
                    + at.offset(), e);
        }
        ByteBuffer head = ByteBuffer.wrap(record);
        int found = head.getInt();
        int length = head.getInt();
        if (found != client || length != record.length - 8) {
            throw new IllegalStateException("the record at " + at.offset() + " of " + file + " holds client " + found
                    + " (" + length + " bytes), expected client " + client + " (" + (record.length - 8) + " bytes)");
        }
        return ClientState.decode(record, 8, length);
    }

    /** The states one task produced in one round, written as one file by {@link #write}. */
    public final class TaskStates {
        private final int round;
        private final int task;
        private final Map<Integer, ClientState> states = new LinkedHashMap<>();

        private TaskStates(int round, int task) {
            this.round = round;
            this.task = task;
        }

        /** Adds client {@code client}'s next state; a client may be added once. */
        public void put(int client, ClientState state) {
            if (states.putIfAbsent(client, state) != null) {
                throw new IllegalArgumentException("client " + client + " already has a state in round " + round
                        + ", task " + task);
            }
        }

        public boolean isEmpty() {
            return states.isEmpty();
        }

        /**
         * Writes the file (nothing when no state was added) and returns where each client's state lies.
         *
         * @throws UncheckedIOException if it cannot be written
         */
        public Map<Integer, StateLocation> write() {
            Map<Integer, StateLocation> at = new LinkedHashMap<>();
            if (states.isEmpty()) return at;
            long size = HEADER;
            for (ClientState s : states.values()) size += 8 + s.encodedSize();
            if (size > Integer.MAX_VALUE) throw new IllegalStateException("the states of round " + round + ", task "
                    + task + " need " + size + " bytes, more than one file holds");
            ByteBuffer out = ByteBuffer.allocate((int) size);
            out.put(MAGIC).putInt(VERSION).putInt(round).putInt(task).putInt(states.size());
            for (Map.Entry<Integer, ClientState> e : states.entrySet()) {
                int start = out.position();
                int length = e.getValue().encodedSize();
                out.putInt(e.getKey()).putInt(length);
                e.getValue().encode(out);
                at.put(e.getKey(), new StateLocation(round, task, start, 8 + length));
            }
            try {
                writeAtomically(fileOf(round, task), out.array());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the client states of round " + round + ", task " + task, e);
            }
            return at;
        }
    }

    /** An empty set of states for task {@code task} of round {@code round}. */
    public TaskStates forTask(int round, int task) {
        return new TaskStates(round, task);
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        FileSystem f = fs();
        f.mkdirs(target.getParent());
        Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream os = f.create(tmp, true)) {
            os.write(bytes);
        }
        if (f.exists(target)) f.delete(target, false);
        if (!f.rename(tmp, target)) {
            // Another attempt of the same task got there first; its bytes are these bytes.
            boolean written = f.exists(target) && f.getFileStatus(target).getLen() == bytes.length;
            f.delete(tmp, false);
            if (!written) throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** Removes every state: a run that starts afresh. */
    public void clear() throws IOException {
        if (fs().exists(dir())) fs().delete(dir(), true);
    }

    /**
     * Removes the files of the rounds after {@code round} and any temporary file left by a task
     * that was killed: what a run resuming after {@code round} will write again.
     */
    public void dropAfter(int round) throws IOException {
        for (FileStatus r : rounds()) {
            if (roundOf(r) > round) {
                fs().delete(r.getPath(), true);
            } else {
                for (FileStatus tmp : fs().listStatus(r.getPath(), p -> p.getName().endsWith(".tmp"))) {
                    fs().delete(tmp.getPath(), false);
                }
            }
        }
    }

    /**
     * The index after round {@code round}: every client's latest state in the files of rounds
     * {@code 1..round}, read record header by record header; files of later rounds are not read.
     *
     * @throws IllegalStateException if a file is not a state file of its round and task
     */
    public StateIndex index(int round) throws IOException {
        StateIndex index = new StateIndex();
        for (FileStatus r : rounds()) {
            int n = roundOf(r);
            if (n > round) continue;
            FileStatus[] tasks = fs().listStatus(r.getPath(), p -> p.getName().matches(TASK_FILE));
            Arrays.sort(tasks, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus t : tasks) index.putAll(locations(t, n));
        }
        return index;
    }

    private List<FileStatus> rounds() throws IOException {
        List<FileStatus> out = new ArrayList<>();
        if (!fs().exists(dir())) return out;
        out.addAll(Arrays.asList(fs().listStatus(dir(), p -> p.getName().matches(ROUND_DIR))));
        out.sort(Comparator.comparingInt(ClientStateStore::roundOf));
        return out;
    }

    private static int roundOf(FileStatus s) {
        return Integer.parseInt(s.getPath().getName().substring("round-".length()));
    }

    private Map<Integer, StateLocation> locations(FileStatus file, int round) throws IOException {
        String name = file.getPath().getName();
        int task = Integer.parseInt(name.substring("task-".length(), name.length() - ".state".length()));
        Map<Integer, StateLocation> at = new LinkedHashMap<>();
        long length = file.getLen();
        try (FSDataInputStream in = fs().open(file.getPath())) {
            byte[] header = new byte[HEADER];
            in.readFully(0, header);
            ByteBuffer h = ByteBuffer.wrap(header);
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            int version = h.getInt();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || h.getInt() != round || h.getInt() != task) {
                throw new IllegalStateException(file.getPath() + " is not a version " + VERSION
                        + " client state file of round " + round + ", task " + task);
            }
            int records = h.getInt();
            long offset = HEADER;
            byte[] head = new byte[8];
            for (int i = 0; i < records; i++) {
                if (offset + 8 > length) throw new IllegalStateException(file.getPath() + " ends inside record " + i);
                in.readFully(offset, head);
                ByteBuffer b = ByteBuffer.wrap(head);
                int client = b.getInt();
                int size = b.getInt();
                if (size < 0 || offset + 8 + size > length) {
                    throw new IllegalStateException(file.getPath() + " ends inside record " + i);
                }
                at.put(client, new StateLocation(round, task, offset, 8 + size));
                offset += 8L + size;
            }
            if (offset != length) throw new IllegalStateException(file.getPath() + " holds " + (length - offset)
                    + " bytes after its last record");
        }
        return at;
    }

    /** The bytes of the file of round {@code round}, task {@code task}. */
    byte[] bytesOf(int round, int task) throws IOException {
        try (InputStream in = fs().open(fileOf(round, task))) {
            return in.readAllBytes();
        }
    }
}
