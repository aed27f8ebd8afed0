package dev.fedlora.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.metrics.MetricsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's CSV keeps every value under its own column when a benchmark gains figures; its
 * median round is the measured round of median duration.
 */
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

    private static MetricsRow round(int round, long steps, double seconds) {
        return new MetricsRow("bench", "zero_pad", round, null, null, 1.0, 10, 0, 0, 0, steps, 0, 0, 0, 0, seconds,
                seconds / 2, null, null, null, null);
    }

    @Test
    void theMedianRoundIsTheRoundOfMedianDurationNotTheMeanOne() {
        // durations 0.9 (a slow round of a noisy host), 0.2, 0.3, 0.25, 0.22: median 0.25 (round 4)
        List<MetricsRow> rounds = List.of(round(1, 200, 0.9), round(2, 200, 0.2), round(3, 190, 0.3),
                round(4, 180, 0.25), round(5, 200, 0.22));
        assertEquals(4, BenchCommand.medianRound(rounds).round());
        // an even count takes the upper of the two middle rounds
        assertEquals(4, BenchCommand.medianRound(rounds.subList(1, 5)).round());
        assertEquals(1, BenchCommand.medianRound(List.of(round(1, 200, 0.9))).round());
    }
}
