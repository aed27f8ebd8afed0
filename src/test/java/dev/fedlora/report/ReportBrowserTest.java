package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fedlora.Main;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in a real headless Chromium: the DOM it builds holds every plot as an SVG
 * element with its drawing inside, and a screenshot shows the plots in the groups' colours.
 * Skipped (an assumption, not a failure) where no Chromium is installed; CI installs Debian's.
 * {@code CHROMIUM=/path/to/browser} picks another Chromium-based browser.
 */
class ReportBrowserTest {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private Path browser;
    private Path page;

    @BeforeEach
    void reportAndBrowser() throws IOException {
        Optional<Path> found = findBrowser();
        assumeTrue(found.isPresent(), "no chromium on the PATH (or $CHROMIUM): the browser check is skipped");
        browser = found.get();
        Path out = dir.resolve("report");
        List<String> args = new ArrayList<>(List.of("report", "--out", out.toString(), "--title", "Browser check"));
        RunFixtures.twoGroups(dir.resolve("runs")).forEach(r -> args.add(r.toString()));
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(err, true), args.toArray(String[]::new)), err.toString());
        page = out.resolve("report.html");
    }

    /** {@code $CHROMIUM} if set (skipped when that is not an executable), else the first browser on the PATH. */
    static Optional<Path> findBrowser() {
        String chosen = System.getenv("CHROMIUM");
        if (chosen != null && !chosen.isBlank()) {
            return Files.isExecutable(Path.of(chosen)) ? Optional.of(Path.of(chosen)) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : BROWSERS) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs headless Chromium with its own profile folder; returns what it printed on stdout. */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s");
        }
        assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void theBrowsersDomHoldsEveryPlotAsDrawnSvg() throws Exception {
        String dom = chromium("--dump-dom");

        assertTrue(dom.contains("<h1>Browser check</h1>"), dom.substring(0, Math.min(500, dom.length())));
        Matcher figures = Pattern.compile("<figure id=\"([a-z-]+)\">\\s*<svg").matcher(dom);
        List<String> names = new ArrayList<>();
        while (figures.find()) names.add(figures.group(1));
        assertEquals(List.of("accuracy-vs-round", "accuracy-vs-mb", "mb-per-round", "mb-each-round", "client-train-loss",
                "client-train-seconds"), names, "every figure holds an svg element in the parsed page");
        long paths = Pattern.compile("<path ").matcher(dom).results().count();
        assertTrue(paths > 100, "the plots' drawing (axes, lines, text as paths) is in the DOM: " + paths);
        assertTrue(dom.contains("<details>") && dom.contains("Per-seed values (6 runs)"), "the per-seed fold");
    }

    @Test
    void aScreenshotShowsThePlotsInTheGroupsColours() throws Exception {
        Path shot = dir.resolve("shot.png");
        chromium("--window-size=1200,4000", "--screenshot=" + shot);

        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, "the screenshot is a PNG");
        int white = 0;
        int[] groupPixels = new int[2];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getRed() > 245 && c.getGreen() > 245 && c.getBlue() > 245) white++;
                for (int g = 0; g < 2; g++) if (near(c, ReportCharts.colour(g))) groupPixels[g]++;
            }
        }
        double inked = 1 - (double) white / (image.getWidth() * image.getHeight());
        assertTrue(inked > 0.02, "the page is not blank: " + inked + " of the pixels are not white");
        assertTrue(groupPixels[0] > 200, "the first group's lines are drawn: " + groupPixels[0] + " pixels");
        assertTrue(groupPixels[1] > 200, "the second group's lines are drawn: " + groupPixels[1] + " pixels");
    }

    private static boolean near(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue()) < 30;
    }
}
