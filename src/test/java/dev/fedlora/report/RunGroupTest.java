package dev.fedlora.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunGroupTest {
    @TempDir
    Path dir;

    private List<RunFolderReader> load(List<Path> dirs) throws IOException {
        List<RunFolderReader> runs = new ArrayList<>();
        for (Path d : dirs) runs.add(RunFolderReader.load(d));
        return runs;
    }

    @Test
    void runsDifferingOnlyBySeedNameAndOutputFolderFormOneGroup() throws IOException {
        List<RunFolderReader> runs = load(RunFixtures.twoGroups(dir));
        // interleave the order: groups keep the order of their first run
        List<RunFolderReader> shuffled = List.of(runs.get(3), runs.get(0), runs.get(4), runs.get(1), runs.get(5), runs.get(2));

        List<RunGroup> groups = RunGroup.of(shuffled);

        assertEquals(2, groups.size());
        assertEquals("b", groups.get(0).label());
        assertEquals("a", groups.get(1).label());
        assertEquals(List.of(1L, 2L, 3L), groups.get(1).seeds());
        assertEquals(List.of(runs.get(0), runs.get(1), runs.get(2)), groups.get(1).runs());
        assertNotEquals(groups.get(0).key(), groups.get(1).key());
    }

    @Test
    void theOutputFolderDoesNotSplitAGroup() throws IOException {
        Path one = RunFixtures.run(dir.resolve("here"), "x", "zero_pad", 1, 0.1, 0.5);
        Path two = RunFixtures.run(dir.resolve("there"), "x-2", "zero_pad", 2, 0.1, 0.6);

        List<RunGroup> groups = RunGroup.of(load(List.of(one, two)));

        assertEquals(1, groups.size());
        assertEquals("x", groups.get(0).label(), "the seed suffix -2 is dropped");
    }

    @Test
    void aLoneRunKeepsItsNameAndARunWithoutConfigIsAlone() throws IOException {
        RunFolderReader lone = RunFolderReader.load(RunFixtures.run(dir, "solo-seed4", "flasc", 4, 0.1, 0.5));
        RunFolderReader noConfig = new RunFolderReader(Path.of("runs/old"), "old", "zero_pad", null, null, List.of());
        RunFolderReader noConfigToo = new RunFolderReader(Path.of("runs/old2"), "old2", "zero_pad", null, null, List.of());

        List<RunGroup> groups = RunGroup.of(List.of(lone, noConfig, noConfigToo));

        assertEquals(List.of("solo-seed4", "old", "old2"), groups.stream().map(RunGroup::label).toList());
    }

    @Test
    void seedSuffixesAreStrippedOnlyWhenTheyAreTheRunsSeed() {
        assertEquals("hetero-rank-zero_pad", RunGroup.withoutSeed("hetero-rank-zero_pad-seed7", 7L));
        assertEquals("hetero-rank-zero_pad", RunGroup.withoutSeed("hetero-rank-zero_pad-8", 8L));
        assertEquals("flasc-budget-0.25", RunGroup.withoutSeed("flasc-budget-0.25", 25L));
        assertEquals("rank-16", RunGroup.withoutSeed("rank-16", 7L));
        assertEquals("x", RunGroup.withoutSeed("x", null));
    }

    @Test
    void replicatesWithDifferentBaseNamesShareTheirCommonPrefix() throws IOException {
        Path first = RunFixtures.run(dir, "hetero-rank-zero_pad", "zero_pad", 7, 0.1, 0.5);
        Path renamed = RunFixtures.run(dir, "hetero-rank-zp-again", "zero_pad", 8, 0.1, 0.5);

        assertEquals("hetero-rank-z", RunGroup.sharedName(load(List.of(first, renamed))));
    }

    @Test
    void differingSettingsNameTheKeysThatTellGroupsApart() throws IOException {
        List<RunGroup> groups = RunGroup.of(load(RunFixtures.twoGroups(dir)));

        assertEquals(Map.of("strategy.name", List.of("\"zero_pad\"", "\"replication_pad\"")),
                RunGroup.differingSettings(groups));
    }
}
