package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.ConfigError;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
    @Test
    void readsColumnsByNameAndToleratesEmptyTestColumns() {
        String csv = """
                round,experiment,strategy,test_accuracy,test_loss,dropped,cumulative_bytes_up,cumulative_bytes_down
                0,exp,flasc,0.084,2.68,0,0,0
                1,exp,flasc,,,2,143900,1096080
                2,exp,flasc,1.0E-1,,0,287800,2192160
                """;
        List<RoundMetrics> rows = RunMetrics.parse(csv, "part-00000.csv");

        assertEquals(List.of(
                new RoundMetrics("exp", "flasc", 0, 0.084, 0, 0, null, null, null, null, null, 0L),
                new RoundMetrics("exp", "flasc", 1, null, 1096080, 143900, null, null, null, null, null, 2L),
                new RoundMetrics("exp", "flasc", 2, 0.1, 2192160, 287800, null, null, null, null, null, 0L)), rows);
    }

    @Test
    void optionalColumnsAreReadWhenPresentAndNullWhenEmpty() {
        String csv = "experiment,strategy,round,test_accuracy,mean_train_loss,clients,rejected,dropped,bytes_down,"
                + "bytes_up,cumulative_bytes_down,cumulative_bytes_up,round_seconds,client_train_seconds\n"
                + "exp,zero_pad,0,0.1,,0,0,0,0,0,0,0,0.0,0.0\n"
                + "exp,zero_pad,1,0.5,1.25,10,1,2,5000,4000,5000,4000,1.5,2.75\n";
        List<RoundMetrics> rows = RunMetrics.parse(csv, "f.csv");

        assertEquals(new RoundMetrics("exp", "zero_pad", 0, 0.1, 0, 0, 0L, 0L, null, 0.0, 0L, 0L), rows.get(0));
        assertEquals(new RoundMetrics("exp", "zero_pad", 1, 0.5, 5000, 4000, 5000L, 4000L, 1.25, 2.75, 1L, 2L),
                rows.get(1));
    }

    @Test
    void personalisedAndEpsilonColumnsAreReadWhenPresentAndNullWhenEmpty() {
        String csv = "experiment,strategy,round,test_accuracy,cumulative_bytes_down,cumulative_bytes_up,"
                + "personal_accuracy_mean,personal_accuracy_p10,personal_accuracy_p90,epsilon\n"
                + "exp,fedsa_lora,0,0.1,0,0,,,,\n"
                + "exp,fedsa_lora,1,0.5,10,1,0.8,0.6,0.9,1.5\n";
        List<RoundMetrics> rows = RunMetrics.parse(csv, "f.csv");

        assertEquals(new RoundMetrics("exp", "fedsa_lora", 0, 0.1, 0, 0), rows.get(0));
        assertEquals(new RoundMetrics("exp", "fedsa_lora", 1, 0.5, 10, 1, null, null, null, null, null, null, 0.8, 0.6,
                0.9, 1.5), rows.get(1));
    }

    @Test
    void aFileWithoutThePersonalisedAndEpsilonColumnsReadsThemAsNull() {
        String csv = "experiment,strategy,round,test_accuracy,mean_train_loss,clients,rejected,dropped,bytes_down,"
                + "bytes_up,cumulative_bytes_down,cumulative_bytes_up,round_seconds,client_train_seconds,"
                + "client_accuracy_mean,client_accuracy_p10,client_accuracy_p90,client_accuracy_by_group\n"
                + "exp,zero_pad,1,0.5,1.25,10,1,2,5000,4000,5000,4000,1.5,2.75,0.5,0.4,0.6,\n";
        RoundMetrics row = RunMetrics.parse(csv, "f.csv").get(0);

        assertEquals(0.5, row.testAccuracy());
        assertNull(row.personalAccuracyMean());
        assertNull(row.personalAccuracyP10());
        assertNull(row.personalAccuracyP90());
        assertNull(row.epsilon());
    }

    @Test
    void quotedFieldsAreUnquoted() {
        String csv = "experiment,strategy,round,test_accuracy,cumulative_bytes_down,cumulative_bytes_up\n"
                + "\"a,b \\\"x\\\"\",zero_pad,3,\"\",10,1\n";
        RoundMetrics row = RunMetrics.parse(csv, "f.csv").get(0);

        assertEquals("a,b \"x\"", row.experiment());
        assertNull(row.testAccuracy());
    }

    @Test
    void headerOnlyGivesNoRows() {
        assertTrue(RunMetrics.parse("experiment,strategy,round,test_accuracy,cumulative_bytes_down,"
                + "cumulative_bytes_up\n", "f.csv").isEmpty());
    }

    @Test
    void missingColumnIsNamed() {
        String message = assertThrows(ConfigError.class, () -> RunMetrics.parse(
                "experiment,strategy,round,test_accuracy,cumulative_bytes_down\nexp,flasc,0,0.1,0\n", "f.csv"))
                .getMessage();
        assertTrue(message.contains("f.csv") && message.contains("cumulative_bytes_up"), message);
    }

    @Test
    void badNumberNamesColumnLineAndValue() {
        String message = assertThrows(ConfigError.class, () -> RunMetrics.parse(
                "experiment,strategy,round,test_accuracy,cumulative_bytes_down,cumulative_bytes_up\n"
                        + "exp,flasc,0,0.1,0,0\nexp,flasc,1,high,10,1\n", "f.csv")).getMessage();
        assertTrue(message.contains("line 3") && message.contains("test_accuracy") && message.contains("'high'"),
                message);
    }

    @Test
    void emptyByteCountIsAnError() {
        assertThrows(ConfigError.class, () -> RunMetrics.parse(
                "experiment,strategy,round,test_accuracy,cumulative_bytes_down,cumulative_bytes_up\n"
                        + "exp,flasc,0,0.1,,0\n", "f.csv"));
    }
}
