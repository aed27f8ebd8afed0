package dev.fedlora.report;

import java.util.List;

/**
 * The report's content, rendered both as {@code report.md} ({@link MarkdownReport}) and as
 * {@code report.html} ({@link HtmlReport}), so the two always say the same thing.
 */
record ReportDocument(String title, String command, List<Block> blocks) {
    /** A piece of the report. */
    sealed interface Block permits Heading, Paragraph, Table, Details, Figure {}

    /** A second-level heading. */
    record Heading(String text) implements Block {}

    /** Plain text; {@code `code`} spans are allowed. */
    record Paragraph(String text) implements Block {}

    /**
     * A table; {@code rightAligned[i]} for numeric columns.
     */
    record Table(List<String> headers, boolean[] rightAligned, List<List<String>> rows) implements Block {
        Table {
            if (rightAligned.length != headers.size()) {
                throw new IllegalArgumentException(headers.size() + " headers but " + rightAligned.length
                        + " alignments");
            }
            for (List<String> row : rows) {
                if (row.size() != headers.size()) {
                    throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells, expected "
                            + headers.size());
                }
            }
        }
    }

    /** A folded section (HTML {@code <details>}), open on a click. */
    record Details(String summary, List<Block> blocks) implements Block {}

    /** A plot: {@code name.png} / {@code name.svg} in the report folder. */
    record Figure(String name, String caption) implements Block {}
}
