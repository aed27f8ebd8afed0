package dev.fedlora.report;

import dev.fedlora.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the per-round metrics a run wrote as CSV ({@code metrics.csv/part-*.csv}, with a header).
 * Columns are found by their header name, so their order does not matter and extra columns are
 * ignored; {@code test_accuracy} may be empty (a round that was not evaluated) and is then
 * {@code null} in the row. The optional columns of {@link RoundMetrics} may be absent (files written
 * before they existed) or empty, and are then {@code null}.
 */
public final class RunMetrics {
    static final String CSV_FOLDER = "metrics.csv";

    private RunMetrics() {}

    /**
     * All rows of {@code runDir/metrics.csv/part-*.csv}, sorted by round.
     * @throws ConfigError if there is no part file, no row, or a file is malformed
     */
    public static List<RoundMetrics> read(Path runDir) throws IOException {
        Path folder = runDir.resolve(CSV_FOLDER);
        List<Path> parts = partFiles(folder);
        if (parts.isEmpty()) {
            throw new ConfigError("run folder " + runDir + " has no metrics: no " + CSV_FOLDER + "/part-*.csv");
        }
        List<RoundMetrics> rows = new ArrayList<>();
        for (Path part : parts) {
            rows.addAll(parse(Files.readString(part, StandardCharsets.UTF_8), part.toString()));
        }
        if (rows.isEmpty()) {
            throw new ConfigError("run folder " + runDir + " has no metrics: " + CSV_FOLDER + " holds no rows");
        }
        rows.sort(Comparator.comparingInt(RoundMetrics::round));
        return rows;
    }

    private static List<Path> partFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("part-") && name.endsWith(".csv");
            }).sorted().toList();
        }
    }

    /**
     * Parses CSV text whose first line is the header.
     * @param source named in error messages
     * @throws ConfigError if a needed column is missing, a line has the wrong number of fields, or a
     *     value is not a number (only test_accuracy and the optional columns may be empty)
     */
    public static List<RoundMetrics> parse(String csv, String source) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) return List.of();
        Columns columns = new Columns(splitLine(lines.get(0)), source);
        List<RoundMetrics> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            List<String> fields = splitLine(lines.get(i));
            if (fields.size() != columns.count()) {
                throw new ConfigError(source + " line " + (i + 1) + ": expected " + columns.count() + " fields, found "
                        + fields.size());
            }
            rows.add(columns.row(fields, i + 1));
        }
        return rows;
    }

    /** Splits one CSV line; fields may be quoted, with {@code ""} or {@code \"} for a quote inside. */
    static List<String> splitLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().strip());
        return fields;
    }

    /** The header: column name to position, and typed access to one line's fields. */
    private static final class Columns {
        private static final List<String> REQUIRED = List.of("experiment", "strategy", "round", "test_accuracy",
                "cumulative_bytes_down", "cumulative_bytes_up");
        private final Map<String, Integer> index = new HashMap<>();
        private final String source;
        private final int count;

        Columns(List<String> header, String source) {
            this.source = source;
            this.count = header.size();
            for (int i = 0; i < header.size(); i++) index.put(header.get(i), i);
            for (String required : REQUIRED) {
                if (!index.containsKey(required)) {
                    throw new ConfigError(source + ": header has no column '" + required + "', found " + header);
                }
            }
        }

        int count() {
            return count;
        }

        RoundMetrics row(List<String> f, int line) {
            return new RoundMetrics(text(f, "experiment"), text(f, "strategy"), (int) whole(f, "round", line),
                    decimal(f, "test_accuracy", line), whole(f, "cumulative_bytes_down", line),
                    whole(f, "cumulative_bytes_up", line), optionalWhole(f, "bytes_down", line),
                    optionalWhole(f, "bytes_up", line), decimal(f, "mean_train_loss", line),
                    decimal(f, "client_train_seconds", line), optionalWhole(f, "rejected", line),
                    optionalWhole(f, "dropped", line), decimal(f, "personal_accuracy_mean", line),
                    decimal(f, "personal_accuracy_p10", line), decimal(f, "personal_accuracy_p90", line),
                    decimal(f, "epsilon", line));
        }

        private String text(List<String> fields, String column) {
            return fields.get(index.get(column));
        }

        private long whole(List<String> fields, String column, int line) {
            String value = text(fields, column);
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw notANumber(column, value, line);
            }
        }

        /** A whole number; {@code null} when the column is absent or the field empty. */
        private Long optionalWhole(List<String> fields, String column, int line) {
            if (!index.containsKey(column) || text(fields, column).isEmpty()) return null;
            return whole(fields, column, line);
        }

        /** A decimal number; {@code null} when the column is absent or the field empty. */
        private Double decimal(List<String> fields, String column, int line) {
            if (!index.containsKey(column)) return null;
            String value = text(fields, column);
            if (value.isEmpty()) return null;
            try {
                return Double.valueOf(value);
            } catch (NumberFormatException e) {
                throw notANumber(column, value, line);
            }
        }

        private ConfigError notANumber(String column, String value, int line) {
            return new ConfigError(source + " line " + line + ": column " + column + " should be a number, found '"
                    + value + "'");
        }

    }
}
