package dev.fedlora.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's CSV keeps every value under its own column when a benchmark gains figures. */
class BenchCsvTest {
    @TempDir Path dir;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void rowsWithTheSameColumnsAreAppended() throws IOException {
        Path csv = dir.resolve("out/bench.csv");
        BenchCommand.appendCsv(csv.toString(), row("label", "a", "steps", 1.5));
        BenchCommand.appendCsv(csv.toString(), row("label", "b", "steps", 2.0));
        assertEquals(List.of("label,steps", "a,1.50000", "b,2.00000"), Files.readAllLines(csv));
    }

    @Test
    void aNewColumnInTheMiddleMovesOldRowsUnderTheirNames() throws IOException {
        Path csv = dir.resolve("bench.csv");
        BenchCommand.appendCsv(csv.toString(), row("label", "a", "steps", 1.5, "retired", "x"));
        BenchCommand.appendCsv(csv.toString(), row("label", "b", "sgemm", 9.0, "steps", 2.0, "model", "mlp"));
        assertEquals(List.of("label,sgemm,steps,model,retired", "a,,1.50000,,x", "b,9.00000,2.00000,mlp,"),
                Files.readAllLines(csv));
    }

    @Test
    void aRowThatDoesNotMatchItsHeaderIsRefusedAndTheFileKept() throws IOException {
        Path csv = dir.resolve("bench.csv");
        Files.write(csv, List.of("label,steps", "a,1.5,extra"));
        IOException e = assertThrows(IOException.class,
                () -> BenchCommand.appendCsv(csv.toString(), row("label", "b", "model", "mlp")));
        assertTrue(e.getMessage().contains("line 2 has 3 fields but its header 2"), e.getMessage());
        assertEquals(List.of("label,steps", "a,1.5,extra"), Files.readAllLines(csv));
    }
}
