package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportChartsTest {
    @Test
    void svgNumbersAreCutToTwoDecimalsAndNothingElseChanges() {
        String svg = "<svg version=\"1.1\" viewBox=\"0 0 960 600\"><path d=\"M-8.421875,-3.296875 L12,0.5 "
                + "Q-1.828125,10.25\" style=\"fill-opacity:0.21960784;\"/></svg>";

        assertEquals("<svg version=\"1.1\" viewBox=\"0 0 960 600\"><path d=\"M-8.42,-3.29 L12,0.5 Q-1.82,10.25\" "
                + "style=\"fill-opacity:0.21;\"/></svg>", ReportCharts.compactSvg(svg));
    }

    @Test
    void everyGroupHasItsOwnColourUntilThePaletteRunsOut() {
        assertEquals(ReportCharts.PALETTE.get(1), ReportCharts.colour(1));
        assertEquals(ReportCharts.colour(0), ReportCharts.colour(ReportCharts.PALETTE.size()));
    }
}
