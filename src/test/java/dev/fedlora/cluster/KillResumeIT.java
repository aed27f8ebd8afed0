package dev.fedlora.cluster;

import static dev.fedlora.cluster.ClusterRuns.OUT;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs/fault-kill-resume.sh} with the small test base: a driver killed with SIGKILL after
 * round 3 leaves no _SUCCESS; the same command resumes from the round-2 checkpoint and ends with
 * metrics and adapters identical to an undisturbed run; a third run is a no-op. The script checks
 * that itself; this test checks the two output folders again so a failure names what differs.
 */
class KillResumeIT {
    private static final long TIMEOUT_SECONDS = 420;

    @Test
    void killedRunResumesToTheSameResults() throws Exception {
        Path out = OUT.resolve("fault-kill-resume");
        ClusterRuns.Result r = ClusterRuns.run(OUT.resolve("fault-kill-resume.log"), TIMEOUT_SECONDS,
                ClusterRuns.command("jobs/fault-kill-resume.sh", "--out", out.toString(),
                        "model.base=\"" + TestData.smallBaseModel() + "\""));
        System.out.println(r.logText());
        r.assertSucceeded();
        assertTrue(r.logText().contains("resuming from the checkpoint"), "the rerun did not resume:\n" + r.tail(30));
        ClusterRuns.assertSameResults("undisturbed run", out.resolve("reference/kill-resume"),
                "killed and resumed run", out.resolve("killed/kill-resume"));
    }
}
