package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileWhole() throws IOException {
        Path target = dir.resolve("report.md");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new");

        assertEquals("new", Files.readString(target));
        assertEquals(List.of("report.md"), names());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("plot.png");
        AtomicFiles.writeString(target, "old");

        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("interrupted");
        }));

        assertEquals("old", Files.readString(target));
        assertEquals(List.of("plot.png"), names());
    }
}
